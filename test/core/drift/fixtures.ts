/**
 * One drift run with every kind of finding, as plain data: drift the plan undoes, drift it cannot
 * undo, a pending description and creation, a stale record, and health that is unhealthy (ERROR
 * with lag), healthy from stateList alone, and unknown (no Federation Service).
 */
import type { ConnectionReport } from '../../../src/core/verify/connection-check.js';
import { computeDrift, type DriftResult, type FindingKind } from '../../../src/core/drift/drift.js';
import {
  DEFAULT_MAX_LAG_MS,
  DEFAULT_MAX_QUEUED,
  type RepoStates,
} from '../../../src/core/verify/federation-health.js';
import {
  formatNotes,
  parseNotes,
  type LastApplied,
  type LiveRepo,
  type LiveState,
} from '../../../src/core/live/state.js';
import { computePlan } from '../../../src/core/plan/plan.js';
import { jpdsHeader, topologyFrom } from '../../support/topology.js';

export const topology = topologyFrom(`${jpdsHeader(['hub', 'eu', 'us'])}federations:
  - source: hub
    repositories: [libs]
    members: [{ jpd: eu, mode: receiver }, { jpd: us, mode: receiver }]
  - source: hub
    repositories: [tools]
    members: [{ jpd: eu, mode: receiver, enabled: false }]
  - source: hub
    repositories: [{ key: docs, description: "Docs <b>for</b> @octocat" }]
    members: [{ jpd: eu, mode: receiver }]
  - source: hub
    repositories: [new]
    members: [{ jpd: us, mode: receiver }]
`);

export const url = (host: string, key: string): string =>
  `https://${host}.example.com/artifactory/${key}`;
const platform = (host: string): string => `https://${host}.example.com/artifactory`;

function record(key: string, members: Record<string, string>): LastApplied {
  const parsed = parseNotes(
    formatNotes(undefined, {
      source: url('hub', key),
      members: Object.fromEntries(
        Object.entries(members).map(([host, m]) => [
          url(host, key),
          { mode: m.startsWith('r') ? 'receiver' : 'bidirectional', enabled: !m.endsWith('-') },
        ]),
      ),
    }),
  ).lastApplied;
  if (parsed === undefined) throw new Error('record did not round-trip');
  return parsed;
}

const hubSelf = (key: string) => ({
  url: url('hub', key),
  mode: 'bidirectional' as const,
  enabled: true,
});

const libs: LiveRepo = {
  key: 'libs',
  packageType: 'generic',
  members: [
    hubSelf('libs'),
    { url: url('eu', 'libs'), mode: 'bidirectional', enabled: true },
    { url: url('us', 'libs'), mode: 'receiver', enabled: true },
  ],
  lastApplied: record('libs', { hub: 'b', eu: 'r', us: 'r' }),
};
const tools: LiveRepo = {
  key: 'tools',
  packageType: 'generic',
  members: [hubSelf('tools'), { url: url('eu', 'tools'), mode: 'receiver', enabled: true }],
  lastApplied: record('tools', { hub: 'b', eu: 'r-' }),
};
const docs: LiveRepo = {
  key: 'docs',
  packageType: 'generic',
  description: 'Old',
  members: [hubSelf('docs'), { url: url('eu', 'docs'), mode: 'receiver', enabled: true }],
  lastApplied: record('docs', { hub: 'b', eu: 'r', us: 'r' }),
};

export const live: LiveState = {
  jpds: {
    hub: { name: 'hub', repos: [libs, tools, docs], otherRepos: [] },
    eu: { name: 'eu', repos: [], otherRepos: [] },
    us: { name: 'us', repos: [], otherRepos: [] },
  },
};

const entry = (
  from: string,
  to: string,
  status: string,
  key: string,
  lagInMs = 0,
  queuedEvents = 0,
): ConnectionReport & { localRepoKey: string } => ({
  localRepoKey: key,
  localPlatformUrl: platform(from),
  remotePlatformUrl: platform(to),
  status,
  lagInMs,
  queuedEvents,
});

export const states: RepoStates[] = [
  {
    kind: 'connections',
    source: 'hub',
    repoKey: 'libs',
    why: 'member eu is ERROR',
    connections: [
      entry('hub', 'eu', 'ERROR', 'libs', 90_000, 7),
      entry('eu', 'hub', 'HEALTHY', 'libs'),
      entry('hub', 'us', 'HEALTHY', 'libs'),
      entry('us', 'hub', 'Receiving_Only', 'libs'),
    ],
  },
  {
    kind: 'state-list',
    source: 'hub',
    repoKey: 'tools',
    entry: {
      localRepoKey: 'tools',
      memberInfoList: [
        {
          url: platform('eu'),
          repoKey: 'tools',
          aggregatedStatus: 'HEALTHY',
          supported: true,
          disabled: false,
          inLag: false,
        },
      ],
    },
  },
  {
    kind: 'unavailable',
    source: 'hub',
    repoKey: 'docs',
    reason: 'federation service not enabled on JPD hub',
    cause: 'no-service',
  },
];

export const READ_AT = '2025-01-02T03:04:05.000Z';

export function driftResult(
  failOn: readonly FindingKind[] = ['drift', 'pending', 'health'],
): DriftResult {
  return computeDrift({
    file: 'federation.yaml',
    topology,
    live,
    plan: computePlan(topology, live, { allowDelete: false }),
    states,
    thresholds: { maxLagMs: DEFAULT_MAX_LAG_MS, maxQueued: DEFAULT_MAX_QUEUED },
    failOn,
    readAt: READ_AT,
  });
}
