/**
 * `--only` and `--jpd` narrow a plan; a narrowed "No changes" must never pass for the whole
 * topology. Scoped runs say how much they cover, and a scope that covers nothing is an error.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

let world: SimWorld;
beforeAll(async () => {
  world = await simulateTopology('examples/two-hubs-regional.yaml');
});
afterAll(async () => {
  await world.stop();
});
const cli = (...argv: string[]) => runCli(argv, { env: world.env, cwd: world.dir });

describe('scoped plans', () => {
  it('say how much of the topology they cover, on stderr and in JSON', async () => {
    const only = await cli('plan', '--only', 'npm-*');
    expect(only.stderr).toBe('Targeting in effect: results cover 2 of 3 repositories\n');
    expect(only.stdout).toContain('+ repository build-us/npm-us-release');
    expect(only.stdout).not.toContain('pypi-eu-release');

    const lon = await cli('plan', '--jpd', 'edge-lon', '--format', 'json');
    expect(lon.stderr).toBe('Targeting in effect: results cover 1 of 3 repositories\n');
    const doc = JSON.parse(lon.stdout) as unknown;
    expect(doc).toMatchObject({ scope: { jpd: 'edge-lon', repositories: 1, total: 3 } });
    const validate = new Ajv({ strict: true }).compile(
      JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as object,
    );
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);

    const whole = await cli('plan', '--format', 'json');
    expect(whole.stderr).toBe('');
    expect(JSON.parse(whole.stdout)).not.toHaveProperty('scope');
  });

  it('--only that matches nothing, and --jpd naming no JPD, are errors before any request', async () => {
    // The JPDs are stopped: any request would fail differently.
    const offline = { ...world.env, FEDCTL_HTTP_RETRIES: '0' };
    for (const name of world.sim.jpds.map((j) => j.name)) world.sim.jpd(name).setOffline(true);
    try {
      expect(
        await runCli(['plan', '--only', 'nomatch*'], { env: offline, cwd: world.dir }),
      ).toEqual({
        code: 1,
        stdout: '',
        stderr: 'fedctl: --only nomatch*: matches none of the 3 repositories in federation.yaml\n',
      });
      expect(
        await runCli(['apply', '--auto-approve', '--only', 'npm-us-relase'], {
          env: offline,
          cwd: world.dir,
        }),
      ).toMatchObject({ code: 1, stderr: expect.stringContaining('matches none') as string });
      expect(await runCli(['plan', '--jpd', 'edge-par'], { env: offline, cwd: world.dir })).toEqual(
        {
          code: 1,
          stdout: '',
          stderr: 'fedctl: --jpd edge-par: no such JPD in federation.yaml\n',
        },
      );
    } finally {
      for (const name of world.sim.jpds.map((j) => j.name)) world.sim.jpd(name).setOffline(false);
    }
  });
});
