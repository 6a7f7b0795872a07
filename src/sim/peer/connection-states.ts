/**
 * The peer side of federation monitoring: each member reports its own outbound connections
 * (`POST .../connection-states` on the peer API), and a JPD answering a status endpoint asks every
 * other member, once per JPD and in parallel, about the connections toward itself.
 */
import { arrayOf, isRecord } from '../http/http-util.js';
import type { ConnectionStatus, JpdHost } from '../jpd-host.js';
import { outboundKey } from '../state/model.js';
import { PEER_PREFIX } from './federation.js';
import { overrideOf } from '../state/overrides.js';
import { selfMember } from '../state/repositories.js';
import { parseMemberUrl } from '../state/urls.js';

/** A directed connection's state as reported; `forced` when an override set it. */
export interface ReportedState {
  readonly status: string;
  readonly lagInMs: number;
  readonly queuedEvents: number;
  readonly forced?: boolean;
}

export const idle = (status: ConnectionStatus): ReportedState => ({
  status,
  lagInMs: 0,
  queuedEvents: 0,
});

/** What a remote member says about its own outbound connection toward this JPD. */
export type RemoteAnswer = ReportedState | 'unknown' | 'unreachable';

/** A remote member's outbound connection toward our member. */
export interface Query {
  readonly remoteUrl: string;
  readonly selfUrl: string;
}

/** Peer `POST /connection-states`: this JPD's view of its outbound connections. */
export function answerConnectionStates(
  jpd: JpdHost,
  body: unknown,
): { states: (ReportedState | null)[] } {
  const queries = (isRecord(body) ? arrayOf(body['queries']) : undefined) ?? [];
  return {
    states: queries.map((q) => {
      if (!isRecord(q) || typeof q['repoKey'] !== 'string' || typeof q['target'] !== 'string')
        return null;
      return localOutboundState(jpd, q['repoKey'], q['target']) ?? null;
    }),
  };
}

export function localOutboundState(
  jpd: JpdHost,
  repoKey: string,
  target: string,
): ReportedState | undefined {
  const override = overrideOf(jpd, repoKey, target);
  if (override !== undefined) {
    const { status, lagInMs, queuedEvents } = override;
    return { status, lagInMs, queuedEvents, forced: true };
  }
  const repo = jpd.state.repos.get(repoKey);
  if (repo?.rclass !== 'federated') return undefined;
  const self = selfMember(repo, jpd.baseUrl);
  const remote = repo.members.find((m) => m.url === target);
  if (self === undefined || remote === undefined) return undefined;
  if (!self.enabled || !remote.enabled) return idle('DISABLED');
  if (self.mode === 'receiver') return idle('Receiving_Only');
  const record = jpd.state.outbound.get(outboundKey(repoKey, target));
  return record === undefined ? undefined : jpd.connections.stateOf(record);
}

function parseState(raw: unknown): ReportedState | 'unknown' {
  if (!isRecord(raw) || typeof raw['status'] !== 'string') return 'unknown';
  const lag = raw['lagInMs'];
  const queued = raw['queuedEvents'];
  return {
    status: raw['status'],
    lagInMs: typeof lag === 'number' ? lag : 0,
    queuedEvents: typeof queued === 'number' ? queued : 0,
    forced: raw['forced'] === true,
  };
}

/**
 * Asks each remote JPD, once per JPD and in parallel, about its connections toward this one. A
 * JPD that does not answer makes every connection with it NOT_AVAILABLE, even an idle one.
 */
export async function askRemotes(
  jpd: JpdHost,
  queries: readonly Query[],
): Promise<Map<string, RemoteAnswer>> {
  const byBase = new Map<string, Query[]>();
  for (const q of queries) {
    const base = parseMemberUrl(q.remoteUrl).baseUrl;
    const list = byBase.get(base);
    if (list === undefined) byBase.set(base, [q]);
    else list.push(q);
  }
  const answers = new Map<string, RemoteAnswer>();
  await Promise.all(
    [...byBase].map(async ([base, list]) => {
      let states: readonly unknown[] | undefined;
      try {
        const reply = await jpd.peer('POST', base, `${PEER_PREFIX}/connection-states`, {
          queries: list.map((q) => ({
            repoKey: parseMemberUrl(q.remoteUrl).repoKey,
            target: q.selfUrl,
          })),
        });
        const raw = isRecord(reply) ? reply['states'] : undefined;
        states = arrayOf(raw) ?? [];
      } catch {
        states = undefined;
      }
      list.forEach((q, i) => {
        answers.set(
          `${q.remoteUrl}\n${q.selfUrl}`,
          states === undefined ? 'unreachable' : parseState(states[i]),
        );
      });
    }),
  );
  return answers;
}
