import { describe, expect, it } from 'vitest';
import { verificationPassed, type VerifyMode } from '../../../src/core/apply/report.js';
import {
  checkConnections,
  describeVerification,
  normalizeState,
  type CheckContext,
  type ConnectionReport,
  type RepoVerification,
} from '../../../src/core/verify/connection-check.js';
import type { RepoSpec, Topology } from '../../../src/core/topology/model.js';
import { jpdsHeader, topologyFrom } from '../../support/topology.js';

/** A hub with one member `eu` of the given mode. */
function world(mode: 'receiver' | 'bidirectional', enabled = true): [Topology, RepoSpec] {
  const topology = topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    repositories: [libs]
    members: [{ jpd: eu, mode: ${mode}, enabled: ${String(enabled)} }]
`);
  const [spec] = topology.repos;
  if (spec === undefined) throw new Error('no repository');
  return [topology, spec];
}

const platform = (jpd: string): string => `https://${jpd}.example.com/artifactory`;
const entry = (
  from: string,
  to: string,
  status: string,
  lagInMs = 0,
  queuedEvents = 0,
): ConnectionReport => ({
  localPlatformUrl: platform(from),
  remotePlatformUrl: platform(to),
  status,
  lagInMs,
  queuedEvents,
});
const fresh: CheckContext = { now: 1_000, graceMs: 60_000, notAvailableSince: new Map() };

/** undefined: the entry is not listed. */
type Row = [
  name: string,
  member: 'receiver' | 'bidirectional' | 'disabled receiver' | 'disabled bidirectional',
  send: string | undefined,
  receive: string | undefined,
  status: 'converged' | 'pending' | 'failed' | 'unverifiable',
];

describe('checkConnections: every reading consistent with the documents', () => {
  it.each<Row>([
    [
      'marker on receive (the default reading)',
      'receiver',
      'HEALTHY',
      'Receiving_Only',
      'converged',
    ],
    ['marker on send, HEALTHY back', 'receiver', 'Receiving_Only', 'HEALTHY', 'converged'],
    ['marker on both', 'receiver', 'Receiving_Only', 'Receiving_Only', 'converged'],
    ['return entry absent', 'receiver', 'HEALTHY', undefined, 'converged'],
    ['marker on send, return entry absent', 'receiver', 'Receiving_Only', undefined, 'converged'],
    ['marker spelled with a space', 'receiver', 'HEALTHY', 'Receiving Only', 'converged'],
    ['lower case', 'receiver', 'healthy', 'receiving_only', 'converged'],
    ['mixed case and a space, on send', 'receiver', 'receiving Only', undefined, 'converged'],
    ['HEALTHY both ways: still looks bidirectional', 'receiver', 'HEALTHY', 'HEALTHY', 'pending'],
    ['full sync pending', 'receiver', 'PENDING_FS', 'Receiving_Only', 'pending'],
    ['full sync running', 'receiver', 'FULL_SYNC_RUNNING', 'Receiving_Only', 'pending'],
    ['delayed', 'receiver', 'DELAYED', 'Receiving_Only', 'pending'],
    [
      'entry toward the receiver not listed yet',
      'receiver',
      undefined,
      'Receiving_Only',
      'pending',
    ],
    ['ERROR toward the receiver', 'receiver', 'ERROR', 'Receiving_Only', 'failed'],
    ['ERROR on the return entry', 'receiver', 'HEALTHY', 'ERROR', 'failed'],
    ['ERROR in lower case', 'receiver', 'error', undefined, 'failed'],
    ['N/A: no federation status for the connection', 'receiver', 'N/A', undefined, 'unverifiable'],
    ['bidirectional, HEALTHY both ways', 'bidirectional', 'HEALTHY', 'HEALTHY', 'converged'],
    ['bidirectional, any case', 'bidirectional', 'healthy', 'Healthy', 'converged'],
    ['bidirectional, return entry absent', 'bidirectional', 'HEALTHY', undefined, 'pending'],
    ['bidirectional, still marked', 'bidirectional', 'HEALTHY', 'Receiving_Only', 'pending'],
    ['disabled receiver', 'disabled receiver', 'DISABLED', 'DISABLED', 'converged'],
    ['disabled receiver, return absent', 'disabled receiver', 'DISABLED', undefined, 'converged'],
    [
      'disabled receiver, marker',
      'disabled receiver',
      'Receiving_Only',
      'Receiving Only',
      'converged',
    ],
    [
      'disabled receiver, still HEALTHY',
      'disabled receiver',
      'HEALTHY',
      'Receiving_Only',
      'pending',
    ],
    ['disabled bidirectional', 'disabled bidirectional', 'DISABLED', 'DISABLED', 'converged'],
    [
      'disabled bidirectional, marked',
      'disabled bidirectional',
      'Receiving_Only',
      undefined,
      'pending',
    ],
  ])('%s (%s: %s / %s) -> %s', (_name, member, send, receive, status) => {
    const [topology, spec] = world(
      member.endsWith('receiver') ? 'receiver' : 'bidirectional',
      !member.startsWith('disabled'),
    );
    const reports = [
      ...(send === undefined ? [] : [entry('hub', 'eu', send)]),
      ...(receive === undefined ? [] : [entry('eu', 'hub', receive)]),
    ];
    expect(checkConnections(topology, spec, reports, fresh).status).toBe(status);
  });

  it('ignores entries of other members and matches URLs case-insensitively, without trailing /', () => {
    const [topology, spec] = world('receiver');
    const result = checkConnections(
      topology,
      spec,
      [
        {
          ...entry('hub', 'eu', 'HEALTHY'),
          remotePlatformUrl: 'HTTPS://EU.example.com/artifactory/',
        },
        entry('hub', 'us', 'ERROR'),
      ],
      fresh,
    );
    expect(result.status).toBe('converged');
  });

  it('fails on ERROR naming the member, the directed connection, the state, lag and queued events', () => {
    const [topology, spec] = world('receiver');
    const result = checkConnections(
      topology,
      spec,
      [entry('hub', 'eu', 'ERROR', 90_000, 7), entry('eu', 'hub', 'Receiving_Only')],
      fresh,
    );
    expect(result).toMatchObject({
      status: 'failed',
      reason: 'member eu (hub -> eu) is ERROR, lag 90000 ms, 7 queued events',
    });
    expect(result.checks[0]).toMatchObject({
      member: 'eu',
      direction: 'send',
      actual: 'ERROR',
      lagInMs: 90_000,
      queuedEvents: 7,
      verdict: 'failed',
    });
  });

  it('reports an unknown state verbatim, as not converged', () => {
    const [topology, spec] = world('receiver');
    const result = checkConnections(
      topology,
      spec,
      [entry('hub', 'eu', 'Syncing-Slowly'), entry('eu', 'hub', 'Receiving_Only')],
      fresh,
    );
    expect(result.status).toBe('pending');
    expect(result.checks[0]).toMatchObject({ actual: 'Syncing-Slowly', verdict: 'unknown' });
  });

  it('a failed member fails the repository even while another is pending', () => {
    const topology = topologyFrom(`${jpdsHeader(['hub', 'eu', 'us'])}federations:
  - source: hub
    repositories: [libs]
    members: [{ jpd: eu, mode: receiver }, { jpd: us, mode: receiver }]
`);
    const [spec] = topology.repos;
    if (spec === undefined) throw new Error('no repository');
    const result = checkConnections(
      topology,
      spec,
      [entry('hub', 'eu', 'PENDING_FS'), entry('hub', 'us', 'ERROR', 5, 1)],
      fresh,
    );
    expect(result).toMatchObject({
      status: 'failed',
      reason: 'member us (hub -> us) is ERROR, lag 5 ms, 1 queued event',
    });
  });
});

describe('checkConnections: NOT_AVAILABLE and its grace period', () => {
  const [topology, spec] = world('receiver');
  const unavailable = [entry('hub', 'eu', 'NOT_AVAILABLE', 1_500, 3)];
  const poll = (now: number, since: ReadonlyMap<string, number>, reports = unavailable) =>
    checkConnections(topology, spec, reports, { now, graceMs: 60_000, notAvailableSince: since });

  it('keeps polling within the grace period, counting from the first poll that saw it', () => {
    const first = poll(1_000, new Map());
    expect(first.status).toBe('pending');
    expect([...first.notAvailableSince]).toEqual([['eu:send', 1_000]]);
    const second = poll(60_999, first.notAvailableSince);
    expect(second.status).toBe('pending');
    expect([...second.notAvailableSince]).toEqual([['eu:send', 1_000]]);
  });

  it('fails once it has lasted the grace period on consecutive polls', () => {
    const first = poll(1_000, new Map());
    const last = poll(61_000, first.notAvailableSince);
    expect(last).toMatchObject({
      status: 'failed',
      reason:
        'member eu (hub -> eu) is NOT_AVAILABLE for 60s, past the 60s grace period, lag 1500 ms, 3 queued events',
    });
  });

  it('starts over when a poll in between shows another state', () => {
    const first = poll(1_000, new Map());
    const between = poll(30_000, first.notAvailableSince, [entry('hub', 'eu', 'PENDING_FS')]);
    expect(between.notAvailableSince.size).toBe(0);
    const again = poll(61_000, between.notAvailableSince);
    expect(again.status).toBe('pending');
    expect([...again.notAvailableSince]).toEqual([['eu:send', 61_000]]);
  });

  it('with no grace period, fails on the first poll that sees it', () => {
    const result = checkConnections(topology, spec, unavailable, {
      now: 5,
      graceMs: 0,
      notAvailableSince: new Map(),
    });
    expect(result.status).toBe('failed');
  });
});

describe('normalizeState', () => {
  it.each([
    ['Receiving_Only', 'RECEIVING_ONLY'],
    ['Receiving Only', 'RECEIVING_ONLY'],
    ['receiving  only', 'RECEIVING_ONLY'],
    [' healthy ', 'HEALTHY'],
    ['N/A', 'N/A'],
  ])('%j -> %s', (input, output) => {
    expect(normalizeState(input)).toBe(output);
  });
});

describe('verdict lines and the exit verdict', () => {
  const base = { jpd: 'hub', repoKey: 'libs', checks: [] };
  const repo = (status: RepoVerification['status'], reason?: string): RepoVerification => ({
    ...base,
    status,
    converged: status === 'converged',
    ...(reason === undefined ? {} : { reason }),
  });

  it('describes each verdict on one line', () => {
    expect(describeVerification(repo('failed', 'member eu (hub -> eu) is ERROR'))).toBe(
      'hub/libs: FAILED: member eu (hub -> eu) is ERROR',
    );
    expect(
      describeVerification(repo('unverifiable', 'federation service not enabled on JPD hub')),
    ).toBe('hub/libs: unverified: federation service not enabled on JPD hub');
  });

  it.each<[VerifyMode, RepoVerification['status'][], number, boolean]>([
    ['auto', ['converged', 'converged'], 0, true],
    ['auto', ['converged', 'unverifiable'], 0, true],
    ['strict', ['converged', 'unverifiable'], 0, false],
    ['strict', ['converged'], 0, true],
    ['auto', ['converged', 'failed'], 0, false],
    ['auto', ['timed-out'], 0, false],
    ['auto', ['converged'], 1, false],
  ])('--verify %s with %j and %i changes left passes: %s', (mode, statuses, left, passed) => {
    const remaining = { actions: Array.from({ length: left }, () => ({})) };
    expect(verificationPassed({ repos: statuses.map((s) => repo(s)), remaining }, mode)).toBe(
      passed,
    );
  });
});
