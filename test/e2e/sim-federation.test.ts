import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimJpdInfo } from '../../src/sim/index.js';
import {
  api,
  connections,
  createFederation,
  deploy,
  download,
  eventually,
  statusOf,
} from '../sim/helpers.js';

describe('simulated federation over loopback HTTP', () => {
  let sim: Simulator;
  let hub: SimJpdInfo;
  let spoke: SimJpdInfo;
  let other: SimJpdInfo;

  beforeAll(async () => {
    sim = await startSimulator({ jpds: [{ name: 'hub' }, { name: 'spoke' }, { name: 'other' }] });
    hub = sim.jpd('hub');
    spoke = sim.jpd('spoke');
    other = sim.jpd('other');
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('delivers a hub deploy to a receiver spoke, and never a spoke deploy to the hub', async () => {
    const created = await createFederation(hub, 'libs-hs', [{ jpd: spoke, mode: 'receiver' }]);
    expect(created.status).toBe(200);
    expect(created.text).toBe("Successfully created repository 'libs-hs'");

    // The federation created the spoke's copy over HTTP, with the same membership and modes.
    const spokeRepo = await api(spoke, 'GET', '/artifactory/api/repositories/libs-hs');
    expect(spokeRepo.status).toBe(200);
    expect(spokeRepo.json).toMatchObject({
      rclass: 'federated',
      members: [
        { url: `${hub.url}/artifactory/libs-hs`, enabled: true, mode: 'bidirectional' },
        { url: `${spoke.url}/artifactory/libs-hs`, enabled: true, mode: 'receiver' },
      ],
    });

    expect((await deploy(hub, 'libs-hs', 'a/one.txt', 'from the hub')).status).toBe(201);
    const arrived = await eventually(
      () => download(spoke, 'libs-hs', 'a/one.txt'),
      (r) => r.status === 200,
    );
    expect(arrived.text).toBe('from the hub');

    expect((await deploy(spoke, 'libs-hs', 'b/local.txt', 'spoke only')).status).toBe(201);
    // Wait until the hub->spoke stream has gone quiet, then check nothing moved the other way.
    await eventually(
      () => connections(hub, 'libs-hs'),
      (list) =>
        statusOf(list, hub, spoke) === 'HEALTHY' && statusOf(list, spoke, hub) === 'Receiving_Only',
    );
    expect((await deploy(hub, 'libs-hs', 'a/two.txt', 'later')).status).toBe(201);
    await eventually(
      () => download(spoke, 'libs-hs', 'a/two.txt'),
      (r) => r.status === 200,
    );
    expect((await download(hub, 'libs-hs', 'b/local.txt')).status).toBe(404);
    const spokeState = sim.jpd('spoke').dumpState();
    expect(spokeState['connections']).toEqual([]);
  });

  it('exchanges both ways between bidirectional members', async () => {
    expect((await createFederation(hub, 'libs-bi', [{ jpd: other }])).status).toBe(200);
    expect((await deploy(hub, 'libs-bi', 'x.bin', 'from hub')).status).toBe(201);
    expect((await deploy(other, 'libs-bi', 'y.bin', 'from other')).status).toBe(201);
    const onOther = await eventually(
      () => download(other, 'libs-bi', 'x.bin'),
      (r) => r.status === 200,
    );
    const onHub = await eventually(
      () => download(hub, 'libs-bi', 'y.bin'),
      (r) => r.status === 200,
    );
    expect(onOther.text).toBe('from hub');
    expect(onHub.text).toBe('from other');
    const list = await eventually(
      () => connections(other, 'libs-bi'),
      (l) => l.every((c) => c.status === 'HEALTHY'),
    );
    expect(list).toHaveLength(2);
  });
});
