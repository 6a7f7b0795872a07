/**
 * `fedctl status` as data: every member of every managed repository, with its mode, the state of
 * each direction (source -> member, member -> source), lag and queued events, and the health
 * judgement that `drift` uses (core/verify/federation-health.ts). Pure; rendered as a table or JSON, and
 * meant to be read by a status page too.
 */
import { readableRepos, readingHeader, reposInScope } from './drift.js';
import { unreadableByJpd, type UnreadableJpd } from './unreadable.js';
import {
  judgeRepoHealth,
  liveSpec,
  type ConnectionHealth,
  type HealthThresholds,
  type HealthVerdict,
  type RepoHealth,
  type RepoHealthStatus,
  type RepoStates,
} from '../verify/federation-health.js';
import type { LiveState } from '../live/state.js';
import { compareCodeUnits, type MemberMode, type Topology } from '../topology/model.js';
import { scopeOf, type Scope } from '../plan/scope.js';

export const STATUS_FORMAT_VERSION = 1;

/** One direction of a member's connection, as the source reported it; empty when not listed. */
export interface DirectionStatus {
  readonly state?: string;
  readonly lagInMs?: number;
  readonly queuedEvents?: number;
}

export interface MemberStatus {
  readonly member: string;
  /** The mode on the JPD (the declared one when the member is not on the JPD yet). */
  readonly mode: MemberMode;
  readonly declaredMode: MemberMode;
  readonly enabled: boolean;
  /** False when the source's copy does not list the member yet (a pending change). */
  readonly live: boolean;
  /** source -> member */
  readonly send: DirectionStatus;
  /** member -> source */
  readonly receive: DirectionStatus;
  /** `missing`: not a member on the JPD, so nothing to read. */
  readonly health: HealthVerdict | 'missing';
  readonly reasons: readonly string[];
}

export interface RepoStatus {
  readonly jpd: string;
  readonly repoKey: string;
  readonly health: RepoHealthStatus;
  /** Which endpoints decided it (core/verify/federation-health.ts `RepoHealth`). */
  readonly readFrom: RepoHealth['readFrom'];
  readonly reason?: string;
  readonly members: readonly MemberStatus[];
}

/** Read through the legacy engine, which reports the source's outbound mirrors only. */
export function legacy(repo: Pick<RepoStatus, 'readFrom'>): boolean {
  return repo.readFrom === 'federationState' || repo.readFrom === 'repoStatus';
}

export interface StatusResult extends Scope {
  readonly formatVersion: typeof STATUS_FORMAT_VERSION;
  readonly topology: string;
  readonly jpds: readonly string[];
  readonly readAt: string;
  readonly thresholds: HealthThresholds;
  readonly summary: {
    readonly repositories: number;
    readonly healthy: number;
    readonly unhealthy: number;
    readonly unknown: number;
    readonly missing: number;
    /** JPDs that could not be read; the run exits 1. */
    readonly unreadable: number;
  };
  /** JPDs that could not be read, one per JPD; their repositories are not in `repositories`. */
  readonly unreadable: readonly UnreadableJpd[];
  readonly repositories: readonly RepoStatus[];
}

export interface StatusInput extends Scope {
  readonly file: string;
  readonly topology: Topology;
  readonly live: LiveState;
  readonly states: readonly RepoStates[];
  readonly thresholds: HealthThresholds;
  readonly readAt: string;
  /** JPDs that could not be read (their configurations, or their federation status). */
  readonly unreadable?: readonly UnreadableJpd[];
}

export function computeStatus(input: StatusInput): StatusResult {
  const { topology, live } = input;
  const scope = scopeOf(input);
  const states = new Map(input.states.map((s) => [`${s.source}/${s.repoKey}`, s]));
  const unreadable = unreadableByJpd(input.unreadable ?? []);
  const inScope = readableRepos(reposInScope(topology, scope), live, unreadable);
  const repositories = inScope.map((spec): RepoStatus => {
    const current = liveSpec(topology, live, spec, input.jpd);
    const health = judgeRepoHealth(
      topology,
      current ?? spec,
      current === undefined ? undefined : states.get(`${spec.source}/${spec.key}`),
      input.thresholds,
    );
    const declared = spec.members.filter(
      (m) => input.jpd === undefined || input.jpd === spec.source || m.jpd === input.jpd,
    );
    const members = declared.map((m): MemberStatus => {
      const have = current?.members.find((c) => c.jpd === m.jpd);
      const mine = health.connections.filter((c) => c.member === m.jpd);
      return {
        member: m.jpd,
        mode: have?.mode ?? m.mode,
        declaredMode: m.mode,
        enabled: have?.enabled ?? m.enabled,
        live: have !== undefined,
        send: direction(mine, 'send'),
        receive: direction(mine, 'receive'),
        health: have === undefined ? 'missing' : memberVerdict(mine),
        reasons: mine.flatMap((c) => (c.reason === undefined ? [] : [c.reason])),
      };
    });
    return {
      jpd: spec.source,
      repoKey: spec.key,
      health: health.status,
      readFrom: health.readFrom,
      ...(health.reason === undefined ? {} : { reason: health.reason }),
      members,
    };
  });
  repositories.sort(
    (a, b) => compareCodeUnits(a.jpd, b.jpd) || compareCodeUnits(a.repoKey, b.repoKey),
  );
  const count = (s: RepoHealthStatus): number => repositories.filter((r) => r.health === s).length;
  return {
    formatVersion: STATUS_FORMAT_VERSION,
    ...readingHeader(input),
    summary: {
      repositories: repositories.length,
      healthy: count('healthy'),
      unhealthy: count('unhealthy'),
      unknown: count('unknown'),
      missing: count('missing'),
      unreadable: unreadable.length,
    },
    unreadable,
    repositories,
  };
}

function direction(
  connections: readonly ConnectionHealth[],
  want: 'send' | 'receive',
): DirectionStatus {
  // stateList's aggregate covers both directions at once.
  const c = connections.find((x) => x.direction === want || x.direction === 'both');
  if (c === undefined) return {};
  return {
    ...(c.state === undefined ? {} : { state: c.state }),
    ...(c.lagInMs === undefined ? {} : { lagInMs: c.lagInMs }),
    ...(c.queuedEvents === undefined ? {} : { queuedEvents: c.queuedEvents }),
  };
}

function memberVerdict(connections: readonly ConnectionHealth[]): HealthVerdict {
  if (connections.some((c) => c.verdict === 'unhealthy')) return 'unhealthy';
  if (connections.length === 0 || connections.some((c) => c.verdict === 'unknown')) {
    return 'unknown';
  }
  return 'healthy';
}
