import { dirname, isAbsolute, resolve } from 'node:path';
import { InternalError, MissingSecretError, UsageError } from '../core/errors.js';
import type { JpdSpec, Topology } from '../core/topology/model.js';
import { jpdsToRead } from '../core/topology/usage.js';
import { createArtifactoryClient, type ClosableArtifactoryClient } from './artifactory/client.js';
import type { RequestLog } from './http/request-log.js';

export interface JpdClients {
  readonly byName: ReadonlyMap<string, ClosableArtifactoryClient>;
  get(name: string): ClosableArtifactoryClient;
  close(): Promise<void>;
}

export interface ClientFactoryOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The topology file's path: caFile is relative to it. */
  readonly topologyPath: string;
  /**
   * In a topology of several files, each file's absolute path by its name in messages: a JPD's
   * caFile is relative to the file that declares it.
   */
  readonly filePaths?: ReadonlyMap<string, string>;
  /** The JPDs to connect to (default: every JPD the topology uses); only their tokens are read. */
  readonly jpds?: readonly JpdSpec[];
  /** The debug log (requestLogFrom), when it is on. */
  readonly requestLog?: RequestLog;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Retry knobs from the environment, for every JPD (users of other CLIs ask for exactly this,
 * e.g. jfrog-cli#3457): FEDCTL_HTTP_RETRY_BUDGET (how long a request keeps being retried, default
 * 2m), FEDCTL_HTTP_RETRIES (an optional cap on the count as well) and FEDCTL_HTTP_RETRY_DELAY_MS
 * (first backoff delay, default 500; it doubles each time).
 */
export function retryFromEnv(env: Env): {
  maxRetries?: number;
  minTimeoutMs?: number;
  budgetMs?: number;
  unreachableBudgetMs?: number;
} {
  const maxRetries = wholeNumber(env, 'FEDCTL_HTTP_RETRIES', 0, 1_000);
  const minTimeoutMs = wholeNumber(env, 'FEDCTL_HTTP_RETRY_DELAY_MS', 0, 60_000);
  const budgetMs = duration(env, 'FEDCTL_HTTP_RETRY_BUDGET', 0, 3_600_000);
  const unreachableBudgetMs = duration(env, 'FEDCTL_CONNECT_BUDGET', 0, 3_600_000);
  return {
    ...(maxRetries === undefined ? {} : { maxRetries }),
    ...(minTimeoutMs === undefined ? {} : { minTimeoutMs }),
    ...(budgetMs === undefined ? {} : { budgetMs }),
    ...(unreachableBudgetMs === undefined ? {} : { unreachableBudgetMs }),
  };
}

/**
 * FEDCTL_CONNECT_TIMEOUT: one connection attempt (default 5s). With FEDCTL_CONNECT_BUDGET
 * (default 15s: how long a JPD that does not answer at all is retried) it bounds how long an
 * unreachable JPD holds a run.
 */
export function connectTimeoutFromEnv(env: Env): { connectTimeoutMs?: number } {
  const ms = duration(env, 'FEDCTL_CONNECT_TIMEOUT', 100, 600_000);
  return ms === undefined ? {} : { connectTimeoutMs: ms };
}

/**
 * Limits on one request from the environment: FEDCTL_HTTP_TIMEOUT (the whole request, retries
 * included; default: the retry budget plus the 60 s headers timeout) and
 * FEDCTL_MAX_RESPONSE_BYTES (largest body read, default 512 MiB; V8 strings end 24 bytes short of
 * that, which is the real ceiling).
 */
export function limitsFromEnv(env: Env): { deadlineMs?: number; maxResponseBytes?: number } {
  const deadlineMs = duration(env, 'FEDCTL_HTTP_TIMEOUT', 100, 24 * 3_600_000);
  const maxResponseBytes = wholeNumber(env, 'FEDCTL_MAX_RESPONSE_BYTES', 1024, 512 * 1024 * 1024);
  return {
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
    ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
  };
}

function wholeNumber(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return n;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `500ms`, `90s`, `2m`, `1h`; a bare number is seconds. */
function duration(env: Env, name: string, minMs: number, maxMs: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw.trim());
  const ms = match === null ? Number.NaN : Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1_000);
  if (!Number.isFinite(ms) || ms < minMs || ms > maxMs) {
    throw new UsageError(
      `${name} must be a duration from ${minMs} ms to ${maxMs / 3_600_000} h such as 90s or 2m, not "${raw}"`,
    );
  }
  return Math.round(ms);
}

/**
 * One client per JPD that will be read, each with its own pool and concurrency cap; tokens come
 * from the environment.
 */
export function createJpdClients(topology: Topology, options: ClientFactoryOptions): JpdClients {
  const byName = new Map<string, ClosableArtifactoryClient>();
  const retry = retryFromEnv(options.env);
  const connect = connectTimeoutFromEnv(options.env);
  const limits = limitsFromEnv(options.env);
  for (const jpd of options.jpds ?? jpdsToRead(topology)) {
    const token = options.env[jpd.tokenEnv];
    if (token === undefined || token === '') {
      throw new MissingSecretError(
        `environment variable ${jpd.tokenEnv} (the token of JPD "${jpd.name}") is not set`,
      );
    }
    const caFile =
      jpd.caFile === undefined
        ? undefined
        : isAbsolute(jpd.caFile)
          ? jpd.caFile
          : resolve(
              dirname(options.filePaths?.get(jpd.at.file) ?? options.topologyPath),
              jpd.caFile,
            );
    byName.set(
      jpd.name,
      createArtifactoryClient({
        jpd: jpd.name,
        baseUrl: jpd.url,
        token,
        concurrency: jpd.concurrency,
        ...limits,
        env: options.env,
        http: { retry, ...connect, ...(caFile === undefined ? {} : { caFile }) },
        ...(options.requestLog === undefined ? {} : { requestLog: options.requestLog }),
      }),
    );
  }
  return {
    byName,
    get(name) {
      const client = byName.get(name);
      // The topology was validated: every name used in it is declared, so this is a bug.
      if (client === undefined) throw new InternalError(`no client for JPD "${name}"`);
      return client;
    },
    async close() {
      await Promise.all([...byName.values()].map((c) => c.close()));
    },
  };
}
