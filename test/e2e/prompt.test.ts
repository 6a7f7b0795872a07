/**
 * The confirmation prompt on a real terminal: fedctl runs as its own process under a
 * pseudo-terminal (test/support/spawn.ts) and the test types at it, as a person would.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { runCli } from '../support/cli.js';
import { plainText, spawnFedctl } from '../support/spawn.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

const PROMPT = "Only 'yes' will be accepted: ";

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const hubRepositories = (w: SimWorld): unknown[] =>
  (w.sim.jpd('hub').dumpState() as { repositories: unknown[] }).repositories;

async function answer(typed: string): Promise<{ code: number; text: string; world: SimWorld }> {
  world = await simulateTopology('federation.yaml');
  const fedctl = spawnFedctl(['apply', '-f', world.file, '--no-verify'], {
    env: world.env,
    tty: true,
  });
  await fedctl.waitFor(PROMPT);
  fedctl.write(typed);
  const code = await fedctl.exit;
  return { code, text: plainText(fedctl.output()), world };
}

describe('apply asks before changing anything, on a real terminal', () => {
  it('"yes" applies', async () => {
    const { code, text, world: w } = await answer('yes\r');
    expect(text).toContain('Plan: ');
    expect(text).toContain('Apply: 4 applied, 0 failed, 0 skipped.');
    expect(text).not.toContain('cancelled');
    expect(code).toBe(0);
    expect(hubRepositories(w)).toHaveLength(2);
  });

  it('"no" cancels and changes nothing', async () => {
    const { code, text, world: w } = await answer('no\r');
    expect(text).toContain('Apply cancelled; nothing was changed.');
    expect(code).toBe(1);
    expect(hubRepositories(w)).toEqual([]);
  });

  it('anything but the exact word "yes" cancels', async () => {
    const { code, text, world: w } = await answer('yes please\r');
    expect(text).toContain('Apply cancelled; nothing was changed.');
    expect(code).toBe(1);
    expect(hubRepositories(w)).toEqual([]);
  });

  it('Ctrl-C at the prompt cancels and exits 130', async () => {
    const { code, text, world: w } = await answer('\u0003');
    expect(text).toContain('Apply cancelled; nothing was changed.');
    expect(code).toBe(130);
    expect(hubRepositories(w)).toEqual([]);
  });

  it('end of input (Ctrl-D) cancels', async () => {
    const { code, text, world: w } = await answer('\u0004');
    expect(text).toContain('Apply cancelled; nothing was changed.');
    expect(code).toBe(1);
    expect(hubRepositories(w)).toEqual([]);
  });
});

describe('a plan that deletes asks for "delete" as well', () => {
  /** hub/libs-snapshot applied, then a topology without it, planned with --allow-delete. */
  async function deleting(): Promise<{ w: SimWorld; argv: string[] }> {
    const w = await simulateTopology('federation.yaml');
    world = w;
    const doc = parseDocument(await readFile(w.file, 'utf8'));
    doc.setIn(['federations', 0, 'repositories'], doc.createNode(['libs-release']));
    const file = join(w.dir, 'release-only.yaml');
    await writeFile(file, doc.toString());
    const applied = await runCli(['apply', '--auto-approve', '--no-verify'], {
      env: w.env,
      cwd: w.dir,
    });
    expect(applied.code).toBe(0);
    return { w, argv: ['apply', '-f', file, '--allow-delete', '--no-verify'] };
  }
  const keys = (w: SimWorld): string[] =>
    (w.sim.jpd('hub').dumpState() as { repositories: { key: string }[] }).repositories.map(
      (r) => r.key,
    );

  it('"yes" then "delete" deletes', async () => {
    const { w, argv } = await deleting();
    const fedctl = spawnFedctl(argv, { env: w.env, tty: true });
    await fedctl.waitFor(PROMPT);
    fedctl.write('yes\r');
    await fedctl.waitFor("Only 'delete' will be accepted: ");
    expect(plainText(fedctl.output())).toContain(
      'This deletes 1 repository and all its artifacts (hub/libs-snapshot); nothing brings them back.',
    );
    fedctl.write('delete\r');
    expect(await fedctl.exit).toBe(0);
    expect(keys(w)).toEqual(['libs-release']);
  });

  it('"yes" then anything else cancels', async () => {
    const { w, argv } = await deleting();
    const fedctl = spawnFedctl(argv, { env: w.env, tty: true });
    await fedctl.waitFor(PROMPT);
    fedctl.write('yes\r');
    await fedctl.waitFor("Only 'delete' will be accepted: ");
    fedctl.write('yes\r');
    expect(await fedctl.exit).toBe(1);
    expect(plainText(fedctl.output())).toContain('Apply cancelled; nothing was changed.');
    expect(keys(w).sort()).toEqual(['libs-release', 'libs-snapshot']);
  });
});
