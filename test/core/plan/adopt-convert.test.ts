/**
 * The two ways an existing estate enters fedctl's care: `adopt` (a repository that already
 * matches gets fedctl's record, nothing else) and `convert-to-federated` (a local repository the
 * topology opts in to convert with `convert: local`).
 */
import { describe, expect, it } from 'vitest';
import {
  formatNotes,
  parseNotes,
  type LiveOtherRepo,
  type LiveState,
} from '../../../src/core/live/state.js';
import { narrowPlan } from '../../../src/core/plan/narrow.js';
import { computePlan, type Plan } from '../../../src/core/plan/plan.js';
import { jpdsHeader, topologyFrom } from '../../support/topology.js';

const yaml = (repository: string): string => `${jpdsHeader(['hub', 'eu', 'us'])}trust:
  - { source: hub, target: eu }
federations:
  - source: hub
    repositories: [${repository}]
    members:
      - { jpd: eu, mode: receiver }
      - { jpd: us, mode: bidirectional, enabled: false }
`;
const plain = topologyFrom(yaml('libs'));
const optIn = topologyFrom(yaml('{ key: libs, convert: local, description: Vault }'));

const HUB = 'https://hub.example.com/artifactory/libs';
const EU = 'https://eu.example.com/artifactory/libs';
const US = 'https://us.example.com/artifactory/libs';
const members = [
  { url: HUB, mode: 'bidirectional' as const, enabled: true },
  { url: EU, mode: 'receiver' as const, enabled: true },
  { url: US, mode: 'bidirectional' as const, enabled: false },
];

function live(hub: { repos?: LiveState['jpds'][string]['repos']; other?: LiveOtherRepo[] }) {
  const jpd = (name: string) => ({ name, repos: [], otherRepos: [] });
  return {
    jpds: {
      hub: { name: 'hub', repos: hub.repos ?? [], otherRepos: hub.other ?? [] },
      eu: jpd('eu'),
      us: jpd('us'),
    },
  } satisfies LiveState;
}
const brief = (plan: Plan) =>
  plan.actions.map((a) => `${a.type} ${a.id} deps=[${a.dependsOn.join(',')}]`);

describe('adopt', () => {
  it('adopts a repository that matches the topology but has no record of fedctl', () => {
    const plan = computePlan(
      plain,
      live({ repos: [{ key: 'libs', packageType: 'generic', members }] }),
      { allowDelete: false },
    );
    expect(brief(plan)).toEqual(['adopt adopt:hub/libs deps=[]']);
    expect(plan.changes).toEqual([]);
    const adopt = plan.actions[0];
    expect(adopt?.type === 'adopt' && adopt.members.map((m) => [m.jpd, m.mode, m.enabled])).toEqual(
      [
        ['eu', 'receiver', true],
        ['hub', 'bidirectional', true],
        ['us', 'bidirectional', false],
      ],
    );
  });

  it('does not adopt what carries a record, nor what differs (the change writes the record)', () => {
    const record = parseNotes(
      formatNotes(undefined, {
        source: HUB,
        members: Object.fromEntries(members.map((m) => [m.url, m])),
      }),
    ).lastApplied;
    if (record === undefined) throw new Error('record did not round-trip');
    const recorded = { key: 'libs', packageType: 'generic', members, lastApplied: record };
    expect(computePlan(plain, live({ repos: [recorded] }), { allowDelete: false }).actions).toEqual(
      [],
    );
    const differs = {
      key: 'libs',
      packageType: 'generic',
      members: members.map((m) => (m.url === EU ? { ...m, mode: 'bidirectional' as const } : m)),
    };
    expect(brief(computePlan(plain, live({ repos: [differs] }), { allowDelete: false }))).toEqual([
      'set-member-mode mode:hub/libs:eu deps=[]',
    ]);
  });
});

describe('convert-to-federated', () => {
  const local: LiveOtherRepo = { key: 'libs', rclass: 'local', packageType: 'generic' };

  it('converts a local repository when the topology opts in, then adds the members', () => {
    const plan = computePlan(optIn, live({ other: [local] }), { allowDelete: false });
    expect(plan.conflicts).toEqual([]);
    expect(brief(plan)).toEqual([
      'establish-pairing pairing:hub->eu deps=[]',
      'convert-to-federated convert:hub/libs deps=[pairing:hub->eu]',
      'update-repository update:hub/libs deps=[]',
      'add-member add:hub/libs:eu deps=[convert:hub/libs,pairing:hub->eu]',
      'add-member add:hub/libs:us deps=[convert:hub/libs]',
    ]);
    expect(plan.changes).toEqual([
      {
        jpd: 'hub',
        repoKey: 'libs',
        before: [],
        after: [
          { jpd: 'eu', url: EU, mode: 'receiver', enabled: true },
          { jpd: 'hub', url: HUB, mode: 'bidirectional', enabled: true },
          { jpd: 'us', url: US, mode: 'bidirectional', enabled: false },
        ],
      },
    ]);
  });

  it('keeps the conversion when narrowing to a member JPD keeps a member addition', () => {
    const plan = computePlan(optIn, live({ other: [local] }), { allowDelete: false });
    expect(brief(narrowPlan(plan, { jpd: 'us' }))).toEqual([
      'establish-pairing pairing:hub->eu deps=[]',
      'convert-to-federated convert:hub/libs deps=[pairing:hub->eu]',
      'add-member add:hub/libs:us deps=[convert:hub/libs]',
    ]);
  });

  it('without the opt-in, the local repository is a conflict whose message names the option', () => {
    const plan = computePlan(plain, live({ other: [local] }), { allowDelete: false });
    expect(plan.actions.filter((a) => a.type !== 'establish-pairing')).toEqual([]);
    expect(plan.conflicts.map((c) => c.message)).toEqual([
      'repository "libs" already exists on "hub" as a local repository; add `convert: local` to this repository to convert it to federated (POST /artifactory/api/federation/migrate/libs, artifacts kept), or choose another key',
    ]);
  });

  it('refuses what a conversion cannot do: another class, another package type', () => {
    const remote = computePlan(optIn, live({ other: [{ ...local, rclass: 'remote' }] }), {
      allowDelete: false,
    });
    expect(remote.conflicts.map((c) => c.message)).toEqual([
      'repository "libs" already exists on "hub" as a remote repository; only a local repository can be converted to federated, so choose another key',
    ]);
    const maven = computePlan(optIn, live({ other: [{ ...local, packageType: 'maven' }] }), {
      allowDelete: false,
    });
    expect(maven.conflicts.map((c) => c.message)).toEqual([
      'repository "libs" already exists on "hub" as a local repository of package type maven, the topology says generic; a conversion keeps the package type',
    ]);
  });

  it('creates the repository as usual when no local repository is there', () => {
    const plan = computePlan(optIn, live({}), { allowDelete: false });
    expect(brief(plan)).toEqual([
      'establish-pairing pairing:hub->eu deps=[]',
      'create-repository create:hub/libs deps=[pairing:hub->eu]',
    ]);
  });
});
