/**
 * The Mermaid output as GitHub would show it: the `mermaid` package itself (its self-contained
 * UMD bundle from node_modules, so the page loads nothing from the network) parses and renders
 * it in headless Chromium. Names must come back exactly as written, whatever they contain.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import {
  buildGraph,
  type GraphOptions,
  type GraphTopology,
  type TopologyGraph,
} from '../../src/core/graph/graph.js';
import { edgeText, renderGraphMermaid } from '../../src/core/graph/mermaid.js';
import { ARTIFACTS_DIR, launchBrowser, SKIP_REASON, type TestBrowser } from '../support/browser.js';
import { topologyFrom } from '../support/topology.js';
import { largeTopology } from '../core/graph/fixtures.js';

// dist/mermaid.min.js is the UMD bundle with every diagram inlined; the ESM builds load chunks.
const MERMAID_BUNDLE = join(
  createRequire(import.meta.url).resolve('mermaid/package.json'),
  '..',
  'dist',
  'mermaid.min.js',
);

const EXAMPLES = [
  'federation.yaml',
  ...readdirSync('examples')
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `examples/${f}`),
];
const NASTY = `a"b<c>&'d#e;%%f|g\`h[i]{j}`;
const receiver = (jpd: string, enabled = true) => ({ jpd, mode: 'receiver' as const, enabled });

interface Rendered {
  readonly parsed: boolean;
  readonly error?: string;
  readonly links: number;
  readonly nodes: string[];
  readonly labels: string[];
}

describe('graph Mermaid rendered by mermaid in Chromium', () => {
  let browser: TestBrowser | undefined;
  let page: Page | undefined;
  let errors: string[] = [];
  let requests: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    if (browser === undefined) return;
    ({ page, errors } = await browser.newPage());
    requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: MERMAID_BUNDLE });
    await page.evaluate(`mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' })`);
  });
  afterAll(async () => {
    await browser?.close();
  });

  let count = 0;
  function render(
    ctx: TestContext,
    name: string,
    graph: TopologyGraph,
    screenshot = false,
  ): Promise<Rendered> {
    return renderText(ctx, name, renderGraphMermaid(graph), screenshot);
  }

  async function renderText(
    ctx: TestContext,
    name: string,
    text: string,
    screenshot = false,
  ): Promise<Rendered> {
    if (page === undefined) return ctx.skip(SKIP_REASON);
    const id = `graph${++count}`;
    // Code as a string: this project's TypeScript has no DOM types. The result type is the object
    // literal it builds; the expectations check its content.
    const rendered = await page.evaluate<Rendered>(`(async () => {
      const text = ${JSON.stringify(text)};
      document.body.replaceChildren();
      try {
        const parsed = await mermaid.parse(text);
        const { svg } = await mermaid.render(${JSON.stringify(id)}, text);
        const div = document.createElement('div');
        div.innerHTML = svg;
        document.body.append(div);
        return {
          parsed: parsed !== false,
          links: div.querySelectorAll('path.flowchart-link').length,
          nodes: [...div.querySelectorAll('g.node')].map((n) => n.textContent),
          labels: [...new Set([...div.querySelectorAll('g.edgeLabel')].map((n) => n.textContent))],
        };
      } catch (error) {
        return { parsed: false, error: String(error), links: 0, nodes: [], labels: [] };
      }
    })()`);
    if (screenshot) {
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.screenshot({ path: join(ARTIFACTS_DIR, `mermaid-${name}.png`), fullPage: true });
    }
    expect(rendered.error).toBeUndefined();
    expect(rendered.parsed).toBe(true);
    expect(errors).toEqual([]);
    return rendered;
  }

  /** Every node by its name, one rendered link per edge, every edge's text as written. */
  function expectFaithful(rendered: Rendered, graph: TopologyGraph): void {
    expect([...rendered.nodes].sort()).toEqual(graph.nodes.map((n) => n.name).sort());
    expect(rendered.links).toBe(graph.edges.length);
    expect([...rendered.labels].sort()).toEqual([...new Set(graph.edges.map(edgeText))].sort());
  }

  it.for(EXAMPLES)('%s parses and renders', async (file, ctx) => {
    const graph = buildGraph(topologyFrom(readFileSync(file, 'utf8')));
    const name = file.replace(/^.*\//, '').replace(/\.yaml$/, '');
    expectFaithful(
      await render(ctx, name, graph, file === 'examples/mixed-modes-option-b.yaml'),
      graph,
    );
  });

  it('names and keys with Mermaid and HTML metacharacters read back as written', async (ctx) => {
    const topology: GraphTopology = {
      jpds: [{ name: NASTY }, { name: 'plain' }],
      pairings: [{ source: NASTY, target: 'plain', receivingOnly: true }],
      repos: [
        { source: NASTY, key: 'k#35;"x|<y>', members: [receiver('plain')] },
        { source: NASTY, key: '<b>bold</b>', members: [receiver('plain', false)] },
      ],
    };
    const graph = buildGraph(topology);
    expectFaithful(await render(ctx, 'escaping', graph), graph);
  });

  it('a plan overlay: the marked edges render with their signs', async (ctx) => {
    const topology: GraphTopology = {
      jpds: ['hub', 'eu', 'us'].map((name) => ({ name })),
      pairings: [],
      repos: [{ source: 'hub', key: 'libs', members: [receiver('eu')] }],
    };
    const options: GraphOptions = {
      plan: { repos: [{ source: 'hub', key: 'libs', before: [receiver('us')] }] },
    };
    const graph = buildGraph(topology, options);
    const rendered = await render(ctx, 'plan', graph);
    expectFaithful(rendered, graph);
    expect(rendered.labels).toEqual(expect.arrayContaining(['+ libs', '- libs']));
  });

  it("the plan comment's mermaid block (the markdown golden) parses and renders", async (ctx) => {
    const md = readFileSync('test/core/golden/plan.md', 'utf8');
    const block = /```mermaid\n([\s\S]*?)```/.exec(md)?.[1];
    expect(block).toBeDefined();
    const rendered = await renderText(ctx, 'plan-comment', block ?? '', true);
    expect(rendered.labels).toEqual(
      expect.arrayContaining(['+ libs-new (enforced)', '- tools (disabled)']),
    );
  });

  it('20 JPDs and 10,000 repositories parse and render', async (ctx) => {
    const graph = buildGraph(largeTopology());
    expectFaithful(await render(ctx, 'generated-20-jpds', graph, true), graph);
  });

  it('loaded nothing from the network', (ctx) => {
    if (page === undefined) ctx.skip(SKIP_REASON);
    expect(requests.filter((url) => !url.startsWith('data:') && url !== 'about:blank')).toEqual([]);
  });
});
