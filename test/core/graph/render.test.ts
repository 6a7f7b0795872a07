import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildGraph,
  type FlowMember,
  type GraphRepo,
  type GraphTopology,
  type TopologyGraph,
} from '../../../src/core/graph/graph.js';
import { renderGraphDot } from '../../../src/core/graph/dot.js';
import { overlapArea, type Box } from '../../../src/core/graph/geometry.js';
import { layoutGraph, type GraphLayout } from '../../../src/core/graph/layout.js';
import { renderGraphMermaid, renderGraphMermaidBlock } from '../../../src/core/graph/mermaid.js';
import { renderGraphSvg } from '../../../src/core/graph/svg.js';
import { topologyFrom } from '../../support/topology.js';
import { largeTopology } from './fixtures.js';

// Golden files, one per format and topology users see: `npx vitest run -u` rewrites them, as
// for the plan goldens (render.test.ts); review the diff before committing.
const TOPOLOGIES = [
  'federation.yaml',
  ...readdirSync('examples')
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `examples/${f}`),
];
const FORMATS = [
  { ext: 'mmd', render: renderGraphMermaid },
  { ext: 'dot', render: renderGraphDot },
  { ext: 'svg', render: (g: TopologyGraph) => renderGraphSvg(g) },
] as const;
const graphOf = (file: string): TopologyGraph =>
  buildGraph(topologyFrom(readFileSync(file, 'utf8')));
const golden = (file: string, ext: string): string =>
  `../golden/graph/${file.replace(/^.*\//, '').replace(/\.yaml$/, '')}.${ext}`;

describe('fedctl graph golden files', () => {
  it.each(TOPOLOGIES.flatMap((file) => FORMATS.map((f) => ({ file, ...f }))))(
    '$file as $ext',
    async ({ file, ext, render }) => {
      await expect(render(graphOf(file))).toMatchFileSnapshot(golden(file, ext));
    },
  );
});

const rx = (jpd: string, enabled = true): FlowMember => ({ jpd, mode: 'receiver', enabled });
const bi = (jpd: string): FlowMember => ({ jpd, mode: 'bidirectional', enabled: true });
const topo = (names: readonly string[], repos: readonly GraphRepo[]): GraphTopology => ({
  jpds: names.map((name) => ({ name })),
  pairings: [{ source: names[0] ?? '', target: names[1] ?? '', receivingOnly: true }],
  repos,
});

