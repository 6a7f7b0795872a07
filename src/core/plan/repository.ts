/**
 * One declared repository against its live state: the actions that make it match, the member
 * lists before and after, and the live members left alone. Pure; the caller assembles the plan.
 */
import {
  normalizeMemberUrl,
  type LastApplied,
  type LiveIndex,
  type LiveMember,
  type LiveOtherRepo,
  type LiveRepo,
} from '../live/state.js';
import type { Action, MemberTarget, PlanOptions, RepoChange, Unmanaged } from './model.js';
import type { TrustState } from './trust.js';
import { compareCodeUnits, type RepoSpec } from '../topology/model.js';

export interface RepoContext {
  readonly index: LiveIndex;
  readonly trust: TrustState;
  /** The member URL of `key` on JPD `jpd`. */
  readonly urlOf: (jpd: string, key: string) => string;
}

export interface RepoPlan {
  readonly actions: readonly Action[];
  readonly change?: RepoChange;
  readonly unmanaged: readonly Unmanaged[];
}

/** Every member the topology wants, the source included (it must send, so it is bidirectional). */
export function desiredMembers(repo: RepoSpec, urlOf: RepoContext['urlOf']): MemberTarget[] {
  return [
    {
      jpd: repo.source,
      url: urlOf(repo.source, repo.key),
      mode: 'bidirectional' as const,
      enabled: true,
    },
    ...repo.members.map((m): MemberTarget => ({
      jpd: m.jpd,
      url: urlOf(m.jpd, m.repoKey),
      mode: m.mode,
      enabled: m.enabled,
    })),
  ].sort(byUrl);
}

export function planRepository(
  repo: RepoSpec,
  existing: LiveRepo | undefined,
  ctx: RepoContext,
  options: PlanOptions,
): RepoPlan {
  const desired = desiredMembers(repo, ctx.urlOf);
  if (existing !== undefined) return planUpdate(repo, existing, desired, ctx, options);
  // ./conflicts.ts reports a local repository in the way unless the topology opts in.
  const local = repo.convert === 'local' ? ctx.index.other(repo.source, repo.key) : undefined;
  return local?.rclass === 'local'
    ? planConvert(repo, local, desired, ctx)
    : planCreate(repo, desired, ctx);
}

function planCreate(repo: RepoSpec, desired: MemberTarget[], ctx: RepoContext): RepoPlan {
  const sourceUrl = ctx.urlOf(repo.source, repo.key);
  const action: Action = {
    type: 'create-repository',
    id: `create:${repo.source}/${repo.key}`,
    // A member copy still names this source repository as fedctl's: it was deleted on the source.
    cause: ctx.index.recordedSources.has(normalizeMemberUrl(sourceUrl)) ? 'drift' : 'topology',
    dependsOn: dependencies(repo.members.map((m) => ctx.trust.needed(repo.source, m.jpd))),
    jpd: repo.source,
    repoKey: repo.key,
    packageType: repo.packageType,
    ...(repo.description === undefined ? {} : { description: repo.description }),
    ...(repo.project === undefined ? {} : { project: repo.project }),
    ...(repo.environments === undefined ? {} : { environments: repo.environments }),
    members: desired,
  };
  return {
    actions: [action],
    change: { jpd: repo.source, repoKey: repo.key, after: desired },
    unmanaged: [],
  };
}

function planUpdate(
  repo: RepoSpec,
  existing: LiveRepo,
  desired: MemberTarget[],
  ctx: RepoContext,
  options: PlanOptions,
): RepoPlan {
  const actions = [
    ...memberActions(repo, existing, desired, ctx),
    ...repositoryUpdate(repo, existing),
  ];
  const leftover = undeclaredMembers(repo, existing, desired, options);
  for (const a of leftover.actions) actions.push(a);
  if (actions.length === 0) {
    // Matches already, but fedctl never wrote it: adopting writes the record, and only that.
    // Otherwise the actions above write the record along with their change.
    const adopt =
      existing.lastApplied === undefined
        ? [adoptAction(repo, labelMembers(existing.members, desired).sort(byUrl))]
        : [];
    return { actions: adopt, unmanaged: leftover.unmanaged };
  }
  const before = labelMembers(existing.members, desired).sort(byUrl);
  return {
    actions,
    change: {
      jpd: repo.source,
      repoKey: repo.key,
      before,
      after: [...desired, ...leftover.kept].sort(byUrl),
    },
    unmanaged: leftover.unmanaged,
  };
}

