/**
 * examples/environments/: one topology, a staging and a production var file, planned and applied
 * against two simulated estates. Variables are Terraform's: later values win, an unset one is an
 * error at its position, a saved plan records the values and apply refuses other ones; a token is
 * never a variable.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/index.js';
import { runCli } from '../support/cli.js';
import { simulateEstate } from '../support/sim-topology.js';

interface Estate {
  readonly sim: Simulator;
  readonly env: Record<string, string>;
  readonly vars: string;
}

let dir: string;
const estates: Record<'staging' | 'production', Estate> = {} as Record<
  'staging' | 'production',
  Estate
>;

/** The example's var file with its URLs pointed at simulated JPDs; every other line as it is. */
async function varFile(name: 'staging' | 'production', urls: Record<string, string>) {
  const text = await readFile(`examples/environments/${name}.vars`, 'utf8');
  const out = text
    .replace(/^HUB_URL=.*$/m, `HUB_URL=${urls['hub'] ?? ''}`)
    .replace(/^EU_URL=.*$/m, `EU_URL=${urls['eu'] ?? ''}`);
  const path = join(dir, `${name}.vars`);
  await writeFile(path, out);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fedctl-env-'));
  await writeFile(
    join(dir, 'federation.yaml'),
    await readFile('examples/environments/federation.yaml', 'utf8'),
  );
  for (const name of ['staging', 'production'] as const) {
    const { sim, urls, tokens } = await simulateEstate(['hub', 'eu']);
    estates[name] = {
      sim,
      env: { HUB_TOKEN: tokens['hub'] ?? '', EU_TOKEN: tokens['eu'] ?? '' },
      vars: await varFile(name, urls),
    };
  }
});
afterAll(async () => {
  await Promise.all(Object.values(estates).map((e) => e.sim.stop()));
  await rm(dir, { recursive: true, force: true });
});

const cli = (estate: Estate, ...argv: string[]) => runCli(argv, { env: estate.env, cwd: dir });

describe('one topology, a var file per environment, two estates', () => {
  it('plans each estate with its own values', async () => {
    for (const name of ['staging', 'production'] as const) {
      const e = estates[name];
      const plan = await cli(e, 'plan', '--var-file', e.vars, '--format', 'json');
      expect(plan.stderr).toBe('');
      expect(plan.code).toBe(0);
      const creates = (
        JSON.parse(plan.stdout) as {
          actions: { type: string; jpd: string; repoKey: string; description?: string }[];
        }
      ).actions.filter((a) => a.type === 'create-repository');
      expect(creates.map((a) => `${a.jpd}/${a.repoKey}`)).toEqual([
        'hub/libs-release',
        'hub/tools-release',
      ]);
      expect(plan.stdout).toContain(`Releases for ${name}, published on the hub only`);
      expect(plan.stdout).toContain(e.sim.jpds.find((j) => j.name === 'eu')?.url ?? 'no url');
    }
  });

  it('applies staging; production, a different estate, still has everything to do', async () => {
    const s = estates.staging;
    const apply = await cli(s, 'apply', '--var-file', s.vars, '--auto-approve');
    expect(apply.code).toBe(0);
    expect(await cli(s, 'plan', '--var-file', s.vars, '--detailed-exitcode')).toMatchObject({
      code: 0,
    });
    const p = estates.production;
    const plan = await cli(p, 'plan', '--var-file', p.vars, '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('2 repositories to create');
  });

  it('takes the later value of a variable, as Terraform does', async () => {
    const s = estates.staging;
    const plan = await cli(
      s,
      'plan',
      '--var',
      'ENVIRONMENT=qa',
      '--var-file',
      s.vars,
      '--var',
      'ENVIRONMENT=canary',
      '--format',
      'json',
    );
    expect(plan.stdout).toContain('Releases for canary, published on the hub only');
  });

  it('reports an unset variable at its position', async () => {
    const s = estates.staging;
    const plan = await cli(s, 'plan', '--var', 'HUB_URL=http://127.0.0.1:1');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toBe(
      [
        'federation.yaml:14:10: variable EU_URL is not set: give it with --var EU_URL=VALUE or in a --var-file',
        'federation.yaml:25:31: variable ENVIRONMENT is not set: give it with --var ENVIRONMENT=VALUE or in a --var-file',
        '',
      ].join('\n'),
    );
  });

  it('refuses a token given as a variable: tokens come from the environment only', async () => {
    const s = estates.staging;
    const plan = await cli(s, 'plan', '--var-file', s.vars, '--var', 'HUB_TOKEN=secret');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(
      /^federation\.yaml:18:12: HUB_TOKEN is the token of JPD "hub", read from the environment only/,
    );
    expect(plan.stderr).not.toContain('secret');
  });

  it('records the values in a saved plan, and apply refuses other ones', async () => {
    const p = estates.production;
    expect((await cli(p, 'plan', '--var-file', p.vars, '--out', 'prod.json')).code).toBe(0);
    const text = await readFile(join(dir, 'prod.json'), 'utf8');
    const saved = JSON.parse(text) as { variables: Record<string, string> };
    expect(Object.keys(saved.variables)).toEqual(['ENVIRONMENT', 'EU_URL', 'HUB_URL']);
    expect(saved.variables['ENVIRONMENT']).toBe('production');
    for (const token of Object.values(p.env)) expect(text).not.toContain(token);

    const other = await cli(p, 'apply', 'prod.json', '--var-file', estates.staging.vars);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      'prod.json was made with other values of ENVIRONMENT, EU_URL, HUB_URL',
    );
    const one = await cli(p, 'apply', 'prod.json', '--var-file', p.vars, '--var', 'ENVIRONMENT=x');
    expect(one.code).toBe(1);
    expect(one.stderr).toContain('prod.json was made with other values of ENVIRONMENT;');

    // Without --var, apply uses the values the plan recorded.
    const apply = await cli(p, 'apply', 'prod.json');
    expect(apply.stderr).toContain('Verified');
    expect(apply.code).toBe(0);
    expect(await cli(p, 'plan', '--var-file', p.vars, '--detailed-exitcode')).toMatchObject({
      code: 0,
    });
  });

  it('reports a var file line that is not NAME=VALUE at its position', async () => {
    const bad = join(dir, 'bad.vars');
    await writeFile(bad, '# ok\nHUB_URL=x\n  EU URL=y\n');
    const plan = await cli(estates.staging, 'plan', '--var-file', bad);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toBe(
      `${bad}:3:3: expected NAME=VALUE: "EU URL" is not a variable name (letters, digits and _, no spaces)\n`,
    );
  });
});
