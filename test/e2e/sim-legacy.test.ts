/**
 * The simulator's federation engines (docs/simulator.md, Dialects): which engine each dialect and
 * version plays, the legacy engine's monitoring as JFrog documents it, the engine endpoints that
 * tell the engines apart, and the inconsistency control that configSync repairs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  startSimulator,
  type SimJpd,
  type Simulator,
  type SimulatorOptions,
} from '../../src/sim/index.js';
import { api, createFederation, eventually, firstError, FAST } from '../sim/helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function hubAndSpoke(
  options: SimulatorOptions = {},
): Promise<{ hub: SimJpd; spoke: SimJpd }> {
  sim = await startSimulator({
    jpds: [{ name: 'hub' }, { name: 'spoke' }],
    timings: FAST,
    ...options,
  });
  return { hub: sim.jpd('hub'), spoke: sim.jpd('spoke') };
}

/** Status and body of each engine probe: migration status, the RTFS flag, stateSummary, state. */
async function probes(jpd: SimJpd): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, path] of [
    ['migration', '/artifactory/api/federation/migration/status'],
    ['rtfs', '/federation/rtfs'],
    ['stateSummary', '/artifactory/api/federation/status/stateSummary'],
    ['state', '/artifactory/api/federation/state'],
  ] as const) {
    const res = await api(jpd, 'GET', path);
    const error = firstError(res);
    out[name] =
      res.status === 200
        ? name === 'migration' || name === 'rtfs'
          ? res.text
          : '200'
        : `${res.status} ${typeof error?.message === 'string' ? error.message : ''}`;
  }
  return out;
}

describe('which engine a JPD runs', () => {
  it.each([
    [
      'default',
      {},
      {
        migration: 'MIGRATION_COMPLETED',
        rtfs: 'true',
        stateSummary: '200',
        state: '405 RTFS is enabled',
      },
    ],
    [
      'legacy-engine',
      { dialects: ['legacy-engine'] },
      {
        migration: 'Status not configured',
        rtfs: 'false',
        stateSummary: '405 RTFS is not enabled',
        state: '200',
      },
    ],
    [
      'migrating',
      { dialects: ['migrating'] },
      {
        migration: 'MIGRATING_EVENTS_TO_RTFS',
        rtfs: 'false',
        stateSummary: '405 RTFS is not enabled',
        state: '200',
      },
    ],
    [
      'no-federation-service',
      { dialects: ['no-federation-service'] },
      {
        migration: 'Status not configured',
        rtfs: 'false',
        stateSummary: '405 RTFS is not enabled',
        state: '404 Not Found',
      },
    ],
    [
      'pre-7.61.3 (7.59.9, before RTFS)',
      { dialects: ['pre-7.61.3'] },
      {
        migration: '404 Not Found',
        rtfs: '404 Not Found',
        stateSummary: '405 RTFS is not enabled',
        state: '200',
      },
    ],
  ] as const)('%s', async (_name, options, want) => {
    const { hub } = await hubAndSpoke(options);
    expect(await probes(hub)).toEqual(want);
    const state = (await api(hub, 'GET', '/_sim/state')).json as { federationEngine: string };
    expect(state.federationEngine).toBe(
      want.rtfs === 'true'
        ? 'rtfs'
        : want.migration.startsWith('MIGRATING')
          ? 'migrating'
          : 'legacy',
    );
  });

  it('the dialects that choose an engine exclude each other', async () => {
    await expect(
      startSimulator({ jpds: 1, dialects: ['legacy-engine', 'migrating'] }),
    ).rejects.toThrow('dialects legacy-engine and migrating exclude each other');
  });
});

