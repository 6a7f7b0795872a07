import { parseArgs } from 'node:util';
import { ExitCode, formatIssue } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { annotateIssues } from '../io/annotations.js';
import { formatFiles } from '../io/format.js';
import { DEFAULT_TOPOLOGY_FILE } from '../io/topology-loader.js';

export const HELP = `Usage: fedctl fmt [PATH...] [--check] [--diff]

Rewrites topology files in the canonical form, the one \`fedctl import\` writes, so that
two people who declare the same topology write the same bytes and a review shows only
what changed. Comments stay with the lines they describe. See docs/fmt.md for the form:
a fixed key order, block style, and sorted lists where the order means nothing (jpds,
trust, federations, repositories, members, memberKeys).

PATH is a topology file or a directory (every *.yaml and *.yml in it, as -f reads it);
default: ${DEFAULT_TOPOLOGY_FILE}. Prints the name of each file that is not (or was not)
in canonical form.

Options:
      --check   change nothing; exit 1 when a file is not in canonical form (CI)
      --diff    print a unified diff of each change (with --check: of each change
                that fmt would make)
  -h, --help    show this help

Exit codes: 0 every file is (now) canonical, 1 --check found a file that is not, or a
file is not YAML (its problems are printed as FILE:LINE:COL: message).
`;

export const OPTIONS = {
  check: { type: 'boolean', default: false },
  diff: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const paths = positionals.length === 0 ? [DEFAULT_TOPOLOGY_FILE] : positionals;
  const result = await formatFiles({ paths, check: values.check, diff: values.diff }, io.cwd);
  for (const issue of result.issues) io.stderr.write(`${formatIssue(issue)}\n`);
  annotateIssues(result.issues, io);
  for (const diff of result.diffs) io.stdout.write(diff);
  if (!values.diff) for (const file of result.changed) io.stdout.write(`${file}\n`);
  if (values.check && result.changed.length > 0) {
    io.stderr.write(
      `${result.changed.length} ${result.changed.length === 1 ? 'file is' : 'files are'} not in canonical form: ${result.changed.join(', ')}; run fedctl fmt\n`,
    );
  }
  const failed = result.issues.length > 0 || (values.check && result.changed.length > 0);
  return failed ? ExitCode.Error : ExitCode.Success;
}
