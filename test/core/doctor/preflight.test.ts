/** The plan/apply preflight from plain data: what it reads, what blocks, what it notes. */
import { describe, expect, it } from 'vitest';
import {
  judgePreflight,
  preflightMessage,
  preflightReads,
} from '../../../src/core/doctor/preflight.js';
import type { EngineFact } from '../../../src/core/doctor/needs.js';
import { computePlan } from '../../../src/core/plan/plan.js';
import { emptyLive, jpdsHeader, topologyFrom } from '../../support/topology.js';

const topology = topologyFrom(`${jpdsHeader(['hub', 'eu', 'us'])}federations:
  - source: hub
    repositories: [a, b]
    members: [{ jpd: eu, mode: receiver }, { jpd: us, mode: bidirectional }]
`);
const plan = computePlan(topology, emptyLive(['hub', 'eu', 'us']), { allowDelete: false });

describe('preflight', () => {
  it('reads the engines of receiver ends and the version of a JPD with creates to batch', () => {
    expect(preflightReads(plan, 100)).toEqual({ engines: ['eu', 'hub'], versions: ['hub'] });
    expect(preflightReads(plan, 1)).toEqual({ engines: ['eu', 'hub'], versions: [] });
    const nothing = computePlan(
      topologyFrom(`${jpdsHeader(['hub', 'us'])}federations:
  - source: hub
    repositories: [a]
    members: [{ jpd: us, mode: bidirectional }]
`),
      emptyLive(['hub', 'us']),
      { allowDelete: false },
    );
    expect(preflightReads(nothing, 100)).toEqual({ engines: [], versions: [] });
  });

  it('blocks a receiver on a legacy end; notes batch creates falling back before 7.84.3', () => {
    const rtfs = { engine: 'rtfs' as const, because: 'x' };
    const result = judgePreflight({
      plan,
      batchSize: 100,
      engines: new Map<string, EngineFact>([
        ['hub', rtfs],
        ['eu', { engine: 'legacy', because: 'federation/rtfs is false', version: '7.117.5' }],
      ]),
      versions: new Map([['hub', '7.80.0']]),
    });
    expect(result.notes).toEqual([
      'hub runs Artifactory 7.80.0, before batch create (7.84.3): its 2 new repositories are created one per request',
    ]);
    expect(preflightMessage(result.blockers)).toBe(
      'eu: runs Artifactory 7.117.5 with the legacy federation engine (federation/rtfs is false), but a receiver member needs the Federation Service (RTFS) on both ends: eu in hub/a and hub/b; only bidirectional members can federate with eu (nothing was changed)',
    );
    const fine = judgePreflight({
      plan,
      batchSize: 100,
      engines: new Map<string, EngineFact>([
        ['hub', rtfs],
        ['eu', { engine: 'unknown', because: 'no engine read answered' }],
      ]),
      versions: new Map([['hub', '7.84.3']]),
    });
    expect(fine).toEqual({ blockers: [], notes: [] });
  });
});