describe('the legacy engine', () => {
  it('refuses a receiver member (Transmission Mode needs RTFS), accepts a bidirectional one', async () => {
    const { hub, spoke } = await hubAndSpoke({ dialects: ['legacy-engine'] });
    const refused = await createFederation(hub, 'libs', [{ jpd: spoke, mode: 'receiver' }]);
    expect(refused.status).toBe(400);
    expect(firstError(refused)?.message).toMatch(
      /Transmission Mode needs the Artifactory Federation Service/,
    );
    expect(
      (await createFederation(hub, 'libs', [{ jpd: spoke, mode: 'bidirectional' }])).status,
    ).toBe(200);
  });

  it('federation/state: FULL_SYNC_RUNNING, then SYNCING with the members, in the schema spelling', async () => {
    const { hub, spoke } = await hubAndSpoke({ dialects: ['legacy-engine'] });
    await createFederation(hub, 'libs', [{ jpd: spoke }]);
    const state = await eventually(
      async () =>
        (await api(hub, 'GET', '/artifactory/api/federation/state')).json as { status: string }[],
      (s) => s[0]?.status === 'SYNCING',
    );
    expect(state).toEqual([
      {
        key: 'libs',
        status: 'SYNCING',
        members: [{ remoteKey: 'libs', remoteUrl: `${spoke.url}/artifactory` }],
      },
    ]);
  });

  it('legacy-doc-fields spells federation/state as the doc sample', async () => {
    const { hub, spoke } = await hubAndSpoke({ dialects: ['legacy-engine', 'legacy-doc-fields'] });
    await createFederation(hub, 'libs', [{ jpd: spoke }]);
    const state = (await api(hub, 'GET', '/artifactory/api/federation/state')).json as unknown[];
    expect(state[0]).toMatchObject({
      localRepoKey: 'libs',
      members: [{ remoteRepoKey: 'libs', remoteUrl: `${spoke.url}/artifactory/` }],
    });
  });

  it('status/repo: v2 in RTFS words, v1 in SYNC/OUT_OF_SYNC, lagInMS; an override forces both', async () => {
    const { hub, spoke } = await hubAndSpoke({ dialects: ['legacy-engine'] });
    await createFederation(hub, 'libs', [{ jpd: spoke }]);
    const repo = (v: string) =>
      api(hub, 'GET', `/artifactory/api${v}/federation/status/repo/libs`).then(
        (r) => r.json as { mirrorEventsStatusInfo: { status: string; lagInMS: number }[] },
      );
    await eventually(
      () => repo('/v2'),
      (r) => r.mirrorEventsStatusInfo[0]?.status === 'HEALTHY',
    );
    expect((await repo('')).mirrorEventsStatusInfo[0]).toMatchObject({
      status: 'SYNC',
      lagInMS: 0,
    });
    hub.setConnectionOverride({
      repoKey: 'libs',
      target: 'spoke',
      status: 'OUT_OF_SYNC',
      lagInMs: 5000,
    });
    expect((await repo('/v2')).mirrorEventsStatusInfo[0]).toMatchObject({
      status: 'OUT_OF_SYNC',
      lagInMS: 5000,
    });
    const state = (await api(hub, 'GET', '/artifactory/api/federation/state')).json as {
      status: string;
    }[];
    expect(state[0]?.status).toBe('OUT_OF_SYNC');
    const lag = (
      await api(hub, 'GET', '/artifactory/api/federation/status/mirrorsLag?thresholdTimeInMs=1000')
    ).json;
    expect(lag).toMatchObject([{ localRepoKey: 'libs', remoteRepoKey: 'libs', lagInMS: 5000 }]);
  });

  it('v2 exists from 7.82.2; before it, 404 and v1 answers', async () => {
    const { hub, spoke } = await hubAndSpoke({ dialects: ['legacy-engine'], version: '7.80.0' });
    await createFederation(hub, 'libs', [{ jpd: spoke }]);
    expect((await api(hub, 'GET', '/artifactory/api/v2/federation/status/repo/libs')).status).toBe(
      404,
    );
    expect((await api(hub, 'GET', '/artifactory/api/federation/status/repo/libs')).status).toBe(
      200,
    );
    expect((await api(hub, 'GET', '/artifactory/api/federation/status/repo/nope')).status).toBe(
      404,
    );
  });
});

describe('system reads', () => {
  it('the configuration descriptor carries the base URL; System Info; both admin-only', async () => {
    const { hub } = await hubAndSpoke();
    const xml = await api(hub, 'GET', '/artifactory/api/system/configuration');
    expect(xml.headers.get('content-type')).toBe('application/xml');
    expect(xml.text).toContain(`<urlBase>${hub.url}</urlBase>`);
    expect((await api(hub, 'GET', '/artifactory/api/system')).status).toBe(200);
    for (const path of ['/artifactory/api/system', '/artifactory/api/system/configuration']) {
      expect((await api(hub, 'GET', path, { token: hub.readOnlyToken })).status).toBe(403);
    }
  });
});

describe('/_sim/inconsistent', () => {
  it("diverges a member's configuration until configSync pushes it again", async () => {
    const { hub, spoke } = await hubAndSpoke();
    await createFederation(hub, 'libs', [{ jpd: spoke }], { description: 'Libraries' });
    const inconsistent = () =>
      api(hub, 'GET', '/artifactory/api/federation/inconsistentRepos').then((r) => r.json);
    const spokeDescription = () =>
      api(spoke, 'GET', '/artifactory/api/repositories/libs').then(
        (r) => (r.json as { description: string }).description,
      );
    expect(await inconsistent()).toEqual([]);
    const made = await api(hub, 'POST', '/_sim/inconsistent', {
      body: { repoKey: 'libs', member: 'spoke' },
    });
    expect(made.status).toBe(200);
    expect(await inconsistent()).toEqual(['libs']);
    expect(await spokeDescription()).toBe('diverged: a configuration push was lost');
    expect((await api(hub, 'POST', '/artifactory/api/federation/configSync/libs')).status).toBe(
      200,
    );
    expect(await inconsistent()).toEqual([]);
    expect(await spokeDescription()).toBe('Libraries');
    const bad = await api(hub, 'POST', '/_sim/inconsistent', {
      body: { repoKey: 'libs', member: 'nowhere' },
    });
    expect(bad.status).toBe(400);
  });
});
