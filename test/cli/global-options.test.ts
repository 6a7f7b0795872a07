/**
 * Options every command takes: `--no-color` (and NO_COLOR) is accepted by each command, and
 * `--log-level debug` / `--log-file` write the request log (one line per request, no token, no
 * body) to stderr or to a file. In-process against one simulator.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

const COMMANDS = [
  'validate',
  'plan',
  'apply',
  'unlock',
  'show',
  'drift',
  'status',
  'graph',
  'import',
  'demo',
  'sim',
];

describe('--no-color', () => {
  it.each(COMMANDS)('is accepted by fedctl %s', async (command) => {
    const out = await runCli([command, '--no-color', '--help']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
  });

  it('and NO_COLOR, by validate and graph as by the others', async () => {
    for (const command of ['validate', 'graph']) {
      const out = await runCli([command, '--no-color', '-f', 'examples/hub-two-receivers.yaml'], {
        env: { NO_COLOR: '1', HUB_TOKEN: 'x', EU_TOKEN: 'x', US_TOKEN: 'x' },
      });
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout + out.stderr).not.toContain('\u001b[');
    }
  });
});

describe('--log-level debug', () => {
  let w: SimWorld;
  beforeAll(async () => {
    w = await simulateTopology('federation.yaml');
  });
  afterAll(async () => {
    await w.stop();
  });

  it('writes one line per request to stderr, never a token or a body', async () => {
    const out = await runCli(['plan', '--log-level', 'debug'], { env: w.env, cwd: w.dir });
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stderr.split('\n').filter((l) => l.includes(' debug http '));
    // One configurations read per JPD, and a repository list where the topology wants more.
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      expect(line).toMatch(
        /^\S+Z debug http jpd=(hub|eu|us) method=GET path=\/artifactory\/api\/\S+ status=200 attempt=1 duration_ms=\d+ bytes=\d+$/,
      );
    }
    for (const token of Object.values(w.env)) expect(out.stderr).not.toContain(token);
  });

  it('--log-file puts it in a file instead', async () => {
    const out = await runCli(['drift', '--log-level=debug', '--log-file', 'debug.log'], {
      env: w.env,
      cwd: w.dir,
    });
    expect(out.stderr).not.toContain(' debug http ');
    const log = await readFile(join(w.dir, 'debug.log'), 'utf8');
    expect(log).toMatch(/ debug http jpd=hub method=GET path=\/artifactory\/api\//);
    for (const token of Object.values(w.env)) expect(log).not.toContain(token);
  });

  it('refuses a flag without its value', async () => {
    const out = await runCli(['plan', '--log-file']);
    expect(out).toMatchObject({ code: 1, stderr: 'fedctl: --log-file needs a value\n' });
  });
});
