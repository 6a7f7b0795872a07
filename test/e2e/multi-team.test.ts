/**
 * examples/multi-team/: a topology over several files (shared JPDs, three teams' federations)
 * validates, plans and applies against simulated JPDs; moving a repository from one team's file
 * to another's plans no change; a saved plan covers every file; problems name their own file.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { runCli } from '../support/cli.js';
import { sarifValidator } from '../support/sarif.js';
import { simulateDirectory, type SimWorld } from '../support/sim-topology.js';

let world: SimWorld;

/** The results of a SARIF log (checked against the SARIF 2.1.0 schema) as `file:line:col level rule`. */
function sarifResults(stdout: string): string[] {
  const log: unknown = JSON.parse(stdout);
  const validate = sarifValidator();
  expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  const { runs } = log as {
    runs: {
      results: {
        ruleId: string;
        level: string;
        locations: {
          physicalLocation: {
            artifactLocation: { uri: string };
            region: { startLine: number; startColumn: number };
          };
        }[];
      }[];
    }[];
  };
  return (runs[0]?.results ?? []).map((r) => {
    const at = r.locations[0]?.physicalLocation;
    return `${at?.artifactLocation.uri ?? ''}:${at?.region.startLine ?? 0}:${at?.region.startColumn ?? 0} ${r.level} ${r.ruleId}`;
  });
}
const cli = (...argv: string[]) => runCli(argv, { env: world.env, cwd: world.dir });
const file = (name: string) => join(world.file, name);

beforeAll(async () => {
  world = await simulateDirectory('examples/multi-team');
});
afterAll(async () => {
  await world.stop();
});

