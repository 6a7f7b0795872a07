/**
 * What makes a declared repository impossible to apply as the JPDs stand: a non-federated
 * repository in the way, a package type Artifactory cannot change, a member copy that belongs to
 * another federation. The plan reports these instead of planning over them.
 */
import { normalizeMemberUrl, type LiveIndex, type LiveRepo } from './live.js';
import type { Conflict } from './plan.js';
import type { RepoSpec } from './topology.js';

export function repositoryConflicts(
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
