import { describe, expect, it } from 'vitest';
import {
  formatNotes,
  parseNotes,
  type LiveRepo,
  type LiveState,
} from '../../../src/core/live/state.js';
import { computePlan } from '../../../src/core/plan/plan.js';
import { nextRepoWrite } from '../../../src/core/apply/repo-update.js';
import { jpdsHeader, topologyFrom } from '../../support/topology.js';

const HUB = 'https://hub.example.com/artifactory/libs';
const EU = 'https://eu.example.com/artifactory/libs';

const withLibs = (extra: string) =>
  topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    repositories: [{ key: libs${extra} }]
    members: [{ jpd: eu, mode: receiver }]
`);
const withoutLibs = topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    repositories: [other]
    members: [{ jpd: eu, mode: receiver }]
`);

/** hub/libs as fedctl left it, its record protected or not; eu holds the member's copy. */
function live(protect: boolean): LiveState {
  const record = {
    source: HUB,
    members: {
      [HUB]: { mode: 'bidirectional' as const, enabled: true },
      [EU]: { mode: 'receiver' as const, enabled: true },
    },
    ...(protect ? { protect: true as const } : {}),
  };
  const members = [
    { url: HUB, mode: 'bidirectional' as const, enabled: true },
    { url: EU, mode: 'receiver' as const, enabled: true },
  ];
  const libs: LiveRepo = { key: 'libs', packageType: 'generic', members, lastApplied: record };
  return {
    jpds: {
      hub: { name: 'hub', repos: [libs], otherRepos: [] },
      eu: { name: 'eu', repos: [{ ...libs }], otherRepos: [] },
    },
  };
}

describe('protect: true', () => {
  it('is read from the topology onto the repository', () => {
    expect(withLibs(', protect: true').repos[0]?.protect).toBe(true);
    expect(withLibs('').repos[0]?.protect).toBeUndefined();
  });

  it('is recorded on the repository, and records written before it read as unprotected', () => {
    const notes = formatNotes('mine', { source: HUB, members: {}, protect: true });
    expect(notes).toBe('mine\nfedctl:last-applied {"s":"' + HUB + '","m":{},"p":1}');
    expect(parseNotes(notes).lastApplied).toEqual({ source: HUB, members: {}, protect: true });
    const old = `fedctl:last-applied {"s":"${HUB}","m":{"${HUB}":"b"}}`;
    expect(parseNotes(old).lastApplied).toEqual({
      source: HUB,
      members: { [HUB]: { mode: 'bidirectional', enabled: true } },
    });
    const current = live(false).jpds['hub']?.repos[0];
    if (current === undefined) throw new Error('no hub/libs');
    const write = nextRepoWrite(current, [], undefined, HUB, true);
    expect(parseNotes(write.notes).lastApplied?.protect).toBe(true);
  });

  it('a protected repository that left the topology is never deleted, even with --allow-delete', () => {
    const plan = computePlan(withoutLibs, live(true), { allowDelete: true });
    expect(plan.actions.filter((a) => a.type === 'delete-repository')).toEqual([]);
    expect(plan.unmanaged).toContainEqual({
      jpd: 'hub',
      repoKey: 'libs',
      reason: 'no longer in the topology; protected: remove protect: true and apply, then delete',
      removedFromTopology: true,
    });
    // Unprotected, the same repository is deleted; the member's copy is named as such and kept.
    const unprotected = computePlan(withoutLibs, live(false), { allowDelete: true });
    expect(unprotected.actions.map((a) => a.id)).toContain('delete:hub/libs');
    expect(unprotected.unmanaged).toContainEqual({
      jpd: 'eu',
      repoKey: 'libs',
      reason: `a member's copy of ${HUB}, which is not in the topology; fedctl never deletes members' copies`,
    });
  });

  it('turning it on or off is a change that apply records', () => {
    const on = computePlan(withLibs(', protect: true'), live(false), { allowDelete: false });
    expect(on.actions).toMatchObject([
      { type: 'update-repository', id: 'update:hub/libs', protect: { from: false, to: true } },
    ]);
    expect(on.actions[0]).not.toHaveProperty('description');
    const off = computePlan(withLibs(''), live(true), { allowDelete: false });
    expect(off.actions).toMatchObject([
      { type: 'update-repository', protect: { from: true, to: false } },
    ]);
    expect(
      computePlan(withLibs(', protect: true'), live(true), { allowDelete: false }).actions,
    ).toEqual([]);
  });
});
