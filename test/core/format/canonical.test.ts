/**
 * The canonical form (`fedctl fmt`): fixed key order, block style, sorted lists where order means
 * nothing, comments kept with their nodes; idempotent and preserving the parsed topology.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Document, isCollection, isScalar, Scalar, visit } from 'yaml';
import { KEY_ORDER } from '../../../src/core/format/canonical.js';
import { formatTopologyText } from '../../../src/core/format/format.js';
import { canonicalTopology } from '../../../src/core/plan/fingerprint.js';
import { createTopologyValidator, parseTopology } from '../../../src/core/topology/parse.js';

const schema = JSON.parse(readFileSync('schemas/federation.schema.json', 'utf8')) as {
  properties: Record<string, unknown>;
  definitions: Record<string, { properties?: Record<string, unknown> }>;
};
const validator = createTopologyValidator(schema);
const env = new Proxy({}, { get: () => 'token' });

function fmt(text: string): string {
  const result = formatTopologyText('t.yaml', text);
  if (result.text === undefined) throw new Error(JSON.stringify(result.issues));
  return result.text;
}

/** The parsed topology without positions: what fmt must never change. */
function model(text: string): string {
  const parsed = parseTopology(text, { file: 't.yaml', validator, env, unsetEnv: 'error' });
  const errors = parsed.issues.filter((i) => i.severity === 'error');
  if (parsed.topology === undefined) throw new Error(JSON.stringify(errors));
  return canonicalTopology(parsed.topology);
}

function comments(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line) => /# (note \d+|a header)$/.exec(line)?.[0] ?? [])
    .sort();
}

describe('KEY_ORDER', () => {
  it('lists the properties of each schema object in the schema order', () => {
    const defaults = schema.properties['defaults'] as { properties: Record<string, unknown> };
    expect(KEY_ORDER.root).toEqual(Object.keys(schema.properties));
    expect(KEY_ORDER.defaults).toEqual(Object.keys(defaults.properties));
    const names = {
      jpd: 'jpd',
      pairing: 'pairing',
      federation: 'federation',
      repository: 'repositoryOverride',
      member: 'member',
      removal: 'removal',
    } as const;
    for (const [ours, def] of Object.entries(names)) {
      expect(KEY_ORDER[ours as keyof typeof names]).toEqual(
        Object.keys(schema.definitions[def]?.properties ?? {}),
      );
    }
  });
});

describe('the canonical form', () => {
  it('sorts what has no order, orders keys, writes block style and keeps comments', () => {
    const text = [
      'federations:',
      '  - members: [{ mode: receiver, jpd: us }, { jpd: eu, mode: receiver }]',
      '    repositories:',
      '      # zeta is the legacy one',
      '      - zeta',
      '      - alpha # the new one',
      '    source: hub',
      'jpds:',
      '  us: { token: \'${US}\', url: "https://us.example.com" }',
      '  hub: { url: https://hub.example.com, token: "${HUB}" }',
      '  eu: { url: https://eu.example.com, token: "${EU}" }',
      '# pairings are receiving-only',
      'trust: [{ target: us, source: hub }, { source: hub, target: eu }]',
      'version: 1',
      '',
    ].join('\n');
    expect(fmt(text)).toBe(
      [
        'version: 1',
        'jpds:',
        '  eu:',
        '    url: https://eu.example.com',
        '    token: ${EU}',
        '  hub:',
        '    url: https://hub.example.com',
        '    token: ${HUB}',
        '  us:',
        '    url: https://us.example.com',
        '    token: ${US}',
        '# pairings are receiving-only',
        'trust:',
        '  - source: hub',
        '    target: eu',
        '  - source: hub',
        '    target: us',
        'federations:',
        '  - source: hub',
        '    repositories:',
        '      - alpha # the new one',
        '      # zeta is the legacy one',
        '      - zeta',
        '    members:',
        '      - jpd: eu',
        '        mode: receiver',
        '      - jpd: us',
        '        mode: receiver',
        '',
      ].join('\n'),
    );
  });

  it('writes anchors and aliases out, so sorting never puts an alias before its anchor', () => {
    const text = [
      'version: 1',
      'jpds:',
      '  b: { url: https://b.example.com, token: "${B}" }',
      '  a: { url: https://a.example.com, token: "${A}" }',
      '  c: { url: https://c.example.com, token: "${C}" }',
      'federations:',
      '  - { source: b, packageType: generic, repositories: [z], members: &m [{ jpd: c, mode: receiver }] }',
      '  - { source: a, packageType: generic, repositories: [y], members: *m }',
      '',
    ].join('\n');
    const out = fmt(text);
    expect(out).not.toMatch(/[&*]m\b/);
    expect(model(out)).toBe(model(text));
  });

  it('refuses what is not YAML, with its position', () => {
    const result = formatTopologyText('bad.yaml', 'version: 1\njpds: [\n');
    expect(result.text).toBeUndefined();
    expect(result.issues[0]).toMatchObject({ file: 'bad.yaml', severity: 'error' });
  });
});

// --- the property -----------------------------------------------------------------------------

const NAMES = ['hub', 'eu', 'us', 'apac', 'dr', 'lab'];
const KEYS = ['libs', 'tools', 'images', 'docs', 'charts', 'wheels', 'gems', 'zeta'];

