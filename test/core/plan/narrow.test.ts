import { describe, expect, it } from 'vitest';
import type { LiveState } from '../../../src/core/live/state.js';
import { globToRegExp, narrowPlan } from '../../../src/core/plan/narrow.js';
import { computePlan } from '../../../src/core/plan/plan.js';
import { emptyLive, jpdsHeader, topologyFrom } from '../../support/topology.js';

const topology =
  topologyFrom(`${jpdsHeader(['hub', 'eu', 'us'], '{ packageType: generic, mode: receiver }')}trust:
  - { source: hub, target: eu }
  - { source: hub, target: us }
federations:
  - source: hub
    repositories: [libs-release, libs-snapshot, tools]
    members: [{ jpd: eu }]
  - source: hub
    repositories: [us-only]
    members: [{ jpd: us }]
`);
const empty: LiveState = emptyLive(['hub', 'eu', 'us']);
const plan = computePlan(topology, empty, { allowDelete: false });
const ids = (p: typeof plan) => p.actions.map((a) => a.id);

describe('narrowPlan', () => {
  it('keeps everything without filters', () => {
    expect(narrowPlan(plan, {})).toBe(plan);
  });

  it('--only keeps matching repositories and the pairings they need', () => {
    const narrowed = narrowPlan(plan, { only: 'libs-*' });
    expect(ids(narrowed)).toEqual([
      'pairing:hub->eu',
      'create:hub/libs-release',
      'create:hub/libs-snapshot',
    ]);
    expect(narrowed.changes.map((c) => c.repoKey)).toEqual(['libs-release', 'libs-snapshot']);
  });

  it('--jpd keeps the actions that touch that JPD', () => {
    expect(ids(narrowPlan(plan, { jpd: 'us' }))).toEqual(['pairing:hub->us', 'create:hub/us-only']);
    expect(ids(narrowPlan(plan, { jpd: 'hub' }))).toEqual(ids(plan));
  });

  it('globs match whole keys, case-insensitively, with * and ?', () => {
    expect(globToRegExp('libs-*').test('LIBS-release')).toBe(true);
    expect(globToRegExp('libs-?').test('libs-ab')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});
