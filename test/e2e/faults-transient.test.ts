/**
 * Fault matrix, transient faults: against the simulator, with faults on fedctl's own
 * requests to every JPD. Each must be absorbed by retries within the time budget, so ONE apply
 * run converges (under 50% 429s it used to take 4 runs and 150 s), and the end state is exactly
 * the topology plus the foreign member fedctl must leave alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Faults } from '../../src/sim/index.js';
import type { SimWorld } from '../support/sim-topology.js';
import { API_PATHS, cli, expectConverged, pendingWorld } from './fault-world.js';

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const JPDS = ['hub', 'eu', 'us'];

describe.each<[string, Partial<Faults>]>([
  [
    'a 429 storm (50% of requests, Retry-After: 1)',
    {
      errors: API_PATHS.map((path) => ({ status: 429, rate: 0.5, retryAfterSeconds: 1, path })),
    },
  ],
  [
    '5% 503 on every request, federation traffic included',
    { errors: [{ status: 503, rate: 0.05 }] },
  ],
  [
    'connection resets on 10% of requests',
    { drops: API_PATHS.map((path) => ({ rate: 0.1, path })) },
  ],
])('%s', (_name, faults) => {
  it(
    'converges in one apply run, and only what the plan named changed',
    { timeout: 90_000 },
    async () => {
      world = await pendingWorld();
      const w = world;
      for (const name of JPDS) w.sim.jpd(name).setFaults(faults);
      const apply = await cli(w, 'apply', '--auto-approve', '--verify-timeout', '60s');
      expect(apply.stderr).toContain('Apply: 2 applied, 0 failed, 0 skipped.');
      expect(apply.stderr).toContain('Verified: 2 repositories converged; plan shows no changes.');
      expect(apply.code).toBe(0);
      for (const name of JPDS) w.sim.jpd(name).clearFaults();
      await expectConverged(w);
    },
  );
});
