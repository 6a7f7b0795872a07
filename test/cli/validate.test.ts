import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allTokensSet, runCli } from '../support/cli.js';

const fixtures = (dir: string): string[] =>
  readdirSync(`test/fixtures/${dir}`)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
const expected = (dir: string, name: string): string =>
  readFileSync(`test/fixtures/${dir}/${name.replace(/\.yaml$/, '.expected')}`, 'utf8');

describe('fedctl validate: one invalid fixture per rule', () => {
  it.each(fixtures('invalid'))('%s exits 1 with its positioned messages', async (name) => {
    const file = `test/fixtures/invalid/${name}`;
    const result = await runCli(['validate', file], { env: allTokensSet });
    expect(result.stderr).toBe(expected('invalid', name));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    for (const line of result.stderr.trimEnd().split('\n').slice(0, -1)) {
      expect(line).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+:\\d+: `));
    }
  });
});

describe('fedctl validate: warnings keep a file valid', () => {
  it.each(fixtures('warnings'))('%s exits 0 and prints its warning', async (name) => {
    const result = await runCli(['validate', `test/fixtures/warnings/${name}`], {
      env: allTokensSet,
    });
    expect(result.stderr).toBe(expected('warnings', name));
    expect(result.stderr).toContain(': warning: ');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/: valid: .*; 1 warning\n$/);
  });
});

describe('fedctl validate: examples and the quick-start topology', () => {
  const files = ['federation.yaml', ...fixtures('../../examples').map((f) => `examples/${f}`)];
  it.each(files)('%s is valid without warnings', async (file) => {
    const result = await runCli(['validate', file], { env: allTokensSet });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^.+: valid: \d+ JPDs?, \d+ pairings?, \d+ federations? /);
  });

  it('summarises the quick-start topology', async () => {
    const result = await runCli(['validate'], { env: allTokensSet });
    expect(result.stdout).toBe(
      'federation.yaml: valid: 3 JPDs, 2 pairings, 1 federation (2 repositories), 4 member edges\n',
    );
  });
});

describe('fedctl validate: command line', () => {
  it('reports a missing file in one line', async () => {
    const result = await runCli(['validate', '-f', 'nope.yaml'], { env: allTokensSet });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'fedctl: nope.yaml: no such file (use -f to point at the topology file)\n',
    });
  });

  it('prints problems as JSON with --format json', async () => {
    const result = await runCli(
      ['validate', 'test/fixtures/invalid/self-federation.yaml', '--format', 'json'],
      { env: allTokensSet },
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      file: 'test/fixtures/invalid/self-federation.yaml',
      valid: false,
      issues: [
        {
          file: 'test/fixtures/invalid/self-federation.yaml',
          line: 6,
          col: 3,
          severity: 'warning',
          code: 'unused-jpd',
          message: '1 declared JPD is not used by any federation or pairing and is not read: eu',
        },
        {
          file: 'test/fixtures/invalid/self-federation.yaml',
          line: 14,
          col: 14,
          severity: 'error',
          code: 'self-federation',
          message: 'JPD "hub" is the source of this federation and cannot also be its member',
        },
      ],
    });
  });

  it('prints the summary counts as JSON for a valid file', async () => {
    const result = await runCli(['validate', '--format=json'], { env: allTokensSet });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      valid: true,
      summary: { jpds: 3, pairings: 2, federations: 1, repositories: 2, memberEdges: 4 },
      issues: [],
    });
  });

  it('rejects an unknown option with a one-line usage error', async () => {
    const result = await runCli(['validate', '--frmat', 'json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'fedctl: unknown option --frmat for fedctl validate; did you mean --format? See `fedctl validate --help`\n',
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('rejects an unknown format', async () => {
    const result = await runCli(['validate', '--format', 'xml']);
    expect(result).toMatchObject({
      code: 1,
      stderr: 'fedctl: --format must be text, json or sarif, not "xml"\n',
    });
  });
});
