/**
 * What a repository's copies need besides their member lists: the copy on every JPD (the
 * source's included) carries the topology's project and environments, and a copy that its JPD
 * lists in `inconsistentRepos` gets a configSync. Each copy is written on its own JPD, in a step
 * of its own. Pure.
 *
 * Project and environments are JPD-specific: federation does not carry them to the copies it
 * creates (terraform-provider-artifactory #1102, #692, #754, #893), so a copy created by this
 * apply is set once federation has created it (`awaitCopy`). Only declared values are written: a
 * topology without `project` leaves every project as it is. The source is the reference: a
 * member copy that differs while the source matches the topology was changed on its JPD (drift);
 * otherwise the topology changed.
 */
import { normalizeMemberUrl, type LiveIndex, type LiveRepo } from '../live/state.js';
import { compareCodeUnits, type RepoSpec } from '../topology/model.js';
import type { Action, RepoRef, SetProject } from './model.js';

/** What the planner knows of the live state and the URLs (a part of repository.ts's context). */
export interface CopyContext {
  readonly index: LiveIndex;
  /** The member URL of `key` on JPD `jpd`. */
  readonly urlOf: (jpd: string, key: string) => string;
}

interface Copy {
  readonly jpd: string;
  readonly key: string;
  readonly source: boolean;
}

function copiesOf(repo: RepoSpec): Copy[] {
  return [
    { jpd: repo.source, key: repo.key, source: true },
    ...repo.members.map((m) => ({ jpd: m.jpd, key: m.repoKey, source: false })),
  ];
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const x = [...a].sort(compareCodeUnits);
  const y = [...b].sort(compareCodeUnits);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

/** What differs on one live copy; undefined when nothing the topology declares does. */
function difference(
  repo: RepoSpec,
  live: Pick<LiveRepo, 'projectKey' | 'environments'>,
): Pick<SetProject, 'project' | 'environments'> | undefined {
  const project =
    repo.project === undefined || live.projectKey === repo.project
      ? undefined
      : { ...(live.projectKey === undefined ? {} : { from: live.projectKey }), to: repo.project };
  const have = live.environments ?? [];
  const environments =
    repo.environments === undefined || sameSet(have, repo.environments)
      ? undefined
      : { from: [...have].sort(compareCodeUnits), to: repo.environments };
  if (project === undefined && environments === undefined) return undefined;
  return {
    ...(project === undefined ? {} : { project }),
    ...(environments === undefined ? {} : { environments }),
  };
}

/**
 * `inconsistentRepos` does not say which member differs. With a member the topology does not
 * declare (someone else's, perhaps unreachable for good), a configSync may never clear it, and
 * every plan would repeat it: such a copy is reported by drift (core/drift/drift.ts), not planned.
 */
export function onlyDeclaredMembers(
  repo: RepoSpec,
  live: Pick<LiveRepo, 'members'>,
  ctx: Pick<CopyContext, 'urlOf'>,
): boolean {
  const declared = new Set(
    [ctx.urlOf(repo.source, repo.key), ...repo.members.map((m) => ctx.urlOf(m.jpd, m.repoKey))].map(
      normalizeMemberUrl,
    ),
  );
  return live.members.every((m) => declared.has(normalizeMemberUrl(m.url)));
}

export function copyActions(
  repo: RepoSpec,
  ctx: CopyContext,
  planned: readonly Action[],
): Action[] {
  const of: RepoRef = { jpd: repo.source, repoKey: repo.key };
  const out: Action[] = [];
  const sourceLive = ctx.index.repo(repo.source, repo.key);
  const sourceMatches = sourceLive !== undefined && difference(repo, sourceLive) === undefined;
  const create = planned.find((a) => a.type === 'create-repository');
  const sameRepo = planned.filter((a) => a.type !== 'create-repository').map((a) => a.id);
  for (const copy of copiesOf(repo)) {
    const live = ctx.index.repo(copy.jpd, copy.key);
    const id = `${copy.jpd}/${copy.key}`;
    if (
      live !== undefined &&
      ctx.index.inconsistent(copy.jpd, copy.key) &&
      onlyDeclaredMembers(repo, live, ctx)
    ) {
      out.push({
        type: 'sync-configuration',
        id: `sync:${id}`,
        cause: 'drift',
        // After the writes to the same repository, which push the configuration again.
        dependsOn: copy.source ? sameRepo : [],
        jpd: copy.jpd,
        repoKey: live.key,
        of,
      });
    }
    const convert = planned.find((a) => a.type === 'convert-to-federated');
    if (copy.source && live === undefined && convert === undefined) continue; // the create carries them
    // A copy federation creates in this apply: the create, or this member's addition, makes it.
    const makes =
      live === undefined && !copy.source
        ? (create ?? planned.find((a) => a.type === 'add-member' && a.member.jpd === copy.jpd))
        : undefined;
    // A local repository converted in this apply: set once it is federated, after its members.
    const after = copy.source && live === undefined ? planned.map((a) => a.id) : undefined;
    if (live === undefined && makes === undefined && after === undefined) continue;
    const diff = live === undefined ? difference(repo, {}) : difference(repo, live);
    if (diff === undefined) continue;
    out.push({
      type: 'set-project',
      id: `project:${id}`,
      cause: !copy.source && live !== undefined && sourceMatches ? 'drift' : 'topology',
      dependsOn: makes !== undefined ? [makes.id] : (after ?? (copy.source ? sameRepo : [])),
      jpd: copy.jpd,
      repoKey: live?.key ?? copy.key,
      of,
      ...diff,
      ...(makes === undefined ? {} : { awaitCopy: true as const }),
    });
  }
  return out;
}
