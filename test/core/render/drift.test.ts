import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { DriftResult } from '../../../src/core/drift/drift.js';
import { renderDriftJson } from '../../../src/core/render/drift-json.js';
import { renderDriftMarkdown } from '../../../src/core/render/drift-markdown.js';
import { driftSummaryLine, renderDriftText } from '../../../src/core/render/drift-text.js';
import { driftResult } from '../drift/fixtures.js';

const validate = new Ajv({ strict: true, allErrors: true }).compile(
  JSON.parse(readFileSync('schemas/drift-report.schema.json', 'utf8')) as object,
);

describe('drift reports (golden files)', () => {
  it('text, without colour', async () => {
    await expect(renderDriftText(driftResult(), { color: false })).toMatchFileSnapshot(
      '../golden/drift.txt',
    );
  });

  it('text, with colour on a terminal, is the same text', () => {
    const text = renderDriftText(driftResult(), { color: true });
    expect(text).toContain('\u001b[31mUNHEALTHY\u001b[0m');
    // eslint-disable-next-line no-control-regex -- stripping ANSI colour codes
    expect(text.replace(/\u001b\[\d+m/g, '')).toBe(
      renderDriftText(driftResult(), { color: false }),
    );
  });

  it('json, valid against schemas/drift-report.schema.json', async () => {
    const json = renderDriftJson(driftResult());
    await expect(json).toMatchFileSnapshot('../golden/drift.json');
    expect(validate(JSON.parse(json)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the schema refuses what the format does not allow', () => {
    const doc = JSON.parse(renderDriftJson(driftResult())) as Record<string, unknown>;
    expect(validate({ ...doc, formatVersion: 2 })).toBe(false);
    expect(validate({ ...doc, failOn: ['everything'] })).toBe(false);
    expect(validate({ ...doc, extra: true })).toBe(false);
  });

  it('markdown for a pull request or an issue', async () => {
    await expect(renderDriftMarkdown(driftResult())).toMatchFileSnapshot('../golden/drift.md');
  });

  it('is byte-identical across runs', () => {
    expect(renderDriftJson(driftResult())).toBe(renderDriftJson(driftResult()));
    expect(renderDriftMarkdown(driftResult())).toBe(renderDriftMarkdown(driftResult()));
  });
});

describe('drift markdown follows the PR-comment rules', () => {
  const md = renderDriftMarkdown(driftResult());

  it('starts with the hidden marker naming the topology file, then what it covers', () => {
    expect(md.split('\n').slice(0, 4)).toEqual([
      '<!-- fedctl:drift federation.yaml -->',
      '### fedctl drift',
      '',
      'Topology `federation.yaml` · JPDs: eu, hub, us',
    ]);
  });

  it('shows drift as a visible warning, outside the folded details', () => {
    const visible = md.slice(0, md.indexOf('<details>'));
    expect(visible).toContain('> [!WARNING]\n> **Drift: 2 edits made on a JPD outside fedctl:**');
    expect(visible).toContain(
      '> - `hub/libs`: member eu: mode is bidirectional on the JPD; fedctl applied receiver (apply undoes it)',
    );
    expect(visible).toContain('> [!CAUTION]');
  });

  it('escapes raw HTML and @mentions that come from descriptions', () => {
    const visible = md.slice(0, md.indexOf('<details>'));
    expect(visible).toContain('Docs &lt;b>for&lt;/b> @\u200boctocat');
    expect(visible).not.toContain('<b>');
    expect(visible).not.toMatch(/@octocat/);
  });

  it('never exceeds the comment limit, and keeps the marker when it cuts', () => {
    const small = renderDriftMarkdown(driftResult(), 1_800);
    expect(small.length).toBeLessThanOrEqual(1_800);
    expect(small).toContain('truncated to fit a GitHub comment');
    expect(small.startsWith('<!-- fedctl:drift federation.yaml -->\n')).toBe(true);
  });
});

describe('drift summary line', () => {
  it('names what was found and what fails the run', () => {
    expect(driftSummaryLine(driftResult())).toBe(
      'Drift: 2, pending: 2, unhealthy: 1, health unknown: 1 (4 repositories). Fails on: drift, pending, health.',
    );
    expect(driftSummaryLine(driftResult(['health']))).toMatch(/Fails on: health\.$/);
  });

  it('says so when nothing was found', () => {
    const clean: DriftResult = {
      ...driftResult(),
      summary: {
        repositories: 2,
        drift: 0,
        pending: 0,
        healthy: 2,
        unhealthy: 0,
        unknown: 0,
        missing: 0,
        unreadable: 0,
      },
    };
    expect(driftSummaryLine(clean)).toBe(
      'No drift, nothing pending, every connection healthy (2 repositories).',
    );
  });
});
