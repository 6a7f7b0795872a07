import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type SimJpd, type Simulator } from '../../src/sim/index.js';
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

let sim: Simulator;
let hub: SimJpd;
let spoke: SimJpd;
beforeEach(async () => {
  sim = await startSimulator({ jpds: [{ name: 'hub' }, { name: 'spoke' }], timings: FAST });
  hub = sim.jpd('hub');
  spoke = sim.jpd('spoke');
  expect((await createFederation(hub, 'libs', [{ jpd: spoke, mode: 'receiver' }])).status).toBe(
    200,
  );
  await eventually(
    async () => statusOf(await connections(hub, 'libs'), hub, spoke),
    (s) => s === 'HEALTHY',
  );
});
afterEach(async () => {
  await sim.stop();
});

function entryOf(list: Awaited<ReturnType<typeof connections>>, from: SimJpd, to: SimJpd): unknown {
  return list.find(
    (c) =>
      c.localPlatformUrl === `${from.url}/artifactory` &&
      c.remotePlatformUrl === `${to.url}/artifactory`,
  );
}

describe('connection overrides (/_sim/connection-overrides)', () => {
  it('hold a connection in ERROR with lag on this JPD and on the peers that ask it', async () => {
    const put = await api(hub, 'PUT', '/_sim/connection-overrides', {
      body: { repoKey: 'libs', target: 'spoke', status: 'ERROR', lagInMs: 90_000, queuedEvents: 7 },
    });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({
      repoKey: 'libs',
      target: memberUrl(spoke, 'libs'),
      status: 'ERROR',
      lagInMs: 90_000,
      queuedEvents: 7,
    });
    for (const jpd of [hub, spoke]) {
      const list = await connections(jpd, 'libs');
      expect(entryOf(list, hub, spoke)).toMatchObject({
        status: 'ERROR',
        lagInMs: 90_000,
        queuedEvents: 7,
      });
      expect(statusOf(list, spoke, hub)).toBe('Receiving_Only');
    }
    const summary = await api(hub, 'GET', '/artifactory/api/federation/status/stateSummary');
    expect(summary.json).toMatchObject({ federationStates: { ERROR: 1, HEALTHY: 0 } });
    const list = await api(hub, 'GET', '/artifactory/api/federation/status/stateList?status=ERROR');
    expect(list.json).toMatchObject({
      federations: [{ localRepoKey: 'libs', memberInfoList: [{ aggregatedStatus: 'ERROR' }] }],
    });
    expect((await api(hub, 'GET', '/_sim/connection-overrides')).json).toEqual({
      overrides: [put.json],
    });

    const cleared = await api(hub, 'DELETE', '/_sim/connection-overrides?repoKey=libs');
    expect(cleared.json).toEqual({ cleared: 1 });
    expect(statusOf(await connections(spoke, 'libs'), hub, spoke)).toBe('HEALTHY');
  });

  it('accept the target as a member URL or a base URL, and force the receiver side too', async () => {
    expect(
      (
        await api(hub, 'PUT', '/_sim/connection-overrides', {
          body: {
            repoKey: 'libs',
            target: memberUrl(spoke, 'libs'),
            status: 'DELAYED',
            lagInMs: 6000,
          },
        })
      ).status,
    ).toBe(200);
    // In process, on the spoke: its receiver -> source connection, which has no queue at all.
    const forced = spoke.setConnectionOverride({
      repoKey: 'libs',
      target: hub.url,
      status: 'NOT_AVAILABLE',
    });
    expect(forced.target).toBe(memberUrl(hub, 'libs'));
    const list = await connections(hub, 'libs');
    expect([statusOf(list, hub, spoke), statusOf(list, spoke, hub)]).toEqual([
      'DELAYED',
      'NOT_AVAILABLE',
    ]);
    const members = await api(hub, 'GET', '/artifactory/api/federation/status/stateList');
    expect(members.json).toMatchObject({
      federations: [{ memberInfoList: [{ aggregatedStatus: 'NOT_AVAILABLE', inLag: true }] }],
    });
    expect(spoke.clearConnectionOverrides()).toBe(1);
    expect(hub.clearConnectionOverrides('libs', 'spoke')).toBe(1);
    const after = await connections(hub, 'libs');
    expect([statusOf(after, hub, spoke), statusOf(after, spoke, hub)]).toEqual([
      'HEALTHY',
      'Receiving_Only',
    ]);
  });

  it('refuse what cannot be a connection of this JPD, and need the admin token', async () => {
    const cases: [unknown, string][] = [
      [
        { repoKey: 'nope', target: 'spoke', status: 'ERROR' },
        "'nope' is not a federated repository on this JPD",
      ],
      [
        { repoKey: 'libs', target: 'hub', status: 'ERROR' },
        "'hub' is not another member of the federation of 'libs' on this JPD",
      ],
      [{ repoKey: 'libs', target: 'spoke', status: ' ' }, "'status' must not be empty"],
      [
        { repoKey: 'libs', target: 'spoke', status: 'ERROR', lagInMs: -1 },
        "'lagInMs' must be a non-negative integer",
      ],
    ];
    for (const [body, message] of cases) {
      const res = await api(hub, 'PUT', '/_sim/connection-overrides', { body });
      expect(res.status).toBe(400);
      expect(String(firstError(res)?.message)).toContain(message);
    }
    const anonymous = await api(hub, 'PUT', '/_sim/connection-overrides', {
      token: null,
      body: { repoKey: 'libs', target: 'spoke', status: 'ERROR' },
    });
    expect(anonymous.status).toBe(401);
    const reader = await api(hub, 'GET', '/_sim/connection-overrides', {
      token: hub.readOnlyToken,
    });
    expect(reader.status).toBe(403);
    expect(() =>
      hub.setConnectionOverride({ repoKey: 'libs', target: 'nobody', status: 'ERROR' }),
    ).toThrow("'nobody' is not another member");
  });
});
