/**
 * The plan: what fedctl will do to make the JPDs match the topology, as data. `computePlan` is
 * pure and deterministic: the same topology and live state give the same plan, byte for byte
 * once rendered. `verify` calls it again after apply; there is no second comparison routine.
 */
import {
  indexLive,
  normalizeMemberUrl,
  type LiveIndex,
  type LiveJpd,
  type LiveRepo,
  type LiveState,
} from './live.js';
import {
  compareCodeUnits,
  findJpd,
  memberUrl,
  type MemberMode,
  type RepoSpec,
  type SourceRef,
  type Topology,
} from './topology.js';

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
export interface RemoveMember extends MemberAction {
  readonly type: 'remove-member';
}

export interface UpdateRepository extends ActionBase {
  readonly type: 'update-repository';
  readonly jpd: string;
  readonly repoKey: string;
  readonly description: { readonly from: string; readonly to: string };
}

export interface DeleteRepository extends ActionBase {
  readonly type: 'delete-repository';
  readonly jpd: string;
  readonly repoKey: string;
}

export type Action =
  | EstablishPairing
  | CreateRepository
  | AddMember
  | SetMemberMode
  | EnableMember
  | UpdateRepository
  | RemoveMember
  | DeleteRepository;

export type ActionType = Action['type'];

/** Every action type, in the order the plan lists them. */
export const ACTION_TYPES = [
  'establish-pairing',
  'create-repository',
  'add-member',
  'set-member-mode',
  'enable-member',
  'update-repository',
  'remove-member',
  'delete-repository',
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
}

export interface PlanOptions {
  /** Plan removal of members and repositories that fedctl manages and the topology dropped. */
  readonly allowDelete: boolean;
}

/** Position of each type in ACTION_TYPES: the order the plan lists a repository's actions in. */
const PHASE: ReadonlyMap<ActionType, number> = new Map(ACTION_TYPES.map((t, i) => [t, i]));

