/**
 * The plan: what fedctl will do to make the JPDs match the topology, as data. `computePlan` is
 * pure and deterministic: the same topology and live state give the same plan, byte for byte
 * once rendered. `verify` calls it again after apply; there is no second comparison routine.
 */
import { indexLive, normalizeMemberUrl, type LiveState } from '../live/state.js';
import { repositoryConflicts } from './conflicts.js';
import { planRepository, type RepoContext } from './repository.js';
import { trustState } from './trust.js';
import { undeclaredRepositories } from './undeclared.js';
import type { PlanScope } from './scope.js';
import {
  compareCodeUnits,
  findJpd,
  memberUrl,
  type MemberMode,
  type SourceRef,
  type Topology,
} from '../topology/model.js';

export const PLAN_FORMAT_VERSION = 1;

/** Why an action is in the plan: the topology file changed, or someone changed a JPD. */
export type Cause = 'topology' | 'drift';

/** A member as fedctl will write it. `jpd` is absent for members the topology does not know. */
export interface MemberTarget {
  readonly jpd?: string;
  readonly url: string;
  readonly mode: MemberMode;
  readonly enabled: boolean;
}

interface ActionBase {
  /** Stable, unique within the plan; `dependsOn` refers to it. */
  readonly id: string;
  readonly cause: Cause;
  readonly dependsOn: readonly string[];
}

export interface EstablishPairing extends ActionBase {
  readonly type: 'establish-pairing';
  readonly source: string;
  readonly target: string;
  readonly receivingOnly: boolean;
}

export interface CreateRepository extends ActionBase {
  readonly type: 'create-repository';
  /** The source JPD, where the repository is created; members get it by federation. */
  readonly jpd: string;
  readonly repoKey: string;
  readonly packageType: string;
  readonly description?: string;
  /** Every member including the source itself, sorted by URL. */
  readonly members: readonly MemberTarget[];
}

interface MemberAction extends ActionBase {
  readonly jpd: string;
  readonly repoKey: string;
  readonly member: MemberTarget;
}

export interface AddMember extends MemberAction {
  readonly type: 'add-member';
}
export interface SetMemberMode extends MemberAction {
  readonly type: 'set-member-mode';
  readonly from: MemberMode;
}
export interface EnableMember extends MemberAction {
  readonly type: 'enable-member';
}
/** `enabled: false` on a member that is enabled live: its federation traffic is held. */
export interface DisableMember extends MemberAction {
  readonly type: 'disable-member';
}
export interface RemoveMember extends MemberAction {
  readonly type: 'remove-member';
}

export interface UpdateRepository extends ActionBase {
  readonly type: 'update-repository';
  readonly jpd: string;
  readonly repoKey: string;
  /** Absent when the description stays as it is. */
  readonly description?: { readonly from: string; readonly to: string };
  /** `protect` as recorded on the repository and as the topology wants it; absent when equal. */
  readonly protect?: { readonly from: boolean; readonly to: boolean };
}

/**
 * A repository that already matches the topology but carries no fedctl record: apply writes the
 * record (its `notes`) and nothing else, so no member is rewritten.
 */
export interface Adopt extends ActionBase {
  readonly type: 'adopt';
  readonly jpd: string;
  readonly repoKey: string;
  /** The live members the topology declares, the source included: what the record will name. */
  readonly members: readonly MemberTarget[];
}

/**
 * A local repository on the source that the topology opts in to convert (`convert: local`):
 * `POST /api/federation/migrate/{key}` keeps its artifacts; its members are added after it.
 */
export interface ConvertToFederated extends ActionBase {
  readonly type: 'convert-to-federated';
  readonly jpd: string;
  readonly repoKey: string;
  readonly packageType: string;
}

export interface DeleteRepository extends ActionBase {
  readonly type: 'delete-repository';
  readonly jpd: string;
  readonly repoKey: string;
}

/**
 * A repository in the topology's `removed:` list that still carries fedctl's record: apply drops
 * the record (its line in `notes`) and nothing else, so fedctl stops managing it (Terraform's
 * `removed` block). Members, artifacts and the user's own notes stay.
 */
export interface ForgetRepository extends ActionBase {
  readonly type: 'forget-repository';
  readonly jpd: string;
  readonly repoKey: string;
}

export type Action =
  | EstablishPairing
  | ConvertToFederated
  | CreateRepository
  | AddMember
  | SetMemberMode
  | EnableMember
  | DisableMember
  | UpdateRepository
  | Adopt
  | RemoveMember
  | DeleteRepository
  | ForgetRepository;

export type ActionType = Action['type'];

/** Every action type, in the order the plan lists them. */
export const ACTION_TYPES = [
  'establish-pairing',
  'convert-to-federated',
  'create-repository',
  'add-member',
  'set-member-mode',
  'enable-member',
  'disable-member',
  'update-repository',
  'adopt',
  'remove-member',
  'delete-repository',
  'forget-repository',
] as const satisfies readonly ActionType[];

/** A repository the plan writes, with its member list before and after, for display and apply. */
export interface RepoChange {
  readonly jpd: string;
  readonly repoKey: string;
  /** undefined when the repository does not exist yet. */
  readonly before?: readonly MemberTarget[];
  readonly after: readonly MemberTarget[];
}

/** Something live that the topology does not declare: reported, never changed. */
export interface Unmanaged {
  readonly jpd: string;
  readonly repoKey: string;
  /** For a member: its URL. */
  readonly memberUrl?: string;
  readonly reason: string;
  /**
   * fedctl manages it (its record says so) and the topology no longer declares it: kept, because
   * the plan runs without --allow-delete. A difference between the file and the JPDs: a reviewer
   * must see it, and `plan --detailed-exitcode` exits 2 for it.
   */
  readonly removedFromTopology?: true;
}

/** Something that makes the topology impossible to apply as it stands. */
export interface Conflict {
  readonly jpd: string;
  readonly repoKey: string;
  readonly at: SourceRef;
  readonly message: string;
}

export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly actions: readonly Action[];
  readonly changes: readonly RepoChange[];
  readonly unmanaged: readonly Unmanaged[];
  readonly conflicts: readonly Conflict[];
  /** Present when --only or --jpd narrowed the plan: how much of the topology it covers. */
  readonly scope?: PlanScope;
}

export interface PlanOptions {
  /** Plan removal of members and repositories that fedctl manages and the topology dropped. */
  readonly allowDelete: boolean;
}

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
 * 100k items (issue 16: a repository with 100,001 live members); a loop has no such limit.
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
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
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
