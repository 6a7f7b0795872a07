/**
 * The SVG of `fedctl graph --format svg` in a real browser (headless Chromium): it parses as XML,
 * shows every JPD, draws each kind of edge as the legend says, and keeps text inside its boxes
 * with the fonts a browser really has. Screenshots go to test/artifacts/ for a person to look at.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { buildGraph, type GraphOptions, type GraphTopology } from '../../src/core/graph/graph.js';
import { renderGraphSvg } from '../../src/core/graph/svg.js';
import { ARTIFACTS_DIR, launchBrowser, SKIP_REASON, type TestBrowser } from '../support/browser.js';
import { topologyFrom } from '../support/topology.js';
import { largeTopology } from '../core/graph/fixtures.js';

const EXAMPLES = [
  'federation.yaml',
  ...readdirSync('examples')
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `examples/${f}`),
];

// Every kind of edge at once: enforced one-way, two-way, a disabled member, the mesh, an ERROR.
const KINDS = topologyFrom(`version: 1
defaults: { packageType: generic, mode: receiver }
jpds:
  hub: { url: "https://hub.example.com", token: "\${HUB}" }
  eu: { url: "https://eu.example.com", token: "\${EU}" }
  dr: { url: "https://dr.example.com", token: "\${DR}" }
  lab: { url: "https://lab.example.com", token: "\${LAB}" }
trust:
  - { source: hub, target: eu, receivingOnly: true }
  - { source: hub, target: dr, receivingOnly: false }
  - { source: hub, target: lab, receivingOnly: false }
federations:
  - source: hub
    repositories: [libs-release, libs-snapshot]
    members: [{ jpd: eu }, { jpd: dr, mode: bidirectional }, { jpd: lab, enabled: false }]
`);
const KINDS_HEALTH: GraphOptions = {
  health: {
    readings: [
      { from: 'hub', to: 'eu', state: 'ERROR' },
      { from: 'hub', to: 'dr', state: 'HEALTHY' },
      { from: 'dr', to: 'hub', state: 'HEALTHY' },
    ],
  },
};
const NASTY = `a"b<c>&'d`;

interface Seen {
  readonly xmlErrors: number;
  readonly names: string[];
  readonly edges: {
    from: string;
    to: string;
    classes: string;
    dash: string;
    stroke: string;
    arrowheads: number;
  }[];
  readonly labelsOnNodes: number;
  readonly textOutsideBox: number;
}

// Runs in the page (as a string: this project's TypeScript has no DOM types).
const inspect = (svgText: string): string => `(() => {
  const parsed = new DOMParser().parseFromString(${JSON.stringify(svgText)}, 'image/svg+xml');
  const box = (el) => el.getBoundingClientRect();
  const within = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const arrowhead = (value) => {
    const id = /url\\("?#([^")]+)"?\\)/.exec(value);
    return id !== null && document.getElementById(id[1]) instanceof SVGMarkerElement ? 1 : 0;
  };
  const nodes = [...document.querySelectorAll('g.node')];
  const nodeRects = nodes.map((g) => box(g.querySelector('rect')));
  const labels = [...document.querySelectorAll('g.edge-label')];
  let textOutsideBox = 0;
  for (const g of [...nodes, ...labels]) {
    const frame = box(g.querySelector('rect'));
    for (const t of g.querySelectorAll('text')) if (!within(box(t), frame)) textOutsideBox++;
  }
  let labelsOnNodes = 0;
  for (const l of labels) for (const n of nodeRects) if (overlap(box(l.querySelector('text')), n)) labelsOnNodes++;
  return {
    xmlErrors: parsed.getElementsByTagName('parsererror').length,
    names: nodes.map((g) => g.querySelector('text').textContent),
    edges: [...document.querySelectorAll('g.edge')].map((g) => {
      const style = getComputedStyle(g.querySelector('path'));
      return {
        from: g.dataset.from,
        to: g.dataset.to,
        classes: g.getAttribute('class'),
        dash: style.strokeDasharray,
        stroke: style.stroke,
        arrowheads: arrowhead(style.markerStart) + arrowhead(style.markerEnd),
      };
    }),
    labelsOnNodes,
    textOutsideBox,
  };
})()`;

describe('graph SVG in Chromium', () => {
  let browser: TestBrowser | undefined;
  let page: Page | undefined;
  let errors: string[] = [];
  let dir = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    if (browser !== undefined) ({ page, errors } = await browser.newPage());
    dir = await mkdtemp(join(tmpdir(), 'fedctl-graph-svg-'));
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Opens the SVG as a file, as a user would, and reports what the browser shows. */
  async function show(
    ctx: TestContext,
    name: string,
    topology: GraphTopology,
    options?: GraphOptions,
  ): Promise<Seen> {
    if (page === undefined) return ctx.skip(SKIP_REASON);
    const svg = renderGraphSvg(buildGraph(topology, options));
    const file = join(dir, `${name}.svg`);
    await writeFile(file, svg);
    errors.length = 0;
    await page.goto(pathToFileURL(file).href);
    const size = /width="(\d+)" height="(\d+)"/.exec(svg);
    await page.setViewportSize({
      width: Number(size?.[1] ?? 800),
      height: Number(size?.[2] ?? 600),
    });
    await page.screenshot({ path: join(ARTIFACTS_DIR, `graph-${name}.png`) });
    // The result type is the object literal `inspect` builds; the expectations check its content.
    const seen = await page.evaluate<Seen>(inspect(svg));
    expect(errors).toEqual([]);
    expect(seen.xmlErrors).toBe(0);
    return seen;
  }

  it.for(EXAMPLES)(
    '%s: every JPD named, text inside its boxes, no label on a node',
    async (file, ctx) => {
      const topology = topologyFrom(readFileSync(file, 'utf8'));
      const seen = await show(ctx, file.replace(/^.*\//, '').replace(/\.yaml$/, ''), topology);
      expect([...seen.names].sort()).toEqual(topology.jpds.map((j) => j.name).sort());
      expect(seen.textOutsideBox).toBe(0);
      expect(seen.labelsOnNodes).toBe(0);
      expect(seen.edges.length).toBeGreaterThan(0);
    },
  );

  it('each kind of edge looks as the legend says', async (ctx) => {
    const seen = await show(ctx, 'kinds', KINDS, KINDS_HEALTH);
    const edge = (from: string, to: string) => {
      const found = seen.edges.find((e) => e.from === from && e.to === to);
      if (found === undefined)
        throw new Error(`no edge ${from} -> ${to} in ${JSON.stringify(seen.edges)}`);
      return found;
    };
    // One-way: exactly one arrowhead; enforced; health ERROR: its class and a red stroke.
    expect(edge('hub', 'eu')).toEqual({
      from: 'hub',
      to: 'eu',
      classes: 'edge edge-one-way edge-enforced edge-error',
      dash: 'none',
      stroke: 'rgb(211, 47, 47)',
      arrowheads: 1,
    });
    // Two-way: two arrowheads.
    expect(edge('dr', 'hub')).toMatchObject({
      classes: 'edge edge-two-way edge-healthy',
      arrowheads: 2,
    });
    // Disabled member: dashed, from the hub and from the bidirectional spoke (the mesh).
    for (const from of ['hub', 'dr']) {
      expect(edge(from, 'lab')).toMatchObject({ dash: '7px, 5px', arrowheads: 1 });
      expect(edge(from, 'lab').classes).toContain('edge-disabled');
    }
    expect(edge('dr', 'eu')).toMatchObject({ dash: 'none', arrowheads: 1 });
    expect(seen.textOutsideBox).toBe(0);
    expect(seen.labelsOnNodes).toBe(0);
  });

  it('names with XML metacharacters parse and read back as written', async (ctx) => {
    const topology: GraphTopology = {
      jpds: [{ name: NASTY }, { name: 'plain' }],
      pairings: [],
      repos: [
        {
          source: NASTY,
          key: `k&<'">`,
          members: [{ jpd: 'plain', mode: 'receiver', enabled: true }],
        },
      ],
    };
    const seen = await show(ctx, 'escaping', topology);
    expect([...seen.names].sort()).toEqual([NASTY, 'plain']);
  });

  it('20 JPDs and 10,000 repositories: readable, text inside its boxes', async (ctx) => {
    const seen = await show(ctx, 'generated-20-jpds', largeTopology());
    expect(seen.names).toHaveLength(20);
    expect(seen.edges.length).toBeLessThan(200);
    expect(seen.textOutsideBox).toBe(0);
    expect(seen.labelsOnNodes).toBe(0);
  });
});
