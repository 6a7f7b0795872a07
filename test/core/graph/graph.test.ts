import { describe, expect, it } from 'vitest';
import {
  buildGraph,
  edgeLabel,
  type FlowMember,
  type GraphRepo,
  type GraphTopology,
  type TopologyGraph,
} from '../../../src/core/graph/graph.js';
import { renderGraphDot } from '../../../src/core/graph/dot.js';
import { renderGraphMermaid } from '../../../src/core/graph/mermaid.js';
import { renderGraphSvg } from '../../../src/core/graph/svg.js';
import { topologyFrom } from '../../support/topology.js';
import { LARGE, largeTopology, largeTopologyYaml } from './fixtures.js';

const rx = (jpd: string, enabled = true): FlowMember => ({ jpd, mode: 'receiver', enabled });
const bi = (jpd: string, enabled = true): FlowMember => ({ jpd, mode: 'bidirectional', enabled });
const repo = (source: string, key: string, ...members: FlowMember[]): GraphRepo => ({
  source,
  key,
  members,
});
const topo = (
  names: readonly string[],
  repos: readonly GraphRepo[],
  pairings: GraphTopology['pairings'] = [],
): GraphTopology => ({ jpds: names.map((name) => ({ name })), pairings, repos });
const trust = (source: string, target: string, receivingOnly = true) => ({
  source,
  target,
  receivingOnly,
});

/** One line per edge: what a reader of the drawing should see. */
function edges(graph: TopologyGraph): string[] {
  return graph.edges.map(
    (e) =>
      `${e.from} ${e.direction === 'two-way' ? '<->' : '->'} ${e.to}` +
      `${e.enforced ? ' enforced' : ''}${e.disabled ? ' disabled' : ''}: ${e.label}`,
  );
}

