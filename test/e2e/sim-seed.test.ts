import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type SimJpd, type Simulator } from '../../src/sim/index.js';
import { api, connections, createFederation, eventually, FAST, memberUrl } from '../sim/helpers.js';

const NAMES = ['hub', 'eu', 'us'] as const;

const started: Simulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function estate(): Promise<Simulator> {
  const sim = await startSimulator({ jpds: NAMES.map((name) => ({ name })), timings: FAST });
  started.push(sim);
  return sim;
}

/** Replaces each JPD's base URL with its name, so two simulators' answers compare equal. */
function normalise(sim: Simulator, value: unknown): unknown {
  let text = JSON.stringify(value);
  for (const jpd of sim.jpds) text = text.split(jpd.url).join(`<${jpd.name}>`);
  return JSON.parse(text) as unknown;
}

async function views(sim: Simulator): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const name of NAMES) {
    const jpd = sim.jpd(name);
    out[name] = {
      configurations: (await api(jpd, 'GET', '/artifactory/api/repositories/configurations')).json,
      list: (await api(jpd, 'GET', '/artifactory/api/repositories')).json,
      stateList: (await api(jpd, 'GET', '/artifactory/api/federation/status/stateList')).json,
      stateSummary: (await api(jpd, 'GET', '/artifactory/api/federation/status/stateSummary')).json,
      libs: await connections(jpd, 'libs'),
      docs: await connections(jpd, 'docs'),
    };
  }
  return normalise(sim, out);
}

function converged(list: Awaited<ReturnType<typeof connections>>): boolean {
  return list.every((c) => c.status === 'HEALTHY' || c.status === 'Receiving_Only');
}

describe('seeding a converged federation in process', () => {
  it('answers like the same federation built through the API', async () => {
    const built = await estate();
    const [hub, eu, us] = NAMES.map((n) => built.jpd(n)) as [SimJpd, SimJpd, SimJpd];
    for (const key of ['docs', 'libs']) {
      const res = await createFederation(
        hub,
        key,
        [
          { jpd: eu, mode: 'receiver' },
          { jpd: us, mode: 'bidirectional' },
        ],
        key === 'docs' ? { description: 'Documentation' } : {},
      );
      expect(res.status).toBe(200);
    }
    for (const jpd of [hub, eu, us]) {
      for (const key of ['docs', 'libs']) {
        await eventually(() => connections(jpd, key), converged);
      }
    }

    const seeded = await estate();
    await seeded.seedFederation({
      source: 'hub',
      members: [{ jpd: 'eu' }, { jpd: 'us', mode: 'bidirectional' }],
      repositories: [{ key: 'docs', description: 'Documentation' }, 'libs'],
    });

    const expected = await views(built);
    expect(await views(seeded)).toEqual(expected);
    // The comparison is not vacuous: three JPDs, two repositories, receiver and bidirectional.
    expect(expected).toMatchObject({
      eu: { stateSummary: { federationStates: { HEALTHY: 2 } } },
      hub: {
        libs: expect.arrayContaining([
          expect.objectContaining({ status: 'Receiving_Only' }),
        ]) as unknown,
      },
    });
  });

  it('seeds per-JPD keys, and refuses a key that exists without writing anything', async () => {
    const sim = await estate();
    await sim.seedFederation({
      source: 'hub',
      members: [{ jpd: 'eu' }],
      repositories: [{ key: 'libs', memberKeys: { eu: 'hub-libs' } }],
      packageType: 'maven',
    });
    const onEu = (await api(sim.jpd('eu'), 'GET', '/artifactory/api/repositories/hub-libs'))
      .json as Record<string, unknown>;
    expect([onEu['packageType'], onEu['members']]).toEqual([
      'maven',
      [
        { url: memberUrl(sim.jpd('hub'), 'libs'), enabled: true, mode: 'bidirectional' },
        { url: memberUrl(sim.jpd('eu'), 'hub-libs'), enabled: true, mode: 'receiver' },
      ],
    ]);
    await expect(
      sim.jpd('hub').seed([
        { key: 'other', members: [] },
        { key: 'LIBS', members: [] },
      ]),
    ).rejects.toThrow("seed: repository 'LIBS' already exists on hub");
    expect((await api(sim.jpd('hub'), 'GET', '/artifactory/api/repositories/other')).status).toBe(
      400,
    );
  });
});
