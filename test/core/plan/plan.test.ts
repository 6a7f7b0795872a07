import { describe, expect, it } from 'vitest';
import {
  formatNotes,
  type LiveJpd,
  type LiveRepo,
  type LiveState,
} from '../../../src/core/live/state.js';
import { computePlan, summarize, type Plan } from '../../../src/core/plan/plan.js';
import { isMemberAction, nextRepoWrite } from '../../../src/core/apply/repo-update.js';
import { jpdsHeader, topologyFrom } from '../../support/topology.js';

const topology = topologyFrom(`${jpdsHeader(['hub', 'eu', 'us'])}trust:
  - { source: hub, target: eu }
federations:
  - source: hub
    repositories: [libs]
    members:
      - { jpd: eu, mode: receiver }
      - { jpd: us, mode: bidirectional }
`);

const HUB = 'https://hub.example.com/artifactory/libs';
const EU = 'https://eu.example.com/artifactory/libs';
const US = 'https://us.example.com/artifactory/libs';
type M = readonly [url: string, mode: 'receiver' | 'bidirectional', enabled?: boolean];

function repo(key: string, members: readonly M[], record?: readonly M[]): LiveRepo {
  const notes =
    record === undefined
      ? undefined
      : formatNotes(undefined, {
          source: HUB.toLowerCase(),
          members: Object.fromEntries(
            record.map(([url, mode, enabled]) => [
              url.toLowerCase(),
              { mode, enabled: enabled ?? true },
            ]),
          ),
        });
  return {
    key,
    packageType: 'generic',
    members: members.map(([url, mode, enabled]) => ({ url, mode, enabled: enabled ?? true })),
    ...(notes === undefined ? {} : { lastApplied: parseRecord(notes) }),
  };
}
function parseRecord(notes: string) {
  const json = JSON.parse(notes.slice('fedctl:last-applied '.length)) as {
    s: string;
    m: Record<string, string>;
  };
  return {
    source: json.s,
    members: Object.fromEntries(
      Object.entries(json.m).map(([u, v]) => [
        u,
        {
          mode: v.startsWith('r') ? ('receiver' as const) : ('bidirectional' as const),
          enabled: !v.endsWith('-'),
        },
      ]),
    ),
  };
}
function live(
  hub: LiveRepo[],
  others: Partial<Record<'eu' | 'us', Partial<LiveJpd>>> = {},
): LiveState {
  const jpd = (name: string, extra?: Partial<LiveJpd>): LiveJpd => ({
    name,
    repos: [],
    otherRepos: [],
    ...extra,
  });
  return {
    jpds: { hub: jpd('hub', { repos: hub }), eu: jpd('eu', others.eu), us: jpd('us', others.us) },
  };
}
const converged: readonly M[] = [
  [HUB, 'bidirectional'],
  [EU, 'receiver'],
  [US, 'bidirectional'],
];
const brief = (plan: Plan) =>
  plan.actions.map((a) => `${a.type} ${a.id} cause=${a.cause} deps=[${a.dependsOn.join(',')}]`);

