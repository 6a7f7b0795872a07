import { parseArgs } from 'node:util';
import { ExitCode, formatIssue, UsageError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { countTopology } from '../core/topology/model.js';
import { issueAnnotations, renderSarif } from '../core/render/annotations.js';
import { annotateIssues } from '../io/annotations.js';
import { loadTopology } from '../io/topology-loader.js';
import { parseFormat, TOPOLOGY_OPTIONS, topologyHelp, topologyInput } from './options.js';

export const HELP = `Usage: fedctl validate [PATH... | -f PATH...] [--format text|json|sarif]

Checks a topology: YAML syntax, the schema (schemas/federation.schema.json) and the
semantic rules, and reports every problem at once as FILE:LINE:COL: message.
A topology is one file, several, or a directory of them (see docs/multi-file.md).
Makes no network request. An unset token variable is a warning here (an error for plan/apply).

Options:
${topologyHelp(22)}
      --format FMT    text (default), json or sarif (SARIF 2.1.0 on stdout, for code
                      scanning; the problems also go to stderr)
  -h, --help          show this help

In GitHub Actions (GITHUB_ACTIONS=true) every problem is also printed on stderr as a
workflow command (::error file=...,line=...,col=...::message), which annotates the line.

Exit codes: 0 valid (warnings allowed), 1 invalid.
`;

export const OPTIONS = {
  ...TOPOLOGY_OPTIONS,
  format: { type: 'string', default: 'text' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals, tokens } = parseArgs({
    args: [...args],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const format = parseFormat(values.format, ['text', 'json', 'sarif']);
  if (positionals.length > 0 && values.file !== undefined) {
    throw new UsageError('give the topology either as arguments or with -f, not both');
  }
  const input = topologyInput(values, tokens, positionals);
  const loaded = await loadTopology(input, { cwd: io.cwd, env: io.env, unsetEnv: 'warning' });
  const file = loaded.file;
  const valid = loaded.topology !== undefined;
  const counts = loaded.topology && countTopology(loaded.topology, loaded.federationCount);
  annotateIssues(loaded.issues, io);

  if (format === 'sarif') {
    io.stdout.write(renderSarif(issueAnnotations(loaded.issues)));
    for (const issue of loaded.issues) io.stderr.write(`${formatIssue(issue)}\n`);
  } else if (format === 'json') {
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
