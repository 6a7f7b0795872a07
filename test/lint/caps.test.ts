/**
 * The folder cap ESLint cannot hold: no folder of src/ has more than 14 files directly, the rules
 * table (one module per rule, as ESLint's lib/rules/) aside. Files and functions are capped by
 * ESLint's max-lines and max-lines-per-function.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAX_FILES = 14;
const TABLES = new Set(['src/core/topology/rules']);

function folders(dir: string): string[] {
  const subfolders = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  return [dir, ...subfolders.flatMap((e) => folders(join(dir, e.name)))];
}

describe('folder sizes', () => {
  it(`no folder of src/ holds more than ${MAX_FILES} files, the rules table aside`, () => {
    const root = process.cwd();
    const crowded = folders(join(root, 'src'))
      .map((dir) => ({
        dir: relative(root, dir),
        files: readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).length,
      }))
      .filter((f) => f.files > MAX_FILES && !TABLES.has(f.dir));
    expect(crowded).toEqual([]);
  });
});
