import { describe, expect, it } from 'vitest';
import {
  buildGraph,
  type FlowMember,
  type GraphRepo,
  type GraphTopology,
  type HealthReading,
  type PlannedRepo,
  type TopologyGraph,
} from '../../../src/core/graph/graph.js';

const rx = (jpd: string, enabled = true): FlowMember => ({ jpd, mode: 'receiver', enabled });
const bi = (jpd: string, enabled = true): FlowMember => ({ jpd, mode: 'bidirectional', enabled });
const repo = (source: string, key: string, ...members: FlowMember[]): GraphRepo => ({
  source,
  key,
  members,
});
const topo = (names: readonly string[], repos: readonly GraphRepo[]): GraphTopology => ({
  jpds: names.map((name) => ({ name })),
  pairings: [],
  repos,
});

function marks(graph: TopologyGraph): string[] {
  return graph.edges.map(
    (e) =>
      `${e.from} ${e.direction === 'two-way' ? '<->' : '->'} ${e.to}${e.disabled ? ' disabled' : ''}` +
      ` [${e.repos.join(',')}]${e.plan === undefined ? '' : ` ${e.plan}`}`,
  );
}

describe('plan overlay: the edges a plan adds, changes and removes', () => {
  const names = ['hub', 'eu', 'us', 'apac'];
  it.each<{ name: string; after: GraphRepo[]; planned: PlannedRepo[]; expected: string[] }>([
    {
      name: 'nothing planned: no marks',
      after: [repo('hub', 'a', rx('eu'))],
      planned: [],
      expected: ['hub -> eu [a]'],
    },
    {
      name: 'a repository created towards a new JPD: that edge is added',
      after: [repo('hub', 'a', rx('eu')), repo('hub', 'b', rx('apac'))],
      planned: [{ source: 'hub', key: 'b' }],
      expected: ['hub -> apac [b] add', 'hub -> eu [a]'],
    },
    {
      name: 'a repository created on an existing edge: that edge changes',
      after: [repo('hub', 'a', rx('eu')), repo('hub', 'b', rx('eu'))],
      planned: [{ source: 'hub', key: 'b' }],
      expected: ['hub -> eu [a,b] change'],
    },
    {
      name: 'a member added: its edge is added, the others stay',
      after: [repo('hub', 'a', rx('eu'), rx('us'))],
      planned: [{ source: 'hub', key: 'a', before: [rx('eu')] }],
      expected: ['hub -> eu [a]', 'hub -> us [a] add'],
    },
    {
      name: 'a member removed: its edge is drawn, marked removed',
      after: [repo('hub', 'a', rx('eu'))],
      planned: [{ source: 'hub', key: 'a', before: [rx('eu'), rx('us')] }],
      expected: ['hub -> eu [a]', 'hub -> us [a] remove'],
    },
    {
      name: 'a repository deleted (not in the topology any more): its edges are removed',
      after: [repo('hub', 'a', rx('eu'))],
      planned: [{ source: 'hub', key: 'gone', before: [rx('eu'), rx('apac')] }],
      expected: ['hub -> apac [gone] remove', 'hub -> eu [a] change'],
    },
    {
      name: 'bidirectional to receiver: the two-way edge goes, a one-way edge comes',
      after: [repo('hub', 'a', rx('eu'))],
      planned: [{ source: 'hub', key: 'a', before: [bi('eu')] }],
      expected: ['eu <-> hub [a] remove', 'hub -> eu [a] add'],
    },
    {
      name: 'a member enabled: the disabled edge goes, the enabled one changes',
      after: [repo('hub', 'a', rx('eu')), repo('hub', 'b', rx('eu'))],
      planned: [{ source: 'hub', key: 'a', before: [rx('eu', false)] }],
      expected: ['hub -> eu [a,b] change', 'hub -> eu disabled [a] remove'],
    },
    {
      name: 'only the description changes: no edge changes',
      after: [repo('hub', 'a', rx('eu'))],
      planned: [{ source: 'hub', key: 'a', before: [rx('eu')] }],
      expected: ['hub -> eu [a]'],
    },
    {
      name: 'the source listed among the members before, as a plan lists it: same as implied',
      after: [repo('hub', 'a', rx('eu'))],
      planned: [{ source: 'hub', key: 'a', before: [bi('hub'), rx('eu')] }],
      expected: ['hub -> eu [a]'],
    },
    {
      name: 'a member on a JPD the topology does not know is not drawn',
      after: [repo('hub', 'a', rx('eu'))],
      planned: [{ source: 'hub', key: 'a', before: [rx('eu'), rx('old-site')] }],
      expected: ['hub -> eu [a]'],
    },
  ])('$name', ({ after, planned, expected }) => {
    const graph = buildGraph(topo(names, after), { plan: { repos: planned } });
    expect(marks(graph)).toEqual(expected);
    expect(graph.edges.map((e) => e.id)).toEqual(graph.edges.map((_, i) => `e${i + 1}`));
  });
});

