import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's `chromium` package; playwright-core never downloads a browser here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const SKIP_REASON = `no ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\``;

/** Screenshots the browser tests keep for a person to look at (git-ignored). */
export const ARTIFACTS_DIR = 'test/artifacts';

export interface TestBrowser {
  readonly context: BrowserContext;
  /** A new page that records console errors and uncaught exceptions in `errors`. */
  newPage(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh temporary profile, or undefined when Chromium is not installed
 * (tests then skip with SKIP_REASON). Playwright takes the profile as a persistent context's
 * directory: it refuses `--user-data-dir` among the arguments. The network flags matter: without
 * them Chromium opens background connections, which this machine's closed network refuses.
 */
export async function launchBrowser(
  options: { readonly javaScriptEnabled?: boolean } = {},
): Promise<TestBrowser | undefined> {
  if (!existsSync(CHROMIUM_PATH)) return undefined;
  const profile = await mkdtemp(join(tmpdir(), 'fedctl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  return {
    context,
    newPage: async () => {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(String(error)));
      return { page, errors };
    },
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
