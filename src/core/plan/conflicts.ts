/**
 * What makes a declared repository impossible to apply as the JPDs stand: a non-federated
 * repository in the way, a package type Artifactory cannot change, a member copy that belongs to
 * another federation. The plan reports these instead of planning over them.
 */
import {
  normalizeMemberUrl,
  type LiveIndex,
  type LiveOtherRepo,
  type LiveRepo,
} from '../live/state.js';
import type { Conflict } from './model.js';
import type { RepoSpec } from '../topology/model.js';

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
    const message = localConflict(repo, local);
    if (message !== undefined) conflict(repo.source, repo.key, message);
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

/**
 * A non-federated repository with the source's key. Only a local one can be converted (JFrog's
 * "Convert Local Repository to a Federated Repository"), and only when the topology opts in.
 */
function localConflict(repo: RepoSpec, local: LiveOtherRepo): string | undefined {
  const where = `repository "${local.key}" already exists on "${repo.source}" as a ${local.rclass} repository`;
  if (local.rclass !== 'local') {
    return `${where}; only a local repository can be converted to federated, so choose another key`;
  }
  if (repo.convert !== 'local') {
    return `${where}; add \`convert: local\` to this repository to convert it to federated (POST /artifactory/api/federation/migrate/${local.key}, artifacts kept), or choose another key`;
  }
  if (local.packageType !== undefined && local.packageType !== repo.packageType) {
    return `${where} of package type ${local.packageType}, the topology says ${repo.packageType}; a conversion keeps the package type`;
  }
  return undefined;
}
