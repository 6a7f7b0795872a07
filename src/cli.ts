import { ExitCode, FedctlError, formatIssue, TopologyError, UsageError } from './core/errors.js';
import type { CliIO, CommandContext } from './core/io-types.js';

export type { CliIO } from './core/io-types.js';

/** A command: parses its own arguments, does its work, returns an exit code. */
export type CommandRun = (
  args: readonly string[],
  io: CliIO,
  context: CommandContext,
) => Promise<ExitCode>;

interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<{ run: CommandRun }>;
}

// Commands load lazily so `fedctl validate` does not pay for the HTTP client or the simulator.
const commands: Readonly<Record<string, CommandEntry>> = {
  validate: {
    summary: 'Check a topology file and report every problem with its position',
    load: () => import('./commands/validate.js'),
  },
  plan: {
    summary: 'Show what apply would change on the JPDs (changes nothing)',
    load: () => import('./commands/plan.js'),
  },
  apply: {
    summary: 'Make the changes, then verify that every member converged',
    load: () => import('./commands/apply.js'),
  },
  drift: {
    summary: 'The nightly check: drift, pending changes and federation health (read-only)',
    load: () => import('./commands/drift.js'),
  },
  status: {
    summary: 'Show every member of every managed repository: mode, state each way, lag, queue',
    load: () => import('./commands/status.js'),
  },
  graph: {
    summary: 'Draw the topology as a graph: mermaid (default), dot or svg',
    load: () => import('./commands/graph.js'),
  },
  import: {
    summary: 'Write a topology declaring the federated repositories that exist on JPDs',
    load: () => import('./commands/import.js'),
  },
  demo: {
    summary: 'Plan, apply and verify the topology against simulated JPDs, and watch it work',
    load: () => import('./commands/demo.js'),
  },
  sim: {
    summary: 'Run simulated JPDs on loopback (for the quick start, tests and benchmarks)',
    load: () => import('./commands/sim.js'),
  },
};

export const VERSION = '0.1.0';

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(
    ([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`,
  );
  return [
    'Usage: fedctl <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `fedctl <command> --help` for the options of a command.',
    'Exit codes: 0 success (no changes), 1 error, 2 changes present (plan --detailed-exitcode) or findings (drift).',
    '',
  ].join('\n');
}

/** Entry point: argv without `node` and the script. Never calls process.exit. */
export async function main(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      io.stdout.write(usage());
      return name === undefined ? ExitCode.Error : ExitCode.Success;
    }
    if (name === '--version' || name === 'version') {
      io.stdout.write(`fedctl ${VERSION}\n`);
      return ExitCode.Success;
    }
    const entry = commands[name];
    if (entry === undefined) {
      throw new UsageError(`unknown command "${name}"; run \`fedctl --help\` for the list`);
    }
    const { run } = await entry.load();
    return await run(rest, io, { runCommand: main });
  } catch (error) {
    return reportError(error, io);
  }
}

/** The one place that maps errors to output and exit codes. */
export function reportError(error: unknown, io: CliIO): ExitCode {
  if (error instanceof TopologyError) {
    // Every problem, one per line, each with its position: what `validate` prints too.
    for (const issue of error.issues) io.stderr.write(`${formatIssue(issue)}\n`);
    return error.exitCode;
  }
  if (error instanceof FedctlError) {
    io.stderr.write(`fedctl: ${error.message}\n`);
    return error.exitCode;
  }
  // parseArgs throws TypeErrors with a code for unknown or malformed options: a usage error.
  if (isParseArgsError(error)) {
    io.stderr.write(`fedctl: ${error.message}\n`);
    return ExitCode.Error;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`fedctl: internal error (this is a bug; please report it)\n${detail}\n`);
  return ExitCode.Error;
}

function isParseArgsError(error: unknown): error is Error {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS_')
  );
}
