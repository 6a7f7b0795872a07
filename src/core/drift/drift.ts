/**
 * The nightly check as data: one run's three findings, kept apart.
 *   - drift: a live value that differs from fedctl's last-applied record (someone changed a JPD);
 *   - pending: a topology value that is not applied yet (the file changed);
 *   - health: a managed connection that does not deliver (core/verify/federation-health.ts).
 * Pure: `computeDrift` takes the topology, the live state, the plan computed from them and the
 * status readings; every report (text, JSON, markdown, JUnit) is a function of its result.
 *
 * Drift and pending build on the planner, which marks each action's cause: `drift` when it undoes
 * an edit on a JPD, `topology` when the file changed. Record-vs-live differences that no action
 * carries are found here, by comparing each recorded member with the JPD:
 *   - live differs from the record and from the topology, and no action carries it: drift that
 *     apply does not undo;
 *   - live differs from the record but matches the topology: someone made by hand the change the
 *     topology asks for. Not a finding (nothing is wrong), listed as a stale record.
 * The record holds members only (mode, enabled), not descriptions: a description changed on a JPD
 * cannot be told from one changed in the file, and shows as pending.
 */
import type { RepoStates } from '../verify/federation-health.js';
import {
  judgeRepoHealth,
  liveSpec,
  type HealthThresholds,
  type RepoHealth,
} from '../verify/federation-health.js';
import {
  compareRecord,
  driftOf,
  pendingOf,
  type DriftFinding,
  type PendingFinding,
  type StaleRecord,
} from './findings.js';
import { unreadableByJpd, type UnreadableJpd } from './unreadable.js';
import { indexLive, type LiveIndex, type LiveState } from '../live/state.js';
import { globToRegExp } from '../plan/narrow.js';
import { actionRepository, type Action, type Plan, type Unmanaged } from '../plan/plan.js';
import { compareCodeUnits, type RepoSpec, type Topology } from '../topology/model.js';
import { scopeOf, type Scope } from '../plan/scope.js';

export type { DriftFinding, PendingFinding, StaleRecord } from './findings.js';
export type { UnreadableJpd } from './unreadable.js';

export const DRIFT_FORMAT_VERSION = 1;

