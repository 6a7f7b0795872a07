/**
 * After apply: every member of every repository apply touched must reach the state it should,
 * as the federation status endpoints report it on the source. Then the whole topology is planned
 * again through the same `computePlan`, and must come out empty.
 *
 * Expected states, per member M of a repository on source S (connectionStates on S lists each
 * directed connection; `localPlatformUrl` is the sending side):
 *   S -> M  HEALTHY (full sync finished; DISABLED when M is declared disabled)
 *   M -> S  Receiving_Only when M is a receiver, HEALTHY when bidirectional (DISABLED if disabled)
 */
import { normalizeMemberUrl } from '../core/live.js';
import type { RepoSpec, Topology } from '../core/topology.js';
import type { ArtifactoryClient, MemberConnection } from './artifactory/types.js';
import { FedctlError } from '../core/errors.js';

export interface MemberCheck {
  readonly member: string;
  readonly direction: 'send' | 'receive';
  readonly expected: string;
  /** What the source reported last; undefined when the connection was not listed yet. */
  readonly actual?: string;
}

export interface RepoVerification {
  readonly jpd: string;
  readonly repoKey: string;
  readonly converged: boolean;
  readonly checks: readonly MemberCheck[];
  /** Set when the status endpoint itself failed on the last poll. */
  readonly error?: string;
}

export interface VerifyOptions {
  readonly timeoutMs: number;
  /** First poll interval; doubles up to maxIntervalMs. */
  readonly intervalMs?: number;
  readonly maxIntervalMs?: number;
  readonly onPoll?: (pending: readonly RepoVerification[], elapsedMs: number) => void;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Polls the source of each repository until all expected states hold, or time runs out. */
export async function verifyConnections(
  topology: Topology,
  repos: readonly { jpd: string; repoKey: string }[],
  client: (jpd: string) => ArtifactoryClient,
  options: VerifyOptions,
): Promise<RepoVerification[]> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  const specs = repos.flatMap((r) => {
    const spec = topology.repos.find((x) => x.source === r.jpd && x.key === r.repoKey);
    return spec === undefined ? [] : [spec];
  });
  const results = new Map<string, RepoVerification>();
  let interval = options.intervalMs ?? 250;
  for (;;) {
    const pending = specs.filter((s) => results.get(id(s))?.converged !== true);
    const checked = await Promise.all(pending.map((s) => checkRepo(topology, s, client(s.source))));
    for (const r of checked) results.set(`${r.jpd}/${r.repoKey}`, r);
    const stillPending = checked.filter((r) => !r.converged);
    const elapsed = now() - started;
    options.onPoll?.(stillPending, elapsed);
    if (stillPending.length === 0 || elapsed >= options.timeoutMs) break;
    await sleep(Math.min(interval, Math.max(0, options.timeoutMs - elapsed)));
    interval = Math.min(interval * 2, options.maxIntervalMs ?? 5_000);
  }
  return specs.map((s) => results.get(id(s))).filter((r): r is RepoVerification => r !== undefined);
}

function id(spec: RepoSpec): string {
  return `${spec.source}/${spec.key}`;
}

async function checkRepo(
  topology: Topology,
  spec: RepoSpec,
  source: ArtifactoryClient,
): Promise<RepoVerification> {
  const base = { jpd: spec.source, repoKey: spec.key };
  let connections: MemberConnection[];
  try {
    connections = await source.connectionStates(spec.key);
  } catch (error) {
    // A JPD that is briefly unreachable is polled again; only a bug is thrown.
    if (!(error instanceof FedctlError)) throw error;
    return { ...base, converged: false, checks: [], error: error.message };
  }
  const platform = (jpd: string): string => {
    const url = topology.jpds.find((j) => j.name === jpd)?.url ?? jpd;
    return normalizeMemberUrl(`${url}/artifactory`);
  };
  const find = (from: string, to: string): MemberConnection | undefined =>
    connections.find(
      (c) =>
        normalizeMemberUrl(c.localPlatformUrl) === platform(from) &&
        normalizeMemberUrl(c.remotePlatformUrl) === platform(to),
    );
  const checks: MemberCheck[] = [];
  for (const m of spec.members) {
    const send = find(spec.source, m.jpd);
    const receive = find(m.jpd, spec.source);
    const disabled = !m.enabled;
    checks.push({
      member: m.jpd,
      direction: 'send',
      expected: disabled ? 'DISABLED' : 'HEALTHY',
      ...(send === undefined ? {} : { actual: send.status }),
    });
    checks.push({
      member: m.jpd,
      direction: 'receive',
      expected: disabled ? 'DISABLED' : m.mode === 'receiver' ? 'Receiving_Only' : 'HEALTHY',
      ...(receive === undefined ? {} : { actual: receive.status }),
    });
  }
  return { ...base, converged: checks.every((c) => c.actual === c.expected), checks };
}

/** `eu: HEALTHY / Receiving_Only` per member, for the per-repository report. */
export function describeVerification(r: RepoVerification): string {
  const members = [...new Set(r.checks.map((c) => c.member))].map((m) => {
    const send = r.checks.find((c) => c.member === m && c.direction === 'send');
    const receive = r.checks.find((c) => c.member === m && c.direction === 'receive');
    const show = (c: MemberCheck | undefined): string =>
      c === undefined
        ? '?'
        : c.actual === c.expected
          ? c.expected
          : `${c.actual ?? 'not listed'} (want ${c.expected})`;
    return `${m} ${show(send)}, back ${show(receive)}`;
  });
  const state = r.converged ? 'ok' : 'NOT CONVERGED';
  return `${r.jpd}/${r.repoKey}: ${state}${r.error === undefined ? '' : ` (${r.error})`}${members.length > 0 ? `: ${members.join('; ')}` : ''}`;
}
