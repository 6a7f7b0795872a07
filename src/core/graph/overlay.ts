/**
 * Overlays on the topology graph, as plain data: what a plan does to the edges, and the health
 * the federation status endpoints report for them. `buildGraph` takes both as options.
 */
import { normalizeState } from '../verify/connection-check.js';
import type { EdgeGroup, FlowMember, GraphEdge, PlanMark } from './graph.js';
import type { Plan } from '../plan/plan.js';

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
 * The overlay of a computed plan: each repository it writes, with the declared members it had
 * before (a create has none). Members no topology JPD names are not drawn, so they are left out.
 * A deletion carries no member list in the plan, so its edges are not shown as removed.
 */
export function planOverlay(plan: Pick<Plan, 'changes'>): PlanOverlay {
  return {
    repos: plan.changes.map((c): PlannedRepo => {
      const base = { source: c.jpd, key: c.repoKey };
      if (c.before === undefined) return base;
      const before: FlowMember[] = [];
      for (const m of c.before) {
        if (m.jpd !== undefined) before.push({ jpd: m.jpd, mode: m.mode, enabled: m.enabled });
      }
      return { ...base, before };
    }),
  };
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

const RANK: ReadonlyMap<string, number> = new Map(HEALTH_STATES.map((s, i) => [s, i]));

/** Marks each edge after the plan against the edges before it, and adds the removed ones. */
export function markPlanEdges(
  after: ReadonlyMap<string, EdgeGroup>,
  before: ReadonlyMap<string, EdgeGroup>,
): { group: EdgeGroup; plan?: PlanMark }[] {
  const marked: { group: EdgeGroup; plan?: PlanMark }[] = [];
  for (const [key, group] of after) {
    const was = before.get(key);
    if (was === undefined) marked.push({ group, plan: 'add' });
    else if (!sameSet(was.repos, group.repos)) marked.push({ group, plan: 'change' });
    else marked.push({ group });
  }
  for (const [key, group] of before) {
    if (!after.has(key)) marked.push({ group, plan: 'remove' });
  }
  return marked;
}

/**
 * Each edge gets the most severe state read on its directions (both for a two-way edge).
 * Receiving-only readings are skipped: that direction carries no data, so no edge draws it. A
 * state outside HEALTH_STATES counts as UNKNOWN, and so does an edge nothing was read for.
 */
export function markHealth(
  edges: readonly GraphEdge[],
  overlay: HealthOverlay,
): readonly GraphEdge[] {
  const byDirection = new Map<string, HealthReading[]>();
  for (const reading of overlay.readings) {
    // The same tolerant reading as verification: `Receiving Only`, `receiving_only`, ...
    if (normalizeState(reading.state) === 'RECEIVING_ONLY') continue;
    const key = `${reading.from}\u0000${reading.to}`;
    const list = byDirection.get(key) ?? [];
    list.push(reading);
    byDirection.set(key, list);
  }
  return edges.map((edge): GraphEdge => {
    const directions = [`${edge.from}\u0000${edge.to}`];
    if (edge.direction === 'two-way') directions.push(`${edge.to}\u0000${edge.from}`);
    const repos = new Set(edge.repos);
    let worst: HealthState | undefined;
    for (const direction of directions) {
      for (const reading of byDirection.get(direction) ?? []) {
        if (reading.repoKey !== undefined && !repos.has(reading.repoKey)) continue;
        const state = healthState(reading.state);
        if (worst === undefined || rank(state) < rank(worst)) worst = state;
      }
    }
    return { ...edge, health: worst ?? 'UNKNOWN' };
  });
}

/** The reported state, read as verification reads it (case, `_` or space), or UNKNOWN. */
export function healthState(state: string): HealthState {
  const canonical = normalizeState(state);
  return HEALTH_STATES.find((s) => s === canonical) ?? 'UNKNOWN';
}

function rank(state: HealthState): number {
  return RANK.get(state) ?? 0;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
