import { parseArgs } from 'node:util';
import { ExitCode } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { renderDoctorJson, renderDoctorText } from '../core/render/doctor-text.js';
import { runDoctor } from '../io/doctor/doctor.js';
import { parseFormat, TOPOLOGY_OPTIONS, topologyHelp, topologyInput } from './options.js';

export const HELP = `Usage: fedctl doctor [-f PATH ...] [--format text|json]

Examines every JPD the topology uses before anything is written to it, and says whether
the topology can be applied as written. For each JPD: reachable (and its TLS certificate),
its own base URL against the topology's, its version, whether the token is an admin token,
which federation engine it runs (RTFS, legacy, or migrating to RTFS), and each capability
fedctl would use (the configurations read, batch create and update, receiver members,
configSync, inconsistentRepos, the status API), with what fedctl does instead where one
is missing. Then one line per blocker and per warning. Read-only: a few GETs per JPD.

Options:
${topologyHelp(25)}
      --format FMT       text (default) or json (schemas/doctor-report.schema.json)
  -h, --help             show this help

Exit codes: 0 the topology can be applied as written, 1 a blocker (or an error).
`;

export const OPTIONS = {
  ...TOPOLOGY_OPTIONS,
  format: { type: 'string', default: 'text' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values, tokens } = parseArgs({
    args: [...args],
    options: OPTIONS,
    allowPositionals: false,
    strict: true,
    tokens: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const format = parseFormat(values.format, ['text', 'json']);
  const report = await runDoctor(topologyInput(values, tokens), io);
  io.stdout.write(format === 'json' ? renderDoctorJson(report) : renderDoctorText(report));
  return report.ready ? ExitCode.Success : ExitCode.Error;
}
