import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, FedctlError, UsageError } from '../core/errors.js';
import type { CliIO, CommandContext } from '../core/io-types.js';
import { parseDuration, parseFraction, parseInteger } from './args.js';
import { DEFAULT_TOPOLOGY_FILE, loadTopology, requireTopology } from '../io/topology-loader.js';
import {
  startSimulator,
  type Simulator,
  type SimJpdSpec,
  type SimulatorOptions,
} from '../sim/index.js';
import { writeFileAtomic } from '../sim/persistence.js';

export const HELP = `Usage: fedctl sim [-f FILE | --count N] [options]

Starts simulated JPDs (JFrog Platform Deployments) on loopback: real HTTP servers that behave
like Artifactory federation, for trying fedctl without a real Artifactory. Stops on Ctrl-C.

With -f, starts every JPD the topology names at its URL (http://127.0.0.1:PORT or
http://localhost:PORT). A JPD whose token variable is set uses that token; the others get a
generated one, written as \`export NAME=...\` lines to the env file (mode 0600) to \`source\`.

Options:
  -f, --file FILE              topology file (default: ${DEFAULT_TOPOLOGY_FILE})
      --count N                start N JPDs named jpd1..jpdN instead (tokens JPD1_TOKEN...)
      --port PORT              with --count: port of jpd1, the others follow (default 18081;
                               0 picks free ports)
      --env-file FILE          where generated tokens go (default .fedctl/sim.env)
      --data-dir DIR           keep state in DIR across restarts (default: memory only)
      --require-pairing        JPDs federate only after Service Trust pairing
                               (default: one circle of trust, no pairing needed)
      --latency DUR            delay every response, e.g. 50ms, 1s
      --error-rate P           answer a fraction P (0..1) of requests with an error
      --error-status CODE      429 (with Retry-After) or 503 (default 503)
      --retry-after SECONDS    Retry-After sent with injected errors (default 1 for 429)
      --error-path GLOB        only inject errors on paths matching GLOB (* matches anything)
      --drop-rate P            drop a fraction P of connections without an answer
      --drop-path GLOB         only drop connections on paths matching GLOB
      --event-delay DUR        delay before queued federation events are sent (default 10ms)
      --full-sync-duration DUR how long a full sync runs (default 80ms)
      --pairing-ttl DUR        lifetime of pairing tokens (default 300s)
      --missing-repo-status N  400 or 404 for GET of a missing repository (default 400)
      --no-configurations-api  answer 404 on /api/repositories/configurations (before 7.61.3)
  -h, --help                   show this help

Controls of a running JPD (admin token): GET /_sim/state, GET|PUT|DELETE /_sim/faults,
POST /_sim/offline, POST /_sim/online. See docs/simulator.md.
`;

