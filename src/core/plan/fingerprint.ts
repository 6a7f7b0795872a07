/**
 * What a saved plan's fingerprints are computed from: a canonical text per resource the plan read,
 * so that unrelated noise (field order, URL case, fields fedctl does not manage) never makes a
 * plan stale, and any change that could alter the plan always does. The hashing is done at the
 * edge (node:crypto); this module only decides what goes in.
 */
import { indexLive, normalizeMemberUrl, type LiveRepo, type LiveState } from '../live/state.js';
import { compareCodeUnits, type Topology } from '../topology/model.js';

/** Resource id -> canonical text. Ids: `<jpd>` (its repository list) and `<jpd>/<repoKey>`. */
export function fingerprintInputs(topology: Topology, live: LiveState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const jpd of topology.jpds) {
    const state = live.jpds[jpd.name];
    if (state === undefined) continue;
    const entries = [
      ...state.repos.map(
        (r) =>
          `${r.key.toLowerCase()}|federated|${r.members
            .map((m) => normalizeMemberUrl(m.url))
            .sort(compareCodeUnits)
            .join(',')}`,
      ),
      ...state.otherRepos.map((r) => `${r.key.toLowerCase()}|${r.rclass}`),
    ].sort(compareCodeUnits);
    out[jpd.name] = entries.join('\n');
  }
  const index = indexLive(live);
  const slots = new Set<string>();
  for (const repo of topology.repos) {
    slots.add(`${repo.source}/${repo.key}`);
    for (const m of repo.members) slots.add(`${m.jpd}/${m.repoKey}`);
  }
  for (const id of [...slots].sort(compareCodeUnits)) {
    const slash = id.indexOf('/');
    const jpd = id.slice(0, slash);
    const key = id.slice(slash + 1).toLowerCase();
    const repo = index.repo(jpd, key);
    out[id] = repo === undefined ? 'absent' : canonicalRepo(repo);
  }
  return out;
}

/** Everything fedctl reads of a repository, normalised: equal texts mean nothing it manages changed. */
export function canonicalRepo(repo: LiveRepo): string {
  return JSON.stringify({
    packageType: repo.packageType.toLowerCase(),
    description: repo.description ?? '',
    members: repo.members
      .map((m) => [normalizeMemberUrl(m.url), m.mode, m.enabled] as const)
      .sort((a, b) => compareCodeUnits(a[0], b[0])),
    userNotes: repo.userNotes ?? '',
    lastApplied: repo.lastApplied ?? null,
    // Only when present, so that plans saved before projects were read stay valid.
    ...(repo.projectKey === undefined ? {} : { projectKey: repo.projectKey }),
    ...(repo.environments === undefined || repo.environments.length === 0
      ? {}
      : { environments: [...repo.environments].sort(compareCodeUnits) }),
  });
}

/**
 * The topology as fedctl understood it, without source positions, keys sorted: what a saved
 * plan's topology fingerprint hashes. Comments, key order, quoting and layout of the file do
 * not change it; anything that could change the plan does.
 */
export function canonicalTopology(topology: Topology): string {
  return JSON.stringify(withoutPositions(topology));
}

function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'at')
      .sort(([a], [b]) => compareCodeUnits(a, b))
      .map(([key, v]) => [key, withoutPositions(v)]),
  );
}
