/**
 * The topology as a graph: one node per JPD, one edge per JPD pair and kind of data flow. Pure
 * data, for the renderers in graph-mermaid.ts, graph-dot.ts and graph-svg.ts.
 *
 * Which directions carry data: a federation is a mesh. Every bidirectional member sends to every
 * other member of the repository's federation; a receiver sends to none ("Outbound federation
 * processing and Full-Sync initiation are skipped for the receiver", JFrog's Unidirectional Sync
 * doc in shared/seed; the simulator models the same mesh, docs/simulator.md "Federation"). The
 * source is always bidirectional (it must send). So a bidirectional spoke also sends to the other
 * spokes of that federation, and the graph shows those edges too.
 *
 * Edges are aggregated per JPD pair, per direction (one-way either way, or two-way) and per
 * enabled/disabled, never one per repository: a 10,000-repository topology stays a readable graph.
 */
import {
  markHealth,
  markPlanEdges,
  type HealthOverlay,
  type HealthState,
  type PlanOverlay,
} from './overlay.js';
import { compareCodeUnits, type MemberMode } from '../topology/model.js';

export type { HealthOverlay, HealthReading, PlanOverlay, PlannedRepo } from './overlay.js';
export { planOverlay } from './overlay.js';
export { HEALTH_STATES, type HealthState } from './overlay.js';

/** A member as the graph needs it. `MemberSpec` from topology.ts fits. */
export interface FlowMember {
  readonly jpd: string;
  readonly mode: MemberMode;
  readonly enabled: boolean;
}

/** A federated repository as the graph needs it. `RepoSpec` fits. */
export interface GraphRepo {
  readonly source: string;
  readonly key: string;
  /** The other members; the source is implied (and bidirectional). */
  readonly members: readonly FlowMember[];
}

/** The part of a `Topology` the graph reads; a resolved `Topology` fits as it is. */
export interface GraphTopology {
  readonly jpds: readonly { readonly name: string }[];
  readonly pairings: readonly {
    readonly source: string;
    readonly target: string;
    readonly receivingOnly: boolean;
  }[];
  readonly repos: readonly GraphRepo[];
}

export interface GraphNode {
  readonly name: string;
  /** How many repositories this JPD is the source of; a hub when above 0. */
  readonly sourceOf: number;
}

/** `one-way`: data flows from `from` to `to` only. `two-way`: both ways. */
export type EdgeDirection = 'one-way' | 'two-way';

/** What the plan does to an edge: adds it, changes the repositories it carries, removes it. */
export type PlanMark = 'add' | 'change' | 'remove';

export interface GraphEdge {
  /** `e1`, `e2`, ... in edge order: stable for the same topology, safe as an XML or DOT id. */
  readonly id: string;
  /** One-way: the sender. Two-way: the smaller name by code unit. */
  readonly from: string;
  readonly to: string;
  readonly direction: EdgeDirection;
  /** One-way over a receiving-only pairing from `from` to `to`: the trust boundary enforces it. */
  readonly enforced: boolean;
  /** A member at either end is disabled: the connection is held (DISABLED). */
  readonly disabled: boolean;
  /** Keys (on the source) of the repositories whose data takes this edge, sorted. */
  readonly repos: readonly string[];
  /** The keys when there are few, else the count: `libs-release, libs-snapshot`, `250 repositories`. */
  readonly label: string;
  /** Present only with a plan overlay, on the edges the plan touches. */
  readonly plan?: PlanMark;
  /** Present only with a health overlay: the most severe state read on the edge's directions. */
  readonly health?: HealthState;
}

export interface TopologyGraph {
  /** Sorted by name. */
  readonly nodes: readonly GraphNode[];
  /** Sorted by from, to, direction, then enabled before disabled (removed edges sort in too). */
  readonly edges: readonly GraphEdge[];
}

export interface GraphOptions {
  /** An edge label lists at most this many keys (default 3) and counts beyond. */
  readonly maxLabelKeys?: number;
  readonly plan?: PlanOverlay;
  readonly health?: HealthOverlay;
}

export const DEFAULT_MAX_LABEL_KEYS = 3;
/** Longer key lists are counted instead, so labels stay short enough to place. */
export const MAX_LABEL_CHARS = 40;

/** An edge before ids, labels and overlays: what two states of the topology are compared by. */
export interface EdgeGroup {
  readonly from: string;
  readonly to: string;
  readonly direction: EdgeDirection;
  readonly disabled: boolean;
  readonly repos: ReadonlySet<string>;
}

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
