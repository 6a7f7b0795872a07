/**
 * Federation health at rest, as plain data: whether every managed connection delivers, judged
 * from the status endpoints' readings with the tolerant rules of the verifier
 * (core/verify/connection-check.ts) plus two thresholds on lag and queued events. Pure; `drift` and
 * `status` (and a status page) read it.
 *
 * The verifier waits for a connection to settle; a nightly check has one look. So, per directed
 * connection:
 *   - ERROR and NOT_AVAILABLE are unhealthy at once (no grace period);
 *   - PENDING_FS, FULL_SYNC_RUNNING and DELAYED are judged by their numbers only;
 *   - a known state where the member's mode does not allow it (DISABLED on an enabled member, the
 *     receiving-only marker on a bidirectional one, an outbound connection the source does not
 *     list) is unhealthy;
 *   - N/A and states fedctl does not know are "unknown", shown verbatim;
 *   - any reading whose lag is over `maxLagMs` or whose queue is over `maxQueued` is unhealthy.
 * A JPD without the Federation Service (405) leaves its repositories "unknown", with the reason.
 */
import type { FedctlErrorCode } from '../errors.js';
import {
  checkConnections,
  isProgressState,
  type ConnectionReport,
  type MemberCheck,
  type StateListEntry,
} from './connection-check.js';
import { normalizeMemberUrl, type LiveState } from '../live/state.js';
import { memberUrl, findJpd, type RepoSpec, type Topology } from '../topology/model.js';
import { DEFAULTS } from '../cli/defaults.js';
import { parseDuration } from '../cli/option-values.js';

export interface HealthThresholds {
  /** A connection whose oldest undelivered event is older than this is unhealthy (ms). */
  readonly maxLagMs: number;
  /** A connection with more queued events than this is unhealthy. */
  readonly maxQueued: number;
}

export const DEFAULT_MAX_LAG_MS = parseDuration('max-lag', DEFAULTS['max-lag'], 's');
export const DEFAULT_MAX_QUEUED = Number(DEFAULTS['max-queued']);

/**
 * What the status endpoints said about one repository on its source (io/verify/federation-states.ts):
 * - `state-list`: the source's stateList showed every member healthy; nothing else was read;
 * - `connections`: its connectionStates (`why`: what made it worth the read);
 * - `unavailable`: no status to be had (405: no Federation Service; 404: not known to it);
 * - `error`: the read failed (the message names the JPD, method, path and status).
 */
export type RepoStates =
  | {
      readonly kind: 'state-list';
      readonly source: string;
      readonly repoKey: string;
      readonly entry: StateListEntry;
    }
  | {
      readonly kind: 'connections';
      readonly source: string;
      readonly repoKey: string;
      readonly connections: readonly ConnectionReport[];
      readonly why?: string;
    }
  | {
      readonly kind: 'unavailable';
      readonly source: string;
      readonly repoKey: string;
      readonly reason: string;
      /**
       * `no-service`: the JPD has no Federation Service (405). `no-status`: the service does not
       * know the repository (404), which a repository created a moment ago may briefly be.
       */
      readonly cause: 'no-service' | 'no-status';
    }
  | {
      readonly kind: 'error';
      readonly source: string;
      readonly repoKey: string;
      readonly error: string;
      /** The failure's code (docs/errors.md). */
      readonly code?: FedctlErrorCode;
    };

export type HealthVerdict = 'healthy' | 'unhealthy' | 'unknown';

/** One directed connection of a member, or both at once when stateList alone was read. */
export interface ConnectionHealth {
  readonly member: string;
  /** send: source -> member; receive: member -> source; both: stateList's aggregate of the two. */
  readonly direction: 'send' | 'receive' | 'both';
  readonly from: string;
  readonly to: string;
  /** The states accepted, for people. */
  readonly expected: string;
  /** As reported, verbatim; absent when the entry was not listed. */
  readonly state?: string;
  readonly lagInMs?: number;
  readonly queuedEvents?: number;
  readonly verdict: HealthVerdict;
  /** For unhealthy and unknown: one line with the state, lag and queued events. */
  readonly reason?: string;
}

