/**
 * `fedctl status --format html` as an operator opens it: generated against the simulator with a
 * connection held in ERROR, a member mode changed on a JPD (drift) and a repository the topology
 * added (pending), then loaded from a file in headless Chromium, with and without JavaScript.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { runCli } from '../support/cli.js';
import { ARTIFACTS_DIR, launchBrowser, SKIP_REASON, type TestBrowser } from '../support/browser.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';
import { api } from '../sim/helpers.js';

/** One attribute of every element a locator finds, in document order. */
async function attributes(locator: Locator, name: string): Promise<(string | null)[]> {
  return Promise.all((await locator.all()).map((l) => l.getAttribute(name)));
}

let world: SimWorld;
let html = '';
let file = '';

beforeAll(async () => {
  world = await simulateTopology('federation.yaml');
  const cli = (...argv: string[]) => runCli(argv, { env: world.env, cwd: world.dir });
  expect((await cli('apply', '--auto-approve')).code).toBe(0);
  const hub = world.sim.jpd('hub');
  hub.setConnectionOverride({
    repoKey: 'libs-snapshot',
    target: 'eu',
    status: 'ERROR',
    lagInMs: 120_000,
    queuedEvents: 42,
  });
  // Drift: eu disabled on the hub by hand (the receiving-only pairing refuses a mode change).
  const repo = await api(hub, 'GET', '/artifactory/api/repositories/libs-release');
  const members = (repo.json as { members: { url: string; mode: string; enabled: boolean }[] })
    .members;
  const eu = world.sim.jpd('eu').url;
  const posted = await api(hub, 'POST', '/artifactory/api/repositories/libs-release', {
    body: {
      rclass: 'federated',
      members: members.map((m) => (m.url.startsWith(eu) ? { ...m, enabled: false } : m)),
    },
  });
  expect(posted.status).toBe(200);
  // Pending: a repository the topology adds.
  const text = await readFile(world.file, 'utf8');
  const added = text.replace(/^(\s+)- libs-snapshot$/m, '$1- libs-snapshot\n$1- libs-new');
  expect(added).not.toBe(text);
  await writeFile(world.file, added);
  const status = await cli('status', '--format', 'html');
  expect(status.code).toBe(0);
  html = status.stdout;
  file = join(world.dir, 'status.html');
  await writeFile(file, html);
});
afterAll(async () => {
  await world.stop();
});

describe('the status page as generated', () => {
  it('is one self-contained file: nothing to fetch, no external script, style or font', () => {
    expect(html).not.toMatch(/<script[^>]+src=|<link\b|@import|url\(\s*['"]?https?:/i);
    // The only URLs are the SVG namespace (a name, not a fetch) and the JPDs' own, as text.
    for (const url of html.match(/https?:\/\/[^\s"'<>]+/g) ?? []) {
      expect(url === 'http://www.w3.org/2000/svg' || url.startsWith('http://127.0.0.1:')).toBe(
        true,
      );
    }
  });
});

describe('the status page in Chromium', () => {
  let browser: TestBrowser | undefined;
  let page: Page | undefined;
  let errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    if (browser === undefined) return;
    ({ page, errors } = await browser.newPage());
    page.on('request', (r) => requests.push(r.url()));
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(`file://${file}`);
  });
  afterAll(async () => {
    await browser?.close();
  });

  const ready = (ctx: TestContext): Page => {
    if (page === undefined) return ctx.skip(SKIP_REASON);
    return page;
  };

  it('loads with no console error and fetches nothing but itself', async (ctx) => {
    const p = ready(ctx);
    await p.screenshot({ path: join(ARTIFACTS_DIR, 'status-page.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${file}`]);
  });

  it('shows every JPD in the graph and every member of every repository in the tables', async (ctx) => {
    const p = ready(ctx);
    const nodes = await p.locator('svg .nodes text').allTextContents();
    for (const jpd of ['hub', 'eu', 'us']) expect(nodes).toContain(jpd);
    for (const repo of ['hub/libs-release', 'hub/libs-snapshot', 'hub/libs-new']) {
      const rows = p.locator(`section.repo[data-name="${repo}"] tbody tr`);
      expect(await attributes(rows, 'data-member')).toEqual(['eu', 'us']);
    }
    await expect(p.locator('time[datetime]').count()).resolves.toBe(1);
  });

  it('draws the ERROR connection in the error style, and says so in its table', async (ctx) => {
    const p = ready(ctx);
    const error = p.locator('svg g.edge-error path');
    expect(await error.count()).toBe(1);
    // Code as a string: this project's TypeScript has no DOM types.
    const stroke = await p.evaluate(
      `getComputedStyle(document.querySelector('svg g.edge-error path')).stroke`,
    );
    expect(stroke).toBe('rgb(211, 47, 47)');
    const from = await p.locator('svg g.edge-error').getAttribute('data-from');
    const to = await p.locator('svg g.edge-error').getAttribute('data-to');
    expect([from, to]).toEqual(['hub', 'eu']);
    const cell = p.locator(
      'section.repo[data-name="hub/libs-snapshot"] tr[data-member="eu"] td.state-error',
    );
    expect(await cell.textContent()).toBe('ERROR');
  });

  it('marks drift and pending changes', async (ctx) => {
    const p = ready(ctx);
    const drift = await p
      .locator('section.repo[data-name="hub/libs-release"] li.finding-drift')
      .allTextContents();
    expect(drift.join('\n')).toContain('member eu: disabled on the JPD; fedctl applied it enabled');
    const pending = await p.locator('li.finding-pending').allTextContents();
    expect(pending.join('\n')).toContain('libs-new');
  });

  it('sorts a table from the keyboard, and filters', async (ctx) => {
    const p = ready(ctx);
    const table = p.locator('section.repo[data-name="hub/libs-release"] table');
    const members = () => attributes(table.locator('tbody tr'), 'data-member');
    await table.locator('thead th button').first().focus();
    await p.keyboard.press('Enter');
    expect(await table.locator('thead th').first().getAttribute('aria-sort')).toBe('ascending');
    expect(await members()).toEqual(['eu', 'us']);
    await p.keyboard.press('Enter');
    expect(await table.locator('thead th').first().getAttribute('aria-sort')).toBe('descending');
    expect(await members()).toEqual(['us', 'eu']);
    await p.fill('#filter', 'snapshot');
    expect(await p.locator('section.repo[data-name="hub/libs-release"]').isHidden()).toBe(true);
    expect(await p.locator('section.repo[data-name="hub/libs-snapshot"]').isVisible()).toBe(true);
  });
});

describe('the status page without JavaScript', () => {
  it('shows everything but the filter', async (ctx) => {
    const browser = await launchBrowser({ javaScriptEnabled: false });
    if (browser === undefined) return ctx.skip(SKIP_REASON);
    try {
      const { page, errors } = await browser.newPage();
      await page.goto(`file://${file}`);
      expect(errors).toEqual([]);
      expect(await page.locator('section.repo table').count()).toBe(3);
      expect(await page.locator('svg g.edge-error').count()).toBe(1);
      expect(await page.locator('.filter').isHidden()).toBe(true);
      expect(await page.locator('thead th button').count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