describe('buildGraph: which directions carry data', () => {
  it.each([
    {
      name: 'a receiver member: one-way from the source',
      topology: topo(['hub', 'eu'], [repo('hub', 'libs', rx('eu'))]),
      expected: ['hub -> eu: libs'],
    },
    {
      name: 'a bidirectional member: two-way, named in code-unit order',
      topology: topo(['main', 'dr'], [repo('main', 'libs', bi('dr'))]),
      expected: ['dr <-> main: libs'],
    },
    {
      name: 'two receivers of one hub send each other nothing',
      topology: topo(['hub', 'eu', 'us'], [repo('hub', 'libs', rx('eu'), rx('us'))]),
      expected: ['hub -> eu: libs', 'hub -> us: libs'],
    },
    {
      name: 'a bidirectional spoke sends to the receivers too (the federation is a mesh)',
      topology: topo(['main', 'dr', 'lab'], [repo('main', 'libs', bi('dr'), rx('lab'))]),
      expected: ['dr -> lab: libs', 'dr <-> main: libs', 'main -> lab: libs'],
    },
    {
      name: 'two bidirectional spokes: two-way between them as well',
      topology: topo(['a', 'b', 'c'], [repo('a', 'k', bi('b'), bi('c'))]),
      expected: ['a <-> b: k', 'a <-> c: k', 'b <-> c: k'],
    },
    {
      name: 'over a receiving-only pairing: enforced',
      topology: topo(['hub', 'eu'], [repo('hub', 'libs', rx('eu'))], [trust('hub', 'eu')]),
      expected: ['hub -> eu enforced: libs'],
    },
    {
      name: 'over a full-permission pairing: not enforced',
      topology: topo(['hub', 'eu'], [repo('hub', 'libs', rx('eu'))], [trust('hub', 'eu', false)]),
      expected: ['hub -> eu: libs'],
    },
    {
      name: 'a pairing the other way round does not enforce this direction',
      topology: topo(['hub', 'eu'], [repo('hub', 'libs', rx('eu'))], [trust('eu', 'hub')]),
      expected: ['hub -> eu: libs'],
    },
    {
      name: 'a disabled member: its edges are disabled, apart from the enabled ones',
      topology: topo(
        ['hub', 'eu', 'us'],
        [repo('hub', 'a', rx('eu', false), rx('us')), repo('hub', 'b', rx('eu'), rx('us'))],
      ),
      expected: ['hub -> eu: b', 'hub -> eu disabled: a', 'hub -> us: a, b'],
    },
    {
      name: 'a disabled bidirectional member: disabled both ways',
      topology: topo(['main', 'dr'], [repo('main', 'libs', bi('dr', false))]),
      expected: ['dr <-> main disabled: libs'],
    },
    {
      name: 'one-way each way between two hubs: two edges',
      topology: topo(['a', 'b'], [repo('a', 'from-a', rx('b')), repo('b', 'from-b', rx('a'))]),
      expected: ['a -> b: from-a', 'b -> a: from-b'],
    },
    {
      name: 'a JPD with no federation is still a node, with no edge',
      topology: topo(['hub', 'eu', 'idle'], [repo('hub', 'libs', rx('eu'))]),
      expected: ['hub -> eu: libs'],
    },
  ])('$name', ({ topology, expected }) => {
    const graph = buildGraph(topology);
    expect(edges(graph)).toEqual(expected);
    expect(graph.nodes.map((n) => n.name)).toEqual(
      topology.jpds.map((j) => j.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });

  it('aggregates every repository of a pair and kind into one edge, keys sorted', () => {
    const repos = ['zeta', 'alpha', 'mid'].map((k) => repo('hub', k, rx('eu')));
    const graph = buildGraph(topo(['hub', 'eu'], repos));
    expect(graph.edges).toHaveLength(1);
    expect(graph.edges[0]?.repos).toEqual(['alpha', 'mid', 'zeta']);
    expect(graph.edges[0]?.id).toBe('e1');
  });

  it('counts hubs: the repositories each JPD is the source of', () => {
    const graph = buildGraph(
      topo(['hub', 'eu'], [repo('hub', 'a', rx('eu')), repo('hub', 'b', rx('eu'))]),
    );
    expect(graph.nodes).toEqual([
      { name: 'eu', sourceOf: 0 },
      { name: 'hub', sourceOf: 2 },
    ]);
  });

  it('reads a resolved Topology as it is (the examples parse into the graph input)', () => {
    const topology = topologyFrom(`version: 1
defaults: { packageType: generic }
jpds:
  hub: { url: "https://hub.example.com", token: "\${HUB}" }
  eu: { url: "https://eu.example.com", token: "\${EU}" }
trust: [{ source: hub, target: eu, receivingOnly: true }]
federations:
  - source: hub
    repositories: [libs]
    members: [{ jpd: eu, mode: receiver, enabled: false }]
`);
    expect(edges(buildGraph(topology))).toEqual(['hub -> eu enforced disabled: libs']);
  });
});

describe('edge labels: the keys when few, else the count', () => {
  it.each([
    { repos: ['a'], max: 3, expected: 'a' },
    { repos: ['a', 'b', 'c'], max: 3, expected: 'a, b, c' },
    { repos: ['a', 'b', 'c', 'd'], max: 3, expected: '4 repositories' },
    { repos: ['a', 'b'], max: 1, expected: '2 repositories' },
    { repos: ['x'.repeat(41)], max: 3, expected: '1 repository' },
    {
      repos: ['libs-release', 'firmware-release', 'base-images'],
      max: 3,
      expected: '3 repositories',
    },
    { repos: ['libs-release', 'libs-snapshot'], max: 3, expected: 'libs-release, libs-snapshot' },
  ])('$repos (at most $max keys) -> $expected', ({ repos, max, expected }) => {
    expect(edgeLabel(repos, max)).toBe(expected);
  });

  it('takes maxLabelKeys from the options', () => {
    const graph = buildGraph(
      topo(['hub', 'eu'], [repo('hub', 'a', rx('eu')), repo('hub', 'b', rx('eu'))]),
      { maxLabelKeys: 1 },
    );
    expect(graph.edges[0]?.label).toBe('2 repositories');
  });
});

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed;
  const random = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('determinism', () => {
  const base = topo(
    ['hub', 'eu', 'us', 'dr', 'lab', 'Zed', 'édge'],
    [
      repo('hub', 'libs', rx('eu'), rx('us', false), bi('dr')),
      repo('hub', 'tools', rx('eu'), rx('lab')),
      repo('dr', 'backup', bi('hub'), rx('Zed')),
      repo('us', 'local', rx('édge')),
    ],
    [trust('hub', 'eu'), trust('hub', 'us'), trust('dr', 'Zed', false)],
  );

  it.each([1, 2, 3, 4, 5])('shuffled input (seed %i) gives byte-identical outputs', (seed) => {
    const mixed: GraphTopology = {
      jpds: shuffled(base.jpds, seed),
      pairings: shuffled(base.pairings, seed + 10),
      repos: shuffled(base.repos, seed + 20).map((r) => ({
        ...r,
        members: shuffled(r.members, seed + 30),
      })),
    };
    const a = buildGraph(base);
    const b = buildGraph(mixed);
    expect(b).toEqual(a);
    expect(renderGraphMermaid(b)).toBe(renderGraphMermaid(a));
    expect(renderGraphDot(b)).toBe(renderGraphDot(a));
    expect(renderGraphSvg(b)).toBe(renderGraphSvg(a));
  });

  it('orders nodes by code unit, not locale', () => {
    expect(buildGraph(base).nodes.map((n) => n.name)).toEqual([
      'Zed',
      'dr',
      'eu',
      'hub',
      'lab',
      'us',
      'édge',
    ]);
  });
});

describe(`a generated topology: ${LARGE.hubs + LARGE.spokes} JPDs, ${LARGE.hubs * LARGE.reposPerHub} repositories`, () => {
  const graph = buildGraph(largeTopology());

  it('has fewer than 200 edges, every repository on at least one', () => {
    expect(graph.nodes).toHaveLength(20);
    expect(graph.edges.length).toBeLessThan(200);
    const carried = new Set(graph.edges.flatMap((e) => e.repos));
    expect(carried.size).toBe(10_000);
    expect(graph.edges.every((e) => e.label.length <= 40)).toBe(true);
  });

  it('has every kind of edge: one-way, two-way, enforced, disabled', () => {
    expect(graph.edges.some((e) => e.direction === 'one-way' && !e.enforced)).toBe(true);
    expect(graph.edges.some((e) => e.direction === 'two-way')).toBe(true);
    expect(graph.edges.some((e) => e.enforced)).toBe(true);
    expect(graph.edges.some((e) => e.disabled)).toBe(true);
  });

  it('is what the same topology gives as a validated file', () => {
    // Parsing 10,000 repositories is the slow part (seconds): once, here.
    const parsed = topologyFrom(largeTopologyYaml());
    expect(parsed.repos).toHaveLength(10_000);
    expect(buildGraph(parsed)).toEqual(graph);
  });
});
