/**
 * The round trip, for every topology users copy from: apply it to simulated JPDs, import what is
 * live, and plan the imported file: zero changes (fedctl's records make every source exact), and
 * the file is valid against the schema and every rule.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const validTopology = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true })
  .addKeyword('errorMessage')
  .compile(JSON.parse(readFileSync('schemas/federation.schema.json', 'utf8')) as object);

describe.each([
  'federation.yaml',
  'examples/hub-two-receivers.yaml',
  'examples/legacy-bidirectional.yaml',
  'examples/mixed-modes-option-b.yaml',
  'examples/two-hubs-regional.yaml',
])('import after applying %s', (example) => {
  it('plans zero changes on the imported file, which is schema-valid', async () => {
    const w = await simulateTopology(example);
    world = w;
    const cli = (...argv: string[]) => runCli(argv, { env: w.env, cwd: w.dir });
    const applied = await cli('apply', '--auto-approve', '--verify-timeout', '30s');
    expect(applied.code, applied.stderr).toBe(0);

    // Token variables follow the default <NAME>_TOKEN, as in the examples.
    const jpds = w.sim.jpds.flatMap((j) => ['--jpd', `${j.name}=${j.url}`]);
    const imported = await cli('import', ...jpds, '--out', 'imported.yaml');
    expect(imported.stderr).toMatch(
      /^Imported \d+ repositories in \d+ federations? from \d JPDs; wrote imported\.yaml\.\n$/,
    );
    expect(imported.code).toBe(0);
    const text = readFileSync(join(w.dir, 'imported.yaml'), 'utf8');
    // The $schema line points at this fedctl's schema, relative to the written file.
    const ref = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text)?.[1] ?? '';
    expect(existsSync(resolve(w.dir, ref)), ref).toBe(true);
    expect(ref.endsWith('/schemas/federation.schema.json')).toBe(true);
    expect(validTopology(parse(text)), JSON.stringify(validTopology.errors)).toBe(true);
    for (const token of Object.values(w.env)) expect(text).not.toContain(token);

    const validate = await cli('validate', 'imported.yaml');
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const plan = await cli('plan', '-f', 'imported.yaml', '--detailed-exitcode');
    expect(plan.stdout).toBe('No changes. The JPDs match the topology.\n');
    expect(plan.code).toBe(0);
  });
});