export function computePlan(topology: Topology, live: LiveState, options: PlanOptions): Plan {
  const actions: Action[] = [];
  const changes: RepoChange[] = [];
  const unmanaged: Unmanaged[] = [];
  const conflicts: Conflict[] = [];
  const pairingIds = new Map<string, string>();

  const liveJpd = (name: string): LiveJpd => live.jpds[name] ?? { name, repos: [], otherRepos: [] };
  const index = indexLive(live);
  const trusted = new Map<string, boolean>();
  const urlOf = (jpd: string, key: string): string => {
    const spec = findJpd(topology, jpd);
    return spec === undefined ? key : memberUrl(spec.url, key);
  };

  /** A pairing is needed before the first federation between two JPDs; after that it exists. */
  const pairingFor = (source: string, target: string): string[] => {
    const spec = topology.pairings.find((p) => p.source === source && p.target === target);
    if (spec === undefined) return [];
    const id = `pairing:${source}->${target}`;
    if (!pairingIds.has(id)) {
      let proven = trusted.get(id);
      if (proven === undefined) {
        proven = federated(live, topology, source, target);
        trusted.set(id, proven);
      }
      if (proven) return [];
      pairingIds.set(id, id);
      actions.push({
        type: 'establish-pairing',
        id,
        cause: 'topology',
        dependsOn: [],
        source,
        target,
        receivingOnly: spec.receivingOnly,
      });
    }
    return [id];
  };

  // Which (JPD, key) slots the topology manages, to tell unmanaged repositories apart.
  const managedSlots = new Set<string>();
  const slot = (jpd: string, key: string): string => `${jpd}\u0000${key.toLowerCase()}`;
  for (const repo of topology.repos) {
    managedSlots.add(slot(repo.source, repo.key));
    for (const m of repo.members) managedSlots.add(slot(m.jpd, m.repoKey));
  }

  for (const repo of topology.repos) {
    const sourceUrl = urlOf(repo.source, repo.key);
    const desired: MemberTarget[] = [
      // The source must send, so it is always bidirectional.
      { jpd: repo.source, url: sourceUrl, mode: 'bidirectional' as const, enabled: true },
      ...repo.members.map((m): MemberTarget => ({
        jpd: m.jpd,
        url: urlOf(m.jpd, m.repoKey),
        mode: m.mode,
        enabled: m.enabled,
      })),
    ].sort(byUrl);
    const existing = index.repo(repo.source, repo.key);
    const blocked = checkConflicts(repo, existing, index, urlOf);
    conflicts.push(...blocked);
    if (blocked.length > 0) continue;

    const repoId = `${repo.source}/${repo.key}`;

    if (existing === undefined) {
      const dependsOn = repo.members.flatMap((m) => pairingFor(repo.source, m.jpd));
      actions.push({
        type: 'create-repository',
        id: `create:${repoId}`,
        // A member copy still names this source repository as fedctl's: it was deleted on the source.
        cause: index.recordedSources.has(normalizeMemberUrl(sourceUrl)) ? 'drift' : 'topology',
        dependsOn,
        jpd: repo.source,
        repoKey: repo.key,
        packageType: repo.packageType,
        ...(repo.description === undefined ? {} : { description: repo.description }),
        members: desired,
      });
      changes.push({ jpd: repo.source, repoKey: repo.key, after: desired });
      continue;
    }

    const liveByUrl = new Map(existing.members.map((m) => [normalizeMemberUrl(m.url), m]));
    const recorded = existing.lastApplied?.members ?? {};
    const repoActions: Action[] = [];
    for (const want of desired) {
      const url = normalizeMemberUrl(want.url);
      const have = liveByUrl.get(url);
      const before = recorded[url];
      const base = { jpd: repo.source, repoKey: repo.key, member: want };
      if (have === undefined) {
        repoActions.push({
          ...base,
          type: 'add-member',
          id: `add:${repoId}:${want.jpd ?? url}`,
          // Recorded as applied but gone from the JPD: someone removed it.
          cause: before === undefined ? 'topology' : 'drift',
          dependsOn: want.jpd === undefined ? [] : pairingFor(repo.source, want.jpd),
        });
        continue;
      }
      if (have.mode !== want.mode) {
        repoActions.push({
          ...base,
          type: 'set-member-mode',
          id: `mode:${repoId}:${want.jpd ?? url}`,
          cause: before?.mode === want.mode ? 'drift' : 'topology',
          dependsOn: [],
          from: have.mode,
        });
      }
      if (want.enabled && !have.enabled) {
        repoActions.push({
          ...base,
          type: 'enable-member',
          id: `enable:${repoId}:${want.jpd ?? url}`,
          cause: before?.enabled === true ? 'drift' : 'topology',
          dependsOn: [],
        });
      }
    }

    // Live members the topology does not declare.
    const desiredUrls = new Set(desired.map((m) => normalizeMemberUrl(m.url)));
    const kept: MemberTarget[] = [];
    for (const have of [...existing.members].sort(byUrl)) {
      const url = normalizeMemberUrl(have.url);
      if (desiredUrls.has(url)) continue;
      const target = { url: have.url, mode: have.mode, enabled: have.enabled };
      if (recorded[url] !== undefined) {
        // fedctl added it once and the topology no longer declares it.
        if (options.allowDelete) {
          repoActions.push({
            type: 'remove-member',
            id: `remove:${repoId}:${url}`,
            cause: 'topology',
            dependsOn: [],
            jpd: repo.source,
            repoKey: repo.key,
            member: target,
          });
          continue;
        }
        unmanaged.push({
          jpd: repo.source,
          repoKey: repo.key,
          memberUrl: have.url,
          reason: 'no longer in the topology; kept (run with --allow-delete to remove it)',
        });
      } else {
        unmanaged.push({
          jpd: repo.source,
          repoKey: repo.key,
          memberUrl: have.url,
          reason: 'member not declared in the topology; left alone',
        });
      }
      kept.push(target);
    }

    const wantDescription = repo.description;
    if (wantDescription !== undefined && (existing.description ?? '') !== wantDescription) {
      repoActions.push({
        type: 'update-repository',
        id: `update:${repoId}`,
        cause: 'topology',
        dependsOn: [],
        jpd: repo.source,
        repoKey: repo.key,
        description: { from: existing.description ?? '', to: wantDescription },
      });
    }

    if (repoActions.length > 0) {
      actions.push(...repoActions);
      const before = existing.members.map((m) => ({
        url: m.url,
        mode: m.mode,
        enabled: m.enabled,
      }));
      changes.push({
        jpd: repo.source,
        repoKey: repo.key,
        before: labelMembers(before, desired).sort(byUrl),
        after: [...desired, ...kept].sort(byUrl),
      });
    }
  }

  // Federated repositories on these JPDs that the topology does not mention.
  for (const jpd of topology.jpds) {
    for (const repo of liveJpd(jpd.name).repos) {
      if (managedSlots.has(slot(jpd.name, repo.key))) continue;
      const ownSource =
        repo.lastApplied?.source !== undefined &&
        repo.lastApplied.source === normalizeMemberUrl(memberUrl(jpd.url, repo.key));
      if (ownSource && options.allowDelete) {
        actions.push({
          type: 'delete-repository',
          id: `delete:${jpd.name}/${repo.key}`,
          cause: 'topology',
          dependsOn: [],
          jpd: jpd.name,
          repoKey: repo.key,
        });
        continue;
      }
      unmanaged.push({
        jpd: jpd.name,
        repoKey: repo.key,
        reason: ownSource
          ? 'no longer in the topology; kept (run with --allow-delete to delete it)'
          : 'federated repository not in the topology; left alone',
      });
    }
  }

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
    conflicts,
  };
}

