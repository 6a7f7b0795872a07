/**
 * readFederationStates with a stand-in for the status API it calls (the Artifactory client is
 * tested elsewhere, and against the simulator in test/e2e/drift-*.test.ts): which repositories
 * get a connectionStates read, what a 405, a 404 or another failure becomes, and the cap per JPD.
 */
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../../src/core/errors.js';
import type {
  FederationStateEntry,
  FederationStatusApi,
  LegacyFederationApi,
  LegacyRepoStatus,
  LegacySyncState,
  MemberConnection,
} from '../../../src/io/artifactory/types.js';
import { readFederationStates } from '../../../src/io/verify/federation-states.js';
import { jpdsHeader, topologyFrom } from '../../support/topology.js';

const topology = topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    repositories: [a, b, c, d]
    members: [{ jpd: eu, mode: receiver }]
`);

const healthy = (key: string): FederationStateEntry => ({
  localRepoKey: key,
  memberInfoList: [
    {
      url: 'https://eu.example.com/artifactory',
      repoKey: key,
      aggregatedStatus: 'HEALTHY',
      supported: true,
      disabled: false,
      inLag: false,
    },
  ],
});

const remote = (status: number): RemoteError =>
  new RemoteError({
    jpd: 'hub',
    method: 'GET',
    path: '/x',
    status,
    serverMessage: `status ${status}`,
  });

function api(options: {
  stateList?: () => FederationStateEntry[];
  connectionStates?: (key: string) => MemberConnection[];
  /** Absent: the legacy endpoints answer 404 (no legacy monitoring either). */
  state?: () => LegacySyncState[];
  repo?: (key: string, version: 'v1' | 'v2') => LegacyRepoStatus;
}): FederationStatusApi & LegacyFederationApi & { calls: string[]; maxInFlight: number } {
  let inFlight = 0;
  const self = {
    calls: [] as string[],
    maxInFlight: 0,
    stateSummary: () => Promise.resolve({}),
    stateList: () => {
      self.calls.push('stateList');
      return Promise.resolve().then(() => (options.stateList ?? (() => []))());
    },
    connectionStates: async (key: string) => {
      self.calls.push(`connectionStates ${key}`);
      inFlight += 1;
      self.maxInFlight = Math.max(self.maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return (options.connectionStates ?? (() => []))(key);
    },
    federationSyncState: () => {
      self.calls.push('federationState');
      return Promise.resolve().then(() => {
        if (options.state === undefined) throw remote(404);
        return options.state();
      });
    },
    legacyRepositoryStatus: (key: string, version: 'v1' | 'v2') => {
      self.calls.push(`status/repo ${version} ${key}`);
      return Promise.resolve().then(() => {
        if (options.repo === undefined) throw remote(404);
        return options.repo(key, version);
      });
    },
    mirrorsLag: () => {
      self.calls.push('mirrorsLag');
      return Promise.resolve([]);
    },
  };
  return self;
}

describe('readFederationStates', () => {
  it('triage: stateList decides; only what it does not show healthy is read', async () => {
    const hub = api({
      stateList: () => [healthy('a'), healthy('c'), { ...healthy('d'), memberInfoList: [] }],
    });
    const states = await readFederationStates(topology, topology.repos, () => hub, {
      detail: 'triage',
    });
    expect(hub.calls.sort()).toEqual(['connectionStates b', 'connectionStates d', 'stateList']);
    expect(states.map((s) => [s.repoKey, s.kind, s.kind === 'connections' ? s.why : ''])).toEqual([
      ['a', 'state-list', ''],
      ['b', 'connections', 'not in the stateList'],
      ['c', 'state-list', ''],
      ['d', 'connections', 'member eu is not listed'],
    ]);
  });

  it('a 405 on stateList and no legacy endpoints: every repository unavailable after two requests', async () => {
    const hub = api({
      stateList: () => {
        throw remote(405);
      },
    });
    const states = await readFederationStates(topology, topology.repos, () => hub, {
      detail: 'triage',
    });
    expect(hub.calls).toEqual(['stateList', 'federationState']);
    expect(new Set(states.map((s) => (s.kind === 'unavailable' ? s.reason : s.kind)))).toEqual(
      new Set(['federation service not enabled on JPD hub']),
    );
  });

  it('full: no stateList, one connectionStates each, at most `concurrency` at a time', async () => {
    const hub = api({});
    await readFederationStates(topology, topology.repos, () => hub, {
      detail: 'full',
      concurrency: 2,
    });
    expect(hub.calls).toHaveLength(4);
    expect(hub.calls).not.toContain('stateList');
    expect(hub.maxInFlight).toBeLessThanOrEqual(2);
  });

  it('connectionStates: 405 stops the JPD after one, 404 is unavailable, others are error values', async () => {
    const no = api({
      connectionStates: () => {
        throw remote(405);
      },
    });
    await readFederationStates(topology, topology.repos, () => no, { detail: 'full' });
    expect(no.calls).toEqual(['connectionStates a', 'federationState']);

    const mixed = api({
      connectionStates: (key) => {
        if (key === 'b') throw remote(404);
        if (key === 'c') throw remote(500);
        return [];
      },
    });
    const states = await readFederationStates(topology, topology.repos, () => mixed, {
      detail: 'full',
    });
    expect(states.map((s) => s.kind)).toEqual([
      'connections',
      'unavailable',
      'error',
      'connections',
    ]);
    expect(states[1]).toMatchObject({
      reason: 'the federation service on hub reports no status for b (404)',
    });
    expect(states[2]).toMatchObject({ error: 'hub: GET /x -> 500: status 500' });
  });

  it('a bug is thrown, not returned', async () => {
    const broken = api({
      connectionStates: () => {
        throw new TypeError('boom');
      },
    });
    await expect(
      readFederationStates(topology, topology.repos, () => broken, { detail: 'full' }),
    ).rejects.toThrow('boom');
  });
});

describe('readFederationStates on the legacy engine', () => {
  const bidirectional = topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    repositories: [a, b, c]
    members: [{ jpd: eu, mode: bidirectional }]
`);
  const entry = (key: string, status: string): LegacySyncState => ({
    localRepoKey: key,
    status,
    members: [{ remoteUrl: 'https://eu.example.com/artifactory', remoteRepoKey: key }],
  });
  const legacy = () =>
    api({
      stateList: () => {
        throw remote(405);
      },
      state: () => [entry('a', 'SYNCING'), entry('b', 'OUT_OF_SYNC')],
      repo: (key, version) => {
        if (version === 'v2') throw remote(404);
        return {
          localKey: key,
          mirrors: [
            {
              remoteUrl: 'https://eu.example.com/artifactory/',
              remoteRepoKey: key,
              status: 'OUT_OF_SYNC',
              lagInMs: 9000,
              pendingEvents: 2,
            },
          ],
        };
      },
    });

  it('federation/state decides; status/repo only for the rest, v2 then v1, and v1 from then on', async () => {
    const hub = legacy();
    const engines = new Map<string, 'rtfs' | 'legacy' | 'none'>();
    const legacyApis = new Map<string, 'v1' | 'v2'>();
    const options = { detail: 'triage' as const, engines, legacyApis, concurrency: 1 };
    const states = await readFederationStates(
      bidirectional,
      bidirectional.repos,
      () => hub,
      options,
    );
    expect(states.map((s) => [s.repoKey, s.kind])).toEqual([
      ['a', 'legacy-state'],
      ['b', 'legacy-repo'],
      ['c', 'legacy-repo'],
    ]);
    expect(states[1]).toMatchObject({ state: 'OUT_OF_SYNC', why: 'is OUT_OF_SYNC' });
    expect(states[2]).toMatchObject({ why: 'not in federation/state' });
    expect(hub.calls).toEqual([
      'stateList',
      'federationState',
      'status/repo v2 b',
      'status/repo v1 b',
      'status/repo v1 c',
    ]);
    // The next poll: straight to federation/state, and v1.
    hub.calls.length = 0;
    await readFederationStates(bidirectional, bidirectional.repos, () => hub, options);
    expect(hub.calls).toEqual(['federationState', 'status/repo v1 b', 'status/repo v1 c']);
    expect(engines.get('hub')).toBe('legacy');
  });

  it('full: one mirrorsLag for the numbers of what federation/state decided', async () => {
    const hub = legacy();
    await readFederationStates(bidirectional, bidirectional.repos, () => hub, {
      detail: 'full',
      engines: new Map([['hub', 'legacy']]),
    });
    expect(hub.calls.filter((c) => !c.startsWith('status/repo'))).toEqual([
      'federationState',
      'mirrorsLag',
    ]);
  });
});
