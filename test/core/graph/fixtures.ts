/**
 * A large generated topology for the graph tests: 4 hubs and 16 spokes (20 JPDs), 10,000
 * repositories. Each hub sends to a window of 8 spokes over receiving-only pairings, except its
 * first spoke, a disaster-recovery site (full-permission pairing) that gets every tenth
 * repository two-way and the others one-way. Every 100th also goes two-way to the second spoke
 * (so it and the recovery site send to each other: the mesh), every other 25th has the window's
 * last spoke disabled, and every 50th also goes to the next hub.
 *
 * `largeTopology()` builds the graph input directly (fast); `largeTopologyYaml()` writes the same
 * federations as a topology file, so a test can prove the file is valid and gives the same graph.
 */
import type { FlowMember, GraphTopology } from '../../../src/core/graph/graph.js';

export const LARGE = { hubs: 4, spokes: 16, reposPerHub: 2_500 } as const;

interface Federation {
  readonly source: string;
  readonly keys: readonly string[];
  readonly members: readonly FlowMember[];
}

const hubName = (i: number): string => `hub-${String.fromCharCode(97 + i)}`;
const spokeName = (j: number): string => `edge-${String(j + 1).padStart(2, '0')}`;

function generate(): Omit<GraphTopology, 'repos'> & { federations: Federation[] } {
  const { hubs, spokes, reposPerHub } = LARGE;
  const jpds = [
    ...Array.from({ length: hubs }, (_, i) => hubName(i)),
    ...Array.from({ length: spokes }, (_, j) => spokeName(j)),
  ].map((name) => ({ name }));
  const pairings: { source: string; target: string; receivingOnly: boolean }[] = [];
  const federations: Federation[] = [];
  for (let i = 0; i < hubs; i++) {
    const hub = hubName(i);
    const next = hubName((i + 1) % hubs);
    const window = Array.from({ length: 8 }, (_, k) => spokeName((i * 4 + k) % spokes));
    const [dr = '', second = ''] = window;
    const last = window[window.length - 1];
    for (const target of window) {
      pairings.push({ source: hub, target, receivingOnly: target !== dr && target !== second });
    }
    pairings.push({ source: hub, target: next, receivingOnly: true });

    const shapes = new Map<string, string[]>();
    for (let r = 0; r < reposPerHub; r++) {
      const shape = [
        r % 10 === 0 ? 'dr' : '',
        r % 25 === 0 ? 'off' : '',
        r % 50 === 0 ? 'hub' : '',
        r % 100 === 0 ? 'mesh' : '',
      ].join('+');
      const key = `${hub}-repo-${String(r).padStart(4, '0')}`;
      shapes.set(shape, [...(shapes.get(shape) ?? []), key]);
    }
    for (const [shape, keys] of shapes) {
      const two = (jpd: string): FlowMember => ({ jpd, mode: 'bidirectional', enabled: true });
      const members: FlowMember[] = shape.includes('dr')
        ? [two(dr), ...(shape.includes('mesh') ? [two(second)] : [])]
        : window.map((jpd) => ({
            jpd,
            mode: 'receiver',
            enabled: !(jpd === last && shape.includes('off')),
          }));
      if (shape.includes('hub')) members.push({ jpd: next, mode: 'receiver', enabled: true });
      federations.push({ source: hub, keys, members });
    }
  }
  return { jpds, pairings, federations };
}

export function largeTopology(): GraphTopology {
  const { jpds, pairings, federations } = generate();
  return {
    jpds,
    pairings,
    repos: federations.flatMap((f) =>
      f.keys.map((key) => ({ source: f.source, key, members: f.members })),
    ),
  };
}

export function largeTopologyYaml(): string {
  const { jpds, pairings, federations } = generate();
  const token = (name: string): string => `\${${name.toUpperCase().replace(/-/g, '_')}}`;
  const out = ['version: 1', 'defaults: { packageType: generic }', 'jpds:'];
  for (const { name } of jpds) {
    out.push(`  ${name}: { url: "https://${name}.example.com", token: "${token(name)}" }`);
  }
  out.push('trust:');
  for (const p of pairings) {
    out.push(`  - { source: ${p.source}, target: ${p.target}, receivingOnly: ${p.receivingOnly} }`);
  }
  out.push('federations:');
  for (const f of federations) {
    out.push(`  - source: ${f.source}`, '    repositories:');
    for (const key of f.keys) out.push(`      - ${key}`);
    out.push('    members:');
    for (const m of f.members) {
      out.push(`      - { jpd: ${m.jpd}, mode: ${m.mode}, enabled: ${m.enabled} }`);
    }
  }
  return `${out.join('\n')}\n`;
}
