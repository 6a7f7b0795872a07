import { describe, expect, it } from 'vitest';
import {
  judgeStateList,
  type ConnectionReport,
  type StateListMember,
} from '../../../src/core/verify/connection-check.js';
import {
  formatDuration,
  judgeRepoHealth,
  type HealthThresholds,
} from '../../../src/core/verify/federation-health.js';
import type { MemberMode, RepoSpec } from '../../../src/core/topology/model.js';
import { jpdsHeader, topologyFrom } from '../../support/topology.js';

const topology = topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    repositories: [libs]
    members: [{ jpd: eu, mode: receiver }]
`);
const declared = topology.repos[0];
if (declared === undefined) throw new Error('no repository');
const spec = (mode: MemberMode = 'receiver', enabled = true): RepoSpec => ({
  ...declared,
  members: declared.members.map((m) => ({ ...m, mode, enabled })),
});
const T: HealthThresholds = { maxLagMs: 15 * 60_000, maxQueued: 1000 };

const member = (over: Partial<StateListMember> = {}): StateListMember => ({
  url: 'https://eu.example.com/artifactory',
  repoKey: 'libs',
  aggregatedStatus: 'HEALTHY',
  supported: true,
  disabled: false,
  inLag: false,
  ...over,
});

describe('judgeStateList: is the stateList entry enough?', () => {
  it.each([
    ['HEALTHY, not in lag', spec(), [member()], { healthy: true }],
    [
      'the marker, spelled with a space',
      spec(),
      [member({ aggregatedStatus: 'Receiving Only' })],
      { healthy: true },
    ],
    [
      'URL in another case, with a slash',
      spec(),
      [member({ url: 'HTTPS://EU.example.com/artifactory/' })],
      { healthy: true },
    ],
    [
      'a member URL with the key',
      spec(),
      [member({ url: 'https://eu.example.com/artifactory/libs' })],
      { healthy: true },
    ],
    [
      'a disabled member, DISABLED',
      spec('receiver', false),
      [member({ aggregatedStatus: 'DISABLED', disabled: true })],
      { healthy: true },
    ],
    [
      'in lag',
      spec(),
      [member({ aggregatedStatus: 'DELAYED', inLag: true })],
      { healthy: false, why: 'member eu is in lag (DELAYED)' },
    ],
    [
      'ERROR',
      spec(),
      [member({ aggregatedStatus: 'ERROR' })],
      { healthy: false, why: 'member eu is ERROR' },
    ],
    [
      'not supported',
      spec(),
      [member({ aggregatedStatus: 'N/A', supported: false })],
      { healthy: false, why: 'member eu is not supported (N/A)' },
    ],
    ['not listed', spec(), [], { healthy: false, why: 'member eu is not listed' }],
    [
      'another key on the member',
      spec(),
      [member({ repoKey: 'other' })],
      { healthy: false, why: 'member eu is not listed' },
    ],
    [
      'disabled, though enabled live',
      spec(),
      [member({ aggregatedStatus: 'DISABLED', disabled: true })],
      { healthy: false, why: 'member eu is DISABLED (disabled)' },
    ],
  ])('%s', (_name, s, list, verdict) => {
    expect(judgeStateList(topology, s, { localRepoKey: 'libs', memberInfoList: list })).toEqual(
      verdict,
    );
  });

  it('a repository the stateList does not list needs a look', () => {
    expect(judgeStateList(topology, spec(), undefined)).toEqual({
      healthy: false,
      why: 'not in the stateList',
    });
  });
});

const conn = (
  from: string,
  to: string,
  status: string,
  lagInMs = 0,
  queuedEvents = 0,
): ConnectionReport => ({
  localPlatformUrl: `https://${from}.example.com/artifactory`,
  remotePlatformUrl: `https://${to}.example.com/artifactory`,
  status,
  lagInMs,
  queuedEvents,
});