/** Live members, named after the topology JPD they belong to where one matches. */
function labelMembers(
  live: readonly MemberTarget[],
  desired: readonly MemberTarget[],
): MemberTarget[] {
  return live.map((m) => {
    const match = desired.find((d) => normalizeMemberUrl(d.url) === normalizeMemberUrl(m.url));
    return match?.jpd === undefined ? m : { ...m, jpd: match.jpd };
  });
}

/**
 * The real API has no read of existing trust pairings. Any federation connecting the two JPDs
 * proves that trust exists, and so does fedctl's record of a member it once added between them
 * (a member someone removed since does not undo the pairing). Otherwise pairing is planned; doing
 * it again is harmless, it only issues a fresh master token.
 */
function federated(live: LiveState, topology: Topology, a: string, b: string): boolean {
  const prefix = (name: string): string | undefined => {
    const spec = findJpd(topology, name);
    return spec === undefined ? undefined : `${normalizeMemberUrl(spec.url)}/artifactory/`;
  };
  const links = (from: string, to: string): boolean => {
    const p = prefix(to);
    return (
      p !== undefined &&
      (live.jpds[from]?.repos ?? []).some(
        (r) =>
          r.members.some((m) => normalizeMemberUrl(m.url).startsWith(p)) ||
          Object.keys(r.lastApplied?.members ?? {}).some((url) => url.startsWith(p)),
      )
    );
  };
  return links(a, b) || links(b, a);
}

function checkConflicts(
  repo: RepoSpec,
  existing: LiveRepo | undefined,
  index: LiveIndex,
  urlOf: (jpd: string, key: string) => string,
): Conflict[] {
  const out: Conflict[] = [];
  const conflict = (jpd: string, repoKey: string, message: string): void => {
    out.push({ jpd, repoKey, at: repo.at, message });
  };
  const local = index.other(repo.source, repo.key);
  if (local !== undefined) {
    conflict(
      repo.source,
      repo.key,
      `repository "${local.key}" already exists on "${repo.source}" as a ${local.rclass} repository; convert it to federated (POST /artifactory/api/federation/migrate/${local.key}) or choose another key`,
    );
  }
  if (existing !== undefined && existing.packageType.toLowerCase() !== repo.packageType) {
    conflict(
      repo.source,
      repo.key,
      `repository "${existing.key}" on "${repo.source}" has package type ${existing.packageType}, the topology says ${repo.packageType}; Artifactory cannot change a repository's package type`,
    );
  }
  const sourceUrl = normalizeMemberUrl(urlOf(repo.source, repo.key));
  for (const m of repo.members) {
    const clash = index.other(m.jpd, m.repoKey);
    if (clash !== undefined) {
      conflict(
        m.jpd,
        m.repoKey,
        `repository "${clash.key}" already exists on "${m.jpd}" as a ${clash.rclass} repository, so federation cannot create the member copy there; remove it or use memberKeys to choose another key`,
      );
      continue;
    }
    const copy = index.repo(m.jpd, m.repoKey);
    if (
      copy !== undefined &&
      copy.members.length > 1 &&
      !copy.members.some((x) => normalizeMemberUrl(x.url) === sourceUrl)
    ) {
      conflict(
        m.jpd,
        m.repoKey,
        `repository "${copy.key}" on "${m.jpd}" already belongs to another federation (its members do not include ${urlOf(repo.source, repo.key)}); fedctl will not merge two federations`,
      );
    }
  }
  return out;
}

function byUrl(a: { url: string }, b: { url: string }): number {
  return compareCodeUnits(normalizeMemberUrl(a.url), normalizeMemberUrl(b.url));
}

function actionJpd(a: Action): string {
  return a.type === 'establish-pairing' ? a.source : a.jpd;
}

function actionKey(a: Action): string {
  switch (a.type) {
    case 'establish-pairing':
      return a.target;
    case 'create-repository':
    case 'update-repository':
    case 'delete-repository':
      return a.repoKey;
    case 'add-member':
    case 'set-member-mode':
    case 'enable-member':
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
    'create-repository': 0,
    'add-member': 0,
    'set-member-mode': 0,
    'enable-member': 0,
    'update-repository': 0,
    'remove-member': 0,
    'delete-repository': 0,
    total: 0,
  };
  for (const a of plan.actions) {
    counts[a.type] += 1;
    counts.total += 1;
  }
  return counts;
}
