import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import {
  api,
  connections,
  createFederation,
  deploy,
  download,
  eventually,
  firstError,
  statusOf,
} from '../sim/helpers.js';

describe('federation monitoring', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('moves through full sync to its final states on both sides', async () => {
    // Phases long enough for a 20 ms poll to see each of them.
    sim = await startSimulator({
      jpds: [{ name: 'hub' }, { name: 'spoke' }],
      timings: { fullSyncPendingMs: 400, fullSyncRunningMs: 600 },
    });
    const hub = sim.jpd('hub');
    const spoke = sim.jpd('spoke');
    expect((await createFederation(hub, 'mon', [{ jpd: spoke, mode: 'receiver' }])).status).toBe(
      200,
    );

    const seen: string[] = [];
    const summaries = new Set<string>();
    await eventually(
      async () => {
        const status = statusOf(await connections(hub, 'mon'), hub, spoke) ?? 'missing';
        if (seen.at(-1) !== status) seen.push(status);
        const summary = (await api(hub, 'GET', '/artifactory/api/federation/status/stateSummary'))
          .json as {
          federationStates: Record<string, number>;
        };
        for (const [state, count] of Object.entries(summary.federationStates))
          if (count > 0) summaries.add(state);
        return status;
      },
      (status) => status === 'HEALTHY',
    );
    expect(seen).toEqual(['PENDING_FS', 'FULL_SYNC_RUNNING', 'HEALTHY']);
    expect([...summaries]).toEqual(
      expect.arrayContaining(['PENDING_FS', 'FULL_SYNC_RUNNING', 'HEALTHY']),
    );

    for (const jpd of [hub, spoke]) {
      const list = await connections(jpd, 'mon');
      expect(list).toHaveLength(2);
      expect(statusOf(list, hub, spoke)).toBe('HEALTHY');
      expect(statusOf(list, spoke, hub)).toBe('Receiving_Only');
    }
    const summary = await api(spoke, 'GET', '/artifactory/api/federation/status/stateSummary');
    expect(summary.json).toEqual({
      federationStates: {
        HEALTHY: 1,
        NOT_AVAILABLE: 0,
        DELAYED: 0,
        PENDING_FS: 0,
        FULL_SYNC_RUNNING: 0,
        ERROR: 0,
        DISABLED: 0,
      },
    });
    const stateList = await api(hub, 'GET', '/artifactory/api/federation/status/stateList');
    expect(stateList.json).toEqual({
      federations: [
        {
          localRepoKey: 'mon',
          memberInfoList: [
            {
              url: `${spoke.url}/artifactory`,
              repoKey: 'mon',
              aggregatedStatus: 'HEALTHY',
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
      '/artifactory/api/federation/status/stateList?status=ERROR,DELAYED',
    );
    expect(filtered.json).toEqual({ federations: [] });

    // A manual full sync from the hub runs again; from the receiver it is refused.
    const again = await api(hub, 'POST', '/artifactory/api/federation/fullSync/mon');
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ message: 'Full sync triggered successfully' });
    expect(statusOf(await connections(hub, 'mon'), hub, spoke)).toBe('PENDING_FS');
    const refused = await api(spoke, 'POST', '/artifactory/api/federation/fullSync/mon');
    expect(refused.status).toBe(400);
    expect(firstError(refused)).toEqual({
      status: 400,
      message: expect.stringMatching(/receiver/) as unknown,
    });

    // Disabling the spoke's member shows DISABLED both ways.
    const disable = await api(hub, 'POST', '/artifactory/api/repositories/mon', {
      body: {
        members: [{ url: `${spoke.url}/artifactory/mon`, enabled: 'false', mode: 'receiver' }],
      },
    });
    expect(disable.status).toBe(200);
    const disabled = await connections(spoke, 'mon');
    expect(disabled.map((c) => [c.status, c.disabled])).toEqual([
      ['DISABLED', true],
      ['DISABLED', true],
    ]);
  });

  it('shows an offline JPD as NOT_AVAILABLE and catches up without losing an event', async () => {
    sim = await startSimulator({ jpds: [{ name: 'hub' }, { name: 'spoke' }] });
    const hub = sim.jpd('hub');
    const spoke = sim.jpd('spoke');
    expect((await createFederation(hub, 'ha', [{ jpd: spoke, mode: 'receiver' }])).status).toBe(
      200,
    );
    await eventually(
      () => connections(hub, 'ha'),
      (l) => statusOf(l, hub, spoke) === 'HEALTHY',
    );

    expect((await api(spoke, 'POST', '/_sim/offline')).status).toBe(200);
    await expect(fetch(`${spoke.url}/artifactory/api/system/ping`)).rejects.toThrow();
    const idle = await connections(hub, 'ha');
    expect(statusOf(idle, hub, spoke)).toBe('NOT_AVAILABLE');

    const paths = ['1.txt', '2.txt', '3.txt', 'd/4.txt', 'd/5.txt'];
    for (const p of paths) expect((await deploy(hub, 'ha', p, `content ${p}`)).status).toBe(201);
    const queued = await eventually(
      () => connections(hub, 'ha'),
      (l) => l.some((c) => c.status === 'NOT_AVAILABLE' && c.queuedEvents === paths.length),
    );
    expect(queued.find((c) => c.queuedEvents > 0)?.lagInMs).toBeGreaterThanOrEqual(0);
    const summary = await api(hub, 'GET', '/artifactory/api/federation/status/stateSummary');
    expect(summary.json).toMatchObject({ federationStates: { NOT_AVAILABLE: 1, HEALTHY: 0 } });

    expect((await api(spoke, 'POST', '/_sim/online')).status).toBe(200);
    await eventually(
      () => connections(hub, 'ha'),
      (l) => statusOf(l, hub, spoke) === 'HEALTHY' && l.every((c) => c.queuedEvents === 0),
    );
    for (const p of paths) {
      const got = await download(spoke, 'ha', p);
      expect(got.status).toBe(200);
      expect(got.text).toBe(`content ${p}`);
    }
  });

  it('shows DELAYED while events wait longer than the threshold', async () => {
    sim = await startSimulator({
      jpds: [{ name: 'hub' }, { name: 'spoke' }],
      // Events wait 1.5 s before they are sent: DELAYED for most of that time.
      timings: { delayedThresholdMs: 100, eventDelayMs: 1_500 },
    });
    const hub = sim.jpd('hub');
    const spoke = sim.jpd('spoke');
    expect((await createFederation(hub, 'slow', [{ jpd: spoke, mode: 'receiver' }])).status).toBe(
      200,
    );
    await eventually(
      () => connections(hub, 'slow'),
      (l) => statusOf(l, hub, spoke) === 'HEALTHY',
    );
    expect((await deploy(hub, 'slow', 'late.txt', 'late')).status).toBe(201);
    const delayed = await eventually(
      () => api(hub, 'GET', '/artifactory/api/federation/status/stateList?status=DELAYED'),
      (r) => JSON.stringify(r.json).includes('"inLag":true'),
    );
    expect(delayed.json).toMatchObject({
      federations: [
        { localRepoKey: 'slow', memberInfoList: [{ aggregatedStatus: 'DELAYED', inLag: true }] },
      ],
    });
    await eventually(
      () => connections(hub, 'slow'),
      (l) => statusOf(l, hub, spoke) === 'HEALTHY' && l.every((c) => c.queuedEvents === 0),
    );
    expect((await download(spoke, 'slow', 'late.txt')).text).toBe('late');
  });

  it('gives a member that was offline at creation its repository when it returns', async () => {
    sim = await startSimulator({ jpds: [{ name: 'hub' }, { name: 'spoke' }] });
    const hub = sim.jpd('hub');
    const spoke = sim.jpd('spoke');
    spoke.setOffline(true);
    expect((await createFederation(hub, 'late', [{ jpd: spoke, mode: 'receiver' }])).status).toBe(
      200,
    );
    expect((await api(hub, 'GET', '/artifactory/api/federation/inconsistentRepos')).json).toEqual([
      'late',
    ]);
    expect((await deploy(hub, 'late', 'waiting.txt', 'w')).status).toBe(201);
    spoke.setOffline(false);
    const arrived = await eventually(
      () => download(spoke, 'late', 'waiting.txt'),
      (r) => r.status === 200,
    );
    expect(arrived.text).toBe('w');
    expect((await api(hub, 'GET', '/artifactory/api/federation/inconsistentRepos')).json).toEqual(
      [],
    );
    expect(statusOf(await connections(spoke, 'late'), spoke, hub)).toBe('Receiving_Only');
  });

  it('keeps a member that does not exist: saved, NOT_AVAILABLE, inconsistent until it answers', async () => {
    sim = await startSimulator({ jpds: [{ name: 'hub' }] });
    const hub = sim.jpd('hub');
    const nowhere = 'http://127.0.0.1:9/artifactory/ghost';
    const created = await api(hub, 'PUT', '/artifactory/api/repositories/ghost', {
      body: {
        rclass: 'federated',
        packageType: 'generic',
        members: [{ url: nowhere, enabled: true }],
      },
    });
    expect(created.status).toBe(200);
    const list = await connections(hub, 'ghost');
    expect(list.map((c) => c.status)).toEqual(['NOT_AVAILABLE', 'NOT_AVAILABLE']);
    expect((await api(hub, 'GET', '/artifactory/api/federation/inconsistentRepos')).json).toEqual([
      'ghost',
    ]);
    expect((await api(hub, 'POST', '/artifactory/api/federation/configSync/ghost')).status).toBe(
      200,
    );
  });
});
