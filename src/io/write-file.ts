/**
 * Every file fedctl writes for the user (a saved plan, an imported topology, a report) is written
 * whole: to a temporary file beside the target, then renamed over it, so a reader or a crash
 * never sees half a file. Without `replace` the temporary file is hard-linked instead, which
 * fails when the target exists, even one that appeared meanwhile.
 */
import { randomBytes } from 'node:crypto';
import { link, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { FedctlError } from '../core/errors.js';

export interface WriteOptions {
  /** Replace an existing file (the default); false: refuse it, as without `--force`. */
  readonly replace?: boolean;
}

/** `file` as the user gave it, relative to `cwd`; errors name it the same way. */
export async function writeFileAtomic(
  file: string,
  cwd: string,
  text: string,
  options: WriteOptions = {},
): Promise<void> {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.fedctl.tmp`);
  try {
    await writeFile(temp, text, { mode: 0o644, flag: 'wx' });
    if (options.replace === false) await link(temp, path);
    else await rename(temp, path);
  } catch (error) {
    // `as`: every error node:fs throws is an ErrnoException; `code` may still be undefined.
    const code = (error as NodeJS.ErrnoException).code;
    throw new FedctlError(
      code === 'EEXIST' && options.replace === false
        ? `${file} already exists; use --force to replace it (nothing was written)`
        : `cannot write ${file}: ${code ?? String(error)}`,
      { cause: error, code: 'E_FILE_WRITE' },
    );
  } finally {
    await rm(temp, { force: true });
  }
}
