/**
 * The topology as a graph: one node per JPD, one edge per JPD pair and kind of data flow. Pure
 * data, for the renderers in ./mermaid.ts, ./dot.ts and ./svg.ts.
 *
 * Which directions carry data: a federation is a mesh. Every bidirectional member sends to every
 * other member of the repository's federation; a receiver sends to none ("Outbound federation
 * processing and Full-Sync initiation are skipped for the receiver", JFrog's document on
 * unidirectional sync over federated repositories; the simulator models the same mesh, docs/simulator.md "Federation"). The
 * source is always bidirectional (it must send). So a bidirectional spoke also sends to the other
 * spokes of that federation, and the graph shows those edges too.
 *
 * Edges are aggregated per JPD pair, per direction (one-way either way, or two-way) and per
 * enabled/disabled, never one per repository: a 10,000-repository topology stays a readable graph.
 */
import { markHealth, markPlanEdges } from './overlay.js';
import { compareCodeUnits } from '../topology/model.js';
import type {
  EdgeDirection,
  EdgeGroup,
  FlowMember,
  GraphEdge,
  GraphNode,
  GraphOptions,
  GraphRepo,
  GraphTopology,
  PlanMark,
  PlanOverlay,
  TopologyGraph,
} from './model.js';

// The graph's types live in the leaf ./model.js; re-exported here, where callers look.
export * from './model.js';
export { planOverlay } from './overlay.js';

export const DEFAULT_MAX_LABEL_KEYS = 3;
/** Longer key lists are counted instead, so labels stay short enough to place. */
export const MAX_LABEL_CHARS = 40;

export function buildGraph(topology: GraphTopology, options: GraphOptions = {}): TopologyGraph {
  const names = new Set(topology.jpds.map((j) => j.name));
  const sourceOf = new Map<string, number>();
  for (const repo of topology.repos) {
    sourceOf.set(repo.source, (sourceOf.get(repo.source) ?? 0) + 1);
  }
  const nodes = [...names]
    .sort(compareCodeUnits)
    .map((name): GraphNode => ({ name, sourceOf: sourceOf.get(name) ?? 0 }));

  const groups = groupFlows(topology.repos, names);
  const marked: readonly { group: EdgeGroup; plan?: PlanMark }[] =
    options.plan === undefined
      ? [...groups.values()].map((group) => ({ group }))
      : markPlanEdges(groups, groupFlows(reposBefore(topology, options.plan), names));
  const enforced = new Set(
    topology.pairings.filter((p) => p.receivingOnly).map((p) => pairKey(p.source, p.target)),
  );
  const maxKeys = options.maxLabelKeys ?? DEFAULT_MAX_LABEL_KEYS;
  const edges = marked
    .map(({ group, plan }) => {
      const repos = [...group.repos].sort(compareCodeUnits);
      return {
        from: group.from,
        to: group.to,
        direction: group.direction,
        enforced: group.direction === 'one-way' && enforced.has(pairKey(group.from, group.to)),
        disabled: group.disabled,
        repos,
        label: edgeLabel(repos, maxKeys),
        ...(plan === undefined ? {} : { plan }),
      };
    })
    .sort(compareEdges)
    .map((edge, i): GraphEdge => ({ id: `e${i + 1}`, ...edge }));
  return {
    nodes,
    edges: options.health === undefined ? edges : markHealth(edges, options.health),
  };
}

export function edgeLabel(repos: readonly string[], maxKeys: number): string {
  if (repos.length > 0 && repos.length <= maxKeys) {
    const keys = repos.join(', ');
    if (keys.length <= MAX_LABEL_CHARS) return keys;
  }
  return repos.length === 1 ? '1 repository' : `${repos.length} repositories`;
}

/**
 * Every direction that carries data, grouped by edge. JPDs outside `names` are ignored: a plan
 * overlay can name a member the topology no longer knows.
 */
export function groupFlows(
  repos: readonly GraphRepo[],
  names: ReadonlySet<string>,
): Map<string, EdgeGroup & { readonly repos: Set<string> }> {
  const groups = new Map<string, EdgeGroup & { readonly repos: Set<string> }>();
  const add = (
    from: string,
    to: string,
    direction: EdgeDirection,
    disabled: boolean,
    key: string,
  ) => {
    const id = groupKey(from, to, direction, disabled);
    let group = groups.get(id);
    if (group === undefined) {
      group = { from, to, direction, disabled, repos: new Set() };
      groups.set(id, group);
    }
    group.repos.add(key);
  };
  for (const repo of repos) {
    const members = participants(repo).filter((m) => names.has(m.jpd));
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const a = members[i];
        const b = members[j];
        if (a === undefined || b === undefined || a.jpd === b.jpd) continue;
        const disabled = !a.enabled || !b.enabled;
        const aSends = a.mode === 'bidirectional';
        const bSends = b.mode === 'bidirectional';
        if (aSends && bSends) {
          const [lo, hi] = compareCodeUnits(a.jpd, b.jpd) <= 0 ? [a, b] : [b, a];
          add(lo.jpd, hi.jpd, 'two-way', disabled, repo.key);
        } else if (aSends) {
          add(a.jpd, b.jpd, 'one-way', disabled, repo.key);
        } else if (bSends) {
          add(b.jpd, a.jpd, 'one-way', disabled, repo.key);
        }
      }
    }
  }
  return groups;
}

/** The source first (bidirectional and enabled unless listed otherwise), then each member once. */
function participants(repo: GraphRepo): FlowMember[] {
  const listed = repo.members.find((m) => m.jpd === repo.source);
  const source: FlowMember = listed ?? { jpd: repo.source, mode: 'bidirectional', enabled: true };
  const seen = new Set([repo.source]);
  const others: FlowMember[] = [];
  for (const member of repo.members) {
    if (seen.has(member.jpd)) continue;
    seen.add(member.jpd);
    others.push(member);
  }
  return [source, ...others];
}

/** The topology as it is before the plan: planned repositories with their members before it. */
function reposBefore(topology: GraphTopology, plan: PlanOverlay): GraphRepo[] {
  const planned = new Map(plan.repos.map((p) => [pairKey(p.source, p.key), p]));
  const before: GraphRepo[] = [];
  for (const repo of topology.repos) {
    const p = planned.get(pairKey(repo.source, repo.key));
    if (p === undefined) before.push(repo);
    else if (p.before !== undefined) before.push({ ...repo, members: p.before });
    planned.delete(pairKey(repo.source, repo.key));
  }
  // What is left is not in the topology: repositories the plan deletes.
  for (const p of planned.values()) {
    if (p.before !== undefined) before.push({ source: p.source, key: p.key, members: p.before });
  }
  return before;
}

export function groupKey(
  from: string,
  to: string,
  direction: EdgeDirection,
  disabled: boolean,
): string {
  return `${from}\u0000${to}\u0000${direction}\u0000${disabled ? 'disabled' : 'enabled'}`;
}

function pairKey(a: string, b: string): string {
  return `${a}\u0000${b}`;
}

function compareEdges(
  a: Pick<GraphEdge, 'from' | 'to' | 'direction' | 'disabled'>,
  b: Pick<GraphEdge, 'from' | 'to' | 'direction' | 'disabled'>,
): number {
  return (
    compareCodeUnits(a.from, b.from) ||
    compareCodeUnits(a.to, b.to) ||
    compareCodeUnits(a.direction, b.direction) ||
    Number(a.disabled) - Number(b.disabled)
  );
}
