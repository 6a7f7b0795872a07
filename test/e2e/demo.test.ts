import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('fedctl demo (README command one)', () => {
  it('plans, applies, verifies, and shows one-way delivery and refusal', async () => {
    // A folder of its own: the demo writes .fedctl/status.html where it runs, never in the checkout.
    const cwd = await mkdtemp(join(tmpdir(), 'fedctl-demo-'));
    try {
      await runDemo(cwd);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});

async function runDemo(cwd: string): Promise<void> {
  const result = await runCli(['demo'], { env: {}, cwd });
  // No federation.yaml in that folder: the one the package ships.
  expect(result.stdout.split('\n', 1)[0]).toBe(
    `No federation.yaml here: using the quick-start topology shipped with fedctl (${resolve('federation.yaml')}).`,
  );
  expect(result.stderr).toBe('');
  const out = result.stdout;
  expect(out).toContain('$ fedctl validate -f ');
  expect(out).toContain('Plan: 2 pairings, 2 repositories to create, 0 to change, 0 to delete.');
  expect(out).toContain('Verified: 2 repositories converged; plan shows no changes.');
  expect(out).toMatch(/ {2}eu \(receiver\): arrived after \d+\.\d\ds/);
  expect(out).toMatch(/ {2}us \(receiver\): arrived after \d+\.\d\ds/);
  expect(out).toContain('  hub: not there after 1.5s; a receiver only receives');
  expect(out).toMatch(/ {2}refused \(4\d\d\): .*receiving-only trust/);
  expect(out).toContain('No changes. The JPDs match the topology.');
  const page = /Status page: (\S+) \(open it in a browser/.exec(out)?.[1] ?? '';
  expect(page).toBe(join(cwd, '.fedctl', 'status.html'));
  const html = await readFile(page, 'utf8');
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toContain(
    '<section class="repo" data-health="healthy" data-name="hub/libs-release">',
  );
  expect(out.trimEnd().split('\n').at(-1)).toBe(
    'Demo complete: one-way federation planned, applied, verified and observed.',
  );
  expect(result.code).toBe(0);
}
