/**
 * The plan: what fedctl will do to make the JPDs match the topology, as data. `computePlan` is
 * pure and deterministic: the same topology and live state give the same plan, byte for byte
 * once rendered. `verify` calls it again after apply; there is no second comparison routine.
 */
import { indexLive, normalizeMemberUrl, type LiveState } from '../live/state.js';
import { repositoryConflicts } from './conflicts.js';
import { copyActions } from './copies.js';
import { planRepository, type RepoContext } from './repository.js';
import { trustState } from './trust.js';
import { compareCodeUnits, findJpd, memberUrl, type Topology } from '../topology/model.js';
import { undeclaredRepositories } from './undeclared.js';
import {
  ACTION_TYPES,
  PLAN_FORMAT_VERSION,
  type Action,
  type ActionType,
  type Conflict,
  type Plan,
  type PlanOptions,
  type RepoChange,
  type Unmanaged,
} from './model.js';
import { InternalError } from '../errors.js';

// The plan's types live in the leaf ./model.js; they are re-exported here, where callers look.
export * from './model.js';

/** Position of each type in ACTION_TYPES: the order the plan lists a repository's actions in. */
const PHASE: ReadonlyMap<ActionType, number> = new Map(ACTION_TYPES.map((t, i) => [t, i]));

/**
 * Data first, then actions: the live state is indexed and the trust pairings worked out before
 * any repository is planned; each repository yields its own actions; the pairings those actions
 * depend on are emitted last, from the dependencies themselves.
 */
export function computePlan(topology: Topology, live: LiveState, options: PlanOptions): Plan {
  const index = indexLive(live);
  const ctx: RepoContext = {
    index,
    trust: trustState(topology, live),
    urlOf: (jpd, key) => {
      const spec = findJpd(topology, jpd);
      return spec === undefined ? key : memberUrl(spec.url, key);
    },
  };
  const actions: Action[] = [];
  const changes: RepoChange[] = [];
  const unmanaged: Unmanaged[] = [];
  const conflicts: Conflict[] = [];
  for (const repo of topology.repos) {
    const existing = index.repo(repo.source, repo.key);
    const blocked = repositoryConflicts(repo, existing, index, ctx.urlOf);
    append(conflicts, blocked);
    if (blocked.length > 0) continue;
    const planned = planRepository(repo, existing, ctx, options);
    append(actions, planned.actions);
    append(actions, copyActions(repo, ctx, planned.actions));
    append(unmanaged, planned.unmanaged);
    if (planned.change !== undefined) changes.push(planned.change);
  }
  const orphans = undeclaredRepositories(topology, live, options);
  const pairings = ctx.trust.actionsFor(actions.flatMap((a) => a.dependsOn));
  append(actions, orphans.actions);
  append(actions, pairings);
  append(unmanaged, orphans.unmanaged);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    actions: actions.sort(byPhase),
    changes: changes.sort(
      (a, b) => compareCodeUnits(a.jpd, b.jpd) || compareCodeUnits(a.repoKey, b.repoKey),
    ),
    unmanaged: unmanaged.sort(
      (a, b) =>
        compareCodeUnits(a.jpd, b.jpd) ||
        compareCodeUnits(a.repoKey, b.repoKey) ||
        compareCodeUnits(a.memberUrl ?? '', b.memberUrl ?? ''),
    ),
    conflicts: conflicts.sort(
      (a, b) =>
        a.at.line - b.at.line ||
        a.at.col - b.at.col ||
        compareCodeUnits(a.jpd, b.jpd) ||
        compareCodeUnits(a.repoKey, b.repoKey) ||
        compareCodeUnits(a.message, b.message),
    ),
  };
}

/**
 * `target.push(...items)` passes every item as an argument and overflows the stack somewhere past
 * 100k items (a repository with 100,001 live members); a loop has no such limit.
 */
export function append<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}

function actionJpd(a: Action): string {
  return a.type === 'establish-pairing' ? a.source : a.jpd;
}

function actionKey(a: Action): string {
  switch (a.type) {
    case 'establish-pairing':
      return a.target;
    case 'convert-to-federated':
    case 'create-repository':
    case 'update-repository':
    case 'adopt':
    case 'delete-repository':
    case 'forget-repository':
      return a.repoKey;
    case 'add-member':
    case 'set-member-mode':
    case 'enable-member':
    case 'disable-member':
    case 'remove-member':
      return `${a.repoKey}\u0000${normalizeMemberUrl(a.member.url)}`;
    case 'set-project':
    case 'sync-configuration':
      return a.repoKey;
    default:
      return assertNever(a);
  }
}

/** Pairings first (everything else may need them), then by JPD, repository, member, phase. */
function byPhase(a: Action, b: Action): number {
  const pairing = (x: Action): number => (x.type === 'establish-pairing' ? 0 : 1);
  return (
    pairing(a) - pairing(b) ||
    compareCodeUnits(actionJpd(a), actionJpd(b)) ||
    compareCodeUnits(actionKey(a), actionKey(b)) ||
    (PHASE.get(a.type) ?? 0) - (PHASE.get(b.type) ?? 0)
  );
}

export function assertNever(value: never): never {
  throw new InternalError(`unexpected value: ${JSON.stringify(value)}`);
}

/** Counts per action type, in a fixed order, plus the total. */
export function summarize(plan: Pick<Plan, 'actions'>): Record<ActionType | 'total', number> {
  // Spelled out so that a new action type fails to compile until it is counted.
  const counts: Record<ActionType | 'total', number> = {
    'establish-pairing': 0,
    'convert-to-federated': 0,
    'create-repository': 0,
    'add-member': 0,
    'set-member-mode': 0,
    'enable-member': 0,
    'disable-member': 0,
    'update-repository': 0,
    adopt: 0,
    'remove-member': 0,
    'delete-repository': 0,
    'forget-repository': 0,
    'set-project': 0,
    'sync-configuration': 0,
    total: 0,
  };
  for (const a of plan.actions) {
    counts[a.type] += 1;
    counts.total += 1;
  }
  return counts;
}

/** File and JPDs differ: something to apply, or a removal kept for want of --allow-delete. */
export function hasDifferences(plan: Pick<Plan, 'actions' | 'unmanaged'>): boolean {
  return plan.actions.length > 0 || plan.unmanaged.some((u) => u.removedFromTopology === true);
}
