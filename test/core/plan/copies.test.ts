/** The copies' own actions, from plain data: project and environments on each copy, configSync. */
import { describe, expect, it } from 'vitest';
import type { LiveRepo, LiveState } from '../../../src/core/live/state.js';
import { computePlan, type Action } from '../../../src/core/plan/plan.js';
import { jpdsHeader, topologyFrom } from '../../support/topology.js';

const withProject = topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    project: team
    environments: [PROD, DEV]
    repositories: [team-libs]
    members: [{ jpd: eu, mode: bidirectional }]
`);
const without = topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    repositories: [team-libs]
    members: [{ jpd: eu, mode: bidirectional }]
`);

const url = (jpd: string) => `https://${jpd}.example.com/artifactory/team-libs`;
const copy = (extra: Partial<LiveRepo> = {}, members = ['hub', 'eu']): LiveRepo => ({
  key: 'team-libs',
  packageType: 'generic',
  members: members.map((j) => ({ url: url(j), mode: 'bidirectional', enabled: true })),
  ...extra,
});
const live = (
  hub: LiveRepo | undefined,
  eu: LiveRepo | undefined,
  inconsistent?: string[],
): LiveState => ({
  jpds: {
    hub: {
      name: 'hub',
      repos: hub === undefined ? [] : [hub],
      otherRepos: [],
      ...(inconsistent === undefined ? {} : { inconsistent }),
    },
    eu: { name: 'eu', repos: eu === undefined ? [] : [eu], otherRepos: [] },
  },
});
const copies = (actions: readonly Action[]) =>
  actions
    .filter((a) => a.type === 'set-project' || a.type === 'sync-configuration')
    .map((a) => ({ ...a, of: undefined }));

describe('copy actions', () => {
  it('a create carries the project; the copy federation makes is set after it, once it exists', () => {
    const plan = computePlan(withProject, live(undefined, undefined), { allowDelete: false });
    expect(plan.actions.find((a) => a.type === 'create-repository')).toMatchObject({
      project: 'team',
      environments: ['DEV', 'PROD'],
    });
    expect(copies(plan.actions)).toEqual([
      {
        type: 'set-project',
        id: 'project:eu/team-libs',
        cause: 'topology',
        dependsOn: ['create:hub/team-libs'],
        jpd: 'eu',
        repoKey: 'team-libs',
        of: undefined,
        project: { to: 'team' },
        environments: { from: [], to: ['DEV', 'PROD'] },
        awaitCopy: true,
      },
    ]);
  });

  it('a copy that lost what the source has is drift; environments compare as a set', () => {
    const source = copy({ projectKey: 'team', environments: ['DEV', 'PROD'] });
    const plan = computePlan(withProject, live(source, copy({ environments: ['PROD', 'DEV'] })), {
      allowDelete: false,
    });
    expect(copies(plan.actions)).toMatchObject([
      { id: 'project:eu/team-libs', cause: 'drift', project: { to: 'team' } },
    ]);
    expect(copies(plan.actions)[0]).not.toHaveProperty('environments');
  });

  it('a topology without project never touches one', () => {
    const plan = computePlan(
      without,
      live(copy({ projectKey: 'team' }), copy({ projectKey: 'x' })),
      {
        allowDelete: false,
      },
    );
    expect(plan.actions.filter((a) => a.type !== 'adopt')).toEqual([]);
  });

  it('configSync for a listed copy, unless it has members the topology does not declare', () => {
    const listed = computePlan(without, live(copy(), copy(), ['TEAM-LIBS']), {
      allowDelete: false,
    });
    expect(copies(listed.actions)).toMatchObject([
      { type: 'sync-configuration', id: 'sync:hub/team-libs', cause: 'drift', jpd: 'hub' },
    ]);
    const foreign = copy({}, ['hub', 'eu', 'elsewhere']);
    const unsure = computePlan(without, live(foreign, copy(), ['team-libs']), {
      allowDelete: false,
    });
    expect(copies(unsure.actions)).toEqual([]);
  });
});
