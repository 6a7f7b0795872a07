import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { connections, eventually } from '../sim/helpers.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});
const validReport = new Ajv({ strict: true, allErrors: true }).compile(
  JSON.parse(readFileSync('schemas/apply-report.schema.json', 'utf8')) as object,
);
/** The JSON report, checked against its published schema. */
function report(stdout: string): unknown {
  const data = JSON.parse(stdout) as unknown;
  const valid = validReport(data);
  expect(validReport.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
  return data;
}
const cli = (w: SimWorld, ...argv: string[]) =>
  runCli(argv, {
    // Few, short retries: a JPD that is down is found out in well under a second.
    env: { ...w.env, FEDCTL_HTTP_RETRIES: '1', FEDCTL_HTTP_RETRY_DELAY_MS: '20' },
    cwd: w.dir,
  });

describe.each([
  ['examples/hub-two-receivers.yaml', 'Apply: 5 applied, 0 failed, 0 skipped.', 3],
  ['examples/mixed-modes-option-b.yaml', 'Apply: 5 applied, 0 failed, 0 skipped.', 3],
  ['examples/two-hubs-regional.yaml', 'Apply: 7 applied, 0 failed, 0 skipped.', 3],
])('apply %s', (example, summary, repositories) => {
  it('converges and verifies, and a second apply changes nothing', async () => {
    world = await simulateTopology(example);
    const first = await cli(
      world,
      'apply',
      '--auto-approve',
      '--verify-timeout',
      '30s',
      '--format',
      'json',
    );
    expect(first.stderr).toContain(summary);
    expect(first.stderr).toContain(
      `Verified: ${repositories} repositories converged; plan shows no changes.`,
    );
    expect(first.code).toBe(0);
    expect(report(first.stdout)).toMatchObject({
      converged: true,
      remainingChanges: 0,
      summary: { failed: 0, skipped: 0 },
      verification: Array.from({ length: repositories }, () => ({ converged: true })),
    });
    const second = await cli(world, 'apply', '--auto-approve');
    expect(second).toMatchObject({ code: 0, stdout: 'No changes. The JPDs match the topology.\n' });
  });
});

describe('partial failure', () => {
  it('a spoke going down mid-apply gives a partial result; the re-run converges', async () => {
    world = await simulateTopology('federation.yaml');
    // eu is readable for the plan, then its trust endpoint goes down as apply pairs with it.
    world.sim
      .jpd('eu')
      .setFaults({ drops: [{ rate: 1, path: '/artifactory/api/v1/service_trust/*' }] });

    const partial = await cli(world, 'apply', '--auto-approve', '--format', 'json');
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain('Apply: 1 applied, 1 failed, 2 skipped.');
    expect(partial.stderr).toMatch(
      /failed: {2}pairing hub -> eu \(receiving-only token, \/federated-repo\/r\): eu: PUT \/artifactory\/api\/v1\/service_trust\/pairing\/federated-repo\/r/,
    );
    expect(partial.stderr).toContain(
      'skipped: hub/libs-release: repository hub/libs-release (generic, 2 members): needs pairing hub -> eu, which did not succeed',
    );
    expect(partial.stderr).toContain('it continues from where this run stopped');
    expect(report(partial.stdout)).toMatchObject({
      summary: { planned: 4, applied: 1, failed: 1, skipped: 2 },
      converged: false,
    });

    // eu is back: the re-run plans what is left and applies it. The hub -> us pairing is planned
    // again: no federation proves it yet (there is no API to read pairings), and pairing twice
    // only issues a fresh master token.
    world.sim.jpd('eu').clearFaults();
    const plan = await cli(world, 'plan');
    expect(plan.stdout).toContain(
      'Plan: 2 pairings, 2 repositories to create, 0 to change, 0 to delete.',
    );
    const rerun = await cli(world, 'apply', '--auto-approve', '--verify-timeout', '30s');
    expect(rerun.stderr).toContain('Apply: 4 applied, 0 failed, 0 skipped.');
    expect(rerun.stderr).toContain('Verified: 2 repositories converged; plan shows no changes.');
    expect(rerun.code).toBe(0);
  });

  it('a JPD that is down before the plan stops everything with one clear line', async () => {
    world = await simulateTopology('federation.yaml');
    world.sim.jpd('us').setOffline(true);
    const result = await cli(world, 'apply', '--auto-approve');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    // The first request to us is the apply lock's create (docs/locking.md), before any read.
    expect(result.stderr).toMatch(
      /^fedctl: us: (GET|PUT) \/artifactory\/api\/repositories[^\n]*\n$/,
    );
    expect(result.stderr).not.toContain('    at ');
    for (const name of ['hub', 'eu']) {
      const state = world.sim.jpd(name).dumpState() as {
        repositories: unknown[];
        trust: unknown[];
      };
      expect(state.repositories).toEqual([]);
      expect(state.trust).toEqual([]);
    }
  });
});

describe('a member declared disabled', () => {
  it('is disabled on apply, verified DISABLED, and a re-plan is empty', async () => {
    world = await simulateTopology('federation.yaml');
    expect((await cli(world, 'apply', '--auto-approve')).code).toBe(0);
    const text = await readFile(world.file, 'utf8');
    await writeFile(
      world.file,
      text.replace(/( {6}- jpd: us\n {8}mode: receiver)/, '$1\n        enabled: false'),
    );
    const plan = await cli(world, 'plan');
    expect(plan.stdout).toContain('~ disable member us (its federation traffic is held)');
    const apply = await cli(world, 'apply', '--auto-approve', '--verify-timeout', '30s');
    expect(apply.stderr).toContain('Verified: 2 repositories converged; plan shows no changes.');
    expect(apply.code).toBe(0);
    const hub = world.sim.jpds.find((j) => j.name === 'hub');
    const res = await fetch(`${hub?.url ?? ''}/artifactory/api/repositories/libs-release`, {
      headers: { authorization: `Bearer ${hub?.token ?? ''}` },
    });
    const { members } = (await res.json()) as { members: { url: string; enabled: boolean }[] };
    const us = world.sim.jpds.find((j) => j.name === 'us');
    expect(members.find((m) => m.url.startsWith(us?.url ?? '-'))?.enabled).toBe(false);
  });
});

describe('verification', () => {
  it('lists what did not converge in time and exits 1; the federation catches up once the member is back', async () => {
    world = await simulateTopology('test/fixtures/topologies/one-spoke.yaml');
    // The hub can write its configuration, but federation traffic to eu is lost.
    world.sim
      .jpd('eu')
      .setFaults({ drops: [{ rate: 1, path: '/artifactory/api/federation/peer/*' }] });
    const result = await cli(world, 'apply', '--auto-approve', '--verify-timeout', '1s');
    expect(result.stderr).toContain('Apply: 2 applied, 0 failed, 0 skipped.');
    expect(result.stderr).toMatch(
      /hub\/libs-release: NOT CONVERGED: eu (NOT_AVAILABLE|PENDING_FS|not listed) \(want HEALTHY or Receiving_Only\)/,
    );
    expect(result.stderr).toContain('Not verified within 1s');
    expect(result.code).toBe(1);

    // The configuration was applied on the hub, but its push to eu was lost: the hub lists the
    // repository in inconsistentRepos until a push reaches eu, so the next apply repairs it with a
    // configSync of its own (unless the hub's own retry got there first); then nothing is left,
    // the federation catches up and the status endpoint shows it.
    world.sim.jpd('eu').clearFaults();
    const repair = await cli(world, 'apply', '--auto-approve');
    expect(repair.code, repair.stderr).toBe(0);
    expect(repair.stdout).toMatch(
      /^(No changes\. The JPDs match the topology\.|[^]*, 1 configuration to sync\.[^]*)\n$/,
    );
    expect(await cli(world, 'plan')).toMatchObject({
      code: 0,
      stdout: 'No changes. The JPDs match the topology.\n',
    });
    const hub = world.sim.jpd('hub');
    await eventually(
      async () => (await connections(hub, 'libs-release')).map((c) => c.status).sort(),
      (states) => states.join() === 'HEALTHY,Receiving_Only',
      { timeoutMs: 15_000 },
    );
  });
});

describe('pairing', () => {
  it('issues the pairing token again when it expires between the two pairing steps', async () => {
    let offsetMs = 0;
    const source = join(process.cwd(), 'test/fixtures/topologies/one-spoke.yaml');
    world = await simulateTopology(source, { clock: { now: () => Date.now() + offsetMs } });
    // eu answers slowly, so the token can expire between issue (on hub) and exchange (on eu).
    world.sim.jpd('eu').setFaults({ latencyMs: 300 });
    const w = world;
    const apply = cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s');
    await eventually(
      () => Promise.resolve(w.sim.jpd('hub').dumpState() as { pairingTokens: unknown[] }),
      (state) => state.pairingTokens.length > 0,
    );
    offsetMs += 400_000; // past the 300 s lifetime
    const result = await apply;
    expect(result.stderr).toMatch(
      /pairing hub -> eu: eu refused the pairing token \(400: [^\n]*expired\); issuing a fresh one and trying once more/,
    );
    expect(result.stderr).toContain('Verified: 1 repository converged; plan shows no changes.');
    expect(result.code).toBe(0);
    const hub = w.sim.jpd('hub').dumpState() as { pairingTokens: { used: boolean }[] };
    expect(hub.pairingTokens.map((t) => t.used)).toEqual([false, true]);
  });
});

describe('confirmation', () => {
  it('refuses without a terminal or --auto-approve (the prompt itself: test/e2e/prompt.test.ts)', async () => {
    world = await simulateTopology('federation.yaml');
    const noTty = await cli(world, 'apply');
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toContain('in CI pass --auto-approve');
    expect((world.sim.jpd('hub').dumpState() as { repositories: unknown[] }).repositories).toEqual(
      [],
    );
  });
});