describe('escaping: any JPD name or repository key is safe in every format', () => {
  const nasty = `a"b<c>&'d#e;|f\`g\\h]i\n%%j`;
  const key = `k#35;"x|<y>`;
  const graph = buildGraph(
    topo([nasty, 'plain'], [{ source: nasty, key, members: [rx('plain')] }]),
  );

  it('mermaid: names only inside quoted labels, entity-encoded', () => {
    const text = renderGraphMermaid(graph);
    const lines = text.trimEnd().split('\n');
    for (const line of lines.slice(1)) {
      expect(line).toMatch(
        /^ {2}(n\d+\["[^"\n]*"\](:::hub)?|n\d+ \S+\|"[^"\n]*"\| n\d+|classDef .*|linkStyle .*)$/,
      );
    }
    expect(text).toContain('n1["a#quot;b#lt;c#gt;#amp;\'d#35;e;|f#96;g\\h]i %%j"]:::hub');
    expect(text).toContain('"k#35;35;#quot;x|#lt;y#gt; (enforced)"');
    expect(text).not.toContain('<');
  });

  it('dot: quoted strings with backslash and quote escaped', () => {
    const text = renderGraphDot(graph);
    expect(text).toContain(String.raw`n1 [label="a\"b<c>&'d#e;|f` + '`' + String.raw`g\\h]i %%j"`);
    for (const line of text.split('\n')) {
      // Outside quoted strings no name remains: only ids, keywords and punctuation.
      const bare = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
      expect(bare).toMatch(/^[\w\s[\]{}=,;"#.>-]*$/);
    }
  });

  it('svg: text and attributes escape & < > " \' and drop characters XML forbids', () => {
    const control = buildGraph(
      topo(['bell\u0007', 'plain'], [{ source: 'bell\u0007', key: 'k', members: [rx('plain')] }]),
    );
    const svg = renderGraphSvg(graph) + renderGraphSvg(control);
    expect(svg).toContain('a&quot;b&lt;c&gt;&amp;&#39;d#e;|f`g\\h]i\n%%j');
    expect(svg).toContain('data-name="bell\ufffd"');
    expect(svg).not.toContain('\u0007');
    // Every & starts an entity, and no < opens anything but a tag.
    expect(svg).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
    expect(svg).not.toMatch(/<(?![a-z/])/);
    // Every attribute value is quoted and holds no raw quote.
    for (const tag of svg.match(/<[a-z][^>]*>/g) ?? []) {
      expect(tag).toMatch(/^<[a-z]+(\s+[A-Za-z:-]+="[^"<]*")*\s*\/?>$/);
    }
  });
});

describe('svg: the kinds of edge as a reader sees them', () => {
  const graph = buildGraph(
    topo(
      ['hub', 'eu', 'dr', 'off'],
      [{ source: 'hub', key: 'libs', members: [rx('eu'), bi('dr'), rx('off', false)] }],
    ),
    {
      health: {
        readings: [
          { from: 'hub', to: 'eu', state: 'ERROR' },
          { from: 'hub', to: 'dr', state: 'HEALTHY' },
          { from: 'dr', to: 'hub', state: 'HEALTHY' },
        ],
      },
    },
  );
  const svg = renderGraphSvg(graph);
  const edgeTag = (from: string, to: string): string => {
    const match = new RegExp(
      `<g id="fedctl-e\\d+" class="([^"]*)" data-from="${from}" data-to="${to}">.*?<path ([^>]*)/>`,
    ).exec(svg);
    if (match === null) throw new Error(`no edge ${from} -> ${to}`);
    return `${match[1] ?? ''} | ${match[2] ?? ''}`;
  };

  it('one-way: one arrowhead; enforced: its class and a thick stroke', () => {
    const tag = edgeTag('hub', 'eu');
    expect(tag).toContain('edge-one-way');
    expect(tag).toContain('edge-enforced');
    expect(tag).toContain('marker-end=');
    expect(tag).not.toContain('marker-start=');
    expect(tag).toContain('stroke-width="3"');
  });

  it('two-way: an arrowhead at each end', () => {
    const tag = edgeTag('dr', 'hub');
    expect(tag).toContain('edge-two-way');
    expect(tag).toMatch(
      /marker-start="url\(#fedctl-arrow-healthy\)" marker-end="url\(#fedctl-arrow-healthy\)"/,
    );
  });

  it('disabled: dashed', () => {
    expect(edgeTag('dr', 'off')).toContain('stroke-dasharray="7 5"');
    expect(edgeTag('hub', 'off')).toContain('stroke-dasharray="7 5"');
    expect(edgeTag('hub', 'eu')).not.toContain('stroke-dasharray');
  });

  it('health: an ERROR edge has the edge-error class and a red stroke', () => {
    const tag = edgeTag('hub', 'eu');
    expect(tag).toContain('edge-error');
    expect(tag).toContain('stroke="#d32f2f"');
    expect(edgeTag('dr', 'hub')).toContain('edge-healthy');
    expect(svg).toContain('health: ERROR');
  });

  it('a legend with every kind, and an idPrefix for two drawings on one page', () => {
    expect(svg).toMatch(/class="legend"[\s\S]*one-way[\s\S]*two-way[\s\S]*enforced[\s\S]*disabled/);
    const other = renderGraphSvg(graph, { idPrefix: 'status-' });
    expect(other).toContain('id="status-e1"');
    expect(other).not.toContain('fedctl-');
  });

  it('plan: removed edges dotted, added and changed coloured, in the legend too', () => {
    const planned = buildGraph(
      topo(['hub', 'eu', 'us'], [{ source: 'hub', key: 'a', members: [rx('eu')] }]),
      { plan: { repos: [{ source: 'hub', key: 'a', before: [rx('us')] }] } },
    );
    const text = renderGraphSvg(planned);
    expect(text).toMatch(
      /class="edge edge-one-way edge-enforced edge-plan-add"[^>]*>.*?stroke="#2e7d32"/,
    );
    expect(text).toMatch(
      /class="edge edge-one-way edge-plan-remove"[^>]*>.*?stroke-dasharray="2 4"/,
    );
    expect(text).toContain('plan removes (dotted)');
    expect(renderGraphMermaid(planned)).toContain('linkStyle 1 stroke:#c62828');
    expect(renderGraphMermaid(planned)).toContain('|"- a"|');
  });
});

describe('mermaid block for markdown', () => {
  it('fences the flowchart', () => {
    const graph = graphOf('federation.yaml');
    expect(renderGraphMermaidBlock(graph)).toBe(
      `\`\`\`mermaid\n${renderGraphMermaid(graph)}\`\`\`\n`,
    );
  });
});

/** Overlaps a reader would notice: node on node, and an edge label on a node. */
function overlaps(layout: GraphLayout): { nodes: number; labelsOnNodes: number; labels: number } {
  const nodes: readonly Box[] = layout.nodes;
  const labels = layout.edges.map((e) => e.label);
  let nodeHits = 0;
  let labelNode = 0;
  let labelLabel = 0;
  nodes.forEach((a, i) => {
    for (const b of nodes.slice(i + 1)) if (overlapArea(a, b) > 0) nodeHits++;
    for (const l of labels) if (overlapArea(a, l) > 0) labelNode++;
  });
  labels.forEach((a, i) => {
    for (const b of labels.slice(i + 1)) if (overlapArea(a, b) > 0) labelLabel++;
  });
  return { nodes: nodeHits, labelsOnNodes: labelNode, labels: labelLabel };
}

function inside(layout: GraphLayout): boolean {
  const boxes: Box[] = [...layout.nodes, ...layout.edges.map((e) => e.label)];
  return boxes.every(
    (b) => b.x >= 0 && b.y >= 0 && b.x + b.width <= layout.width && b.y + b.height <= layout.height,
  );
}

describe('layout: readable at 3 to 20 JPDs', () => {
  const star = (spokes: number, hubs = 1): TopologyGraph => {
    const hubNames = Array.from({ length: hubs }, (_, i) => `hub-${i + 1}`);
    const spokeNames = Array.from(
      { length: spokes },
      (_, i) => `site-${String(i + 1).padStart(2, '0')}`,
    );
    return buildGraph(
      topo(
        [...hubNames, ...spokeNames],
        hubNames.flatMap((h, i) => [
          {
            source: h,
            key: `${h}-libs`,
            members: spokeNames.filter((_, j) => j % hubs === i).map((s) => rx(s)),
          },
          { source: h, key: `${h}-tools`, members: spokeNames.slice(0, 9).map((s) => rx(s)) },
        ]),
      ),
    );
  };
  const cases: { name: string; graph: TopologyGraph }[] = [
    ...TOPOLOGIES.map((file) => ({ name: file, graph: graphOf(file) })),
    { name: 'one hub, 2 spokes', graph: star(2) },
    { name: 'one hub, 8 spokes', graph: star(8) },
    { name: 'one hub, 19 spokes', graph: star(19) },
    { name: '3 hubs, 17 spokes', graph: star(17, 3) },
    { name: 'generated 20 JPDs, 10,000 repositories', graph: buildGraph(largeTopology()) },
    {
      name: 'hubs only, sending to each other',
      graph: buildGraph(
        topo(
          ['a', 'b', 'c'],
          [
            { source: 'a', key: 'x', members: [rx('b'), rx('c')] },
            { source: 'b', key: 'y', members: [rx('c')] },
            { source: 'c', key: 'z', members: [bi('a')] },
          ],
        ),
      ),
    },
  ];

  it.each(cases)(
    '$name: no node on a node or under a label, all within the drawing',
    ({ graph }) => {
      const layout = layoutGraph(graph);
      const found = overlaps(layout);
      expect({ nodes: found.nodes, labelsOnNodes: found.labelsOnNodes }).toEqual({
        nodes: 0,
        labelsOnNodes: 0,
      });
      expect(inside(layout)).toBe(true);
    },
  );

  it('the examples have no label on another label', () => {
    for (const file of TOPOLOGIES) expect(overlaps(layoutGraph(graphOf(file))).labels).toBe(0);
  });
});