describe('computePlan', () => {
  it('plans the pairing, then the repository that needs it, on empty JPDs', () => {
    const plan = computePlan(topology, live([]), { allowDelete: false });
    expect(brief(plan)).toEqual([
      'establish-pairing pairing:hub->eu cause=topology deps=[]',
      'create-repository create:hub/libs cause=topology deps=[pairing:hub->eu]',
    ]);
    const create = plan.actions[1];
    expect(create?.type === 'create-repository' && create.members).toEqual([
      { jpd: 'eu', url: EU, mode: 'receiver', enabled: true },
      { jpd: 'hub', url: HUB, mode: 'bidirectional', enabled: true },
      { jpd: 'us', url: US, mode: 'bidirectional', enabled: true },
    ]);
  });

  it('plans nothing once applied, whatever the case, slashes and order of the live URLs', () => {
    const plan = computePlan(
      topology,
      live([
        repo(
          'LIBS',
          [
            [`${US.toUpperCase()}/`, 'bidirectional'],
            [EU, 'receiver'],
            [`${HUB}//`, 'bidirectional'],
          ],
          converged,
        ),
      ]),
      { allowDelete: false },
    );
    expect(plan.actions).toEqual([]);
    expect(plan.unmanaged).toEqual([]);
  });

  it('needs no pairing once any federation connects the two JPDs', () => {
    const other = repo('other', [
      [HUB.replace('libs', 'other'), 'bidirectional'],
      [EU.replace('libs', 'other'), 'receiver'],
    ]);
    const plan = computePlan(topology, live([other]), { allowDelete: false });
    expect(brief(plan)).toEqual(['create-repository create:hub/libs cause=topology deps=[]']);
    expect(plan.unmanaged).toEqual([
      {
        jpd: 'hub',
        repoKey: 'other',
        reason: 'federated repository not in the topology; left alone',
      },
    ]);
  });

  it('marks a mode flipped on the hub as drift', () => {
    const flipped = repo(
      'libs',
      [
        [HUB, 'bidirectional'],
        [EU, 'bidirectional'],
        [US, 'bidirectional'],
      ],
      converged,
    );
    const plan = computePlan(topology, live([flipped]), { allowDelete: false });
    expect(brief(plan)).toEqual(['set-member-mode mode:hub/libs:eu cause=drift deps=[]']);
    expect(summarize(plan)).toMatchObject({ 'set-member-mode': 1, total: 1 });
  });

  it('marks a mode the topology changed as a pending change, not drift', () => {
    const before: readonly M[] = [
      [HUB, 'bidirectional'],
      [EU, 'bidirectional'],
      [US, 'bidirectional'],
    ];
    const plan = computePlan(topology, live([repo('libs', before, before)]), {
      allowDelete: false,
    });
    expect(brief(plan)).toEqual(['set-member-mode mode:hub/libs:eu cause=topology deps=[]']);
  });

  it('puts back a member someone removed (drift) and adds a new one (change)', () => {
    const recorded: readonly M[] = [
      [HUB, 'bidirectional'],
      [EU, 'receiver'],
    ];
    const plan = computePlan(topology, live([repo('libs', [[HUB, 'bidirectional']], recorded)]), {
      allowDelete: false,
    });
    expect(brief(plan)).toEqual([
      'add-member add:hub/libs:eu cause=drift deps=[]',
      'add-member add:hub/libs:us cause=topology deps=[]',
    ]);
  });

  it('enables a disabled member', () => {
    const disabled = repo(
      'libs',
      [
        [HUB, 'bidirectional'],
        [EU, 'receiver', false],
        [US, 'bidirectional'],
      ],
      converged,
    );
    expect(brief(computePlan(topology, live([disabled]), { allowDelete: false }))).toEqual([
      'enable-member enable:hub/libs:eu cause=drift deps=[]',
    ]);
  });

  it('disables a member the topology declares disabled, and writes it so', () => {
    const off = topologyFrom(`${jpdsHeader(['hub', 'eu', 'us'])}trust:
  - { source: hub, target: eu }
federations:
  - source: hub
    repositories: [libs]
    members:
      - { jpd: eu, mode: receiver, enabled: false }
      - { jpd: us, mode: bidirectional }
`);
    const plan = computePlan(off, live([repo('libs', converged, converged)]), {
      allowDelete: false,
    });
    expect(brief(plan)).toEqual(['disable-member disable:hub/libs:eu cause=topology deps=[]']);
    const current = repo('libs', converged, converged);
    const write = nextRepoWrite(current, plan.actions.filter(isMemberAction), plan.changes[0], HUB);
    expect(write.members.map((m) => [m.url, m.mode, m.enabled])).toEqual([
      [EU, 'receiver', false],
      [HUB, 'bidirectional', true],
      [US, 'bidirectional', true],
    ]);
    // Applied, and enabled again by someone on the JPD: drift, which the next plan undoes.
    const applied = repo(
      'libs',
      converged,
      converged.map(([u, m]) => [u, m, u !== EU] as const),
    );
    expect(brief(computePlan(off, live([applied]), { allowDelete: false }))).toEqual([
      'disable-member disable:hub/libs:eu cause=drift deps=[]',
    ]);
  });

  it('leaves unknown members alone, and removes dropped managed ones only with --allow-delete', () => {
    const extra = 'https://lab.example.com/artifactory/libs';
    const dropped = 'https://old.example.com/artifactory/libs';
    const state = live([
      repo(
        'libs',
        [...converged, [extra, 'receiver'], [dropped, 'receiver']],
        [...converged, [dropped, 'receiver']],
      ),
    ]);
    const keep = computePlan(topology, state, { allowDelete: false });
    expect(keep.actions).toEqual([]);
    expect(keep.unmanaged.map((u) => [u.memberUrl, u.reason])).toEqual([
      [extra, 'member not declared in the topology; left alone'],
      [dropped, 'no longer in the topology; kept (run with --allow-delete to remove it)'],
    ]);
    const prune = computePlan(topology, state, { allowDelete: true });
    expect(brief(prune)).toEqual([
      `remove-member remove:hub/libs:${dropped} cause=topology deps=[]`,
    ]);
    expect(prune.changes[0]?.after.map((m) => m.url)).toEqual([EU, HUB, extra, US]);
  });

  it('deletes only repositories fedctl created on that source, and only with --allow-delete', () => {
    const gone = {
      ...repo('gone', [[HUB.replace('libs', 'gone'), 'bidirectional']]),
      lastApplied: { source: HUB.replace('libs', 'gone'), members: {} },
    };
    const state = live([repo('libs', converged, converged), gone]);
    expect(computePlan(topology, state, { allowDelete: false }).unmanaged).toEqual([
      {
        jpd: 'hub',
        repoKey: 'gone',
        reason:
          'no longer in the topology; kept (run with --allow-delete to delete it, or list it under removed: to stop managing it)',
        removedFromTopology: true,
      },
    ]);
    expect(brief(computePlan(topology, state, { allowDelete: true }))).toEqual([
      'delete-repository delete:hub/gone cause=topology deps=[]',
    ]);
  });

  it('reports conflicts instead of planning over them', () => {
    const plan = computePlan(
      topology,
      live([], { eu: { otherRepos: [{ key: 'libs', rclass: 'local' }] } }),
      { allowDelete: false },
    );
    expect(plan.actions.filter((a) => a.type === 'create-repository')).toEqual([]);
    expect(plan.conflicts.map((c) => `${c.jpd}: ${c.message}`)).toEqual([
      'eu: repository "libs" already exists on "eu" as a local repository, so federation cannot create the member copy there; remove it or use memberKeys to choose another key',
    ]);
    const typed = computePlan(
      topology,
      live([{ ...repo('libs', converged), packageType: 'maven' }]),
      { allowDelete: false },
    );
    expect(typed.conflicts.map((c) => c.message)).toEqual([
      'repository "libs" on "hub" has package type maven, the topology says generic; Artifactory cannot change a repository\'s package type',
    ]);
  });

  it('is deterministic: the same inputs in any order give the same plan', () => {
    const a = live([
      repo('libs', [[HUB, 'bidirectional']]),
      repo('x', [['https://hub.example.com/artifactory/x', 'bidirectional']]),
    ]);
    const b = live([
      repo('x', [['https://hub.example.com/artifactory/x', 'bidirectional']]),
      repo('libs', [[HUB, 'bidirectional']]),
    ]);
    expect(JSON.stringify(computePlan(topology, a, { allowDelete: false }))).toBe(
      JSON.stringify(computePlan(topology, b, { allowDelete: false })),
    );
  });
});
