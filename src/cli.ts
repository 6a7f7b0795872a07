import {
  completionScript,
  flagsFromHelp,
  flagsFromOptions,
  SHELLS,
  type CommandSpec,
} from './core/cli/completion.js';
import { ExitCode, FedctlError, formatIssue, TopologyError, UsageError } from './core/errors.js';
import type { CliIO, CommandContext } from './core/io-types.js';
import { safeLines } from './core/safe-text.js';
import { closest } from './core/cli/suggest.js';
import { issueAnnotations, renderWorkflowCommands } from './core/render/annotations.js';

export type { CliIO } from './core/io-types.js';

/** A command: parses its own arguments, does its work, returns an exit code. */
export type CommandRun = (
  args: readonly string[],
  io: CliIO,
  context: CommandContext,
) => Promise<ExitCode>;

/** What a command module exports: its run function, its help, and (ideally) its parseArgs options. */
interface CommandModule {
  readonly run: CommandRun;
  readonly HELP: string;
  /** Completion and did-you-mean read flags from here, or else from the help's Options section. */
  readonly OPTIONS?: Readonly<Record<string, { readonly type: string; readonly short?: string }>>;
}

interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
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
  doctor: {
    summary: 'Examine each JPD before touching it: reach, base URL, token, engine, capabilities',
    load: () => import('./commands/doctor.js'),
  },
  unlock: {
    summary: 'Remove the apply lock of an apply that died (shows who holds it)',
    load: () => import('./commands/unlock.js'),
  },
  show: {
    summary: 'Print a saved plan (contacts no JPD)',
    load: () => import('./commands/show.js'),
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
  fmt: {
    summary: 'Rewrite topology files in the canonical form (--check for CI)',
    load: () => import('./commands/fmt.js'),
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
  const rows: [string, string][] = [
    ...Object.entries(commands).map(([name, c]): [string, string] => [name, c.summary]),
    ['help', 'Show the help of a command: fedctl help <command> (same as <command> --help)'],
    ['completion', 'Print a shell completion script: bash, zsh or fish'],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    'Usage: fedctl <command> [options]',
    '',
    'Commands:',
    ...rows.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'Options:',
    '  -h, --help     show this help',
    '  -V, --version  print the version',
    '',
    'Options every command takes:',
    '  --no-color          no colours (also NO_COLOR=1, or output not a terminal)',
    '  --log-level LEVEL   debug: one line per request to stderr (JPD, method, path, status,',
    '                      attempt, duration, bytes; never a token or a body); also FEDCTL_LOG',
    '  --log-file FILE     write the debug log to FILE instead (also FEDCTL_LOG_FILE)',
    '',
    'Run `fedctl help <command>` or `fedctl <command> --help` for the options of a command.',
    'Exit codes: 0 success (no changes), 1 error, 2 changes present (plan --detailed-exitcode)',
    'or findings (drift), 130/143 apply stopped by SIGINT/SIGTERM.',
    '',
  ].join('\n');
}

/** Entry point: argv without `node` and the script. Never calls process.exit. */
export async function main(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h') {
      io.stdout.write(usage());
      return ExitCode.Success;
    }
    if (name === '--version' || name === '-V' || name === 'version') {
      io.stdout.write(`fedctl ${VERSION}\n`);
      return ExitCode.Success;
    }
    if (name === 'help') return await help(rest, io);
    if (name === 'completion') return await completion(rest, io);
    const command = await load(name);
    const global = globalOptions(rest, io);
    try {
      return await command.run(global.args, global.io, { runCommand: main });
    } catch (error) {
      throw withFlagSuggestion(error, name, command);
    }
  } catch (error) {
    return reportError(error, io);
  }
}

/**
 * Options every command takes, taken out before the command parses its own (up to `--`): they
 * become the environment variables they stand for, which is where the commands look.
 */
function globalOptions(args: readonly string[], io: CliIO): { args: string[]; io: CliIO } {
  const env: Record<string, string | undefined> = {};
  const out: string[] = [];
  const names: Readonly<Record<string, string>> = {
    '--log-level': 'FEDCTL_LOG',
    '--log-file': 'FEDCTL_LOG_FILE',
  };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (arg === '--no-color') {
      env['NO_COLOR'] = '1';
      continue;
    }
    const [flag = '', inline] = arg.split(/=(.*)/s, 2);
    const variable = names[flag];
    if (variable === undefined) {
      out.push(arg);
      continue;
    }
    const value = inline ?? args[(i += 1)];
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
    env[variable] = value;
  }
  if (Object.keys(env).length === 0) return { args: out, io };
  // A view over the caller's environment, not a copy: it may compute its values (tests do).
  const base = io.env;
  const merged = new Proxy(base, {
    get: (target, key) =>
      typeof key === 'string' && key in env ? env[key] : target[key as string],
    has: (target, key) => key in env || key in target,
  });
  return { args: out, io: { ...io, env: merged } };
}

