import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTopologyValidator, parseTopology } from '../../../src/core/topology/parse.js';
import { repoKeyProblem } from '../../../src/core/topology/rules/invalid-repo-key.js';

const validator = createTopologyValidator(
  JSON.parse(readFileSync('schemas/federation.schema.json', 'utf8')) as object,
);
const parse = (text: string, env: Record<string, string> = { A: 't', B: 't', C: 't' }) =>
  parseTopology(text, { file: 't.yaml', validator, env, unsetEnv: 'error' });

const base = `version: 1
jpds:
  b: { url: "https://B.example.com/", token: "\${B}" }
  a: { url: "http://127.0.0.1:8081/jfrog", token: "\${A}", concurrency: 2 }
  c: { url: "https://c.example.com", token: "\${C}", caFile: ca.pem }
`;

describe('parseTopology resolves the file into the model the planner uses', () => {
  it('applies defaults and overrides, normalises URLs and sorts everything', () => {
    const result = parse(`${base}defaults: { packageType: generic, mode: receiver }
trust:
  - { source: b, target: c }
  - { source: b, target: a, receivingOnly: false }
federations:
  - source: b
    description: shared
    repositories:
      - zeta
      - key: alpha
        packageType: npm
        description: own
        memberKeys: { c: alpha-on-c }
    members:
      - { jpd: c }
      - { jpd: a, mode: bidirectional, enabled: false }
`);
    expect(result.issues).toEqual([]);
    const t = result.topology;
    expect(t?.jpds.map((j) => [j.name, j.url, j.tokenEnv, j.concurrency, j.caFile])).toEqual([
      ['a', 'http://127.0.0.1:8081/jfrog', 'A', 2, undefined],
      ['b', 'https://b.example.com', 'B', 4, undefined],
      ['c', 'https://c.example.com', 'C', 4, 'ca.pem'],
    ]);
    expect(t?.pairings.map((p) => [p.source, p.target, p.receivingOnly])).toEqual([
      ['b', 'a', false],
      ['b', 'c', true],
    ]);
    expect(
      t?.repos.map((r) => ({
        key: r.key,
        packageType: r.packageType,
        description: r.description,
        members: r.members.map((m) => [m.jpd, m.repoKey, m.mode, m.enabled]),
      })),
    ).toEqual([
      {
        key: 'alpha',
        packageType: 'npm',
        description: 'own',
        members: [
          ['a', 'alpha', 'bidirectional', false],
          ['c', 'alpha-on-c', 'receiver', true],
        ],
      },
      {
        key: 'zeta',
        packageType: 'generic',
        description: 'shared',
        members: [
          ['a', 'zeta', 'bidirectional', false],
          ['c', 'zeta', 'receiver', true],
        ],
      },
    ]);
  });

  it('makes an unset token variable an error when asked (plan/apply)', () => {
    const result = parse(
      `${base}federations: [{ source: a, packageType: generic, repositories: [r], members: [{ jpd: b, mode: bidirectional }] }]\n`,
      { A: 't', B: '' },
    );
    expect(result.topology).toBeUndefined();
    expect(result.issues.map((i) => [i.line, i.severity, i.message])).toEqual([
      [3, 'error', 'environment variable B (the token of JPD "b") is not set'],
      // c is used by nothing, so it is never read and its token is not needed.
      [5, 'warning', '1 declared JPD is not used by any federation or pairing and is not read: c'],
    ]);
  });

  it('caps a cascade of syntax errors', () => {
    const result = parse(`version: 1\njpds: { a: [ ${'{ x: '.repeat(40)}\n`);
    expect(result.issues.length).toBeLessThanOrEqual(11);
    expect(result.issues.at(-1)?.message).toMatch(/more syntax errors not shown/);
  });
});

describe('repoKeyProblem follows Artifactory naming rules', () => {
  it.each([
    ['libs-release', 'generic', undefined],
    ['a'.repeat(64), 'generic', undefined],
    ['a'.repeat(64), 'docker', 'is 64 characters long; the limit is 63 for docker repositories'],
    ['Libs_Release', 'maven', undefined],
    ['Libs_Release', 'oci', 'must not contain upper-case letters or "_" in a oci repository'],
    ['x-cache', 'generic', 'must not end with "-cache" (reserved for remote repository caches)'],
    ['..', 'generic', 'is reserved by Artifactory'],
    ['Release-Bundles', 'generic', 'is reserved by Artifactory'],
    ['a|b', 'generic', 'must not contain "|"'],
  ] as const)('%s (%s)', (key, type, problem) => {
    expect(repoKeyProblem(key, type)).toBe(problem);
  });
});

describe('the TypeScript types follow the schema', () => {
  it('src/core/topology/types.generated.ts is up to date (run npm run gen:types)', async () => {
    // @ts-expect-error -- a plain .mjs script without type declarations
    const { generateTopologyTypes } = (await import('../../../scripts/gen-types.mjs')) as {
      generateTopologyTypes: () => Promise<string>;
    };
    expect(readFileSync('src/core/topology/types.generated.ts', 'utf8')).toBe(
      await generateTopologyTypes(),
    );
  });
});
