/**
 * Apply concurrency: `applyPlan` creating 60 repositories on a hub JPD (each with two receiver
 * members) against the simulator, with 20 ms of injected latency on every request the hub serves.
 *
 * Subject: the defaults of `fedctl apply` (parallelism 8, 2 steps at once per JPD).
 * Baseline: the same plan strictly one step at a time (parallelism 1, per JPD 1).
 * Every round (either side) gets a freshly started simulator, so both apply the same plan to the
 * same empty JPDs; starting it, planning and creating the clients are outside the timing.
 *
 * The ratio is subject time / baseline time; its inverse is the speed-up the bounded concurrency
 * buys. All 60 steps write to the same JPD (the hub), so the per-JPD cap of 2 is the binding one
 * and the best possible speed-up is 2x: a ratio near 0.5 means the cap is used fully, and nothing
 * else (the global cap, the client's own per-JPD request cap, the event loop) gets in the way.
 */
import { computePlan } from '../dist/core/plan/plan.js';
import { applyPlan } from '../dist/io/apply/apply.js';
import { createJpdClients } from '../dist/io/jpd-clients.js';
import { startSimulator } from '../dist/sim/index.js';
import { emptyLiveState, tokenVar, topologyFrom, topologyYaml } from './fixtures.mjs';
import { timePair } from './lib.mjs';
import { tokenEnv } from './sim-util.mjs';

const REPOS = 60;
const LATENCY_MS = 20;

export async function applyBenchmarks(record, { samples, track }) {
  const world = async () => {
    const sim = track(
      await startSimulator({ jpds: [{ name: 'hub' }, { name: 'eu' }, { name: 'us' }] }),
    );
    try {
      sim.jpd('hub').setFaults({ latencyMs: LATENCY_MS });
      const env = tokenEnv(sim, tokenVar);
      const topology = topologyFrom(
        topologyYaml({
          jpds: sim.jpds.map((j) => j.name),
          urls: Object.fromEntries(sim.jpds.map((j) => [j.name, j.url])),
          sources: ['hub'],
          reposPerSource: REPOS,
          membersPerRepo: 2,
          modes: 'receiver',
        }),
        env,
      );
      // The simulator starts empty, so this is the plan `fedctl plan` would make.
      const plan = computePlan(topology, emptyLiveState(topology), { allowDelete: false });
      const clients = createJpdClients(topology, { env, topologyPath: 'bench.yaml' });
      return { sim, topology, plan, clients };
    } catch (error) {
      await sim.stop();
      throw error;
    }
  };
  const apply = (parallelism, perJpd) => async (w) => {
    const result = await applyPlan(w.plan, w.topology, (n) => w.clients.get(n), {
      parallelism,
      perJpd,
    });
    const bad = result.outcomes.filter((o) => o.status !== 'applied');
    if (bad.length > 0 || result.outcomes.length !== REPOS) {
      const first = bad[0];
      throw new Error(
        `apply left ${bad.length} of ${result.outcomes.length} actions unapplied${first === undefined ? '' : `: ${first.status} ${first.error ?? first.reason ?? ''}`}`,
      );
    }
    return result.outcomes.length;
  };

  await record(
    {
      id: 'apply.create-60',
      subject: 'applyPlan, parallelism 8, per JPD 2 (the defaults)',
      baseline: 'applyPlan, parallelism 1, per JPD 1',
      size: `${REPOS} create-repository steps on one hub (2 receiver members), +${LATENCY_MS} ms per hub request`,
      meaning:
        'ratio = parallel / serial time; 1/ratio is the speed-up bounded concurrency buys (at most 2x here: one JPD, per-JPD cap 2)',
    },
    () =>
      timePair({
        subject: apply(8, 2),
        baseline: apply(1, 1),
        samples,
        warmup: 1,
        setup: world,
        teardown: async (w) => {
          await w.clients.close();
          await w.sim.stop();
        },
      }),
  );
}
