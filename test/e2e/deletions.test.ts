/**
 * Deleting a repository deletes all its artifacts, so deletions are deliberate: listed apart in
 * every format, confirmed twice (text: test/e2e/prompt.test.ts), and impossible for a repository
 * marked `protect: true`, even after it has left the topology.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

let world: SimWorld;
beforeAll(async () => {
  world = await simulateTopology('federation.yaml');
});
afterAll(async () => {
  await world.stop();
});

const cli = (...argv: string[]) => runCli(argv, { env: world.env, cwd: world.dir });
const hubKeys = (): string[] =>
  (world.sim.jpd('hub').dumpState() as { repositories: { key: string }[] }).repositories
    .map((r) => r.key)
    .sort();

/** The quick-start topology with its repository list replaced. */
async function variant(name: string, repositories: unknown[]): Promise<string> {
  const doc = parseDocument(await readFile(world.file, 'utf8'));
  doc.setIn(['federations', 0, 'repositories'], doc.createNode(repositories));
  const file = join(world.dir, name);
  await writeFile(file, doc.toString());
  return file;
}

describe('deletions', () => {
  it('are listed apart, need --allow-delete twice for a saved plan, and spare a protected repository', async () => {
    const both = await variant('both.yaml', [
      { key: 'libs-release', protect: true },
      'libs-snapshot',
    ]);
    expect((await cli('apply', '-f', both, '--auto-approve', '--no-verify')).code).toBe(0);
    const gone = await variant('gone.yaml', ['other']);

    const text = await cli('plan', '-f', gone, '--allow-delete');
    expect(text.stdout).toContain(
      'Deletions (cannot be undone):\n- hub/libs-snapshot: deletes the repository and all its artifacts on JPD hub\n',
    );
    expect(text.stdout).toContain(
      '  hub/libs-release: no longer in the topology; protected: remove protect: true and apply, then delete\n',
    );
    const json = JSON.parse(
      (await cli('plan', '-f', gone, '--allow-delete', '--format', 'json')).stdout,
    ) as {
      deletions: unknown[];
    };
    expect(json.deletions).toEqual([
      {
        jpd: 'hub',
        repoKey: 'libs-snapshot',
        effect: 'deletes the repository and all its artifacts on JPD hub',
      },
    ]);
    const markdown = await cli('plan', '-f', gone, '--allow-delete', '--format', 'markdown');
    expect(markdown.stdout).toContain(
      '> - `hub/libs-snapshot`: **will be deleted**: deletes the repository and all its artifacts on JPD hub (cannot be undone)\n',
    );
    expect(markdown.stdout).toContain(
      '> - `hub/libs-release`: repository **kept, protected** (`protect: true` is recorded on it): never deleted, even with `--allow-delete`.',
    );

    // A saved plan that deletes is applied only with --allow-delete given again.
    expect((await cli('plan', '-f', gone, '--allow-delete', '--out', 'delete.json')).code).toBe(0);
    const refused = await cli('apply', 'delete.json');
    expect(refused.stderr).toContain(
      'fedctl: delete.json deletes hub/libs-snapshot with all their artifacts; apply it with --allow-delete to confirm (nothing was changed)',
    );
    expect(refused.code).toBe(1);
    expect(hubKeys()).toEqual(['libs-release', 'libs-snapshot']);
    expect((await cli('apply', 'delete.json', '--allow-delete', '--no-verify')).code).toBe(0);
    expect(hubKeys()).toEqual(['libs-release', 'other']);

    // Protection is lifted by applying the topology that says so; then the repository can go.
    const unprotected = await variant('unprotected.yaml', ['libs-release']);
    const lift = await cli('apply', '-f', unprotected, '--auto-approve', '--no-verify');
    expect(lift.stdout).toContain('~ protect: off (it may then be deleted)');
    expect(lift.code).toBe(0);
    const last = await cli('apply', '-f', gone, '--allow-delete', '--auto-approve', '--no-verify');
    expect(last.code).toBe(0);
    expect(hubKeys()).toEqual(['other']);
  });
});
