import { afterEach, describe, expect, it } from 'vitest';
import {
  startSimulator,
  type SimJpd,
  type Simulator,
  type SimulatorOptions,
} from '../../src/sim/index.js';
import {
  api,
  connections,
  createFederation,
  eventually,
  firstError,
  memberUrl,
  statusOf,
  FAST,
} from '../sim/helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function hubAndSpoke(
  options: SimulatorOptions,
): Promise<{ hub: SimJpd; spoke: SimJpd; sim: Simulator }> {
  sim = await startSimulator({
    jpds: [{ name: 'hub' }, { name: 'spoke' }],
    timings: FAST,
    ...options,
  });
  return { hub: sim.jpd('hub'), spoke: sim.jpd('spoke'), sim };
}

/** Creates hub -> spoke (receiver) and waits until the hub's own outbound side has converged. */
async function convergedReceiverFederation(hub: SimJpd, spoke: SimJpd, key: string): Promise<void> {
  expect((await createFederation(hub, key, [{ jpd: spoke, mode: 'receiver' }])).status).toBe(200);
  await eventually(
    async () =>
      (await api(hub, 'GET', '/_sim/state')).json as {
        connections: { state: { status: string } }[];
      },
    (state) => state.connections.length === 1 && state.connections[0]?.state.status === 'HEALTHY',
  );
}

async function statesOn(
  jpd: SimJpd,
  key: string,
  from: SimJpd,
  to: SimJpd,
): Promise<[string | undefined, string | undefined, number]> {
  const list = await connections(jpd, key);
  return [statusOf(list, from, to), statusOf(list, to, from), list.length];
}

describe('simulator dialects: where the receiving-only marker appears', () => {
  it('ro-on-receive is the default reading and can be named explicitly', async () => {
    const { hub, spoke } = await hubAndSpoke({ dialects: ['ro-on-receive'] });
    await convergedReceiverFederation(hub, spoke, 'libs');
    for (const jpd of [hub, spoke]) {
      expect(await statesOn(jpd, 'libs', hub, spoke)).toEqual(['HEALTHY', 'Receiving_Only', 2]);
    }
  });

  it('ro-on-send puts the marker on source->receiver and shows receiver->source HEALTHY', async () => {
    const { hub, spoke } = await hubAndSpoke({ dialects: ['ro-on-send'] });
    await convergedReceiverFederation(hub, spoke, 'libs');
    for (const jpd of [hub, spoke]) {
      expect(await statesOn(jpd, 'libs', hub, spoke)).toEqual(['Receiving_Only', 'HEALTHY', 2]);
    }
    const summary = await api(hub, 'GET', '/artifactory/api/federation/status/stateSummary');
    expect(summary.json).toMatchObject({ federationStates: { HEALTHY: 1, ERROR: 0 } });
  });

  it('ro-on-both marks both entries; ro-spaced spells it with a space everywhere', async () => {
    const { hub, spoke } = await hubAndSpoke({ dialects: ['ro-on-both', 'ro-spaced'] });
    await convergedReceiverFederation(hub, spoke, 'libs');
    expect(await statesOn(hub, 'libs', hub, spoke)).toEqual([
      'Receiving Only',
      'Receiving Only',
      2,
    ]);
    const list = await api(hub, 'GET', '/artifactory/api/federation/status/stateList');
    expect(list.json).toEqual({
      federations: [
        {
          localRepoKey: 'libs',
          memberInfoList: [
            {
              url: `${spoke.url}/artifactory`,
              repoKey: 'libs',
              aggregatedStatus: 'Receiving Only',
              supported: true,
              disabled: false,
              inLag: false,
            },
          ],
          priority: 'STANDARD',
        },
      ],
    });
    const filtered = await api(
      hub,
      'GET',
      '/artifactory/api/federation/status/stateList?status=Receiving%20Only',
    );
    expect((filtered.json as { federations: unknown[] }).federations).toHaveLength(1);
  });

  it('no-return-entry leaves out the entry whose sending side is the receiver', async () => {
    const { hub, spoke } = await hubAndSpoke({ dialects: ['no-return-entry'] });
    await convergedReceiverFederation(hub, spoke, 'libs');
    expect(await statesOn(hub, 'libs', hub, spoke)).toEqual(['HEALTHY', undefined, 1]);
  });

  it('a JPD own dialects replace the shared ones', async () => {
    sim = await startSimulator({
      jpds: [{ name: 'hub' }, { name: 'spoke', dialects: ['ro-spaced'] }],
      dialects: ['ro-on-send'],
      timings: FAST,
    });
    const hub = sim.jpd('hub');
    const spoke = sim.jpd('spoke');
    expect([hub.dialects, spoke.dialects]).toEqual([['ro-on-send'], ['ro-spaced']]);
    await convergedReceiverFederation(hub, spoke, 'libs');
    expect(await statesOn(hub, 'libs', hub, spoke)).toEqual(['Receiving_Only', 'HEALTHY', 2]);
    await eventually(
      () => statesOn(spoke, 'libs', hub, spoke),
      (s) => s[0] === 'HEALTHY' && s[1] === 'Receiving Only',
    );
    const state = (await api(spoke, 'GET', '/_sim/state')).json as Record<string, unknown>;
    expect(state['dialects']).toEqual(['ro-spaced']);
  });
});

