import { dirname, isAbsolute, resolve } from 'node:path';
import { MissingSecretError, UsageError } from '../core/errors.js';
import type { Topology } from '../core/topology.js';
import { createArtifactoryClient, type ClosableArtifactoryClient } from './artifactory/client.js';

export interface JpdClients {
  readonly byName: ReadonlyMap<string, ClosableArtifactoryClient>;
  get(name: string): ClosableArtifactoryClient;
  close(): Promise<void>;
}

export interface ClientFactoryOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The topology file's path: caFile is relative to it. */
  readonly topologyPath: string;
}

/**
 * Retry knobs from the environment, for every JPD (users of other CLIs ask for exactly this,
 * e.g. jfrog-cli#3457): FEDCTL_HTTP_RETRIES (retries after the first attempt, default 4) and
 * FEDCTL_HTTP_RETRY_DELAY_MS (first backoff delay, default 500; it doubles each time).
 */
export function retryFromEnv(env: Readonly<Record<string, string | undefined>>): {
  maxRetries?: number;
  minTimeoutMs?: number;
} {
  const int = (name: string, max: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > max) {
      throw new UsageError(`${name} must be a whole number from 0 to ${max}, not "${raw}"`);
    }
    return n;
  };
  const maxRetries = int('FEDCTL_HTTP_RETRIES', 20);
  const minTimeoutMs = int('FEDCTL_HTTP_RETRY_DELAY_MS', 60_000);
  return {
    ...(maxRetries === undefined ? {} : { maxRetries }),
    ...(minTimeoutMs === undefined ? {} : { minTimeoutMs }),
  };
}

/** One client per JPD, each with its own pool and concurrency cap; tokens come from the environment. */
export function createJpdClients(topology: Topology, options: ClientFactoryOptions): JpdClients {
  const byName = new Map<string, ClosableArtifactoryClient>();
  const retry = retryFromEnv(options.env);
  for (const jpd of topology.jpds) {
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
          : resolve(dirname(options.topologyPath), jpd.caFile);
    byName.set(
      jpd.name,
      createArtifactoryClient({
        jpd: jpd.name,
        baseUrl: jpd.url,
        token,
        concurrency: jpd.concurrency,
        env: options.env,
        http: { retry, ...(caFile === undefined ? {} : { caFile }) },
      }),
    );
  }
  return {
    byName,
    get(name) {
      const client = byName.get(name);
      // The topology was validated: every name used in it is declared, so this is a bug.
      if (client === undefined) throw new Error(`no client for JPD "${name}"`);
      return client;
    },
    async close() {
      await Promise.all([...byName.values()].map((c) => c.close()));
    },
  };
}