describe('examples/multi-team against simulated JPDs', () => {
  it('reads every *.yaml of the directory in name order: one topology', async () => {
    const result = await cli('validate', '-f', 'topology');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'topology: valid: 4 JPDs, 3 pairings, 4 federations (5 repositories), 10 member edges\n',
    );
  });

  it('plans, applies and verifies; then nothing is left to do', async () => {
    const plan = await cli('plan', '-f', 'topology', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Plan: 3 pairings, 5 repositories to create, 0 to change, 0 to delete.',
    );
    const apply = await cli('apply', '-f', 'topology', '--auto-approve', '--verify-timeout', '60s');
    expect(apply.stderr).toContain('Verified');
    expect(apply.code).toBe(0);
    expect(await cli('plan', '-f', 'topology', '--detailed-exitcode')).toMatchObject({ code: 0 });
  });

  it.each([
    ['source', ['jpds.yaml', 'source-hub.yaml']],
    [
      'package-type',
      [
        'jpds.yaml',
        'package-type-docker.yaml',
        'package-type-generic.yaml',
        'package-type-maven.yaml',
        'package-type-npm.yaml',
      ],
    ],
    ['prefix', ['jpds.yaml', 'prefix-mobile.yaml', 'prefix-payments.yaml', 'prefix-search.yaml']],
  ])('import --split-by %s writes a directory that plans no change', async (by, names) => {
    const jpds = world.sim.jpds.flatMap((j) => ['--jpd', `${j.name}=${j.url}`]);
    const out = `split-${by}`;
    const result = await cli('import', ...jpds, '--split-by', by, '--out', out);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`; wrote ${names.length} files to ${out}.`);
    expect((await readdir(join(world.dir, out))).sort()).toEqual(names);
    expect(await cli('fmt', '--check', out)).toEqual({ code: 0, stdout: '', stderr: '' });
    const plan = await cli('plan', '-f', out, '--detailed-exitcode');
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
    // Again into the same directory: refused whole without --force.
    const again = await cli('import', ...jpds, '--split-by', by, '--out', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'already exists; use --force to replace it (nothing was written)',
    );
  });

  it('plans no change when a repository moves from one team file to another', async () => {
    const searchText = await readFile(file('team-search.yaml'), 'utf8');
    const paymentsText = await readFile(file('team-payments.yaml'), 'utf8');
    const search = parseDocument(searchText);
    const payments = parseDocument(paymentsText);
    const moved: unknown = search.getIn(['federations', 0], true);
    search.deleteIn(['federations', 0]);
    payments.addIn(['federations'], moved);
    await writeFile(file('team-search.yaml'), search.toString());
    await writeFile(file('team-payments.yaml'), payments.toString());
    expect((await readFile(file('team-payments.yaml'), 'utf8')).includes('search-images')).toBe(
      true,
    );
    const plan = await cli('plan', '-f', 'topology', '--detailed-exitcode');
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes.');
    await writeFile(file('team-search.yaml'), searchText);
    await writeFile(file('team-payments.yaml'), paymentsText);
  });

  it('saves a plan over every file, and refuses it once any file changes what it plans', async () => {
    const saved = await cli('plan', '-f', 'topology', '--out', 'plan.json');
    expect(saved.code).toBe(0);
    const doc = JSON.parse(await readFile(join(world.dir, 'plan.json'), 'utf8')) as {
      topology: { paths: string[]; files: { file: string }[] };
    };
    expect(doc.topology.paths).toEqual(['topology']);
    expect(doc.topology.files.map((f) => f.file)).toEqual([
      'topology/jpds.yaml',
      'topology/team-mobile.yaml',
      'topology/team-payments.yaml',
      'topology/team-search.yaml',
    ]);
    const mobile = await readFile(file('team-mobile.yaml'), 'utf8');
    await writeFile(
      file('team-mobile.yaml'),
      mobile.replace('- mobile-bundles', '- mobile-bundles\n      - mobile-betas'),
    );
    const apply = await cli('apply', 'plan.json');
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('topology changed since plan.json was made');
    await writeFile(file('team-mobile.yaml'), mobile);
  });

  it('annotates the team file a plan or a drift finding is about (SARIF)', async () => {
    const mobile = await readFile(file('team-mobile.yaml'), 'utf8');
    await writeFile(
      file('team-mobile.yaml'),
      mobile.replace('- mobile-bundles', '- mobile-betas\n      - mobile-bundles'),
    );
    const line = mobile.split('\n').findIndex((l) => l.includes('- mobile-bundles')) + 1;
    const plan = await cli('plan', '-f', 'topology', '--format', 'sarif');
    const drift = await cli('drift', '-f', 'topology', '--format', 'sarif');
    await writeFile(file('team-mobile.yaml'), mobile);
    expect(plan.code).toBe(0);
    const notes = sarifResults(plan.stdout);
    expect(notes).toEqual([`topology/team-mobile.yaml:${line}:9 note create-repository`]);
    expect(drift.code).toBe(2);
    expect(sarifResults(drift.stdout)).toContain(
      `topology/team-mobile.yaml:${line}:9 warning pending`,
    );
  });

  it('refuses a repository two files declare, naming both places', async () => {
    const mobile = await readFile(file('team-mobile.yaml'), 'utf8');
    await writeFile(
      file('team-mobile.yaml'),
      mobile.replace('- mobile-bundles', '- payments-libs'),
    );
    const result = await cli('validate', '-f', 'topology');
    await writeFile(file('team-mobile.yaml'), mobile);
    expect(result.code).toBe(1);
    // Files are read in name order: team-mobile.yaml declares it first.
    const payments = (await readFile(file('team-payments.yaml'), 'utf8')).split('\n');
    const line = payments.findIndex((l) => l.includes('- payments-libs')) + 1;
    expect(result.stderr).toMatch(
      new RegExp(
        `^topology/team-payments\\.yaml:${line}:9: repository "payments-libs" on "hub" is declared twice \\(first at topology/team-mobile\\.yaml:\\d+:9\\)$`,
        'm',
      ),
    );
  });

  it('refuses a JPD two files declare, naming both places', async () => {
    const search = await readFile(file('team-search.yaml'), 'utf8');
    await writeFile(
      file('team-search.yaml'),
      search.replace(
        'version: 1\n',
        'version: 1\njpds:\n  eu:\n    url: https://eu2.example.com\n    token: ${EU_TOKEN}\n',
      ),
    );
    const result = await cli('validate', '-f', 'topology');
    await writeFile(file('team-search.yaml'), search);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^topology\/team-search\.yaml:\d+:3: JPD "eu" is declared in two files \(first at topology\/jpds\.yaml:\d+:3\); declare it in one file only$/m,
    );
  });

  it('takes the files one by one as well (-f repeated), in the order given', async () => {
    const result = await cli(
      'validate',
      '-f',
      'topology/team-search.yaml',
      '-f',
      'topology/jpds.yaml',
      '-f',
      'topology/team-mobile.yaml',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('valid: 4 JPDs, 3 pairings, 3 federations (3 repositories)');
  });

  it('says which file is missing when no file declares the JPDs', async () => {
    const result = await cli(
      'validate',
      '-f',
      'topology/team-search.yaml',
      '-f',
      'topology/team-mobile.yaml',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('none of the 2 files declares "jpds"; one of them must');
  });
});