/** missing: the repository does not exist on its source yet, so it has no connection to read. */
export type RepoHealthStatus = 'healthy' | 'unhealthy' | 'unknown' | 'missing';

export interface RepoHealth {
  readonly source: string;
  readonly repoKey: string;
  readonly status: RepoHealthStatus;
  readonly readFrom: 'stateList' | 'connectionStates' | 'none';
  /** For unhealthy: the first unhealthy connection; for unknown: why; for missing: that. */
  readonly reason?: string;
  readonly connections: readonly ConnectionHealth[];
}

/**
 * The repository as it is live, for judging its connections: the declared members that are
 * members on the source's copy, each with the mode and enabled flag the JPD has (a mode changed
 * on a JPD is drift, reported once, not again as health). `member` narrows to one member JPD
 * (`--jpd` naming a member). undefined when the source's copy does not exist.
 */
export function liveSpec(
  topology: Topology,
  live: LiveState,
  spec: RepoSpec,
  member?: string,
): RepoSpec | undefined {
  const repo = live.jpds[spec.source]?.repos.find(
    (r) => r.key.toLowerCase() === spec.key.toLowerCase(),
  );
  if (repo === undefined) return undefined;
  const byUrl = new Map(repo.members.map((m) => [normalizeMemberUrl(m.url), m]));
  const members = spec.members.flatMap((m) => {
    if (member !== undefined && member !== spec.source && m.jpd !== member) return [];
    const jpd = findJpd(topology, m.jpd);
    const have =
      jpd === undefined ? undefined : byUrl.get(normalizeMemberUrl(memberUrl(jpd.url, m.repoKey)));
    return have === undefined ? [] : [{ ...m, mode: have.mode, enabled: have.enabled }];
  });
  return { ...spec, members };
}

/** The health of one repository from what its source reported. */
export function judgeRepoHealth(
  topology: Topology,
  spec: RepoSpec,
  states: RepoStates | undefined,
  thresholds: HealthThresholds,
): RepoHealth {
  const base = { source: spec.source, repoKey: spec.key };
  if (states === undefined) {
    return {
      ...base,
      status: 'missing',
      readFrom: 'none',
      reason: 'not on its source yet',
      connections: [],
    };
  }
  switch (states.kind) {
    case 'state-list':
      return {
        ...base,
        status: 'healthy',
        readFrom: 'stateList',
        connections: spec.members.map((m) => {
          const listed = states.entry.memberInfoList.find(
            (i) =>
              i.repoKey.toLowerCase() === m.repoKey.toLowerCase() &&
              sameJpd(topology, m.jpd, i.url),
          );
          return {
            member: m.jpd,
            direction: 'both',
            from: spec.source,
            to: m.jpd,
            expected: m.enabled ? 'HEALTHY or Receiving_Only, not in lag' : 'DISABLED',
            ...(listed === undefined ? {} : { state: listed.aggregatedStatus }),
            verdict: 'healthy',
          };
        }),
      };
    case 'unavailable':
    case 'error':
      return {
        ...base,
        status: 'unknown',
        readFrom: 'none',
        reason: states.kind === 'error' ? states.error : states.reason,
        connections: [],
      };
    case 'connections':
      return judgeConnections(topology, spec, states.connections, thresholds);
  }
}

function sameJpd(topology: Topology, jpd: string, url: string): boolean {
  const platform = normalizeMemberUrl(`${findJpd(topology, jpd)?.url ?? jpd}/artifactory`);
  return normalizeMemberUrl(url).startsWith(platform);
}

