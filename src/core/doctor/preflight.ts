/**
 * The checks `plan` and `apply` make before any write, from the same rules as `fedctl doctor`
 * (./needs.ts) and only for what the plan writes, so a plan with nothing to do costs no request:
 *   - a receiver member the plan creates, adds or switches to needs RTFS on both of its ends;
 *     a JPD on the legacy engine (or still migrating) is a blocker naming it, its version and
 *     engine, and the members;
 *   - creates that would go in batches to a JPD before batch create (7.84.3) are written one
 *     repository per request (io/apply/batch.ts); a note says so.
 * Pure: the reads come in as arguments.
 */
import type { Plan } from '../plan/plan.js';
import { compareCodeUnits } from '../topology/model.js';
import { plannedReceivers, receiverBlockers, type Blocker, type EngineFact } from './needs.js';
import { SINCE, versionAtLeast } from './version.js';

/** The JPDs whose engine, and whose version, the preflight needs. */
export interface PreflightReads {
  readonly engines: readonly string[];
  readonly versions: readonly string[];
}

/** Creates per JPD, for the ones with enough to batch. */
function batchedCreates(plan: Pick<Plan, 'actions'>, batchSize: number): Map<string, number> {
  const creates = new Map<string, number>();
  if (batchSize < 2) return creates;
  for (const a of plan.actions) {
    if (a.type === 'create-repository') creates.set(a.jpd, (creates.get(a.jpd) ?? 0) + 1);
  }
  for (const [jpd, n] of creates) if (n < 2) creates.delete(jpd);
  return creates;
}

export function preflightReads(plan: Pick<Plan, 'actions'>, batchSize: number): PreflightReads {
  const engines = new Set<string>();
  for (const edge of plannedReceivers(plan.actions)) engines.add(edge.source).add(edge.member);
  return {
    engines: [...engines].sort(compareCodeUnits),
    versions: [...batchedCreates(plan, batchSize).keys()].sort(compareCodeUnits),
  };
}

export interface PreflightInput {
  readonly plan: Pick<Plan, 'actions'>;
  readonly batchSize: number;
  readonly engines: ReadonlyMap<string, EngineFact>;
  /** Versions read; a JPD whose version could not be read is absent. */
  readonly versions: ReadonlyMap<string, string>;
}

export interface PreflightResult {
  readonly blockers: readonly Blocker[];
  /** One line each: what fedctl will do differently, and why. */
  readonly notes: readonly string[];
}

export function judgePreflight(input: PreflightInput): PreflightResult {
  const blockers = receiverBlockers(plannedReceivers(input.plan.actions), (jpd) =>
    input.engines.get(jpd),
  );
  const notes: string[] = [];
  for (const [jpd, n] of batchedCreates(input.plan, input.batchSize)) {
    const version = input.versions.get(jpd);
    if (version === undefined || versionAtLeast(version, SINCE.batchCreate)) continue;
    notes.push(
      `${jpd} runs Artifactory ${version}, before batch create (${SINCE.batchCreate}): its ${n} new repositories are created one per request`,
    );
  }
  return { blockers, notes };
}

/** The error text: one line per blocker, the first saying that nothing was written. */
export function preflightMessage(blockers: readonly Blocker[]): string {
  const lines = blockers.map((b) => b.message);
  if (lines.length === 1) return `${lines[0] ?? ''} (nothing was changed)`;
  return `the topology needs what ${lines.length} JPDs cannot do (nothing was changed):\n${lines.map((l) => `  ${l}`).join('\n')}`;
}
