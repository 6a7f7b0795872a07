/**
 * Federated repositories on the topology's JPDs that it does not declare: deleted under
 * --allow-delete when fedctl created them on that very JPD (kept and marked otherwise, a
 * difference a reviewer must see), forgotten when the topology lists them under `removed:`, and
 * otherwise reported and left alone.
 */
import { normalizeMemberUrl, type LiveState } from '../live/state.js';
import { memberUrl, type Topology } from '../topology/model.js';
import type { Action, PlanOptions, Unmanaged } from './model.js';

export function undeclaredRepositories(
  topology: Topology,
  live: LiveState,
  options: PlanOptions,
): { actions: Action[]; unmanaged: Unmanaged[] } {
  const slot = (jpd: string, key: string): string => `${jpd}\u0000${key.toLowerCase()}`;
  const managed = new Set<string>();
  for (const repo of topology.repos) {
    managed.add(slot(repo.source, repo.key));
    for (const m of repo.members) managed.add(slot(m.jpd, m.repoKey));
  }
  const removed = new Set((topology.removed ?? []).map((r) => slot(r.source, r.key)));
  // The sources' URLs of removed repositories: their members' copies carry the same record.
  const removedSources = new Set(
    (topology.removed ?? []).flatMap((r) => {
      const jpd = topology.jpds.find((j) => j.name === r.source);
      return jpd === undefined ? [] : [normalizeMemberUrl(memberUrl(jpd.url, r.key))];
    }),
  );
  const out = { actions: [] as Action[], unmanaged: [] as Unmanaged[] };
  for (const jpd of topology.jpds) {
    for (const repo of live.jpds[jpd.name]?.repos ?? []) {
      if (managed.has(slot(jpd.name, repo.key))) continue;
      const ownSource =
        repo.lastApplied?.source !== undefined &&
        repo.lastApplied.source === normalizeMemberUrl(memberUrl(jpd.url, repo.key));
      if (removed.has(slot(jpd.name, repo.key))) {
        if (ownSource) {
          out.actions.push({
            type: 'forget-repository',
            id: `forget:${jpd.name}/${repo.key}`,
            cause: 'topology',
            dependsOn: [],
            jpd: jpd.name,
            repoKey: repo.key,
          });
        }
        continue;
      }
      if (repo.lastApplied !== undefined && removedSources.has(repo.lastApplied.source)) continue;
      if (ownSource && repo.lastApplied.protect === true) {
        out.unmanaged.push({
          jpd: jpd.name,
          repoKey: repo.key,
          reason:
            'no longer in the topology; protected: remove protect: true and apply, then delete',
          removedFromTopology: true,
        });
        continue;
      }
      if (ownSource && options.allowDelete) {
        out.actions.push({
          type: 'delete-repository',
          id: `delete:${jpd.name}/${repo.key}`,
          cause: 'topology',
          dependsOn: [],
          jpd: jpd.name,
          repoKey: repo.key,
        });
        continue;
      }
      out.unmanaged.push({
        jpd: jpd.name,
        repoKey: repo.key,
        reason: ownSource
          ? 'no longer in the topology; kept (run with --allow-delete to delete it, or list it under removed: to stop managing it)'
          : repo.lastApplied === undefined
            ? 'federated repository not in the topology; left alone'
            : `a member's copy of ${repo.lastApplied.source}, which is not in the topology; fedctl never deletes members' copies`,
        ...(ownSource ? { removedFromTopology: true as const } : {}),
      });
    }
  }
  return out;
}
