/**
 * `fedctl fmt`: every example and import's output are canonical; a copy of an example written
 * with keys reordered and in flow style fails --check, and fmt restores it byte for byte
 * (comments aside: a flow-style copy has none).
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Document, parseDocument, visit } from 'yaml';
import { runCli } from '../support/cli.js';

/** Every topology of the examples: single files, and the directories of a multi-file one. */
async function exampleTopologies(): Promise<string[]> {
  const out = ['federation.yaml'];
  for (const entry of await readdir('examples', { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.yaml')) out.push(join('examples', entry.name));
  }
  for (const dir of ['examples/multi-team', 'examples/environments']) {
    for (const name of await readdir(dir)) {
      if (name.endsWith('.yaml')) out.push(join(dir, name));
    }
  }
  return out.sort();
}

/** The example without its comments: what fmt makes of a copy that lost them. */
function withoutComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line) && line.trim() !== '')
    .map((line) => line.replace(/\s+#\s.*$/, ''))
    .join('\n')
    .concat('\n');
}

/** The same data, keys in reverse order, every collection in flow style, strings quoted. */
function scrambled(text: string): string {
  const reverse = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(reverse);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reverse(x)]),
    );
  };
  const doc = new Document(reverse(parseDocument(text).toJS()));
  visit(doc, {
    Collection(_, node) {
      node.flow = true;
    },
    Scalar(_, node) {
      if (typeof node.value === 'string') node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString();
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fedctl-fmt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fedctl fmt', () => {
  it('--check passes on every example and on federation.yaml', async () => {
    const files = await exampleTopologies();
    expect(files.length).toBeGreaterThanOrEqual(8);
    const result = await runCli(['fmt', '--check', ...files]);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--check passes on what import writes (the golden import)', async () => {
    const result = await runCli(['fmt', '--check', 'test/core/golden/import.yaml']);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it.each([
    'federation.yaml',
    'examples/hub-two-receivers.yaml',
    'examples/mixed-modes-option-b.yaml',
    'examples/two-hubs-regional.yaml',
  ])('a scrambled copy of %s fails --check, and fmt restores it byte for byte', async (file) => {
    const original = await readFile(file, 'utf8');
    const copy = join(dir, file.replace(/\//g, '-'));
    const text = scrambled(original);
    expect(text).toContain('{');
    await writeFile(copy, text);

    const check = await runCli(['fmt', '--check', copy]);
    expect(check.code).toBe(1);
    expect(check.stdout).toBe(`${copy}\n`);
    expect(check.stderr).toContain(`1 file is not in canonical form: ${copy}`);
    expect(await readFile(copy, 'utf8')).toBe(text);

    const diff = await runCli(['fmt', '--check', '--diff', copy]);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain(`--- ${copy}\n+++ ${copy}\n@@ `);

    expect(await runCli(['fmt', copy])).toEqual({ code: 0, stdout: `${copy}\n`, stderr: '' });
    expect(await readFile(copy, 'utf8')).toBe(withoutComments(original));
    expect(await runCli(['fmt', '--check', copy])).toMatchObject({ code: 0, stdout: '' });
  });

  it('formats every *.yaml and *.yml of a directory, and leaves other files alone', async () => {
    const sub = join(dir, 'set');
    await mkdir(sub);
    await writeFile(
      join(sub, 'a.yaml'),
      'version: 1\njpds: { b: { token: "${B}", url: "https://b" } }\n',
    );
    await writeFile(join(sub, 'b.yml'), 'federations: []\nversion: 1\n');
    await writeFile(join(sub, 'notes.txt'), 'a: [1]\n');
    const result = await runCli(['fmt', sub]);
    expect(result).toEqual({
      code: 0,
      stdout: `${join(sub, 'a.yaml')}\n${join(sub, 'b.yml')}\n`,
      stderr: '',
    });
    expect(await readFile(join(sub, 'a.yaml'), 'utf8')).toBe(
      'version: 1\njpds:\n  b:\n    url: https://b\n    token: ${B}\n',
    );
    expect(await readFile(join(sub, 'b.yml'), 'utf8')).toBe('version: 1\nfederations: []\n');
    expect(await readFile(join(sub, 'notes.txt'), 'utf8')).toBe('a: [1]\n');
  });

  it('refuses a file that is not YAML, with its position, and writes nothing', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'version: 1\njpds: [\n');
    const result = await runCli(['fmt', bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^${bad}:\\d+:\\d+: `));
    expect(await readFile(bad, 'utf8')).toBe('version: 1\njpds: [\n');
  });
});
