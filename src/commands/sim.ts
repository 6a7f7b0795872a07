import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, UsageError } from '../core/errors.js';
import type { CliIO, CommandContext } from '../core/io-types.js';
import { DEFAULT_TOPOLOGY_FILE, loadTopology, requireTopology } from '../io/topology-loader.js';
import type { Simulator } from '../sim/index.js';
import { SIM_HELP } from '../local/launch-help.js';
import {
  jpdsFromCount,
  jpdsFromTopology,
  simulatorOptions,
  type PlannedJpd,
} from '../local/launch-options.js';
import { DEFAULT_PID_FILE, detach, runForeground, stopDetached } from '../local/launch.js';

export const HELP = SIM_HELP;

const options = {
  file: { type: 'string', short: 'f' },
  count: { type: 'string' },
  port: { type: 'string' },
  'write-env': { type: 'string' },
  detach: { type: 'boolean', default: false },
  stop: { type: 'boolean', default: false },
  'pid-file': { type: 'string' },
  'data-dir': { type: 'string' },
  'require-pairing': { type: 'boolean', default: false },
  dialect: { type: 'string', multiple: true },
  'config-lock-rate': { type: 'string' },
  'config-lock-status': { type: 'string' },
  latency: { type: 'string' },
  'error-rate': { type: 'string' },
  'error-status': { type: 'string' },
  'retry-after': { type: 'string' },
  'error-path': { type: 'string' },
  'drop-rate': { type: 'string' },
  'drop-path': { type: 'string' },
  'event-delay': { type: 'string' },
  'full-sync-duration': { type: 'string' },
  'pairing-ttl': { type: 'string' },
  'missing-repo-status': { type: 'string' },
  'no-configurations-api': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What cli.ts hands every command, plus a test's way to stop the simulator without a signal. */
export interface SimRunDeps extends Partial<CommandContext> {
  /** Resolves when the simulator should stop; default: SIGINT or SIGTERM. */
  readonly waitForStop?: (sim: Simulator) => Promise<void>;
}

async function plannedJpds(
  file: string | undefined,
  count: string | undefined,
  port: string | undefined,
  io: CliIO,
): Promise<PlannedJpd[]> {
  if (count !== undefined) return jpdsFromCount(count, port, io.env);
  // Unset token variables are expected here: the simulator generates those tokens.
  const topology = requireTopology(
    await loadTopology(file ?? DEFAULT_TOPOLOGY_FILE, {
      cwd: io.cwd,
      env: io.env,
      unsetEnv: 'warning',
    }),
  );
  return jpdsFromTopology(topology.jpds, io.env);
}

export async function run(
  args: readonly string[],
  io: CliIO,
  deps: SimRunDeps = {},
): Promise<ExitCode> {
  const { values } = parseArgs({ args: [...args], options, allowPositionals: false, strict: true });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const pidFile = resolve(io.cwd, values['pid-file'] ?? DEFAULT_PID_FILE);
  if (values.stop) {
    if (args.some((a) => a !== '--stop' && a !== '--pid-file' && a !== values['pid-file']))
      throw new UsageError('--stop takes no other option than --pid-file');
    await stopDetached(pidFile, io);
    return ExitCode.Success;
  }
  if (values.file !== undefined && values.count !== undefined) {
    throw new UsageError('use either -f FILE or --count N, not both');
  }
  if (values.port !== undefined && values.count === undefined) {
    throw new UsageError('--port goes with --count; with -f the topology gives the ports');
  }
  const planned = await plannedJpds(values.file, values.count, values.port, io);
  // Validates every flag here, so a detached start fails in the foreground with one line.
  const simOptions = simulatorOptions(values, planned, io.cwd);
  const envFile =
    values['write-env'] === undefined ? undefined : resolve(io.cwd, values['write-env']);
  if (values.detach) {
    await detach({ args: args.filter((a) => a !== '--detach'), pidFile, envFile }, io);
    return ExitCode.Success;
  }
  await runForeground(
    {
      planned,
      options: simOptions,
      envFile,
      pidFile: values['pid-file'] === undefined ? undefined : pidFile,
      ...(deps.waitForStop === undefined ? {} : { waitForStop: deps.waitForStop }),
    },
    io,
  );
  return ExitCode.Success;
}