function judgeConnections(
  topology: Topology,
  spec: RepoSpec,
  connections: readonly ConnectionReport[],
  thresholds: HealthThresholds,
): RepoHealth {
  // No grace and no history: one look, so NOT_AVAILABLE counts at once.
  const checked = checkConnections(topology, spec, connections, {
    now: 0,
    graceMs: 0,
    notAvailableSince: new Map(),
  });
  const judged = checked.checks.map((c) => judgeCheck(spec.source, c, thresholds));
  const first = (v: HealthVerdict): ConnectionHealth | undefined =>
    judged.find((c) => c.verdict === v);
  const unhealthy = first('unhealthy');
  const unknown = first('unknown');
  const status: RepoHealthStatus =
    unhealthy !== undefined ? 'unhealthy' : unknown !== undefined ? 'unknown' : 'healthy';
  const reason = (unhealthy ?? unknown)?.reason;
  return {
    source: spec.source,
    repoKey: spec.key,
    status,
    readFrom: 'connectionStates',
    ...(reason === undefined ? {} : { reason }),
    connections: judged,
  };
}

function judgeCheck(source: string, c: MemberCheck, t: HealthThresholds): ConnectionHealth {
  const [from, to] = c.direction === 'send' ? [source, c.member] : [c.member, source];
  const reading = {
    member: c.member,
    direction: c.direction,
    from,
    to,
    expected: c.expected,
    ...(c.actual === undefined ? {} : { state: c.actual }),
    ...(c.lagInMs === undefined ? {} : { lagInMs: c.lagInMs }),
    ...(c.queuedEvents === undefined ? {} : { queuedEvents: c.queuedEvents }),
  };
  const who = `member ${c.member} (${from} -> ${to})`;
  const load =
    c.actual === undefined ? '' : `, ${describeLoad(c.lagInMs ?? 0, c.queuedEvents ?? 0)}`;
  const over = overThresholds(c, t);
  if (over !== undefined) {
    return {
      ...reading,
      verdict: 'unhealthy',
      reason: `${who} is ${c.actual ?? 'not listed'}${load}: ${over}`,
    };
  }
  switch (c.verdict) {
    case 'converged':
      return { ...reading, verdict: 'healthy' };
    case 'failed':
      return {
        ...reading,
        verdict: 'unhealthy',
        reason: `${who} is ${c.actual ?? 'not listed'}${load}`,
      };
    case 'unverifiable':
      return {
        ...reading,
        verdict: 'unknown',
        reason: `${who} reports ${c.actual ?? 'N/A'}: no federation status for this connection`,
      };
    case 'unknown':
      return {
        ...reading,
        verdict: 'unknown',
        reason: `${who} reports ${c.actual ?? ''}, a state fedctl does not know${load}`,
      };
    case 'pending':
      if (c.actual !== undefined && isProgressState(c.actual))
        return { ...reading, verdict: 'healthy' };
      return {
        ...reading,
        verdict: 'unhealthy',
        reason: `${who} is ${c.actual ?? 'not listed'}${load}; want ${c.expected}`,
      };
  }
}

function overThresholds(c: MemberCheck, t: HealthThresholds): string | undefined {
  const over: string[] = [];
  if (c.lagInMs !== undefined && c.lagInMs > t.maxLagMs) {
    over.push(`lag over --max-lag ${formatDuration(t.maxLagMs)}`);
  }
  if (c.queuedEvents !== undefined && c.queuedEvents > t.maxQueued) {
    over.push(`queue over --max-queued ${t.maxQueued}`);
  }
  return over.length === 0 ? undefined : over.join(', ');
}

/** `lag 1m30s, 7 queued events` */
export function describeLoad(lagInMs: number, queuedEvents: number): string {
  return `lag ${formatDuration(lagInMs)}, ${queuedEvents} queued ${queuedEvents === 1 ? 'event' : 'events'}`;
}

/** `0s`, `850ms`, `42s`, `1m30s`, `2h05m`: short and exact enough for a lag. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 === 0 ? '' : `${String(s % 60).padStart(2, '0')}s`}`;
  const h = Math.floor(m / 60);
  return `${h}h${m % 60 === 0 ? '' : `${String(m % 60).padStart(2, '0')}m`}`;
}
