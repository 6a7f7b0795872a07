/**
 * `fedctl fmt`, the edge: find the files (as `-f` does: a file, or every *.yaml and *.yml of a
 * directory), format each with the pure core (core/format/), and write back only those that
 * change, each atomically (a temporary file beside it, then renamed over it).
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { FedctlError, type Issue } from '../core/errors.js';
import { formatTopologyText } from '../core/format/format.js';
import { decodeUtf8, readTopologyBytes, topologyFiles } from './topology-loader.js';

export interface FormatRequest {
  readonly paths: readonly string[];
  /** Write nothing; report which files differ. */
  readonly check: boolean;
  /** Produce a unified diff of each file that differs. */
  readonly diff: boolean;
}

export interface FormatResult {
  /** Files whose text differs from their canonical form, as named in messages. */
  readonly changed: readonly string[];
  /** Unified diffs of those files, when asked. */
  readonly diffs: readonly string[];
  /** Files that could not be formatted, with why. */
  readonly issues: readonly Issue[];
}

export async function formatFiles(request: FormatRequest, cwd: string): Promise<FormatResult> {
  const changed: string[] = [];
  const diffs: string[] = [];
  const issues: Issue[] = [];
  for (const { file, path } of await topologyFiles(request.paths, cwd)) {
    const decoded = decodeUtf8(await readTopologyBytes(file, path));
    if (decoded.invalid !== undefined) {
      const { line, col } = decoded.invalid;
      const message = 'the file is not valid UTF-8; save it as UTF-8';
      issues.push({ file, line, col, severity: 'error', code: 'encoding', message });
      continue;
    }
    const result = formatTopologyText(file, decoded.text);
    if (result.text === undefined) {
      issues.push(...result.issues.filter((i) => i.severity === 'error'));
      continue;
    }
    if (result.text === decoded.text) continue;
    changed.push(file);
    if (request.diff) diffs.push(createTwoFilesPatch(file, file, decoded.text, result.text));
    if (!request.check) await writeAtomically(file, path, result.text);
  }
  return { changed, diffs, issues };
}

async function writeAtomically(file: string, path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.fedctl-fmt.tmp`);
  try {
    const { mode } = await stat(path);
    await writeFile(temp, text, { mode: mode & 0o777, flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    // `as`: every error node:fs rejects with is an ErrnoException.
    const code = (error as NodeJS.ErrnoException).code;
    throw new FedctlError(`cannot write ${file}: ${code ?? String(error)}`);
  }
}
