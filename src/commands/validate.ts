import { parseArgs } from 'node:util';
import { ExitCode, formatIssue, UsageError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { countTopology } from '../core/topology/model.js';
import { DEFAULT_TOPOLOGY_FILE, loadTopology } from '../io/topology-loader.js';

export const HELP = `Usage: fedctl validate [FILE | -f FILE] [--format text|json]

Checks a topology file: YAML syntax, the schema (schemas/federation.schema.json) and the
semantic rules, and reports every problem at once as FILE:LINE:COL: message.
Makes no network request. An unset token variable is a warning here (an error for plan/apply).

Options:
  -f, --file FILE     topology file (default: ${DEFAULT_TOPOLOGY_FILE})
      --format FMT    text (default) or json
  -h, --help          show this help

Exit codes: 0 valid (warnings allowed), 1 invalid.
`;

export const OPTIONS = {
  file: { type: 'string', short: 'f' },
  format: { type: 'string', default: 'text' },
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
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be text or json, not "${values.format}"`);
  }
  if (positionals.length > 1 || (positionals.length === 1 && values.file !== undefined)) {
    throw new UsageError('give one topology file, either as an argument or with -f');
  }
  const file = values.file ?? positionals[0] ?? DEFAULT_TOPOLOGY_FILE;
  const loaded = await loadTopology(file, { cwd: io.cwd, env: io.env, unsetEnv: 'warning' });
  const valid = loaded.topology !== undefined;
  const counts = loaded.topology && countTopology(loaded.topology, loaded.federationCount);

  if (values.format === 'json') {
    const report = {
      file,
      valid,
      ...(counts === undefined ? {} : { summary: counts }),
      issues: loaded.issues,
    };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const issue of loaded.issues) io.stderr.write(`${formatIssue(issue)}\n`);
    if (counts !== undefined) {
      const warnings = loaded.issues.filter((i) => i.severity === 'warning').length;
      io.stdout.write(
        `${file}: valid: ${plural(counts.jpds, 'JPD')}, ${plural(counts.pairings, 'pairing')}, ` +
          `${plural(counts.federations, 'federation')} (${plural(counts.repositories, 'repository', 'repositories')}), ` +
          plural(counts.memberEdges, 'member edge') +
          `${warnings > 0 ? `; ${plural(warnings, 'warning')}` : ''}\n`,
      );
    } else {
      const errors = loaded.issues.filter((i) => i.severity === 'error').length;
      io.stderr.write(`${file}: invalid: ${plural(errors, 'error')}\n`);
    }
  }
  return valid ? ExitCode.Success : ExitCode.Error;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
