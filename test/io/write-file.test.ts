import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FedctlError } from '../../src/core/errors.js';
import { writeFileAtomic } from '../../src/io/write-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fedctl-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes the file relative to cwd and leaves no temporary file', async () => {
    await writeFileAtomic('out.json', dir, '{"a":1}\n');
    expect(await readFile(join(dir, 'out.json'), 'utf8')).toBe('{"a":1}\n');
    expect(await readdir(dir)).toEqual(['out.json']);
  });

  it('replaces an existing file by default', async () => {
    await writeFile(join(dir, 'out.json'), 'old');
    await writeFileAtomic(join(dir, 'out.json'), '/', 'new');
    expect(await readFile(join(dir, 'out.json'), 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['out.json']);
  });

  it('without replace, refuses an existing file and keeps it as it was', async () => {
    await writeFile(join(dir, 'federation.yaml'), 'mine');
    const failure = writeFileAtomic('federation.yaml', dir, 'theirs', { replace: false });
    await expect(failure).rejects.toThrow(FedctlError);
    await expect(failure).rejects.toThrow(
      'federation.yaml already exists; use --force to replace it (nothing was written)',
    );
    expect(await readFile(join(dir, 'federation.yaml'), 'utf8')).toBe('mine');
    expect(await readdir(dir)).toEqual(['federation.yaml']);
  });

  it('a folder that does not exist is one line naming the file as given', async () => {
    await expect(writeFileAtomic('missing/plan.json', dir, 'x')).rejects.toThrow(
      'cannot write missing/plan.json: ENOENT',
    );
    expect(await readdir(dir)).toEqual([]);
  });
});
