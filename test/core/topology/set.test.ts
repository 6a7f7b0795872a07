/**
 * A topology over several files, and variables: the pure parser (parseTopologySet). The e2e
 * tests (test/e2e/multi-team.test.ts, environments.test.ts) run the same through the CLI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { formatIssue } from '../../../src/core/errors.js';
import {
  createTopologyValidator,
  parseTopologySet,
  type SourceText,
} from '../../../src/core/topology/parse.js';

const validator = createTopologyValidator(
  JSON.parse(readFileSync('schemas/federation.schema.json', 'utf8')) as object,
);
const env = new Proxy({}, { get: () => 'token' });
const parse = (files: SourceText[], variables: Record<string, string> = {}) =>
  parseTopologySet(files, {
    validator,
    env,
    unsetEnv: 'error',
    variables: new Map(Object.entries(variables)),
  });
const lines = (files: SourceText[], variables?: Record<string, string>) =>
  parse(files, variables).issues.map(formatIssue);

const JPDS = {
  file: 'jpds.yaml',
  text: [
    'version: 1',
    'defaults:',
    '  mode: receiver',
    'jpds:',
    '  eu:',
    '    url: ${EU_URL}',
    '    token: ${EU_TOKEN}',
    '  hub:',
    '    url: https://hub.example.com',
    '    token: ${HUB_TOKEN}',
    '',
  ].join('\n'),
};
const team = (file: string, keys: string[], extra = ''): SourceText => ({
  file,
  text: [
    'version: 1',
    extra,
    'federations:',
    '  - source: hub',
    '    packageType: generic',
    '    repositories:',
    ...keys.map((k) => `      - ${k}`),
    '    members:',
    '      - jpd: eu',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n')
    .concat('\n'),
});

describe('the editor schema', () => {
  it.each(readdirSync('examples/multi-team').filter((f) => f.endsWith('.yaml')))(
    'accepts examples/multi-team/%s on its own (a team file has no jpds)',
    (name) => {
      const data: unknown = parseDocument(
        readFileSync(`examples/multi-team/${name}`, 'utf8'),
      ).toJS();
      expect(validator(data), JSON.stringify(validator.errors)).toBe(true);
    },
  );
});

const urls = { EU_URL: 'https://eu.example.com' };

describe('parseTopologySet', () => {
  it('merges the files into one topology, each repository from its own file', () => {
    const result = parse([JPDS, team('a.yaml', ['libs']), team('b.yaml', ['tools'])], urls);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.topology?.repos.map((r) => `${r.key} ${r.at.file}:${r.at.line}`)).toEqual([
      'libs a.yaml:6',
      'tools b.yaml:6',
    ]);
    expect(result.topology?.jpds.map((j) => `${j.name} ${j.url} ${j.at.file}`)).toEqual([
      'eu https://eu.example.com jpds.yaml',
      'hub https://hub.example.com jpds.yaml',
    ]);
    expect([...result.variables]).toEqual([['EU_URL', 'https://eu.example.com']]);
  });

  it('refuses a default set in two files, naming both', () => {
    expect(
      lines([JPDS, team('a.yaml', ['libs'], 'defaults:\n  mode: bidirectional')], urls),
    ).toEqual([
      'a.yaml:3:3: defaults.mode is set in two files (first at jpds.yaml:3:3); declare it in one file only',
    ]);
  });

  it('keeps every message in its own file, and names the other file where one is first', () => {
    const result = parse([JPDS, team('b.yaml', ['x']), team('a.yaml', ['x', 'y', 'y'])], urls);
    const errors = result.issues.filter((i) => i.severity === 'error').map(formatIssue);
    expect(errors).toEqual([
      'a.yaml:6:9: repository "x" on "hub" is declared twice (first at b.yaml:6:9)',
      'a.yaml:8:9: repository "y" on "hub" is declared twice (first at a.yaml:7:9)',
    ]);
  });

  it('stops at a file the schema refuses, naming that file', () => {
    expect(lines([JPDS, team('b.yaml', ['x']), team('a.yaml', ['bad key'])], urls)).toEqual([
      'a.yaml:6:9: repository key "bad key" must be 1-64 characters without / \\ : | ? * " < > or whitespace',
    ]);
  });
});

describe('variables', () => {
  it('are an error at their column when unset', () => {
    expect(lines([JPDS, team('a.yaml', ['libs'])])).toEqual([
      'jpds.yaml:6:10: variable EU_URL is not set: give it with --var EU_URL=VALUE or in a --var-file',
    ]);
  });

  it('are expanded in descriptions; $${ is a literal ${', () => {
    const text = team('a.yaml', ['libs']).text.replace(
      '    packageType: generic',
      // A function: a replacement string would read `$$` as `$`.
      () => '    packageType: generic\n    description: "Built for ${TEAM}, see $${HOME}"',
    );
    const result = parse([JPDS, { file: 'a.yaml', text }], { ...urls, TEAM: 'search', HOME: 'x' });
    expect(result.topology?.repos[0]?.description).toBe('Built for search, see ${HOME}');
    expect([...result.variables.keys()].sort()).toEqual(['EU_URL', 'TEAM']);
  });

  it('are never expanded in a repository key: an identity', () => {
    expect(lines([JPDS, team('a.yaml', ['libs-${ENV}'])], { ...urls, ENV: 'prod' })).toEqual([
      'a.yaml:6:14: a repository key is an identity and is never expanded: "${ENV}" would be read literally; write it out',
    ]);
  });

  it('never carry a token', () => {
    expect(lines([JPDS, team('a.yaml', ['libs'])], { ...urls, HUB_TOKEN: 'secret' })).toEqual([
      'jpds.yaml:10:12: HUB_TOKEN is the token of JPD "hub", read from the environment only: a token is never a variable (remove HUB_TOKEN from --var and the var files)',
    ]);
  });

  it('must be written ${NAME}', () => {
    const text = JPDS.text.replace('${EU_URL}', 'https://${eu url}');
    expect(lines([{ file: 'jpds.yaml', text }, team('a.yaml', ['libs'])])).toEqual([
      'jpds.yaml:6:18: "${eu url}" is not a variable reference: write ${NAME} (letters, digits and _), or $${ for a literal "${"',
    ]);
  });
});