/** Members the topology declares: added, set to their mode, enabled. */
function memberActions(
  repo: RepoSpec,
  existing: LiveRepo,
  desired: readonly MemberTarget[],
  ctx: RepoContext,
): Action[] {
  const repoId = `${repo.source}/${repo.key}`;
  const liveByUrl = new Map(existing.members.map((m) => [normalizeMemberUrl(m.url), m]));
  const recorded = existing.lastApplied?.members ?? {};
  const out: Action[] = [];
  for (const want of desired) {
    const url = normalizeMemberUrl(want.url);
    const have = liveByUrl.get(url);
    const before = recorded[url];
    const base = { jpd: repo.source, repoKey: repo.key, member: want };
    const name = want.jpd ?? url;
    if (have === undefined) {
      out.push({
        ...base,
        type: 'add-member',
        id: `add:${repoId}:${name}`,
        // Recorded as applied but gone from the JPD: someone removed it.
        cause: before === undefined ? 'topology' : 'drift',
        dependsOn: dependencies([
          want.jpd === undefined ? undefined : ctx.trust.needed(repo.source, want.jpd),
        ]),
      });
      continue;
    }
    if (have.mode !== want.mode) {
      out.push({
        ...base,
        type: 'set-member-mode',
        id: `mode:${repoId}:${name}`,
        cause: before?.mode === want.mode ? 'drift' : 'topology',
        dependsOn: [],
        from: have.mode,
      });
    }
    if (want.enabled && !have.enabled) {
      out.push({
        ...base,
        type: 'enable-member',
        id: `enable:${repoId}:${name}`,
        cause: before?.enabled === true ? 'drift' : 'topology',
        dependsOn: [],
      });
    }
    if (!want.enabled && have.enabled) {
      out.push({
        ...base,
        type: 'disable-member',
        id: `disable:${repoId}:${name}`,
        cause: before?.enabled === false ? 'drift' : 'topology',
        dependsOn: [],
      });
    }
  }
  return out;
}

function adoptAction(repo: RepoSpec, live: readonly MemberTarget[]): Action {
  return {
    type: 'adopt',
    id: `adopt:${repo.source}/${repo.key}`,
    cause: 'topology',
    dependsOn: [],
    jpd: repo.source,
    repoKey: repo.key,
    members: live.filter((m) => m.jpd !== undefined),
  };
}

/**
 * `convert: local`: migrate the local repository (it keeps its artifacts and becomes federated
 * with itself as the only member), then add every declared member in the same step. The member
 * additions depend on the conversion, so narrowing the plan never keeps one without it.
 */
function planConvert(
  repo: RepoSpec,
  local: LiveOtherRepo,
  desired: MemberTarget[],
  ctx: RepoContext,
): RepoPlan {
  const repoId = `${repo.source}/${repo.key}`;
  const convertId = `convert:${repoId}`;
  const convert: Action = {
    type: 'convert-to-federated',
    id: convertId,
    cause: 'topology',
    dependsOn: dependencies(repo.members.map((m) => ctx.trust.needed(repo.source, m.jpd))),
    jpd: repo.source,
    repoKey: repo.key,
    packageType: repo.packageType,
  };
  const adds = desired
    .filter((m) => m.jpd !== repo.source)
    .map((want): Action => ({
      type: 'add-member',
      id: `add:${repoId}:${want.jpd ?? want.url}`,
      cause: 'topology',
      dependsOn: dependencies([
        convertId,
        want.jpd === undefined ? undefined : ctx.trust.needed(repo.source, want.jpd),
      ]),
      jpd: repo.source,
      repoKey: repo.key,
      member: want,
    }));
  return {
    actions: [convert, ...adds, ...repositoryUpdate(repo, local)],
    // A local repository has no members: the list is all new.
    change: { jpd: repo.source, repoKey: repo.key, before: [], after: desired },
    unmanaged: [],
  };
}