async function load(name: string): Promise<CommandModule> {
  const entry = commands[name];
  if (entry !== undefined) return entry.load();
  const guess = name.startsWith('-')
    ? undefined
    : closest(name, [...Object.keys(commands), 'help', 'completion']);
  throw new UsageError(
    `unknown ${name.startsWith('-') ? 'option' : 'command'} "${name}"${guess === undefined ? '.' : `; did you mean "${guess}"?`} Run \`fedctl --help\` for the list`,
  );
}

/** `fedctl help CMD` is `fedctl CMD --help`. */
async function help(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const [name, ...extra] = args;
  if (name === undefined) {
    io.stdout.write(usage());
    return ExitCode.Success;
  }
  if (extra.length > 0) throw new UsageError('help takes one command: fedctl help <command>');
  if (name === 'help' || name === 'completion') {
    io.stdout.write(usage());
    return ExitCode.Success;
  }
  return (await load(name)).run(['--help'], io, { runCommand: main });
}

async function completion(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const [shell, ...extra] = args;
  const known = SHELLS.find((s) => s === shell);
  if (known === undefined || extra.length > 0) {
    throw new UsageError(
      `completion needs one shell: bash, zsh or fish (e.g. source <(fedctl completion bash))`,
    );
  }
  io.stdout.write(completionScript(known, await commandSpecs()));
  return ExitCode.Success;
}

/** Every command with its flags, for completion scripts and their tests. */
export async function commandSpecs(): Promise<CommandSpec[]> {
  return Promise.all(
    Object.entries(commands).map(async ([name, entry]) => ({
      name,
      summary: entry.summary,
      flags: commandFlags(await entry.load()),
    })),
  );
}

function commandFlags(command: CommandModule): CommandSpec['flags'] {
  return command.OPTIONS === undefined
    ? flagsFromHelp(command.HELP)
    : flagsFromOptions(command.OPTIONS);
}

/** parseArgs names an unknown flag; say which known one it is probably a typo of. */
function withFlagSuggestion(error: unknown, name: string, command: CommandModule): unknown {
  if (!isParseArgsError(error) || error.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return error;
  const flag = /'(-[^']*)'/.exec(error.message)?.[1];
  if (flag === undefined) return error;
  const flags = commandFlags(command).map((f) => `--${f.long}`);
  const guess = flag.startsWith('--') ? closest(flag, flags) : undefined;
  return new UsageError(
    `unknown option ${flag} for fedctl ${name}${guess === undefined ? '.' : `; did you mean ${guess}?`} See \`fedctl ${name} --help\``,
  );
}

/**
 * The one place that maps errors to output and exit codes. Messages quote JPDs, files and argv,
 * so each line is made safe for the terminal; fedctl's own line breaks are kept.
 */
export function reportError(error: unknown, io: CliIO): ExitCode {
  if (error instanceof TopologyError) {
    // Every problem, one per line, each with its position: what `validate` prints too.
    for (const issue of error.issues) io.stderr.write(`${formatIssue(issue)}\n`);
    // In GitHub Actions, also as workflow commands: the runner annotates each line.
    if (io.env['GITHUB_ACTIONS'] === 'true') {
      io.stderr.write(renderWorkflowCommands(issueAnnotations(error.issues)));
    }
    return error.exitCode;
  }
  if (error instanceof FedctlError) {
    io.stderr.write(`fedctl: ${safeLines(error.message)}\n`);
    return error.exitCode;
  }
  // parseArgs throws TypeErrors with a code for unknown or malformed options: a usage error.
  if (isParseArgsError(error)) {
    io.stderr.write(`fedctl: ${safeLines(error.message)}\n`);
    return ExitCode.Error;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(
    `fedctl: internal error (this is a bug; please report it)\n${safeLines(detail)}\n`,
  );
  return ExitCode.Error;
}

function isParseArgsError(error: unknown): error is Error & { code: string } {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS_')
  );
}
