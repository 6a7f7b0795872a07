/**
 * The pure import: live repositories of several JPDs -> a topology. Sources are inferred from
 * fedctl's record or the members' modes, and chosen (with a comment) only when several members
 * send; what a topology cannot express is skipped with its reason; the file is valid, sorted
 * and the same bytes whatever order the JPDs listed things in.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importTopology, type ImportJpd } from '../../../src/core/import/infer.js';
import { renderImportedTopology } from '../../../src/core/import/yaml.js';
import { formatNotes, parseNotes, type LiveRepo } from '../../../src/core/live/state.js';
import { createTopologyValidator, parseTopology } from '../../../src/core/topology/parse.js';

const schema = JSON.parse(readFileSync('schemas/federation.schema.json', 'utf8')) as {
  definitions: { packageType: { enum: string[] } };
};
const packageTypes = new Set(schema.definitions.packageType.enum);
const validator = createTopologyValidator(schema);

const base = (jpd: string) => `https://${jpd}.example.com`;
type M = readonly [jpd: string, mode: 'r' | 'b', extra?: { key?: string; enabled?: boolean }];

/** The same configuration on every member, as Artifactory propagates it. */
function federation(
  key: string,
  members: readonly M[],
  extra: { packageType?: string; description?: string; source?: string } = {},
): Record<string, LiveRepo> {
  const live = members.map(([jpd, mode, opts]) => ({
    jpd,
    key: opts?.key ?? key,
    member: {
      url: `${base(jpd)}/artifactory/${opts?.key ?? key}`,
      mode: mode === 'r' ? ('receiver' as const) : ('bidirectional' as const),
      enabled: opts?.enabled ?? true,
    },
  }));
  const recorded =
    extra.source === undefined
      ? {}
      : parseNotes(
          formatNotes(undefined, {
            source: `${base(extra.source)}/artifactory/${key}`,
            members: {},
          }),
        );
  return Object.fromEntries(
    live.map((l) => [
      l.jpd,
      {
        key: l.key,
        packageType: extra.packageType ?? 'generic',
        ...(extra.description === undefined ? {} : { description: extra.description }),
        members: live.map((x) => x.member),
        ...recorded,
      },
    ]),
  );
}

function estate(
  names: readonly string[],
  feds: readonly Record<string, LiveRepo>[],
  reverse = false,
): ImportJpd[] {
  return names.map((name) => {
    const repos = feds.flatMap((f) => (f[name] === undefined ? [] : [f[name]]));
    return {
      name,
      url: base(name),
      tokenEnv: `${name.toUpperCase()}_TOKEN`,
      allowInsecureHttp: false,
      repos: reverse ? repos.reverse() : repos,
    };
  });
}

const render = (jpds: ImportJpd[], options: { preferSource?: string; only?: string } = {}) => {
  const model = importTopology(jpds, { packageTypes, ...options });
  return { model, text: renderImportedTopology(model, { schemaRef: './federation.schema.json' }) };
};

function expectValid(text: string): void {
  const result = parseTopology(text, {
    file: 'imported.yaml',
    validator,
    env: new Proxy({}, { get: () => 'set' }),
    unsetEnv: 'error',
  });
  expect(result.issues).toEqual([]);
}

const mixed = [
  federation(
    'libs',
    [
      ['hub', 'b'],
      ['eu', 'r'],
      ['us', 'r', { enabled: false }],
    ],
    {
      description: 'Libraries',
    },
  ),
  federation(
    'tools',
    [
      ['hub', 'b'],
      ['eu', 'r'],
      ['us', 'r', { enabled: false }],
    ],
    {
      packageType: 'npm',
      description: 'Libraries',
    },
  ),
  federation('docs', [
    ['hub', 'b'],
    ['eu', 'r', { key: 'hub-docs' }],
  ]),
  federation('dr', [
    ['hub', 'b'],
    ['dr', 'b'],
  ]),
  federation('edge', [
    ['eu', 'b'],
    ['us', 'r'],
  ]),
];

