import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { formatIssue, type Issue } from '../../../src/core/errors.js';
import { RULES } from '../../../src/core/topology/rules/index.js';
import { resolveTopology } from '../../../src/core/topology/rules/resolve.js';
import { whereIn, type Locate, type RuleContext } from '../../../src/core/topology/rules/types.js';
import { createTopologyValidator, parseTopology } from '../../../src/core/topology/parse.js';
import type { TopologyDocument } from '../../../src/core/topology/model.js';
import { positionOf } from '../../../src/core/topology/yaml-positions.js';
import { allTokensSet } from '../../support/cli.js';

const validator = createTopologyValidator(
  JSON.parse(readFileSync('schemas/federation.schema.json', 'utf8')) as object,
);
const env = { A: 't', B: 't', C: 't' };
const parse = (text: string): Issue[] => [
  ...parseTopology(text, { file: 't.yaml', validator, env, unsetEnv: 'warning' }).issues,
];
const lines = (issues: readonly Issue[]): string[] =>
  issues.map((i) => `${i.line}:${i.col} ${i.code}: ${i.message}`);

const fixtureDirs = ['invalid', 'warnings'] as const;
const fixtures = fixtureDirs.flatMap((dir) =>
  readdirSync(`test/fixtures/${dir}`)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `test/fixtures/${dir}/${f}`),
);

/** The rule context the parser would build, for running rules one by one. */
function contextOf(text: string): RuleContext {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, schema: 'core' });
  const data: unknown = doc.toJS();
  if (!validator(data)) throw new Error('not schema-valid');
  // The schema check above is what makes this assertion true.
  const file = data as TopologyDocument;
  const at: Locate = (path, where) =>
    positionOf({ file: 'test.yaml', text, doc, lineCounter }, path, where);
  return { file, model: resolveTopology(file, at).model, env, at, where: whereIn(1) };
}

