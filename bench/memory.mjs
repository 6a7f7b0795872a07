/**
 * Memory: retained heap of holding a plan, versus holding the live state it was computed from.
 *
 * Retained heap = `heapUsed` after a full GC while the value is held, minus `heapUsed` after a full
 * GC just before it was built. Peak heap during planning is not measured: Node has no reliable
 * per-call peak, and a number that depends on when the GC happened to run would not be honest.
 *
 * Baseline: a fresh deep copy (structuredClone) of the converged live state of the 500 x 9
 * topology, i.e. what `fetchLiveState` leaves in memory for every `fedctl plan` (10 JPDs, each
 * holding every repository it takes part in). fedctl holds that anyway, so the ratio says how
 * much a plan adds on top of the state it must read: well below 1 means the plan is small next to
 * its input; above 1 means the plan costs more memory than the data it describes.
 *
 * Subjects: the biggest plan the topology can produce (everything to create, 500 creates with
 * 10 members each, against an empty live state), and the drift plan (one mode change on every
 * repository, with before/after member lists) computed against a full live state. Both plans
 * share strings with the topology (held anyway), so only what the planner allocates is counted.
 */
import { computePlan } from '../dist/core/plan/plan.js';
import { memoryPair } from './lib.mjs';

export async function memoryBenchmarks(record, { samples, inputs }) {
  const { topology, converged, drifted, empty } = inputs;
  const opts = { allowDelete: false };
  const baseline = () => globalThis.structuredClone(converged);
  const common = {
    baseline: 'structuredClone of the converged live state (what a plan reads and holds)',
    size: `${topology.repos.length} repos x ${topology.repos[0].members.length} members; live: ${Object.keys(converged.jpds).length} JPDs`,
  };
  await record(
    {
      id: 'memory.plan.create-all',
      subject: 'retained heap of the 500-create plan',
      ...common,
      meaning: 'memory of the biggest plan relative to the live state of the same estate',
    },
    async () =>
      memoryPair({ subject: () => computePlan(topology, empty, opts), baseline, samples }),
  );
  await record(
    {
      id: 'memory.plan.drift',
      subject: 'retained heap of the 500-mode-change plan (with before/after lists)',
      ...common,
      meaning: 'memory of a plan that changes every repository, relative to the live state',
    },
    async () =>
      memoryPair({ subject: () => computePlan(topology, drifted, opts), baseline, samples }),
  );
}
