import { dirname, isAbsolute, resolve } from 'node:path';
import { MissingSecretError } from '../core/errors.js';
import type { Topology } from '../core/topology.js';
import {
  createArtifactoryClient,
  type ArtifactoryClientOptions,
  type ClosableArtifactoryClient,
} from './artifactory/client.js';

export interface JpdClients {
  readonly byName: ReadonlyMap<string, ClosableArtifactoryClient>;
  get(name: string): ClosableArtifactoryClient;
  close(): Promise<void>;
}

export interface ClientFactoryOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The topology file's path: caFile is relative to it. */
  readonly topologyPath: string;
  /** Tests and benchmarks tune transport settings (shorter timeouts, retry delays). */
  readonly overrides?: Partial<ArtifactoryClientOptions>;
}

/** One client per JPD, each with its own pool and concurrency cap; tokens come from the environment. */
export function createJpdClients(topology: Topology, options: ClientFactoryOptions): JpdClients {
  const byName = new Map<string, ClosableArtifactoryClient>();
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
        ...options.overrides,
        http: { ...options.overrides?.http, ...(caFile === undefined ? {} : { caFile }) },
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
