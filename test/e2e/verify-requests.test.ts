/**
 * Verification with the fewest calls: one stateList per source JPD decides every
 * repository it shows healthy; connectionStates only for the others. Counted on the simulator for
 * a converged estate, then with one repository held in ERROR.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createJpdClients } from '../../src/io/jpd-clients.js';
import { loadTopology, requireTopology } from '../../src/io/topology-loader.js';
import { waitForConnections } from '../../src/io/verify/verify.js';
import { runCli } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function verifyCounting(w: SimWorld) {
  const loaded = await loadTopology(w.file, { cwd: w.dir, env: w.env, unsetEnv: 'error' });
  const topology = requireTopology(loaded);
  const clients = createJpdClients(topology, { env: w.env, topologyPath: loaded.path });
  const requests: string[] = [];
  try {
    const repos = topology.repos.map((r) => ({ jpd: r.source, repoKey: r.key }));
    const result = await waitForConnections(topology, repos, (n) => clients.get(n), {
      timeoutMs: 5_000,
      graceMs: 1_000,
      intervalMs: 50,
      onRequest: (jpd, endpoint) => requests.push(`${jpd} ${endpoint}`),
    });
    return { result, requests };
  } finally {
    await clients.close();
  }
}

describe('verification requests', () => {
  it('a converged estate is verified with one stateList per source JPD and nothing else', async () => {
    world = await simulateTopology('examples/two-hubs-regional.yaml');
    const apply = await runCli(['apply', '--auto-approve'], { env: world.env, cwd: world.dir });
    expect(apply.code).toBe(0);
    const { result, requests } = await verifyCounting(world);
    expect(result.map((r) => r.status)).toEqual(result.map(() => 'converged'));
    const sources = [...new Set(result.map((r) => r.jpd))].sort();
    expect(sources.length).toBeGreaterThan(1);
    expect(requests.sort()).toEqual(sources.map((jpd) => `${jpd} stateList`));
  });

  it('only a repository stateList does not show healthy gets its connectionStates read', async () => {
    world = await simulateTopology('federation.yaml');
    const apply = await runCli(['apply', '--auto-approve'], { env: world.env, cwd: world.dir });
    expect(apply.code).toBe(0);
    world.sim.jpd('hub').setConnectionOverride({
      repoKey: 'libs-snapshot',
      target: 'eu',
      status: 'ERROR',
      lagInMs: 5_000,
      queuedEvents: 3,
    });
    const { result, requests } = await verifyCounting(world);
    expect(result.map((r) => `${r.repoKey} ${r.status}`).sort()).toEqual([
      'libs-release converged',
      'libs-snapshot failed',
    ]);
    expect(requests.sort()).toEqual(['hub connectionStates', 'hub stateList']);
  });
});
