/**
 * Every relative link in README.md and docs/*.md leads somewhere: the file or folder exists, and
 * an `#anchor` names a heading of the target, slugged as GitHub does. Links in code are not links.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The text outside fenced code blocks and inline code spans. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading ids: lower case, punctuation dropped, each space a hyphen, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const ids = new Set<string>();
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, heading = ''] of text.matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const base = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

function links(markdown: string): string[] {
  const found: string[] = [];
  for (const [, target = ''] of prose(markdown).matchAll(
    /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g,
  )) {
    found.push(target);
  }
  for (const [, target = ''] of prose(markdown).matchAll(/^\[[^\]]+\]:\s+(\S+)/gm)) {
    found.push(target);
  }
  return found.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

describe('links in the documentation', () => {
  it('covers the README and every page of docs/', () => {
    expect(pages).toEqual(
      expect.arrayContaining(['README.md', 'docs/commands.md', 'docs/errors.md']),
    );
  });

  for (const page of pages) {
    it(`${page}: every relative link and anchor resolves`, () => {
      const text = readFileSync(join(root, page), 'utf8');
      const broken: string[] = [];
      for (const link of links(text)) {
        const [path = '', anchor] = link.split('#', 2);
        const target = path === '' ? join(root, page) : join(root, dirname(page), decodeURI(path));
        if (!existsSync(target)) {
          broken.push(`${link}: no ${relative(root, target)}`);
          continue;
        }
        if (anchor === undefined || anchor === '') continue;
        if (statSync(target).isDirectory() || !target.endsWith('.md')) {
          broken.push(`${link}: an anchor into a file that has no headings`);
          continue;
        }
        if (!anchors(readFileSync(target, 'utf8')).has(decodeURIComponent(anchor))) {
          broken.push(`${link}: no heading #${anchor} in ${relative(root, target)}`);
        }
      }
      expect(broken).toEqual([]);
    });
  }

  it('slugs headings as GitHub does', () => {
    const ids = anchors(
      '# Quick start\n## `fedctl plan [-f FILE] [options]`\n## Exit codes\n## Exit codes\n```\n# not a heading\n```\n',
    );
    expect([...ids]).toEqual([
      'quick-start',
      'fedctl-plan--f-file-options',
      'exit-codes',
      'exit-codes-1',
    ]);
  });
});