/** The description, and the protection recorded on the repository (see LastApplied.protect). */
function repositoryUpdate(
  repo: RepoSpec,
  existing: { readonly description?: string; readonly lastApplied?: LastApplied },
): Action[] {
  const want = repo.description;
  const description =
    want === undefined || (existing.description ?? '') === want
      ? undefined
      : { from: existing.description ?? '', to: want };
  const recorded = existing.lastApplied?.protect === true;
  const protect =
    recorded === (repo.protect === true) ? undefined : { from: recorded, to: !recorded };
  if (description === undefined && protect === undefined) return [];
  return [
    {
      type: 'update-repository',
      id: `update:${repo.source}/${repo.key}`,
      cause: 'topology',
      dependsOn: [],
      jpd: repo.source,
      repoKey: repo.key,
      ...(description === undefined ? {} : { description }),
      ...(protect === undefined ? {} : { protect }),
    },
  ];
}

/**
 * Live members the topology does not declare. Those fedctl once added are removed under
 * --allow-delete; everything else is kept in the member list and reported.
 */
function undeclaredMembers(
  repo: RepoSpec,
  existing: LiveRepo,
  desired: readonly MemberTarget[],
  options: PlanOptions,
): { actions: Action[]; kept: MemberTarget[]; unmanaged: Unmanaged[] } {
  const desiredUrls = new Set(desired.map((m) => normalizeMemberUrl(m.url)));
  const recorded = existing.lastApplied?.members ?? {};
  const out = { actions: [] as Action[], kept: [] as MemberTarget[], unmanaged: [] as Unmanaged[] };
  for (const have of [...existing.members].sort(byUrl)) {
    const url = normalizeMemberUrl(have.url);
    if (desiredUrls.has(url)) continue;
    const target = { url: have.url, mode: have.mode, enabled: have.enabled };
    const ours = recorded[url] !== undefined;
    if (ours && options.allowDelete) {
      out.actions.push({
        type: 'remove-member',
        id: `remove:${repo.source}/${repo.key}:${url}`,
        cause: 'topology',
        dependsOn: [],
        jpd: repo.source,
        repoKey: repo.key,
        member: target,
      });
      continue;
    }
    out.unmanaged.push({
      jpd: repo.source,
      repoKey: repo.key,
      memberUrl: have.url,
      reason: ours
        ? 'no longer in the topology; kept (run with --allow-delete to remove it)'
        : 'member not declared in the topology; left alone',
      ...(ours ? { removedFromTopology: true as const } : {}),
    });
    out.kept.push(target);
  }
  return out;
}

/** Live members, named after the topology JPD they belong to where one matches. */
function labelMembers(
  live: readonly LiveMember[],
  desired: readonly MemberTarget[],
): MemberTarget[] {
  const byUrl = new Map(desired.map((d) => [normalizeMemberUrl(d.url), d.jpd]));
  return live.map((m) => {
    const jpd = byUrl.get(normalizeMemberUrl(m.url));
    const member = { url: m.url, mode: m.mode, enabled: m.enabled };
    return jpd === undefined ? member : { ...member, jpd };
  });
}

/** Pairing ids an action depends on: defined, unique, sorted, whatever the members' order. */
function dependencies(ids: readonly (string | undefined)[]): string[] {
  return [...new Set(ids.filter((id): id is string => id !== undefined))].sort(compareCodeUnits);
}

export function byUrl(a: { url: string }, b: { url: string }): number {
  return compareCodeUnits(normalizeMemberUrl(a.url), normalizeMemberUrl(b.url));
}
