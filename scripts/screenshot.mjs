// Screenshot of an HTML file in Debian's headless Chromium, for the docs:
//   npm run demo && node scripts/screenshot.mjs .fedctl/status.html docs/status-page.png
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const [file, out] = process.argv.slice(2);
if (file === undefined || out === undefined) {
  console.error('usage: node scripts/screenshot.mjs FILE.html OUT.png');
  process.exit(1);
}
const profile = await mkdtemp(join(tmpdir(), 'fedctl-shot-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1100, height: 800 });
  await page.goto(`file://${resolve(file)}`);
  await page.screenshot({ path: out, fullPage: true });
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
}