interface Draft {
  readonly jpds: string[];
  readonly feds: {
    source: number;
    keys: string[];
    members: number[];
    description: string | null;
    override: boolean;
  }[];
  readonly pairings: boolean[];
}

/** Valid topologies: each key on one source, members declared and not the source. */
const draft: fc.Arbitrary<Draft> = fc
  .shuffledSubarray(NAMES, { minLength: 2, maxLength: 5 })
  .chain((jpds) =>
    fc.record({
      jpds: fc.constant(jpds),
      feds: fc.uniqueArray(
        fc.record({
          source: fc.nat(jpds.length - 1),
          keys: fc.shuffledSubarray(KEYS, { minLength: 1, maxLength: 3 }),
          members: fc.uniqueArray(fc.nat(jpds.length - 1), { minLength: 1, maxLength: 3 }),
          description: fc.option(fc.constantFrom('Shared', 'a: colon', 'yes', '1.10', '#not')),
          override: fc.boolean(),
        }),
        { minLength: 1, maxLength: 4, selector: (f) => f.keys[0] ?? '' },
      ),
      pairings: fc.array(fc.boolean(), { minLength: jpds.length, maxLength: jpds.length }),
    }),
  );

/** The draft as data, every key of a repository used once across the topology. */
function data(d: Draft): Record<string, unknown> {
  const used = new Set<string>();
  const federations = d.feds.flatMap((f) => {
    const source = d.jpds[f.source] ?? 'hub';
    const keys = f.keys.filter((k) => !used.has(k));
    keys.forEach((k) => used.add(k));
    const members = f.members.map((m) => d.jpds[m] ?? '').filter((m) => m !== source);
    if (keys.length === 0 || members.length === 0) return [];
    return [
      {
        source,
        packageType: 'generic',
        ...(f.description === null ? {} : { description: f.description }),
        repositories: keys.map((k, i) => (f.override && i === 0 ? { key: k, protect: true } : k)),
        members: members.map((jpd) => ({ jpd, mode: 'receiver' })),
      },
    ];
  });
  const [first] = d.jpds;
  return {
    version: 1,
    jpds: Object.fromEntries(
      d.jpds.map((n) => [n, { url: `https://${n}.example.com`, token: `\${${n.toUpperCase()}}` }]),
    ),
    trust: d.jpds
      .slice(1)
      .flatMap((n, i) =>
        d.pairings[i] === true ? [{ source: first, target: n, receivingOnly: false }] : [],
      ),
    federations:
      federations.length > 0
        ? federations
        : [
            {
              source: first,
              packageType: 'generic',
              repositories: ['fallback'],
              members: [{ jpd: d.jpds[1], mode: 'receiver' }],
            },
          ],
  };
}

/** How a person might write the same data: key order, flow or block, quoting, comments. */
interface Style {
  readonly seed: number;
  readonly comments?: boolean;
}

function written(value: Record<string, unknown>, style: Style): string {
  let n = style.seed;
  const next = (): number => {
    n = (n * 1103515245 + 12345) % 2147483648;
    return n;
  };
  const shuffle = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(shuffle);
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v).map(([k, x]) => [k, shuffle(x)] as const);
    entries.sort(() => (next() % 3) - 1);
    return Object.fromEntries(entries);
  };
  const doc = new Document(shuffle(value));
  let comment = 0;
  visit(doc, {
    Collection(_, node) {
      node.flow = next() % 2 === 0;
    },
    Scalar(_, node: Scalar) {
      if (typeof node.value === 'string') {
        const types = [Scalar.PLAIN, Scalar.QUOTE_DOUBLE, Scalar.QUOTE_SINGLE] as const;
        node.type = types[next() % 3] ?? Scalar.PLAIN;
      }
    },
    Pair(_, pair) {
      if (style.comments !== false && isScalar(pair.key) && next() % 5 === 0) {
        pair.key.commentBefore = ` note ${comment++}`;
      }
    },
  });
  if (style.comments !== false && isCollection(doc.contents) && next() % 2 === 0) {
    doc.commentBefore = ' a header';
  }
  return doc.toString();
}

describe('fmt, over generated topologies', () => {
  it('is idempotent and keeps the parsed topology and every comment (200 topologies)', () => {
    fc.assert(
      fc.property(draft, fc.nat(), (d, seed) => {
        const text = written(data(d), { seed });
        const once = fmt(text);
        expect(fmt(once)).toBe(once);
        expect(model(once)).toBe(model(text));
        expect(comments(once)).toEqual(comments(text));
        // Block style: the only brackets left are empty lists.
        expect(once.replace(/: \[\]$/gm, '').replace(/\$\{\w+\}/g, '')).not.toMatch(/[[{]/);
      }),
      { numRuns: 200 },
    );
  });

  it('gives one text for every way of writing the same topology', () => {
    fc.assert(
      fc.property(draft, fc.nat(), fc.nat(), (d, a, b) => {
        const value = data(d);
        expect(fmt(written(value, { seed: a, comments: false }))).toBe(
          fmt(written(value, { seed: b, comments: false })),
        );
      }),
      { numRuns: 50 },
    );
  });
});
