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
  judgeCheck,
  type ConnectionHealth,
  type HealthThresholds,
  type HealthVerdict,
} from './health-check.js';
import {
  checkConnections,
  type ConnectionReport,
  type StateListEntry,
} from './connection-check.js';
import {
  checkLegacyMirrors,
  mirrorOf,
  type LegacyMirror,
  type LegacyStateEntry,
} from './legacy.js';
import { normalizeMemberUrl, type LiveState } from '../live/state.js';
import { memberUrl, findJpd, type RepoSpec, type Topology } from '../topology/model.js';

export {
  DEFAULT_MAX_LAG_MS,
  DEFAULT_MAX_QUEUED,
  describeLoad,
  formatDuration,
  type ConnectionHealth,
  type HealthThresholds,
  type HealthVerdict,
} from './health-check.js';

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
    }
  | {
      /** The legacy engine's federation/state showed it healthy; nothing else was read. */
      readonly kind: 'legacy-state';
      readonly source: string;
      readonly repoKey: string;
      readonly entry: LegacyStateEntry;
      /** The lag of each mirror (`mirrorsLag`), when the reading wanted numbers. */
      readonly lags?: readonly LegacyMirror[];
    }
  | {
      /** The legacy engine's status/repo (v2, else v1), with the repository's federation/state. */
      readonly kind: 'legacy-repo';
      readonly source: string;
      readonly repoKey: string;
      readonly state?: string;
      readonly mirrors: readonly LegacyMirror[];
      readonly why?: string;
    };

/** missing: the repository does not exist on its source yet, so it has no connection to read. */
export type RepoHealthStatus = 'healthy' | 'unhealthy' | 'unknown' | 'missing';

export interface RepoHealth {
  readonly source: string;
  readonly repoKey: string;
  readonly status: RepoHealthStatus;
  readonly readFrom: 'stateList' | 'connectionStates' | 'federationState' | 'repoStatus' | 'none';
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
    case 'legacy-state':
      return judgeLegacyStateHealth(topology, spec, states, thresholds);
    case 'legacy-repo': {
      const checked = checkLegacyMirrors(topology, spec, states.state, states.mirrors, {
        now: 0,
        graceMs: 0,
        notAvailableSince: new Map(),
      });
      return summarize(
        spec,
        'repoStatus',
        checked.checks.map((c) => judgeCheck(spec.source, c, thresholds)),
      );
    }
  }
}

/** federation/state showed it SYNCING (or DISABLED) with every member; mirrorsLag adds numbers. */
function judgeLegacyStateHealth(
  topology: Topology,
  spec: RepoSpec,
  states: Extract<RepoStates, { kind: 'legacy-state' }>,
  thresholds: HealthThresholds,
): RepoHealth {
  const connections = spec.members.map((m): ConnectionHealth => {
    const lag = states.lags === undefined ? undefined : mirrorOf(topology, m, states.lags);
    return judgeCheck(
      spec.source,
      {
        member: m.jpd,
        direction: 'send',
        expected: m.enabled ? 'SYNCING' : 'DISABLED',
        actual: states.entry.status,
        // mirrorsLag has no queue count: only the lag is judged.
        ...(lag === undefined ? {} : { lagInMs: lag.lagInMs }),
        verdict: 'converged',
      },
      thresholds,
    );
  });
  return summarize(spec, 'federationState', connections);
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
  return summarize(spec, 'connectionStates', judged);
}

/** A repository's health from its judged connections: the first unhealthy, else unknown, one. */
function summarize(
  spec: RepoSpec,
  readFrom: RepoHealth['readFrom'],
  judged: readonly ConnectionHealth[],
): RepoHealth {
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
    readFrom,
    ...(reason === undefined ? {} : { reason }),
    connections: judged,
  };
}