describe('health overlay: the most severe state read on each edge', () => {
  const graph = (readings: HealthReading[]) =>
    buildGraph(
      topo(
        ['hub', 'eu', 'dr'],
        [repo('hub', 'a', rx('eu'), bi('dr')), repo('hub', 'b', rx('eu'), bi('dr'))],
      ),
      { health: { readings } },
    );
  const health = (g: TopologyGraph): Record<string, string | undefined> =>
    Object.fromEntries(g.edges.map((e) => [`${e.from} ${e.direction} ${e.to}`, e.health]));

  it.each<{ name: string; readings: HealthReading[]; expected: Record<string, string> }>([
    {
      name: 'nothing read: UNKNOWN everywhere',
      readings: [],
      expected: {
        'dr one-way eu': 'UNKNOWN',
        'dr two-way hub': 'UNKNOWN',
        'hub one-way eu': 'UNKNOWN',
      },
    },
    {
      name: 'the worst of several repositories wins',
      readings: [
        { from: 'hub', to: 'eu', repoKey: 'a', state: 'HEALTHY' },
        { from: 'hub', to: 'eu', repoKey: 'b', state: 'ERROR' },
        { from: 'hub', to: 'eu', repoKey: 'b', state: 'DELAYED' },
      ],
      expected: {
        'dr one-way eu': 'UNKNOWN',
        'dr two-way hub': 'UNKNOWN',
        'hub one-way eu': 'ERROR',
      },
    },
    {
      name: 'a two-way edge takes both directions',
      readings: [
        { from: 'hub', to: 'dr', repoKey: 'a', state: 'HEALTHY' },
        { from: 'dr', to: 'hub', repoKey: 'a', state: 'PENDING_FS' },
        { from: 'dr', to: 'eu', state: 'HEALTHY' },
      ],
      expected: {
        'dr one-way eu': 'HEALTHY',
        'dr two-way hub': 'PENDING_FS',
        'hub one-way eu': 'UNKNOWN',
      },
    },
    {
      name: 'states are read as verification reads them: any case, `_` or space',
      readings: [
        { from: 'eu', to: 'hub', repoKey: 'a', state: 'Receiving Only' },
        { from: 'hub', to: 'eu', repoKey: 'a', state: 'receiving_only' },
        { from: 'hub', to: 'eu', repoKey: 'b', state: 'full sync running' },
      ],
      expected: {
        'dr one-way eu': 'UNKNOWN',
        'dr two-way hub': 'UNKNOWN',
        'hub one-way eu': 'FULL_SYNC_RUNNING',
      },
    },
    {
      name: 'Receiving_Only (the direction a receiver does not send) is no reading of an edge',
      readings: [
        { from: 'eu', to: 'hub', repoKey: 'a', state: 'Receiving_Only' },
        { from: 'hub', to: 'eu', repoKey: 'a', state: 'Receiving_Only' },
        { from: 'hub', to: 'eu', repoKey: 'b', state: 'HEALTHY' },
      ],
      expected: {
        'dr one-way eu': 'UNKNOWN',
        'dr two-way hub': 'UNKNOWN',
        'hub one-way eu': 'HEALTHY',
      },
    },
    {
      name: 'a state fedctl does not know is UNKNOWN, worse than a running sync',
      readings: [
        { from: 'hub', to: 'eu', state: 'FULL_SYNC_RUNNING' },
        { from: 'hub', to: 'eu', state: 'SOMETHING_NEW' },
      ],
      expected: {
        'dr one-way eu': 'UNKNOWN',
        'dr two-way hub': 'UNKNOWN',
        'hub one-way eu': 'UNKNOWN',
      },
    },
    {
      name: 'a reading for a repository the edge does not carry does not count',
      readings: [
        { from: 'hub', to: 'eu', repoKey: 'other', state: 'ERROR' },
        { from: 'hub', to: 'eu', repoKey: 'a', state: 'NOT_AVAILABLE' },
      ],
      expected: {
        'dr one-way eu': 'UNKNOWN',
        'dr two-way hub': 'UNKNOWN',
        'hub one-way eu': 'NOT_AVAILABLE',
      },
    },
  ])('$name', ({ readings, expected }) => {
    expect(health(graph(readings))).toEqual(expected);
  });

  it('leaves health out without the overlay', () => {
    expect(
      buildGraph(topo(['hub', 'eu'], [repo('hub', 'a', rx('eu'))])).edges[0],
    ).not.toHaveProperty('health');
  });
});
