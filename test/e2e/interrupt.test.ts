/**
 * Ctrl-C and SIGTERM during apply, sent as real signals to a real fedctl process: the first one
 * starts no new step and lets the one in flight finish, then prints the summary; a second one
 * stops at once. The simulated JPDs answer slowly so that the signal lands mid-apply.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { spawnFedctl } from '../support/spawn.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

interface State {
  repositories: { key: string }[];
  pairingTokens: { used: boolean }[];
}
// dumpState is the simulator's whole state; these are the two parts the test reads.
const state = (w: SimWorld, jpd: string): State => w.sim.jpd(jpd).dumpState() as unknown as State;

/** One step at a time, so that when the first has started every other one is still waiting. */
const SERIAL = ['--parallelism', '1', '--jpd-parallelism', '1'];

async function slowWorld(latencyMs: number): Promise<SimWorld> {
  const w = await simulateTopology('federation.yaml');
  for (const name of ['hub', 'eu', 'us']) w.sim.jpd(name).setFaults({ latencyMs });
  return w;
}

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('apply receives %s mid-apply', (signal, code) => {
  it(`lets the step in flight finish, starts nothing else, lists what did not start, exits ${code}; a re-run converges`, async () => {
    world = await slowWorld(150);
    const w = world;
    const fedctl = spawnFedctl(['apply', '-f', w.file, '--auto-approve', ...SERIAL], {
      env: w.env,
    });
    await fedctl.waitFor('pairing hub -> eu: started');
    fedctl.child.kill(signal);
    expect(await fedctl.exit).toBe(code);

    const err = fedctl.stderr();
    expect(err).toContain(`fedctl: ${signal} received: no new step starts`);
    // The step in flight finished: its pairing token was issued and exchanged, not abandoned.
    expect(err).toContain('pairing hub -> eu: applied');
    expect(state(w, 'hub').pairingTokens.map((t) => t.used)).toEqual([true]);
    expect(err).toContain('Apply: 1 applied, 0 failed, 0 skipped, 3 interrupted.');
    // One line per JPD for what did not start, and no line per unstarted step.
    expect(err).toContain(
      'Apply: 1 applied, 0 failed, 0 skipped, 3 interrupted.\n  not started on hub: 3 actions (pairing hub -> us, libs-release, libs-snapshot)\n',
    );
    expect(err).not.toContain(': interrupted (');
    expect(err).toContain(`Interrupted by ${signal}`);
    expect(state(w, 'hub').repositories).toEqual([]);

    for (const name of ['hub', 'eu', 'us']) w.sim.jpd(name).clearFaults();
    const rerun = await runCli(['apply', '--auto-approve', '--verify-timeout', '30s'], {
      env: w.env,
      cwd: w.dir,
    });
    expect(rerun.stderr).toContain('Verified: 2 repositories converged; plan shows no changes.');
    expect(rerun.code).toBe(0);
  });
});

describe('a second signal', () => {
  it('stops at once, without waiting for the step in flight', async () => {
    // Long enough that the step in flight cannot finish between the two signals.
    world = await slowWorld(1_500);
    const fedctl = spawnFedctl(['apply', '-f', world.file, '--auto-approve', ...SERIAL], {
      env: world.env,
    });
    await fedctl.waitFor('pairing hub -> eu: started', 30_000);
    fedctl.child.kill('SIGINT');
    await fedctl.waitFor('SIGINT received');
    fedctl.child.kill('SIGINT');
    expect(await fedctl.exit).toBe(130);
    const err = fedctl.stderr();
    expect(err).toContain('fedctl: SIGINT again: stopping at once');
    expect(err).not.toContain('pairing hub -> eu: applied');
    expect(err).not.toContain('Apply: ');
  }, 60_000);
});
