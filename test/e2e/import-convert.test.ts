/**
 * Local -> federated as code: a local repository with artifacts, declared with `convert: local`,
 * becomes federated through the documented migrate endpoint, keeps its artifacts, and its
 * member receives them, all in one apply. Without the opt-in the plan refuses and names it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimJpdInfo } from '../../src/sim/index.js';
import { api, eventually } from '../sim/helpers.js';
import { runCli } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

const topology = (repository: string) => `version: 1
defaults: { packageType: generic }
jpds:
  hub: { url: "http://127.0.0.1:1", token: "\${HUB_TOKEN}" }
  eu: { url: "http://127.0.0.1:2", token: "\${EU_TOKEN}" }
trust:
  - { source: hub, target: eu, receivingOnly: true }
federations:
  - source: hub
    repositories:
      - ${repository}
    members:
      - { jpd: eu, mode: receiver }
`;

let world: SimWorld;
const jpd = (name: string): SimJpdInfo => {
  const info = world.sim.jpds.find((j) => j.name === name);
  if (info === undefined) throw new Error(`no JPD ${name}`);
  return info;
};
const cli = (...argv: string[]) => runCli(argv, { env: world.env, cwd: world.dir });
/** Rewrites the topology in the world's folder, keeping the simulator's URLs. */
function declare(repository: string): void {
  const hub = jpd('hub').url;
  const eu = jpd('eu').url;
  writeFileSync(
    world.file,
    topology(repository).replace('http://127.0.0.1:1', hub).replace('http://127.0.0.1:2', eu),
  );
}

beforeAll(async () => {
  const seed = join(process.cwd(), 'test/fixtures/topologies/one-spoke.yaml');
  world = await simulateTopology(seed);
  const hub = jpd('hub');
  const created = await api(hub, 'PUT', '/artifactory/api/repositories/vault', {
    body: { key: 'vault', rclass: 'local', packageType: 'generic' },
  });
  expect(created.status).toBe(200);
  const deployed = await api(hub, 'PUT', '/artifactory/vault/fw/1.0/image.bin', {
    raw: 'firmware bytes',
  });
  expect(deployed.status).toBe(201);
});
afterAll(async () => {
  await world.stop();
});

describe('convert: local', () => {
  it('without the opt-in, the local repository stops the plan and the message names it', async () => {
    declare('vault');
    const plan = await cli('plan');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(
      /^federation\.yaml:\d+:\d+: hub: repository "vault" already exists on "hub" as a local repository; add `convert: local` to this repository/,
    );
  });

  it('converts it, keeps its artifacts, and its member receives them', async () => {
    declare('{ key: vault, convert: local }');
    const plan = await cli('plan');
    expect(plan.stdout).toContain(
      '    ~ convert local repository hub/vault to federated (POST /artifactory/api/federation/migrate/vault; artifacts kept)\n    + add member eu as receiver\n',
    );
    const apply = await cli('apply', '--auto-approve', '--verify-timeout', '30s');
    // Decided by the hub's stateList, or by its connection states when stateList still showed the
    // full sync running and the connection finished it in between.
    expect(apply.stderr).toMatch(
      /hub\/vault: ok: eu HEALTHY(, back Receiving_Only| \(stateList\))/,
    );
    expect(apply.code, apply.stderr).toBe(0);

    const config = (await api(jpd('hub'), 'GET', '/artifactory/api/repositories/vault')).json as {
      rclass: string;
      members: { url: string; mode: string }[];
    };
    expect(config.rclass).toBe('federated');
    expect(Object.fromEntries(config.members.map((m) => [m.url, m.mode]))).toEqual({
      [`${jpd('hub').url}/artifactory/vault`]: 'bidirectional',
      [`${jpd('eu').url}/artifactory/vault`]: 'receiver',
    });
    const onHub = await api(jpd('hub'), 'GET', '/artifactory/vault/fw/1.0/image.bin');
    expect(onHub.text).toBe('firmware bytes');
    const onEu = await eventually(
      () => api(jpd('eu'), 'GET', '/artifactory/vault/fw/1.0/image.bin'),
      (r) => r.status === 200,
    );
    expect(onEu.text).toBe('firmware bytes');

    const again = await cli('plan', '--detailed-exitcode');
    expect(again.stdout).toBe('No changes. The JPDs match the topology.\n');
    expect(again.code).toBe(0);
  });
});
