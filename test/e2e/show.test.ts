/**
 * `fedctl show PLAN` prints a saved plan from the file alone, and a saved plan stays valid across
 * edits of the topology file that do not change the topology (comments, layout).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
const setOffline = (offline: boolean): void => {
  for (const { name } of world.sim.jpds) world.sim.jpd(name).setOffline(offline);
};

describe('fedctl show', () => {
  it('prints a saved plan as plan did, in every format, with no token and no JPD reachable', async () => {
    const text = await cli('plan', '--out', 'plan.json');
    expect(text.code).toBe(0);
    const markdown = await cli('plan', '--format', 'markdown');
    const saved = await readFile(join(world.dir, 'plan.json'), 'utf8');

    // No token in the environment, and every JPD refuses connections: show needs neither.
    setOffline(true);
    try {
      const show = (...argv: string[]) => runCli(['show', ...argv], { env: {}, cwd: world.dir });
      expect(await show('plan.json')).toEqual({ code: 0, stdout: text.stdout, stderr: '' });
      expect(await show('plan.json', '--format', 'markdown')).toEqual({
        code: 0,
        stdout: markdown.stdout,
        stderr: '',
      });
      expect(await show('plan.json', '--format', 'json')).toEqual({
        code: 0,
        stdout: saved,
        stderr: '',
      });
      expect(await show('missing.json')).toEqual({
        code: 1,
        stdout: '',
        stderr: 'fedctl: missing.json: no such file\n',
      });
      expect((await show()).stderr).toBe('fedctl: give one saved plan: fedctl show PLAN\n');
    } finally {
      setOffline(false);
    }
  });

  it('a comment or layout edit of the topology keeps a saved plan valid; a real edit makes it stale', async () => {
    expect((await cli('plan', '--out', 'plan.json')).code).toBe(0);
    const original = await readFile(world.file, 'utf8');
    await writeFile(
      world.file,
      `# reviewed by the platform team\n${original.replace(/^(\s+)(mode: receiver)$/m, '$1$2 # one-way')}\n\n`,
    );
    const cosmetic = await cli('apply', 'plan.json', '--no-verify');
    expect(cosmetic.stderr).not.toContain('changed since');
    expect(cosmetic.code).toBe(0);

    expect((await cli('plan', '--out', 'plan.json')).code).toBe(0);
    await writeFile(world.file, original.replace('published on the hub only', 'from the hub'));
    expect(await cli('apply', 'plan.json')).toMatchObject({
      code: 1,
      stderr:
        'fedctl: federation.yaml changed since plan.json was made; run fedctl plan again (nothing was changed)\n',
    });
  });
});
