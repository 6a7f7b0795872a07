/**
 * `fedctl sim` flags -> SimulatorOptions: which JPDs to start (from a topology's JPDs or a count),
 * with which tokens, faults, timings and dialects. Every bad value is a one-line usage error.
 */
import { resolve } from 'node:path';
import { parseDuration, parseFraction, parseInteger } from '../core/cli/option-values.js';
import { FedctlError, UsageError } from '../core/errors.js';
import { DialectError, resolveDialect } from '../sim/state/dialects.js';
import type { SimJpdSpec, SimulatorOptions } from '../sim/index.js';
import { DEFAULTS } from '../core/cli/defaults.js';

/** The raw flag values of `fedctl sim` (node:util parseArgs output). */
export interface SimFlags {
  readonly 'write-env'?: string | undefined;
  readonly 'pid-file'?: string | undefined;
  readonly 'data-dir'?: string | undefined;
  readonly 'require-pairing'?: boolean | undefined;
  readonly latency?: string | undefined;
  readonly 'error-rate'?: string | undefined;
  readonly 'error-status'?: string | undefined;
  readonly 'retry-after'?: string | undefined;
  readonly 'error-path'?: string | undefined;
  readonly 'drop-rate'?: string | undefined;
  readonly 'drop-path'?: string | undefined;
  readonly 'event-delay'?: string | undefined;
  readonly 'full-sync-duration'?: string | undefined;
  readonly 'pairing-ttl'?: string | undefined;
  readonly 'missing-repo-status'?: string | undefined;
  readonly 'no-configurations-api'?: boolean | undefined;
  readonly dialect?: readonly string[] | undefined;
  readonly 'config-lock-rate'?: string | undefined;
  readonly 'config-lock-status'?: string | undefined;
}

/** A JPD to start, with the environment variable its token goes to. */
export interface PlannedJpd {
  readonly spec: SimJpdSpec;
  readonly tokenEnv: string;
  readonly tokenFromEnv: boolean;
}

/** A JPD as a topology declares it. */
export interface TopologyJpd {
  readonly name: string;
  readonly url: string;
  readonly tokenEnv: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function tokenFrom(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** The loopback port of a topology URL the simulator can serve, or a clear error. */
function loopbackPort(name: string, url: string): number {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FedctlError(`${name}: "${url}" is not a URL`, { code: 'E_SIM' });
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
      { code: 'E_SIM' },
    );
  }
  return Number(parsed.port);
}

export function jpdsFromTopology(jpds: readonly TopologyJpd[], env: Env): PlannedJpd[] {
  return jpds.map((jpd) => {
    const token = tokenFrom(env, jpd.tokenEnv);
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

export function jpdsFromCount(count: string, port: string | undefined, env: Env): PlannedJpd[] {
  const n = parseInteger('count', count, 1, 64);
  const basePort = parseInteger('port', port ?? DEFAULTS.port, 0, 65535);
  return Array.from({ length: n }, (_, i) => {
    const name = `jpd${i + 1}`;
    const tokenEnv = `${name.toUpperCase()}_TOKEN`;
    const token = tokenFrom(env, tokenEnv);
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

function splitNames(value: string): string[] {
  return value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
}

function checkDialects(names: readonly string[]): void {
  try {
    resolveDialect(names);
  } catch (error) {
    if (error instanceof DialectError) throw new UsageError(`--dialect: ${error.message}`);
    throw error;
  }
}

/**
 * `--dialect NAME[,NAME…]` (every JPD, repeatable: the lists add up) and `--dialect
 * JPD=NAME[,NAME…]` (that JPD only; its list replaces the simulator-wide one).
 */
export function parseDialectFlags(
  values: readonly string[],
  jpdNames: readonly string[],
): { shared: string[]; perJpd: Map<string, string[]> } {
  const shared: string[] = [];
  const perJpd = new Map<string, string[]>();
  for (const value of values) {
    const eq = value.indexOf('=');
    const names = splitNames(eq < 0 ? value : value.slice(eq + 1));
    checkDialects(names);
    if (eq < 0) {
      shared.push(...names);
      continue;
    }
    const jpd = value.slice(0, eq).trim();
    if (!jpdNames.includes(jpd)) {
      throw new UsageError(`--dialect: no JPD named '${jpd}' (JPDs: ${jpdNames.join(', ')})`);
    }
    perJpd.set(jpd, [...(perJpd.get(jpd) ?? []), ...names]);
  }
  for (const names of [shared, ...perJpd.values()]) checkDialects(names);
  return { shared, perJpd };
}

function faultsOf(values: SimFlags): NonNullable<SimulatorOptions['faults']> {
  const errorRate =
    values['error-rate'] === undefined ? 0 : parseFraction('error-rate', values['error-rate']);
  const errorStatus = Number(values['error-status'] ?? DEFAULTS['error-status']);
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
  const errorPath = values['error-path'];
  const dropPath = values['drop-path'];
  return {
    latencyMs: values.latency === undefined ? 0 : parseDuration('latency', values.latency, 'ms'),
    errors:
      errorRate > 0
        ? [
            {
              status: errorStatus,
              rate: errorRate,
              ...(errorPath === undefined ? {} : { path: errorPath }),
              ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
            },
          ]
        : [],
    drops:
      dropRate > 0
        ? [{ rate: dropRate, ...(dropPath === undefined ? {} : { path: dropPath }) }]
        : [],
  };
}

function configLockOf(
  values: SimFlags,
): Pick<SimulatorOptions, 'configLockRate' | 'configLockStatus'> {
  const rate = values['config-lock-rate'];
  const status = values['config-lock-status'];
  if (status !== undefined && status !== '400' && status !== '500') {
    throw new UsageError(`--config-lock-status: expected 400 or 500, got "${status}"`);
  }
  return {
    ...(rate === undefined ? {} : { configLockRate: parseFraction('config-lock-rate', rate) }),
    ...(status === undefined ? {} : { configLockStatus: status === '400' ? 400 : 500 }),
  };
}

/** Translates the flags into simulator options for the planned JPDs. */
export function simulatorOptions(
  values: SimFlags,
  planned: readonly PlannedJpd[],
  cwd: string,
): SimulatorOptions {
  const missing = parseInteger(
    'missing-repo-status',
    values['missing-repo-status'] ?? DEFAULTS['missing-repo-status'],
    400,
    404,
  );
  if (missing !== 400 && missing !== 404)
    throw new UsageError('--missing-repo-status: expected 400 or 404');
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
  const dialects = parseDialectFlags(
    values.dialect ?? [],
    planned.map((p) => p.spec.name),
  );
  const pairingTtl = values['pairing-ttl'];
  return {
    jpds: planned.map((p) => {
      const own = dialects.perJpd.get(p.spec.name);
      return own === undefined ? p.spec : { ...p.spec, dialects: own };
    }),
    timings,
    missingRepoStatus: missing,
    configurationsApi: values['no-configurations-api'] !== true,
    requirePairing: values['require-pairing'] === true,
    faults: faultsOf(values),
    dialects: dialects.shared,
    ...configLockOf(values),
    ...(values['data-dir'] === undefined ? {} : { dataDir: resolve(cwd, values['data-dir']) }),
    ...(pairingTtl === undefined
      ? {}
      : {
          pairingTtlSeconds: Math.max(
            1,
            Math.round(parseDuration('pairing-ttl', pairingTtl, 's') / 1000),
          ),
        }),
  };
}
