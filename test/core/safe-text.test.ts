/**
 * Repository keys, descriptions, member URLs and server messages from a JPD
 * reached the terminal raw. Every class of them (ESC sequences: colours, screen clear,
 * OSC window title; BEL, NUL, CR, backspace, bidi overrides) must come out visibly escaped from
 * the text and markdown renderers and from `fedctl:` error lines, while JSON stays exact.
 */
import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli.js';
import { RemoteError } from '../../src/core/errors.js';
import type { LiveState } from '../../src/core/live/state.js';
import { computePlan } from '../../src/core/plan/plan.js';
import { renderPlanJson } from '../../src/core/render/plan-json.js';
import { renderPlanMarkdown } from '../../src/core/render/plan-markdown.js';
import { renderPlanText } from '../../src/core/render/plan-text.js';
import { safeLines, safeText } from '../../src/core/safe-text.js';
import { jpdsHeader, topologyFrom } from '../support/topology.js';

/** Every hostile class from the issue, each with its expected visible form. */
const HOSTILE: readonly (readonly [name: string, raw: string, shown: string])[] = [
  ['colour', '\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
  ['screen clear', '\u001b[2J\u001b[H', '\\x1b[2J\\x1b[H'],
  ['OSC window title', '\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07'],
  ['BEL', 'ding\u0007', 'ding\\x07'],
  ['NUL', 'a\u0000b', 'a\\x00b'],
  ['CR', 'real\rfake', 'real\\rfake'],
  ['LF', 'one\ntwo', 'one\\ntwo'],
  ['backspace', 'abc\b\b\bxyz', 'abc\\x08\\x08\\x08xyz'],
  ['DEL', 'a\u007fb', 'a\\x7fb'],
  ['C1 CSI', 'a\u009b31mb', 'a\\x9b31mb'],
  ['bidi override', 'txt.\u202eexe', 'txt.\\u202eexe'],
  ['bidi isolate', 'a\u2066b\u2069', 'a\\u2066b\\u2069'],
  ['zero width', 'a\u200bb', 'a\\u200bb'],
  ['line separator', 'a\u2028b', 'a\\u2028b'],
  ['lone surrogate', 'a\ud800b', 'a\\ud800b'],
];

/** Anything a terminal would act on rather than print. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/;

describe('safeText', () => {
  it.each(HOSTILE)('shows %s visibly', (_name, raw, shown) => {
    expect(safeText(raw)).toBe(shown);
    expect(safeText(raw)).not.toMatch(CONTROL);
  });

  it('keeps printable Unicode, tabs become visible, and it is idempotent', () => {
    const text = 'Dépôt 中文 🚀 ü — ok';
    expect(safeText(text)).toBe(text);
    expect(safeText('a\tb')).toBe('a\\tb');
    for (const [, raw] of HOSTILE) expect(safeText(safeText(raw))).toBe(safeText(raw));
  });

  it('safeLines keeps fedctl’s own line breaks and escapes everything else', () => {
    expect(safeLines('cannot read 2 JPDs:\n  a: \u001b[2J\n  b: ok\r')).toBe(
      'cannot read 2 JPDs:\n  a: \\x1b[2J\n  b: ok\\r',
    );
  });
});

const topology = topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    repositories: [libs]
    members: [{ jpd: eu, mode: receiver }]
`);
const HUB = 'https://hub.example.com/artifactory/libs';
const EU = 'https://eu.example.com/artifactory/libs';
const evil = HOSTILE.map(([, raw]) => raw).join('|');

/** A live hub whose strings all carry every hostile class: foreign repositories and members. */
const live: LiveState = {
  jpds: {
    hub: {
      name: 'hub',
      repos: [
        {
          key: 'libs',
          packageType: 'generic',
          description: evil,
          members: [
            { url: HUB, mode: 'bidirectional', enabled: true },
            { url: EU, mode: 'bidirectional', enabled: true },
            { url: `https://x.example.com/artifactory/${evil}`, mode: 'receiver', enabled: true },
          ],
        },
        { key: `foreign${evil}`, packageType: 'generic', members: [] },
      ],
      otherRepos: [],
    },
    eu: { name: 'eu', repos: [], otherRepos: [] },
  },
};

describe('renderers', () => {
  const plan = computePlan(topology, live, { allowDelete: false });

  it('text: every live string is escaped, in the member diff and under "Left alone"', () => {
    const text = renderPlanText(plan, { color: false });
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain(`  hub/foreign${safeText(evil)}: federated repository not in`);
    expect(text).toContain(`member https://x.example.com/artifactory/${safeText(evil)}: member`);
    expect(text).toContain(`     https://x.example.com/artifactory/${safeText(evil)}  receiver`);
  });

  it('text with colour: only fedctl’s own SGR sequences remain', () => {
    const text = renderPlanText(plan, { color: true });
    // eslint-disable-next-line no-control-regex -- fedctl's own colour sequences
    const escapes = text.match(/\u001b\[[0-9;]*m/g) ?? [];
    expect(escapes.length).toBeGreaterThan(0);
    // eslint-disable-next-line no-control-regex -- fedctl's own colour sequences
    expect(text.replace(/\u001b\[(?:0|1|2|31|32|33|36)m/g, '')).not.toMatch(CONTROL);
  });

  it('markdown: escaped, and a description cannot close the fence or break the table', () => {
    const withFence = computePlan(
      topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    description: "a | b \`\`\`\` <img src=x> [x](http://t)"
    repositories: [libs]
    members: [{ jpd: eu, mode: receiver }]
`),
      live,
      { allowDelete: false },
    );
    const md = renderPlanMarkdown(withFence, { file: 'federation.yaml', jpds: ['eu', 'hub'] });
    expect(md).not.toMatch(CONTROL);
    const fence = /^(`{3,})diff$/m.exec(md)?.[1] ?? '';
    expect(fence.length).toBeGreaterThan(4);
    expect(md).toContain(`\n${fence}\n\n</details>`);
    const row = md.split('\n').find((l) => l.startsWith('| ~ | description'));
    expect(row).toBeDefined();
    // Five cells: the pipe in the description is escaped, the HTML cannot open a tag.
    expect(row?.split(/(?<!\\)\|/)).toHaveLength(7);
    expect(row).not.toMatch(/(?<!\\)<img/);
    expect(row).not.toMatch(/(?<!\\)\[x\]/);
  });

  it('JSON stays exact: the live strings round-trip byte for byte', () => {
    const doc = JSON.parse(renderPlanJson(plan)) as { unmanaged: { repoKey: string }[] };
    expect(doc.unmanaged.map((u) => u.repoKey)).toContain(`foreign${evil}`);
  });
});

describe('fedctl: error lines', () => {
  it('a server message with escapes is shown escaped, on one line', () => {
    let stderr = '';
    const io = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      env: {},
      cwd: '/',
    };
    const error = new RemoteError({
      jpd: 'hub',
      method: 'GET',
      path: '/artifactory/api/repositories',
      status: 500,
      serverMessage: `boom ${evil}`,
    });
    expect(reportError(error, io)).toBe(1);
    expect(stderr).not.toMatch(CONTROL);
    expect(stderr.split('\n')).toHaveLength(2);
    expect(stderr).toContain(`-> 500: boom ${safeText(evil)}`);
  });
});
