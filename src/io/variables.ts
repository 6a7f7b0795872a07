/**
 * `--var NAME=VALUE` and `--var-file FILE`, as Terraform's `-var` and `-var-file`: processed in
 * the order given on the command line, a later value for a name replacing an earlier one.
 *
 * A var file is lines of `NAME=VALUE`: NAME as in `${NAME}` (letters, digits and `_`, not starting
 * with a digit), then `=`, then the value, verbatim to the end of the line (no quotes, no escapes,
 * no expansion; a trailing CR of a CRLF file is dropped). Blank lines and lines whose first
 * non-blank character is `#` are ignored. Anything else is an error at its file:line:col.
 * Not YAML on purpose: a var file beside the topology files could otherwise be taken for one of
 * them by `-f DIR`, and a value such as `no` or `1.10` stays the text it is.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { FedctlError, TopologyError, UsageError, type Issue } from '../core/errors.js';
import type { VariableValues } from '../core/topology/variables.js';

/** One `--var` or `--var-file`, in command-line order. */
export type VariableArg =
  | { readonly kind: 'var'; readonly value: string }
  | { readonly kind: 'var-file'; readonly file: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_VAR_FILE_BYTES = 1024 * 1024;

/** Every value, later arguments winning. Malformed `--var` is a usage error; a var file's lines are issues. */
export async function readVariables(
  args: readonly VariableArg[],
  cwd: string,
): Promise<VariableValues> {
  const values = new Map<string, string>();
  const issues: Issue[] = [];
  for (const arg of args) {
    if (arg.kind === 'var') {
      const at = arg.value.indexOf('=');
      const name = arg.value.slice(0, Math.max(at, 0));
      if (at <= 0 || !NAME.test(name)) {
        throw new UsageError(
          `--var expects NAME=VALUE with NAME of letters, digits and _, not ${JSON.stringify(arg.value)}`,
        );
      }
      values.set(name, arg.value.slice(at + 1));
      continue;
    }
    const parsed = parseVarFile(arg.file, await readVarFile(arg.file, cwd));
    issues.push(...parsed.issues);
    for (const [name, value] of parsed.values) values.set(name, value);
  }
  if (issues.length > 0) throw new TopologyError(issues);
  return values;
}

async function readVarFile(file: string, cwd: string): Promise<string> {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  try {
    const text = await readFile(path, 'utf8');
    if (text.length > MAX_VAR_FILE_BYTES) throw new FedctlError(`${file} is larger than 1 MiB`);
    return text;
  } catch (error) {
    if (error instanceof FedctlError) throw error;
    // `as`: every error node:fs rejects with is an ErrnoException.
    const code = (error as NodeJS.ErrnoException).code;
    throw new FedctlError(
      code === 'ENOENT' ? `--var-file ${file}: no such file` : `cannot read ${file}: ${code}`,
    );
  }
}

/** The NAME=VALUE lines of a var file (pure, for tests). */
export function parseVarFile(
  file: string,
  text: string,
): { values: Map<string, string>; issues: Issue[] } {
  const values = new Map<string, string>();
  const issues: Issue[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const body = line.trimStart();
    if (body === '' || body.startsWith('#')) return;
    const col = line.length - body.length + 1;
    const at = body.indexOf('=');
    const name = at < 0 ? body : body.slice(0, at);
    if (at <= 0 || !NAME.test(name)) {
      issues.push({
        file,
        line: index + 1,
        col,
        severity: 'error',
        code: 'var-file-syntax',
        message:
          at < 0
            ? 'expected NAME=VALUE (a line without "=")'
            : `expected NAME=VALUE: ${JSON.stringify(name)} is not a variable name (letters, digits and _, no spaces)`,
      });
      return;
    }
    values.set(name, body.slice(at + 1));
  });
  return { values, issues };
}
