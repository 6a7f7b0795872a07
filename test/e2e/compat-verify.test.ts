/**
 * Verification decides early: a member held in ERROR, or NOT_AVAILABLE past the grace
 * period, fails its repository within the grace period plus one poll, naming the repository,
 * member, state, lag and queued events. The state is held with the simulator's connection
 * override control, on the JPD that sends over the connection.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parseDocument } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const validReport = new Ajv({ strict: true, allErrors: true }).compile(
  JSON.parse(readFileSync('schemas/apply-report.schema.json', 'utf8')) as object,
);

const cli = (w: SimWorld, ...argv: string[]) =>
  runCli(argv, {
    env: { ...w.env, FEDCTL_HTTP_RETRIES: '1', FEDCTL_HTTP_RETRY_DELAY_MS: '20' },
    cwd: w.dir,
  });

/** The verifier's longest wait between two polls (io/verify/verify.ts). */
const ONE_POLL_MS = 5_000;
const TIMEOUT = '120s';

/**
 * A federation applied without verification, then a change to it (a description), so the next
 * apply writes and verifies while the override holds.
 */
async function appliedOneSpoke(): Promise<SimWorld> {
  const w = await simulateTopology('test/fixtures/topologies/one-spoke.yaml');
  expect((await cli(w, 'apply', '--auto-approve', '--no-verify')).code).toBe(0);
  const doc = parseDocument(await readFile(w.file, 'utf8'));
  doc.setIn(['federations', 0, 'description'], 'Release builds');
  await writeFile(w.file, doc.toString());
  return w;
}

async function timedApply(w: SimWorld, graceS: number) {
  const started = performance.now();
  const result = await cli(
    w,
    'apply',
    '--auto-approve',
    '--format',
    'json',
    '--verify-timeout',
    TIMEOUT,
    '--verify-grace',
    `${graceS}s`,
  );
  return { ...result, ms: performance.now() - started };
}

describe('verification fails early', () => {
  it('a member held in ERROR fails apply within the grace period plus one poll', async () => {
    world = await appliedOneSpoke();
    world.sim.jpd('hub').setConnectionOverride({
      repoKey: 'libs-release',
      target: 'eu',
      status: 'ERROR',
      lagInMs: 90_000,
      queuedEvents: 7,
    });
    const graceS = 3;
    const result = await timedApply(world, graceS);
    expect(result.code).toBe(1);
    expect(result.ms).toBeLessThan(graceS * 1000 + ONE_POLL_MS);
    expect(result.stderr).toContain(
      'hub/libs-release: FAILED: member eu (hub -> eu) is ERROR, lag 90000 ms, 7 queued events',
    );
    expect(result.stderr).toContain('Not verified: 1 repository failed (marked FAILED above).');
    const report = JSON.parse(result.stdout) as unknown;
    expect(validReport(report)).toBe(true);
    expect(report).toMatchObject({
      converged: false,
      remainingChanges: 0,
      verification: [
        {
          jpd: 'hub',
          repoKey: 'libs-release',
          status: 'failed',
          checks: [
            { member: 'eu', direction: 'send', actual: 'ERROR', lagInMs: 90_000, queuedEvents: 7 },
            { member: 'eu', direction: 'receive', actual: 'Receiving_Only' },
          ],
        },
      ],
    });
  });

  it('ERROR on the receiver -> source entry fails too, naming that direction', async () => {
    world = await appliedOneSpoke();
    world.sim.jpd('eu').setConnectionOverride({
      repoKey: 'libs-release',
      target: 'hub',
      status: 'ERROR',
      lagInMs: 1_200,
      queuedEvents: 2,
    });
    const result = await timedApply(world, 3);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'hub/libs-release: FAILED: member eu (eu -> hub) is ERROR, lag 1200 ms, 2 queued events',
    );
  });

  it('NOT_AVAILABLE fails once it outlasts the grace period, not the timeout', async () => {
    world = await appliedOneSpoke();
    world.sim.jpd('hub').setConnectionOverride({
      repoKey: 'libs-release',
      target: 'eu',
      status: 'NOT_AVAILABLE',
      lagInMs: 4_000,
      queuedEvents: 3,
    });
    const graceS = 1;
    const result = await timedApply(world, graceS);
    expect(result.code).toBe(1);
    expect(result.ms).toBeGreaterThanOrEqual(graceS * 1000);
    expect(result.ms).toBeLessThan(graceS * 1000 + ONE_POLL_MS);
    expect(result.stderr).toMatch(
      /hub\/libs-release: FAILED: member eu \(hub -> eu\) is NOT_AVAILABLE for [\d.]+s, past the 1s grace period, lag 4000 ms, 3 queued events/,
    );
  });

  it('NOT_AVAILABLE that clears within the grace period converges', async () => {
    world = await appliedOneSpoke();
    const hub = world.sim.jpd('hub');
    hub.setConnectionOverride({ repoKey: 'libs-release', target: 'eu', status: 'NOT_AVAILABLE' });
    setTimeout(() => hub.clearConnectionOverrides(), 600);
    const result = await timedApply(world, 30);
    expect(result.stderr).toContain('Verified: 1 repository converged; plan shows no changes.');
    expect(result.code).toBe(0);
  });

  it('a connection reporting N/A (no federation status) is unverified: exit 0 under auto', async () => {
    world = await appliedOneSpoke();
    const hub = world.sim.jpd('hub');
    hub.setConnectionOverride({ repoKey: 'libs-release', target: 'eu', status: 'N/A' });
    const auto = await timedApply(world, 3);
    expect(auto.stderr).toMatch(
      /hub\/libs-release: unverified: member eu \(hub -> eu\) reports N\/A: no federation status for this connection/,
    );
    expect(auto.code).toBe(0);
  });
});

describe('a state nobody documented', () => {
  it('is shown verbatim and never counted as converged', async () => {
    world = await appliedOneSpoke();
    world.sim
      .jpd('hub')
      .setConnectionOverride({ repoKey: 'libs-release', target: 'eu', status: 'SYNC_PAUSED' });
    const result = await cli(world, 'apply', '--auto-approve', '--verify-timeout', '1s');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SYNC_PAUSED');
    expect(result.stderr).not.toContain('Verified:');
  });
});

describe('verify options', () => {
  it.each([
    [['--verify', 'maybe'], '--verify must be auto or strict, not "maybe"'],
    [['--verify', 'strict', '--no-verify'], '--verify and --no-verify exclude each other'],
    [['--verify-grace', 'soon'], '--verify-grace: expected a duration such as 50ms, 90s or 5m'],
  ])('apply %j is a usage error before anything is read', async (args, message) => {
    const result = await runCli(['apply', '-f', 'no-such-file.yaml', ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('no-such-file');
  });
});