const options = {
  file: { type: 'string', short: 'f' },
  count: { type: 'string' },
  port: { type: 'string' },
  'env-file': { type: 'string' },
  'data-dir': { type: 'string' },
  'require-pairing': { type: 'boolean', default: false },
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

export interface SimRunDeps {
  /** Resolves when the simulator should stop; default: SIGINT or SIGTERM. */
  readonly waitForStop?: (sim: Simulator) => Promise<void>;
}

interface PlannedJpd {
  readonly spec: SimJpdSpec;
  readonly tokenEnv: string;
  readonly tokenFromEnv: boolean;
}

/** The loopback port of a topology URL the simulator can serve, or a clear error. */
function loopbackPort(name: string, url: string): number {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FedctlError(`${name}: "${url}" is not a URL`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (
    parsed.protocol !== 'http:' ||
    !loopback ||
    parsed.port === '' ||
    (parsed.pathname !== '/' && parsed.pathname !== '')
  ) {
    throw new FedctlError(
      `${name}: the simulator serves only http://127.0.0.1:PORT or http://localhost:PORT, not "${url}"`,
    );
  }
  return Number(parsed.port);
}

async function jpdsFromTopology(file: string, io: CliIO): Promise<PlannedJpd[]> {
  // Unset token variables are expected here: the simulator generates those tokens.
  const topology = requireTopology(
    await loadTopology(file, { cwd: io.cwd, env: io.env, unsetEnv: 'warning' }),
  );
  return topology.jpds.map((jpd) => {
    const fromEnv = io.env[jpd.tokenEnv];
    const token = fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
    return {
      spec: {
        name: jpd.name,
        port: loopbackPort(jpd.name, jpd.url),
        baseUrl: jpd.url,
        ...(token === undefined ? {} : { token }),
      },
      tokenEnv: jpd.tokenEnv,
      tokenFromEnv: token !== undefined,
    };
  });
}

function jpdsFromCount(count: number, basePort: number, io: CliIO): PlannedJpd[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `jpd${i + 1}`;
    const tokenEnv = `${name.toUpperCase()}_TOKEN`;
    const fromEnv = io.env[tokenEnv];
    const token = fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
    return {
      spec: {
        name,
        port: basePort === 0 ? 0 : basePort + i,
        ...(token === undefined ? {} : { token }),
      },
      tokenEnv,
      tokenFromEnv: token !== undefined,
    };
  });
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

export async function run(
  args: readonly string[],
  io: CliIO,
  _context?: CommandContext,
  deps: SimRunDeps = {},
): Promise<ExitCode> {
  const { values } = parseArgs({ args: [...args], options, allowPositionals: false, strict: true });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  if (values.file !== undefined && values.count !== undefined) {
    throw new UsageError('use either -f FILE or --count N, not both');
  }
  if (values.port !== undefined && values.count === undefined) {
    throw new UsageError('--port goes with --count; with -f the topology gives the ports');
  }
  const errorRate =
    values['error-rate'] === undefined ? 0 : parseFraction('error-rate', values['error-rate']);
  const errorStatus = values['error-status'] === undefined ? 503 : Number(values['error-status']);
  if (errorStatus !== 429 && errorStatus !== 503) {
    throw new UsageError(
      `--error-status: expected 429 or 503, got "${values['error-status'] ?? ''}"`,
    );
  }
  const retryAfter =
    values['retry-after'] === undefined
      ? undefined
      : parseInteger('retry-after', values['retry-after'], 0, 3600);
  const dropRate =
    values['drop-rate'] === undefined ? 0 : parseFraction('drop-rate', values['drop-rate']);
  const missing =
    values['missing-repo-status'] === undefined
      ? 400
      : parseInteger('missing-repo-status', values['missing-repo-status'], 400, 404);
  if (missing !== 400 && missing !== 404)
    throw new UsageError('--missing-repo-status: expected 400 or 404');

  const planned =
    values.count === undefined
      ? await jpdsFromTopology(values.file ?? DEFAULT_TOPOLOGY_FILE, io)
      : jpdsFromCount(
          parseInteger('count', values.count, 1, 64),
          values.port === undefined ? 18081 : parseInteger('port', values.port, 0, 65535),
          io,
        );

  const timings: Record<string, number> = {};
  if (values['event-delay'] !== undefined)
    timings['eventDelayMs'] = parseDuration('event-delay', values['event-delay'], 'ms');
  if (values['full-sync-duration'] !== undefined) {
    timings['fullSyncRunningMs'] = parseDuration(
      'full-sync-duration',
      values['full-sync-duration'],
      'ms',
    );
  }
  const simOptions: SimulatorOptions = {
    jpds: planned.map((p) => p.spec),
    timings,
    missingRepoStatus: missing,
    configurationsApi: !values['no-configurations-api'],
    requirePairing: values['require-pairing'],
    faults: {
      latencyMs: values.latency === undefined ? 0 : parseDuration('latency', values.latency, 'ms'),
      errors:
        errorRate > 0
          ? [
              {
                status: errorStatus,
                rate: errorRate,
                ...(values['error-path'] === undefined ? {} : { path: values['error-path'] }),
                ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
              },
            ]
          : [],
      drops:
        dropRate > 0
          ? [
              {
                rate: dropRate,
                ...(values['drop-path'] === undefined ? {} : { path: values['drop-path'] }),
              },
            ]
          : [],
    },
    ...(values['data-dir'] === undefined ? {} : { dataDir: resolve(io.cwd, values['data-dir']) }),
    ...(values['pairing-ttl'] === undefined
      ? {}
      : {
          pairingTtlSeconds: Math.max(
            1,
            Math.round(parseDuration('pairing-ttl', values['pairing-ttl'], 's') / 1000),
          ),
        }),
  };

  let sim: Simulator;
  try {
    sim = await startSimulator(simOptions);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'EADDRINUSE')
      throw new FedctlError(`a port is already in use: ${String(error)}`, { cause: error });
    throw error;
  }
  try {
    const generated = planned.filter((p) => !p.tokenFromEnv);
    const width = Math.max(...sim.jpds.map((j) => j.name.length));
    for (const jpd of sim.jpds) io.stdout.write(`${jpd.name.padEnd(width)}  ${jpd.url}\n`);
    if (generated.length > 0) {
      const envFile = resolve(io.cwd, values['env-file'] ?? '.fedctl/sim.env');
      await mkdir(dirname(envFile), { recursive: true });
      const lines = generated.map((p) => `export ${p.tokenEnv}=${sim.jpd(p.spec.name).token}\n`);
      await writeFileAtomic(envFile, lines.join(''), 0o600);
      const shown = relative(io.cwd, envFile);
      io.stderr.write(
        `tokens: source ${shown === '' || shown.startsWith('..') || isAbsolute(shown) ? envFile : shown}\n`,
      );
    }
    io.stderr.write('JPD simulator running; press Ctrl-C to stop.\n');
    await (deps.waitForStop ?? waitForSignal)(sim);
  } finally {
    await sim.stop();
  }
  io.stderr.write('JPD simulator stopped.\n');
  return ExitCode.Success;
}
