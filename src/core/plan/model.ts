/**
 * The plan as data: the actions fedctl will take, the member lists before and after, what it
 * leaves alone and what blocks it. A leaf: the planner's parts, the renderers and the executor
 * all import these types, and this module imports nothing of theirs.
 */
import type { MemberMode, SourceRef } from '../topology/model.js';

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
  /** The source's project and environments, sent with the create (the copies: `set-project`). */
  readonly project?: string;
  readonly environments?: readonly string[];
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

/** A managed repository, named by its source: what a copy's action belongs to. */
export interface RepoRef {
  readonly jpd: string;
  readonly repoKey: string;
}

/**
 * One copy's project and environments (`projectKey`, `environments`): settings specific to a
 * JPD, which federation does not carry to the copies it creates, so each copy (the source's
 * included) is set on its own JPD. Only what the topology declares is written: nothing here
 * ever removes a project.
 */
export interface SetProject extends ActionBase {
  readonly type: 'set-project';
  /** The JPD of the copy, and its key there. */
  readonly jpd: string;
  readonly repoKey: string;
  readonly of: RepoRef;
  /** Absent when it stays as it is; `from` absent when the copy has no project. */
  readonly project?: { readonly from?: string; readonly to: string };
  readonly environments?: { readonly from: readonly string[]; readonly to: readonly string[] };
  /** The copy does not exist yet: this apply's create or added member makes federation create it. */
  readonly awaitCopy?: true;
}

/**
 * A copy that the JPD's `inconsistentRepos` lists (its configuration differs from a member's):
 * `POST /api/federation/configSync/{key}` there pushes it to every member again.
 */
export interface SyncConfiguration extends ActionBase {
  readonly type: 'sync-configuration';
  readonly jpd: string;
  readonly repoKey: string;
  readonly of: RepoRef;
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
  | ForgetRepository
  | SetProject
  | SyncConfiguration;

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
  'set-project',
  'sync-configuration',
] as const satisfies readonly ActionType[];

/** The managed repository an action belongs to (a copy's action: its source's); none for a pairing. */
export function actionRepository(a: Action): RepoRef | undefined {
  if (a.type === 'establish-pairing') return undefined;
  if (a.type === 'set-project' || a.type === 'sync-configuration') return a.of;
  return { jpd: a.jpd, repoKey: a.repoKey };
}

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

/**
 * What `--only GLOB` and `--jpd NAME` leave in view; both absent: the whole topology. One value
 * from the command line to the reports: build it with `scopeOf` (./scope.ts).
 */
export interface Scope {
  /** Glob over repository keys: `*` any run of characters, `?` one character. */
  readonly only?: string;
  readonly jpd?: string;
}

/** The scope as the planner's narrowing names it. */
export type NarrowOptions = Scope;

/** How much of the topology a narrowed plan covers. */
export interface PlanScope extends Scope {
  /** Declared repositories the scope covers. */
  readonly repositories: number;
  /** Declared repositories in the topology. */
  readonly total: number;
}

export interface PlanOptions {
  /** Plan removal of members and repositories that fedctl manages and the topology dropped. */
  readonly allowDelete: boolean;
}
