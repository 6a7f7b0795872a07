/**
 * `protect: true` on a repository. Kept apart from the rules in ./rules/ because it
 * constrains nothing in the file: it only marks the resolved repository for the planner.
 */
import type { Topology, TopologyDocument } from './model.js';

export function withProtection(file: TopologyDocument, topology: Topology): Topology {
  const marked = new Set<string>();
  for (const fed of file.federations) {
    for (const repo of fed.repositories) {
      if (typeof repo !== 'string' && repo.protect === true)
        marked.add(`${fed.source}/${repo.key}`);
    }
  }
  if (marked.size === 0) return topology;
  return {
    ...topology,
    repos: topology.repos.map((r) =>
      marked.has(`${r.source}/${r.key}`) ? { ...r, protect: true } : r,
    ),
  };
}
