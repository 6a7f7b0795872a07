/**
 * The pairing exchange against the simulator: a refused token
 * is issued again once, whatever the words of the refusal; a peer that was unavailable (the target
 * reports its failed call to the source's exchange URL as a 400) is retried with backoff.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyEvent } from '../../src/io/apply/apply.js';
import { planTopology } from '../../src/io/pipeline.js';
import { runCli } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

let world: SimWorld | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await world?.stop();
  world = undefined;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const EXCHANGE = '/artifactory/api/v1/service_trust/exchange';
const PEER = '/artifactory/api/federation/peer/*';

const cli = (w: SimWorld, ...argv: string[]) =>
  runCli(argv, {
    env: { ...w.env, FEDCTL_HTTP_RETRIES: '4', FEDCTL_HTTP_RETRY_DELAY_MS: '20' },
    cwd: w.dir,
  });

/** A hub and two receiving spokes, `perSpoke` repositories federated to each. */
async function twoSpokes(perSpoke: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fedctl-pairing-'));
  dirs.push(dir);
  const keys = (spoke: string) =>
    Array.from({ length: perSpoke }, (_, i) => `${spoke}-libs-${String(i).padStart(2, '0')}`);
  const file = join(dir, 'federation.yaml');
  await writeFile(
    file,
    `version: 1
defaults: { packageType: generic, mode: receiver }
jpds:
  hub: { url: "http://127.0.0.1:1", token: "\${HUB_TOKEN}" }
  eu: { url: "http://127.0.0.1:2", token: "\${EU_TOKEN}" }
  us: { url: "http://127.0.0.1:3", token: "\${US_TOKEN}" }
trust:
  - { source: hub, target: eu, receivingOnly: true }
  - { source: hub, target: us, receivingOnly: true }
federations:
  - source: hub
    repositories: [${keys('eu').join(', ')}]
    members: [{ jpd: eu }]
  - source: hub
    repositories: [${keys('us').join(', ')}]
    members: [{ jpd: us }]
`,
  );
  return file;
}

describe('pairing exchange retries', () => {
  it('a peer unavailable during the exchange (a 400 from the target) is retried with a fresh token', async () => {
    world = await simulateTopology('test/fixtures/topologies/one-spoke.yaml');
    const hub = world.sim.jpd('hub');
    // Every call eu makes to hub's exchange URL fails until fedctl retries.
    hub.setFaults({ errors: [{ status: 503, rate: 1, path: EXCHANGE }] });
    const io = {
      stdout: { write: () => true, isTTY: false },
      stderr: { write: () => true, isTTY: false },
      stdin: { isTTY: false, readLine: () => Promise.resolve(undefined) },
      env: world.env,
      cwd: world.dir,
    };
    const run = await planTopology(world.file, { allowDelete: false }, io);
    const events: ApplyEvent[] = [];
    try {
      const result = await applyPlan(run.plan, run.topology, (n) => run.clients.get(n), {
        parallelism: 4,
        perJpd: 2,
        retry: {
          maxRetries: 4,
          budgetMs: 60_000,
          minTimeoutMs: 20,
          maxTimeoutMs: 200,
          timeoutFactor: 2,
        },
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'retry') hub.clearFaults();
        },
      });
      expect(result.outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
    } finally {
      await run.close();
    }
    const retries = events.flatMap((e) => (e.type === 'retry' ? [e.message] : []));
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatch(
      /^eu could not complete the exchange \(Failed to establish trust with http:\/\/127\.0\.0\.1:\d+: Service Unavailable\); retrying with a fresh pairing token in 0\.0s \(retry 1\)$/,
    );
    const tokens = hub.dumpState() as { pairingTokens: { used: boolean }[] };
    expect(tokens.pairingTokens.map((t) => t.used)).toEqual([false, true]);
  });

  it('a token refused twice fails with what a pairing token allows', async () => {
    // Each reading of the clock is 400 s after the last: a token is expired by its exchange.
    let reads = 0;
    world = await simulateTopology('test/fixtures/topologies/one-spoke.yaml', {
      clock: { now: () => Date.now() + (reads += 1) * 400_000 },
    });
    const result = await cli(world, 'apply', '--auto-approve');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /pairing hub -> eu: eu refused the pairing token \(400: [^\n]*\); issuing a fresh one and trying once more/,
    );
    expect(result.stderr).toMatch(
      /failed: {2}pairing hub -> eu [^\n]*-> 400: [^\n]*; a fresh pairing token was refused too \(a pairing token lives 5 minutes and can be used only once: issue and exchange it within that time, and never reuse one\)\n/,
    );
    const tokens = world.sim.jpd('hub').dumpState() as { pairingTokens: unknown[] };
    expect(tokens.pairingTokens).toHaveLength(2);
  });

  it('converges on the first run with 5% of exchange and peer requests failing (50 repositories, 2 spokes)', async () => {
    const file = await twoSpokes(25);
    world = await simulateTopology(file, {
      faults: {
        errors: [
          { status: 503, rate: 0.05, path: EXCHANGE },
          { status: 503, rate: 0.05, path: PEER },
        ],
      },
    });
    const result = await cli(world, 'apply', '--auto-approve', '--verify-timeout', '60s');
    expect(result.stderr).toContain('Apply: 52 applied, 0 failed, 0 skipped.');
    expect(result.stderr).toContain('Verified: 50 repositories converged; plan shows no changes.');
    expect(result.code).toBe(0);
  });
});
