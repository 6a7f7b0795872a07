/**
 * Fault matrix, interruptions: a spoke going offline mid-apply, the apply process
 * killed with SIGKILL mid-apply, a stale saved plan, an expired pairing token. The interrupted run
 * may fail; the next `fedctl apply` must converge, with exactly the topology live and every
 * foreign member kept.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connections, eventually } from '../sim/helpers.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';
import { cli, cliWith, expectConverged, PENDING, pendingWorld } from './fault-world.js';

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const hasRepo = (w: SimWorld, jpd: string, key: string) => () =>
  Promise.resolve(
    (w.sim.jpd(jpd).dumpState() as { repositories: { key: string }[] }).repositories.some(
      (r) => r.key === key,
    ),
  );

describe('interrupted applies', () => {
  it(
    'a spoke going offline mid-apply: the run fails, the next one converges',
    { timeout: 60_000 },
    async () => {
      world = await pendingWorld();
      const w = world;
      // Slow writes on the hub, so eu can drop out between the first write and the last.
      w.sim.jpd('hub').setFaults({ latencyMs: 150 });
      // A short retry budget: the default 2m would (rightly) wait for eu to come back.
      const apply = cliWith(
        w,
        { FEDCTL_HTTP_RETRY_BUDGET: '2s' },
        'apply',
        '--auto-approve',
        '--verify-timeout',
        '2s',
      );
      await eventually(hasRepo(w, 'hub', 'libs-new'), (created) => created, { timeoutMs: 20_000 });
      w.sim.jpd('eu').setOffline(true);
      const interrupted = await apply;
      expect(interrupted.code).toBe(1);
      expect(interrupted.stderr).not.toMatch(/^\s+at /m);

      // The lock on eu could not be released while eu was down; the run said how to remove it.
      const id = /run fedctl unlock ([0-9a-f]{12})/.exec(interrupted.stderr)?.[1] ?? '';
      expect(interrupted.stderr).toContain(`fedctl: could not release the lock on eu (`);
      w.sim.jpd('eu').setOffline(false);
      w.sim.jpd('hub').clearFaults();
      expect((await cli(w, 'unlock', id)).code).toBe(0);
      const rerun = await cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s');
      expect(rerun.code).toBe(0);
      // The configuration was written before eu dropped out; the federation catches up by itself.
      await eventually(hasRepo(w, 'eu', 'libs-new'), (created) => created, { timeoutMs: 20_000 });
      await eventually(
        async () => (await connections(w.sim.jpd('hub'), 'libs-new')).map((c) => c.status).sort(),
        (states) => states.join() === 'HEALTHY,HEALTHY,Receiving_Only,Receiving_Only',
        { timeoutMs: 20_000 },
      );
      await expectConverged(w);
    },
  );

  it(
    'kill -9 mid-apply: the next run continues where it stopped',
    { timeout: 60_000 },
    async () => {
      world = await pendingWorld();
      const w = world;
      w.sim.jpd('hub').setFaults({ latencyMs: 300 });
      const child = spawn(
        process.execPath,
        [
          '--import',
          join(process.cwd(), 'test/support/ts-register.mjs'),
          join(process.cwd(), 'src/bin.ts'),
          'apply',
          '--auto-approve',
        ],
        { cwd: w.dir, env: { ...process.env, ...w.env }, stdio: 'ignore' },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) => {
        child.on('exit', (_code, signal) => {
          resolve(signal);
        });
      });
      await eventually(hasRepo(w, 'hub', 'libs-new'), (created) => created, { timeoutMs: 30_000 });
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      w.sim.jpd('hub').clearFaults();
      const rerun = await cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s');
      expect(rerun.stderr).not.toMatch(/^\s+at /m);
      expect(rerun.code).toBe(0);
      await expectConverged(w);
    },
  );

  it(
    'a saved plan gone stale is refused; applying afresh converges',
    { timeout: 60_000 },
    async () => {
      world = await pendingWorld();
      const w = world;
      const saved = await cli(w, 'plan', '--out', 'plan.json');
      expect(saved.stdout).toContain(PENDING);
      // Someone else changes a repository the plan read before it is applied.
      const hub = w.sim.jpds.find((j) => j.name === 'hub');
      if (hub === undefined) throw new Error('no hub');
      const res = await fetch(`${hub.url}/artifactory/api/repositories/libs-snapshot`, {
        method: 'POST',
        headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ description: 'changed behind fedctl' }),
      });
      expect(res.status).toBe(200);
      const stale = await cli(w, 'apply', 'plan.json');
      expect(stale.code).toBe(1);
      expect(stale.stderr).toMatch(/^fedctl: .*(stale|changed since)/m);
      expect(
        (w.sim.jpd('hub').dumpState() as { repositories: { key: string }[] }).repositories.map(
          (r) => r.key,
        ),
      ).not.toContain('libs-new');

      const fresh = await cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s');
      expect(fresh.code).toBe(0);
      await expectConverged(w);
    },
  );
});

describe('trust', () => {
  it(
    'a pairing token that expires before the exchange is issued again: one run',
    { timeout: 60_000 },
    async () => {
      let offsetMs = 0;
      world = await simulateTopology('test/fixtures/topologies/one-spoke.yaml', {
        clock: { now: () => Date.now() + offsetMs },
      });
      const w = world;
      w.sim.jpd('eu').setFaults({ latencyMs: 300 });
      const apply = cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s');
      await eventually(
        () => Promise.resolve(w.sim.jpd('hub').dumpState() as { pairingTokens: unknown[] }),
        (state) => state.pairingTokens.length > 0,
      );
      offsetMs += 400_000; // past the 300 s lifetime
      const result = await apply;
      expect(result.code).toBe(0);
      w.sim.jpd('eu').clearFaults();
      const plan = await cli(w, 'plan', '--detailed-exitcode');
      expect(plan).toMatchObject({ code: 0, stdout: 'No changes. The JPDs match the topology.\n' });
    },
  );

  it(
    'config-lock contention on every second write is retried: one run converges',
    { timeout: 60_000 },
    async () => {
      // The simulator's config-lock dialect answers "Could not merge and save new descriptor" on
      // every second repository write of each JPD, as a 500 (seen on real JPDs with 400 and 500).
      world = await simulateTopology('federation.yaml', {
        dialects: ['config-lock'],
        configLockRate: 0.5,
      });
      const w = world;
      // One write per repository (a batch would make both creates one write, never refused).
      const apply = await cli(
        w,
        'apply',
        '--auto-approve',
        '--verify-timeout',
        '30s',
        '--batch-size',
        '1',
      );
      expect(apply.stderr).toContain('Apply: 4 applied, 0 failed, 0 skipped.');
      expect(apply.code).toBe(0);
      const hub = w.sim.jpd('hub').dumpState() as { configLock: { writes: number } | null };
      // The lock's create, two creates and the lock's delete on the hub: every second write was
      // refused and sent again, so 7 went out.
      expect(hub.configLock?.writes).toBe(7);
      const plan = await cli(w, 'plan', '--detailed-exitcode');
      expect(plan).toMatchObject({ code: 0, stdout: 'No changes. The JPDs match the topology.\n' });
    },
  );
});