export const FINDING_KINDS = ['drift', 'pending', 'health'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** One managed repository (on its source): its findings of each kind. */
export interface RepoReport {
  readonly jpd: string;
  readonly repoKey: string;
  /** The declared member JPDs (the source excluded), sorted. */
  readonly members: readonly string[];
  readonly drift: readonly DriftFinding[];
  readonly pending: readonly PendingFinding[];
  readonly health: RepoHealth;
}

export interface DriftSummary {
  readonly repositories: number;
  readonly drift: number;
  /** Pending changes (a pairing several repositories need counts once). */
  readonly pending: number;
  /** Repositories by health. */
  readonly healthy: number;
  readonly unhealthy: number;
  readonly unknown: number;
  readonly missing: number;
  /** JPDs that could not be read: each is a finding of its own, and the run exits 1. */
  readonly unreadable: number;
}

export interface DriftResult extends Scope {
  readonly formatVersion: typeof DRIFT_FORMAT_VERSION;
  /** The topology file as given. */
  readonly topology: string;
  /** The JPDs this run covers (all of the topology's, or the one `--jpd` names). */
  readonly jpds: readonly string[];
  /** When the JPDs were read (ISO 8601, UTC). */
  readonly readAt: string;
  readonly thresholds: HealthThresholds;
  /** The kinds that make the run fail (`--fail-on`). */
  readonly failOn: readonly FindingKind[];
  readonly summary: DriftSummary;
  /** JPDs that could not be read, one per JPD; their repositories are not in `repositories`. */
  readonly unreadable: readonly UnreadableJpd[];
  readonly repositories: readonly RepoReport[];
  readonly staleRecords: readonly StaleRecord[];
  /** Live repositories and members the topology does not manage (as the plan lists them). */
  readonly leftAlone: readonly Unmanaged[];
}

export interface DriftInput extends Scope {
  readonly file: string;
  readonly topology: Topology;
  readonly live: LiveState;
  /** The plan of this topology and live state, narrowed like the run (`--only`, `--jpd`). */
  readonly plan: Plan;
  /** Status readings of the repositories in scope, as io/verify/federation-states.ts returns them. */
  readonly states: readonly RepoStates[];
  readonly thresholds: HealthThresholds;
  readonly failOn: readonly FindingKind[];
  readonly readAt: string;
  /** JPDs that could not be read (their configurations, or their federation status). */
  readonly unreadable?: readonly UnreadableJpd[];
}

/** The managed repositories a run covers: `--only` on the source key, `--jpd` source or member. */
export function reposInScope(topology: Topology, scope: Scope): RepoSpec[] {
  const only = scope.only === undefined ? undefined : globToRegExp(scope.only);
  return topology.repos.filter(
    (r) =>
      (only === undefined || only.test(r.key)) &&
      (scope.jpd === undefined ||
        r.source === scope.jpd ||
        r.members.some((m) => m.jpd === scope.jpd)),
  );
}

/** The specs whose connections a run reads: each repository as it is live (see `liveSpec`). */
export function healthSpecs(topology: Topology, live: LiveState, scope: Scope): RepoSpec[] {
  return reposInScope(topology, scope).flatMap((r) => {
    const spec = liveSpec(topology, live, r, scope.jpd);
    return spec === undefined ? [] : [spec];
  });
}

/** What a reading covers, as drift and status both report it: file, JPDs, scope, time, limits. */
export function readingHeader(
  input: Pick<DriftInput, 'file' | 'topology' | 'readAt' | 'thresholds' | 'only' | 'jpd'>,
): Pick<DriftResult, 'topology' | 'jpds' | 'only' | 'jpd' | 'readAt' | 'thresholds'> {
  return {
    topology: input.file,
    jpds:
      input.jpd === undefined
        ? input.topology.jpds.map((j) => j.name).sort(compareCodeUnits)
        : [input.jpd],
    ...scopeOf(input),
    readAt: input.readAt,
    thresholds: input.thresholds,
  };
}

export function computeDrift(input: DriftInput): DriftResult {
  const { topology, live, plan } = input;
  const scope = scopeOf(input);
  const states = new Map(input.states.map((s) => [`${s.source}/${s.repoKey}`, s]));
  const byId = new Map(plan.actions.map((a) => [a.id, a]));
  const index = indexLive(live);
  const stale: StaleRecord[] = [];
  const unreadable = unreadableByJpd(input.unreadable ?? []);
  const repositories = readableRepos(reposInScope(topology, scope), live, unreadable).map(
    (spec): RepoReport => {
      const repoActions = plan.actions.filter((a) => {
        const of = actionRepository(a);
        return of !== undefined && of.jpd === spec.source && of.repoKey === spec.key;
      });
      const existing = live.jpds[spec.source]?.repos.find(
        (r) => r.key.toLowerCase() === spec.key.toLowerCase(),
      );
      const compared = compareRecord(topology, spec, existing, repoActions, input.jpd);
      stale.push(...compared.stale);
      const judged = liveSpec(topology, live, spec, input.jpd);
      return {
        jpd: spec.source,
        repoKey: spec.key,
        members: spec.members.map((m) => m.jpd),
        drift: [
          ...repoActions.filter((a) => a.cause === 'drift').map((a) => driftOf(a, existing)),
          ...compared.drift,
          ...unrepairedInconsistencies(spec, index, repoActions, input.jpd),
        ],
        pending: [...pendingOf(repoActions, byId), ...compared.pending],
        health: judgeRepoHealth(
          topology,
          judged ?? spec,
          judged === undefined ? undefined : states.get(`${spec.source}/${spec.key}`),
          input.thresholds,
        ),
      };
    },
  );
  repositories.sort(
    (a, b) => compareCodeUnits(a.jpd, b.jpd) || compareCodeUnits(a.repoKey, b.repoKey),
  );
  return {
    formatVersion: DRIFT_FORMAT_VERSION,
    ...readingHeader(input),
    failOn: FINDING_KINDS.filter((k) => input.failOn.includes(k)),
    summary: { ...summarizeDrift(repositories), unreadable: unreadable.length },
    unreadable,
    repositories,
    staleRecords: stale,
    leftAlone: plan.unmanaged,
  };
}

/**
 * Copies `inconsistentRepos` lists for which the plan has no configSync (they have members the
 * topology does not declare, core/plan/copies.ts): still drift, with no action to undo it.
 */
function unrepairedInconsistencies(
  spec: RepoSpec,
  index: LiveIndex,
  repoActions: readonly Action[],
  jpd: string | undefined,
): DriftFinding[] {
  const copies = [
    { jpd: spec.source, key: spec.key },
    ...spec.members.map((m) => ({ jpd: m.jpd, key: m.repoKey })),
  ];
  return copies.flatMap((c): DriftFinding[] => {
    if (jpd !== undefined && jpd !== spec.source && jpd !== c.jpd) return [];
    if (!index.inconsistent(c.jpd, c.key) || index.repo(c.jpd, c.key) === undefined) return [];
    const planned = repoActions.some(
      (a) =>
        a.type === 'sync-configuration' &&
        a.jpd === c.jpd &&
        a.repoKey.toLowerCase() === c.key.toLowerCase(),
    );
    if (planned) return [];
    return [
      {
        member: c.jpd,
        field: 'configuration',
        recorded: 'consistent',
        live: 'inconsistent',
        wanted: 'consistent',
        message: `${c.jpd}/${c.key}: its configuration differs from a member's (listed by inconsistentRepos); it has members the topology does not declare, so apply does not run configSync on it: run POST /artifactory/api/federation/configSync/${c.key} on ${c.jpd} once they are reachable`,
      },
    ];
  });
}

/**
 * The repositories a reading can speak for: not those whose source JPD could not be read (the
 * JPD's own finding stands for them; judging them from nothing would report them missing).
 */
export function readableRepos(
  repos: readonly RepoSpec[],
  live: LiveState,
  unreadable: readonly UnreadableJpd[],
): RepoSpec[] {
  const down = new Set(unreadable.map((u) => u.jpd));
  return repos.filter((r) => !(down.has(r.source) && live.jpds[r.source] === undefined));
}

function summarizeDrift(repositories: readonly RepoReport[]): Omit<DriftSummary, 'unreadable'> {
  const pendingIds = new Set<string>();
  let pendingOther = 0;
  for (const r of repositories) {
    for (const p of r.pending) {
      if (p.actionId === undefined) pendingOther += 1;
      else pendingIds.add(p.actionId);
    }
  }
  const health = (s: RepoHealth['status']): number =>
    repositories.filter((r) => r.health.status === s).length;
  return {
    repositories: repositories.length,
    drift: repositories.reduce((n, r) => n + r.drift.length, 0),
    pending: pendingIds.size + pendingOther,
    healthy: health('healthy'),
    unhealthy: health('unhealthy'),
    unknown: health('unknown'),
    missing: health('missing'),
  };
}

/** The kinds this result found, of those `failOn` selects. */
export function failingKinds(result: DriftResult): FindingKind[] {
  const found: Record<FindingKind, boolean> = {
    drift: result.summary.drift > 0,
    pending: result.summary.pending > 0,
    health: result.summary.unhealthy > 0,
  };
  return result.failOn.filter((k) => found[k]);
}

/** The kinds a repository's findings fall in, of those the run fails on. */
export function repoFailures(result: DriftResult, repo: RepoReport): FindingKind[] {
  const found: Record<FindingKind, boolean> = {
    drift: repo.drift.length > 0,
    pending: repo.pending.length > 0,
    health: repo.health.status === 'unhealthy',
  };
  return result.failOn.filter((k) => found[k]);
}