describe('judgeRepoHealth from connectionStates', () => {
  const judge = (connections: ConnectionReport[], s = spec()) =>
    judgeRepoHealth(
      topology,
      s,
      { kind: 'connections', source: 'hub', repoKey: 'libs', connections },
      T,
    );

  it.each([
    [
      'a converged receiver',
      [conn('hub', 'eu', 'HEALTHY'), conn('eu', 'hub', 'Receiving_Only')],
      'healthy',
      undefined,
    ],
    [
      'the marker on send, no return entry',
      [conn('hub', 'eu', 'Receiving_Only')],
      'healthy',
      undefined,
    ],
    [
      'ERROR with lag',
      [conn('hub', 'eu', 'ERROR', 90_000, 7)],
      'unhealthy',
      'member eu (hub -> eu) is ERROR, lag 1m30s, 7 queued events',
    ],
    [
      'NOT_AVAILABLE, at once',
      [conn('hub', 'eu', 'NOT_AVAILABLE', 5_000, 1)],
      'unhealthy',
      'member eu (hub -> eu) is NOT_AVAILABLE, lag 5s, 1 queued event',
    ],
    [
      'DELAYED within the thresholds',
      [conn('hub', 'eu', 'DELAYED', 60_000, 3)],
      'healthy',
      undefined,
    ],
    ['FULL_SYNC_RUNNING', [conn('hub', 'eu', 'FULL_SYNC_RUNNING')], 'healthy', undefined],
    [
      'lag over --max-lag',
      [conn('hub', 'eu', 'DELAYED', 20 * 60_000, 3)],
      'unhealthy',
      'member eu (hub -> eu) is DELAYED, lag 20m, 3 queued events: lag over --max-lag 15m',
    ],
    [
      'queue over --max-queued',
      [conn('hub', 'eu', 'HEALTHY', 0, 1001)],
      'unhealthy',
      'member eu (hub -> eu) is HEALTHY, lag 0s, 1001 queued events: queue over --max-queued 1000',
    ],
    [
      'N/A',
      [conn('hub', 'eu', 'N/A')],
      'unknown',
      'member eu (hub -> eu) reports N/A: no federation status for this connection',
    ],
    [
      'a state fedctl does not know',
      [conn('hub', 'eu', 'REBALANCING')],
      'unknown',
      'member eu (hub -> eu) reports REBALANCING, a state fedctl does not know, lag 0s, 0 queued events',
    ],
    [
      'no outbound connection listed',
      [conn('eu', 'hub', 'Receiving_Only')],
      'unhealthy',
      'member eu (hub -> eu) is not listed; want HEALTHY or Receiving_Only',
    ],
  ])('%s', (_name, connections, status, reason) => {
    const h = judge(connections);
    expect(h.status).toBe(status);
    expect(h.reason).toBe(reason);
    expect(h.readFrom).toBe('connectionStates');
  });

  it('judges by the mode the member has live: a bidirectional member marked receiving-only is unhealthy', () => {
    const h = judge(
      [conn('hub', 'eu', 'HEALTHY'), conn('eu', 'hub', 'Receiving_Only')],
      spec('bidirectional'),
    );
    expect(h.status).toBe('unhealthy');
    expect(h.reason).toBe(
      'member eu (eu -> hub) is Receiving_Only, lag 0s, 0 queued events; want HEALTHY',
    );
  });

  it('keeps both directions with their numbers', () => {
    const h = judge([conn('hub', 'eu', 'HEALTHY', 10, 1), conn('eu', 'hub', 'Receiving_Only')]);
    expect(h.connections).toEqual([
      {
        member: 'eu',
        direction: 'send',
        from: 'hub',
        to: 'eu',
        expected: 'HEALTHY or Receiving_Only',
        state: 'HEALTHY',
        lagInMs: 10,
        queuedEvents: 1,
        verdict: 'healthy',
      },
      {
        member: 'eu',
        direction: 'receive',
        from: 'eu',
        to: 'hub',
        expected: 'Receiving_Only (or not listed)',
        state: 'Receiving_Only',
        lagInMs: 0,
        queuedEvents: 0,
        verdict: 'healthy',
      },
    ]);
  });
});

describe('judgeRepoHealth without connectionStates', () => {
  it('no Federation Service: unknown, with the reason', () => {
    const h = judgeRepoHealth(
      topology,
      spec(),
      {
        kind: 'unavailable',
        source: 'hub',
        repoKey: 'libs',
        reason: 'federation service not enabled on JPD hub',
        cause: 'no-service',
      },
      T,
    );
    expect(h).toEqual({
      source: 'hub',
      repoKey: 'libs',
      status: 'unknown',
      readFrom: 'none',
      reason: 'federation service not enabled on JPD hub',
      connections: [],
    });
  });

  it('not created yet: missing', () => {
    expect(judgeRepoHealth(topology, spec(), undefined, T).status).toBe('missing');
  });

  it('stateList alone: healthy, both directions at once', () => {
    const h = judgeRepoHealth(
      topology,
      spec(),
      {
        kind: 'state-list',
        source: 'hub',
        repoKey: 'libs',
        entry: { localRepoKey: 'libs', memberInfoList: [member()] },
      },
      T,
    );
    expect(h.status).toBe('healthy');
    expect(h.readFrom).toBe('stateList');
    expect(h.connections).toMatchObject([{ member: 'eu', direction: 'both', state: 'HEALTHY' }]);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [850, '850ms'],
    [42_000, '42s'],
    [90_000, '1m30s'],
    [65_000, '1m05s'],
    [15 * 60_000, '15m'],
    [2 * 3_600_000 + 5 * 60_000, '2h05m'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