describe('RULES', () => {
  const metas = RULES.flatMap((r) => r.meta);

  it('gives every code once, with a severity and a one-line description', () => {
    const codes = metas.map((m) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const m of metas) {
      expect(m.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(['error', 'warning']).toContain(m.severity);
      expect(m.description).toMatch(/^\S[^\n]{10,150}$/);
    }
  });

  // Adding a rule means adding a fixture: its exact `validate` output lives in the .expected file.
  it.each(metas.map((m) => m.code))('%s has a fixture whose .expected shows it', (code) => {
    const shown = fixtures.filter((file) => {
      const result = parseTopology(readFileSync(file, 'utf8'), {
        file,
        validator,
        env: allTokensSet,
        unsetEnv: 'warning',
      });
      const expected = readFileSync(file.replace(/\.yaml$/, '.expected'), 'utf8');
      return result.issues.some(
        (i) => i.code === code && expected.split('\n').includes(formatIssue(i)),
      );
    });
    expect(shown, `add test/fixtures/invalid/${code}.yaml and its .expected`).not.toEqual([]);
  });

  it('are independent: each finds the same alone, in any order, and twice', () => {
    const valid = fixtures.flatMap((file) => {
      try {
        return [contextOf(readFileSync(file, 'utf8'))];
      } catch {
        return [];
      }
    });
    expect(valid.length).toBeGreaterThan(15);
    for (const context of valid) {
      const forward = RULES.map((rule) => rule.check(context));
      const backward = [...RULES].reverse().map((rule) => rule.check(context));
      expect(backward.reverse()).toEqual(forward);
      expect(RULES.map((rule) => rule.check(context))).toEqual(forward);
    }
  });
});

const jpds = `version: 1
defaults: { packageType: generic, mode: receiver }
jpds:
  a: { url: "https://a.example.com", token: "\${A}" }
  b: { url: "https://b.example.com", token: "\${B}" }
`;

describe('issues at one position keep the order of the single walk they replace', () => {
  it('a URL problem comes before duplicate-url', () => {
    const issues = parse(`version: 1
jpds:
  a: { url: "http://x.example.com", token: "\${A}" }
  b: { url: "http://x.example.com", token: "\${B}" }
federations: [{ source: a, packageType: generic, repositories: [r], members: [{ jpd: b, mode: receiver }] }]
`);
    expect(lines(issues).filter((l) => l.startsWith('4:'))).toEqual([
      '4:13 insecure-http: JPD "b" uses plain http:// to a non-loopback host, which would send its token unencrypted; use https://, or set allowInsecureHttp: true on this JPD',
      '4:13 duplicate-url: JPD "b" has the same URL as JPD "a"; declare each JPD once',
    ]);
  });

  it('invalid-repo-key comes before the ownership conflict on the same key', () => {
    const issues = parse(`${jpds}federations:
  - { source: a, repositories: [nginx, nginx], members: [{ jpd: b }] }
`);
    expect(lines(issues).filter((l) => !l.includes('receiver-without-pairing'))).toEqual([
      '7:33 invalid-repo-key: repository key "nginx" is reserved by Artifactory',
      '7:40 invalid-repo-key: repository key "nginx" is reserved by Artifactory',
      '7:40 duplicate-repository: repository "nginx" on "a" is declared twice (first at 7:33)',
    ]);
  });

  it('ownership conflicts on one member follow the repositories, whatever their codes', () => {
    const text = (
      first: string,
      second: string,
    ): string => `${jpds}  c: { url: "https://c.example.com", token: "\${C}" }
federations:
  - { source: b, repositories: [x] , members: [{ jpd: c }] }
  - { source: c, repositories: [y] , members: [{ jpd: b }] }
  - { source: a, repositories: [${first}, ${second}], members: [{ jpd: c }] }
`;
    const conflicts = (issues: Issue[]): string[] =>
      issues
        .filter((i) => i.line === 10 && i.severity === 'error')
        .map((i) => `${i.col} ${i.code}`);
    // c holds x as a member of b's federation and is the source of y.
    expect(conflicts(parse(text('x', 'y')))).toEqual([
      '57 repository-two-sources',
      '57 federation-loop',
    ]);
    expect(conflicts(parse(text('y', 'x')))).toEqual([
      '57 federation-loop',
      '57 repository-two-sources',
    ]);
  });
});

describe('resolution', () => {
  it('reads memberKeys by own property: a JPD may be named "constructor"', () => {
    const result = parseTopology(
      `version: 1
jpds:
  hub: { url: "https://hub.example.com", token: "\${A}" }
  constructor: { url: "https://c.example.com", token: "\${A}" }
trust: [{ source: hub, target: constructor }]
federations:
  - { source: hub, packageType: generic, repositories: [libs], members: [{ jpd: constructor, mode: receiver }] }
`,
      { file: 't.yaml', validator, env, unsetEnv: 'error' },
    );
    expect(result.issues).toEqual([]);
    expect(result.topology?.repos[0]?.members.map((m) => [m.jpd, m.repoKey])).toEqual([
      ['constructor', 'libs'],
    ]);
  });

  it('keeps the first of two pairings and drops one with an undeclared end', () => {
    const text = `${jpds}trust:
  - { source: a, target: b, receivingOnly: false }
  - { source: a, target: b }
  - { source: b, target: mars }
federations: [{ source: a, repositories: [r], members: [{ jpd: b }] }]
`;
    expect(lines(parse(text))).toEqual([
      '8:5 duplicate-pairing: pairing a -> b is declared twice (first at 7:5)',
      '9:26 undeclared-jpd: trust target "mars" is not declared under jpds (declared: a, b)',
    ]);
    const context = contextOf(text);
    const { topology } = resolveTopology(context.file, context.at);
    expect(topology.pairings).toEqual([
      {
        source: 'a',
        target: 'b',
        receivingOnly: false,
        at: { file: 'test.yaml', line: 7, col: 5 },
      },
    ]);
  });
});
