/**
 * Overlays on the topology graph, as plain data: what a plan does to the edges, and the health
 * the federation status endpoints report for them. `buildGraph` takes both as options.
 */
import { normalizeState } from '../verify/connection-check.js';
import {
  HEALTH_STATES,
  type EdgeGroup,
  type FlowMember,
  type GraphEdge,
  type HealthOverlay,
  type HealthReading,
  type HealthState,
  type PlanMark,
  type PlanOverlay,
  type PlannedRepo,
} from './model.js';
import type { Plan } from '../plan/plan.js';

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