describe('importTopology', () => {
  it('writes a valid, sorted topology: sources by mode, member keys, modes, disabled members', async () => {
    const { model, text } = render(estate(['hub', 'eu', 'us', 'dr'], mixed));
    expect(model.skipped).toEqual([]);
    expect(model.federations.map((f) => [f.source, f.basis, f.repos.map((r) => r.key)])).toEqual([
      ['eu', 'inferred', ['edge']],
      ['hub', 'inferred', ['docs']],
      ['hub', 'first-jpd', ['dr']],
      ['hub', 'inferred', ['libs', 'tools']],
    ]);
    expect(model.pairings).toEqual([
      { source: 'eu', target: 'us' },
      { source: 'hub', target: 'dr' },
      { source: 'hub', target: 'eu' },
      { source: 'hub', target: 'us' },
    ]);
    expectValid(text);
    await expect(text).toMatchFileSnapshot('../golden/import.yaml');
  });

  it('gives the same bytes whatever order the JPDs listed things in', () => {
    const a = render(estate(['hub', 'eu', 'us', 'dr'], mixed)).text;
    const b = render(estate(['hub', 'eu', 'us', 'dr'], [...mixed].reverse(), true)).text;
    expect(b).toBe(a);
  });

  it("takes the source fedctl's record names, and otherwise a choice the file explains", () => {
    const both = [
      federation(
        'dr',
        [
          ['hub', 'b'],
          ['dr', 'b'],
        ],
        { source: 'dr' },
      ),
    ];
    expect(render(estate(['hub', 'dr'], both)).model.federations[0]).toMatchObject({
      source: 'dr',
      basis: 'inferred',
    });
    const open = [
      federation('dr', [
        ['hub', 'b'],
        ['dr', 'b'],
      ]),
    ];
    const first = render(estate(['hub', 'dr'], open));
    expect(first.model.federations[0]).toMatchObject({ source: 'hub', basis: 'first-jpd' });
    expect(first.text).toContain(
      '  - source: hub # several members send, so the source is a choice: the first --jpd given\n',
    );
    const preferred = render(estate(['hub', 'dr'], open), { preferSource: 'dr' });
    expect(preferred.model.federations[0]).toMatchObject({ source: 'dr', basis: 'prefer-source' });
    expect(preferred.text).toContain(
      '  - source: dr # several members send, so the source is a choice: --prefer-source\n',
    );
    expectValid(preferred.text);
  });

  it('skips what a topology cannot express, with the reason, and imports the rest', () => {
    const feds = [
      federation('ok', [
        ['hub', 'b'],
        ['eu', 'r'],
        ['far', 'r'],
      ]),
      federation('bad key', [
        ['hub', 'b'],
        ['eu', 'r'],
      ]),
      federation('npm-cache', [
        ['hub', 'b'],
        ['eu', 'r'],
      ]),
      federation(
        'dart',
        [
          ['hub', 'b'],
          ['eu', 'r'],
        ],
        { packageType: 'pub' },
      ),
      federation('mirror', [
        ['far', 'b'],
        ['eu', 'r'],
      ]),
      federation('quiet', [
        ['hub', 'r'],
        ['eu', 'r'],
      ]),
    ];
    const { model, text } = render(estate(['hub', 'eu'], feds));
    expect(model.federations.flatMap((f) => f.repos.map((r) => r.key))).toEqual(['ok']);
    expect(
      model.skipped.map((s) => `${s.jpd}/${s.repoKey} ${s.memberUrl ?? ''}: ${s.reason}`),
    ).toEqual([
      'eu/bad key : member copy of hub/"bad key", which was not imported or does not list it',
      'eu/dart : member copy of hub/"dart", which was not imported or does not list it',
      'eu/mirror : its source "https://far.example.com/artifactory/mirror" is not on a JPD given with --jpd',
      'eu/npm-cache : member copy of hub/"npm-cache", which was not imported or does not list it',
      'eu/quiet : no member sends (every member is a receiver), so it has no source',
      'hub/bad key : repository key "bad key" must not contain " "',
      'hub/dart : package type "pub" is not one the topology schema accepts',
      'hub/npm-cache : repository key "npm-cache" must not end with "-cache" (reserved for remote repository caches)',
      'hub/ok https://far.example.com/artifactory/ok: member is not on a JPD given with --jpd; not imported (plan lists it under "Left alone")',
      'hub/quiet : no member sends (every member is a receiver), so it has no source',
    ]);
    expect(text).toContain(
      '# Not imported (also listed on stderr):\n#   eu/"bad key": member copy',
    );
    expectValid(text);
  });

  it('marks a plain-http JPD on another host, as the topology requires', () => {
    const jpds = estate(
      ['hub', 'eu'],
      [
        federation('libs', [
          ['hub', 'b'],
          ['eu', 'r'],
        ]),
      ],
    ).map((j) => (j.name === 'eu' ? { ...j, allowInsecureHttp: true } : j));
    const { text } = render(jpds);
    expect(text).toContain(
      '  eu:\n    url: https://eu.example.com\n    token: ${EU_TOKEN}\n    allowInsecureHttp: true\n',
    );
    expectValid(text);
  });

  it('imports only the repositories --only names, and the pairings they need', () => {
    const { model } = render(estate(['hub', 'eu', 'us', 'dr'], mixed), { only: 'D*' });
    expect(model.federations.flatMap((f) => f.repos.map((r) => r.key))).toEqual(['docs', 'dr']);
    expect(model.pairings).toEqual([
      { source: 'hub', target: 'dr' },
      { source: 'hub', target: 'eu' },
    ]);
  });
});
