/**
 * The topology graph as data: nodes, edges, and the overlays a plan or a health reading puts on
 * them. A leaf: the builder, the overlays and the renderers import it, it imports none of them.
 */
import type { MemberMode } from '../topology/model.js';

/** A member as the graph needs it. `MemberSpec` from ../topology/model.ts fits. */
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

/** An edge before ids, labels and overlays: what two states of the topology are compared by. */
export interface EdgeGroup {
  readonly from: string;
  readonly to: string;
  readonly direction: EdgeDirection;
  readonly disabled: boolean;
  readonly repos: ReadonlySet<string>;
}

/**
 * A repository the plan creates, changes or deletes, with its members as they are live before the
 * plan. The graph takes the topology as the state after the plan, so this is all it needs:
 * - `before` absent: the plan creates the repository;
 * - the repository absent from the topology: the plan deletes it (with `--allow-delete`).
 * A plan's `RepoChange.before` maps onto `before` (members whose URL names no topology JPD are
 * left out: they are not drawn). The source may be listed among the members or not.
 */
export interface PlannedRepo {
  readonly source: string;
  readonly key: string;
  readonly before?: readonly FlowMember[];
}

export interface PlanOverlay {
  readonly repos: readonly PlannedRepo[];
}

/**
 * One connection state as `GET /api/federation/status/connectionStates/{key}` reports it: the
 * sending side `from`, the receiving side `to` (JPD names), and the status string. Without
 * `repoKey` the reading applies to every repository on that direction (e.g. from stateSummary).
 */
export interface HealthReading {
  readonly from: string;
  readonly to: string;
  /** The repository key on its source, as the edges list them. */
  readonly repoKey?: string;
  readonly state: string;
}

export interface HealthOverlay {
  readonly readings: readonly HealthReading[];
}

/**
 * Most severe first: the order the federation state summary aggregates by (as the simulator does,
 * docs/simulator.md "Monitoring contract"). `UNKNOWN` is a state fedctl does not know, or an edge
 * with no reading at all; it ranks just below the two that mean no data flows.
 */
export const HEALTH_STATES = [
  'ERROR',
  'NOT_AVAILABLE',
  'UNKNOWN',
  'PENDING_FS',
  'FULL_SYNC_RUNNING',
  'DELAYED',
  'DISABLED',
  'HEALTHY',
] as const;
export type HealthState = (typeof HEALTH_STATES)[number];