describe('simulator dialects: versions and API differences', () => {
  it('no-federation-service answers 405 "RTFS is not enabled" on the RTFS status endpoints', async () => {
    const { hub, spoke } = await hubAndSpoke({
      jpds: [{ name: 'hub', dialects: ['no-federation-service'] }, { name: 'spoke' }],
    });
    // Receivers need RTFS on both ends, so this federation is bidirectional (one is refused).
    expect((await createFederation(hub, 'libs', [{ jpd: spoke, mode: 'receiver' }])).status).toBe(
      400,
    );
    expect(
      (await createFederation(hub, 'libs', [{ jpd: spoke, mode: 'bidirectional' }])).status,
    ).toBe(200);
    for (const path of [
      'status/connectionStates/libs',
      'status/stateSummary',
      'status/stateList',
    ]) {
      const res = await api(hub, 'GET', `/artifactory/api/federation/${path}`);
      expect([res.status, firstError(res)]).toEqual([
        405,
        { status: 405, message: 'RTFS is not enabled' },
      ]);
    }
    // The spoke plays the default reading and still sees the hub's side.
    await eventually(
      () => statesOn(spoke, 'libs', hub, spoke),
      (s) => s[0] === 'HEALTHY' && s[1] === 'HEALTHY',
    );
  });

  it('pre-7.61.3 reports 7.59.9 and has neither /configurations nor the batch endpoint', async () => {
    const { hub } = await hubAndSpoke({ dialects: ['pre-7.61.3'] });
    const version = await api(hub, 'GET', '/artifactory/api/system/version');
    expect((version.json as { version: string }).version).toBe('7.59.9');
    expect(version.headers.get('x-jfrog-version')).toMatch(/^Artifactory\/7\.59\.9 /);
    expect((await api(hub, 'GET', '/artifactory/api/repositories/configurations')).status).toBe(
      404,
    );
    const batch = await api(hub, 'PUT', '/artifactory/api/v2/repositories/batch', {
      body: [{ key: 'a', rclass: 'local', packageType: 'generic' }],
    });
    expect(batch.status).toBe(404);
    expect((await api(hub, 'GET', '/artifactory/api/repositories/a')).status).toBe(400);
    await expect(
      startSimulator({ jpds: 1, dialects: ['pre-7.61.3'], version: '7.104.2' }),
    ).rejects.toThrow('dialect pre-7.61.3 conflicts with version 7.104.2');
  });

  it('mode-dropped ignores mode on write and never returns it; every member is bidirectional', async () => {
    const { hub, spoke } = await hubAndSpoke({ dialects: ['mode-dropped'] });
    expect((await createFederation(hub, 'libs', [{ jpd: spoke, mode: 'receiver' }])).status).toBe(
      200,
    );
    const repo = (await api(hub, 'GET', '/artifactory/api/repositories/libs')).json as {
      members: Record<string, unknown>[];
    };
    expect(repo.members).toEqual([
      { url: memberUrl(hub, 'libs'), enabled: true },
      { url: memberUrl(spoke, 'libs'), enabled: true },
    ]);
    const configs = (await api(spoke, 'GET', '/artifactory/api/repositories/configurations'))
      .json as { FEDERATED: { members: Record<string, unknown>[] }[] };
    expect(configs.FEDERATED[0]?.members.every((m) => !('mode' in m))).toBe(true);
    await eventually(
      () => statesOn(hub, 'libs', hub, spoke),
      (s) => s[0] === 'HEALTHY' && s[1] === 'HEALTHY',
    );
  });

  it('mode-rejected refuses a member object carrying mode with an Artifactory-shaped 400', async () => {
    const { hub, spoke } = await hubAndSpoke({ dialects: ['mode-rejected'] });
    const refused = await createFederation(hub, 'libs', [{ jpd: spoke, mode: 'receiver' }]);
    expect(refused.status).toBe(400);
    expect(firstError(refused)).toEqual({
      status: 400,
      message: 'Unrecognized field "mode" (class FederatedMember), not marked as ignorable',
    });
    expect((await api(hub, 'GET', '/artifactory/api/repositories/libs')).status).toBe(400);
    expect((await createFederation(hub, 'libs', [{ jpd: spoke }])).status).toBe(200);
    const repo = (await api(hub, 'GET', '/artifactory/api/repositories/libs')).json as {
      members: Record<string, unknown>[];
    };
    expect(repo.members.some((m) => 'mode' in m)).toBe(false);
  });

  it('sparse-configurations omits empty groups', async () => {
    const { hub, spoke } = await hubAndSpoke({ dialects: ['sparse-configurations'] });
    expect((await createFederation(hub, 'libs', [{ jpd: spoke, mode: 'receiver' }])).status).toBe(
      200,
    );
    const res = await api(hub, 'GET', '/artifactory/api/repositories/configurations');
    expect(Object.keys(res.json as object)).toEqual(['FEDERATED']);
    const none = await api(
      hub,
      'GET',
      '/artifactory/api/repositories/configurations?repoType=local',
    );
    expect(none.json).toEqual({});
  });

  it('config-lock refuses an exact, evenly spread fraction of repository writes', async () => {
    const { hub, spoke } = await hubAndSpoke({ dialects: ['config-lock'], configLockRate: 0.5 });
    const outcomes: number[] = [];
    for (const key of ['a', 'b', 'c', 'd']) {
      const res = await createFederation(hub, key, [{ jpd: spoke, mode: 'receiver' }]);
      outcomes.push(res.status);
      if (res.status !== 200) {
        expect(firstError(res)).toEqual({
          status: 500,
          message: 'Could not merge and save new descriptor',
        });
      }
    }
    expect(outcomes).toEqual([200, 500, 200, 500]);
    // A refused write changed nothing: b was not created, and retrying it succeeds.
    expect((await api(hub, 'GET', '/artifactory/api/repositories/b')).status).toBe(400);
    expect((await createFederation(hub, 'b', [{ jpd: spoke, mode: 'receiver' }])).status).toBe(200);
    const state = (await api(hub, 'GET', '/_sim/state')).json as Record<string, unknown>;
    expect(state['configLock']).toEqual({ rate: 0.5, status: 500, writes: 5 });
  });

  it('config-lock alone fails 30% of writes; the status can be 400', async () => {
    const { hub } = await hubAndSpoke({ dialects: ['config-lock'], configLockStatus: 400 });
    const outcomes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await api(hub, 'PUT', `/artifactory/api/repositories/r${i}`, {
        body: { rclass: 'local', packageType: 'generic' },
      });
      outcomes.push(res.status);
    }
    expect(outcomes).toEqual([200, 200, 200, 400, 200, 200, 400, 200, 200, 400]);
  });

  it('no-batch makes the batch endpoint answer 404', async () => {
    const { hub } = await hubAndSpoke({ dialects: ['no-batch'] });
    for (const method of ['PUT', 'POST']) {
      const res = await api(hub, method, '/artifactory/api/v2/repositories/batch', {
        body: [{ key: 'a', rclass: 'local' }],
      });
      expect(res.status).toBe(404);
    }
  });

  it('refuses unknown and conflicting dialects with one line naming the known ones', async () => {
    await expect(startSimulator({ jpds: 1, dialects: ['ro-sideways'] })).rejects.toThrow(
      /^unknown dialect 'ro-sideways'; known: ro-on-receive, ro-on-send, .*no-batch$/,
    );
    await expect(
      startSimulator({ jpds: 1, dialects: ['mode-dropped', 'mode-rejected'] }),
    ).rejects.toThrow('dialects mode-dropped and mode-rejected exclude each other');
  });
});
