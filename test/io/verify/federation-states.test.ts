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
}): FederationStatusApi & { calls: string[]; maxInFlight: number } {
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

  it('a 405 on stateList: every repository unavailable, nothing else asked', async () => {
    const hub = api({
      stateList: () => {
        throw remote(405);
      },
    });
    const states = await readFederationStates(topology, topology.repos, () => hub, {
      detail: 'triage',
    });
    expect(hub.calls).toEqual(['stateList']);
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
    expect(no.calls).toEqual(['connectionStates a']);

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
