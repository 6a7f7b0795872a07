import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { FedctlError, TopologyError, type Severity } from '../core/errors.js';
import {
  createTopologyValidator,
  parseTopology,
  type ParseResult,
  type SchemaValidator,
} from '../core/topology-parse.js';
import type { Topology } from '../core/topology.js';

/** Topology files are small; a limit keeps a mistaken path (a log, a tarball) from being parsed. */
const MAX_TOPOLOGY_BYTES = 1024 * 1024;

export const DEFAULT_TOPOLOGY_FILE = 'federation.yaml';

const SCHEMA_URL = new URL('../../schemas/federation.schema.json', import.meta.url);

let validator: Promise<SchemaValidator> | undefined;

/** The schema is read and compiled once per process. */
export function topologyValidator(): Promise<SchemaValidator> {
  validator ??= readFile(SCHEMA_URL, 'utf8').then((text) =>
    createTopologyValidator(JSON.parse(text) as object),
  );
  return validator;
}

export interface LoadOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `warning` for validate; `error` for commands that need the tokens. */
  readonly unsetEnv: Severity;
}

export interface LoadedTopology extends ParseResult {
  /** The name as given, used in messages. */
  readonly file: string;
  /** Absolute path, for resolving caFile and for fingerprints. */
  readonly path: string;
  /** The raw bytes' text, for the saved plan's fingerprint. */
  readonly text: string;
}

/** Reads and checks a topology file. Problems come back as issues; only I/O failures throw. */
export async function loadTopology(file: string, options: LoadOptions): Promise<LoadedTopology> {
  const path = isAbsolute(file) ? file : resolve(options.cwd, file);
  let text: string;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new FedctlError(`${file} is a directory, not a topology file`);
    if (info.size > MAX_TOPOLOGY_BYTES) {
      throw new FedctlError(`${file} is ${info.size} bytes; a topology file is at most 1 MiB`);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof FedctlError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new FedctlError(
      code === 'ENOENT'
        ? `${file}: no such file (use -f to point at the topology file)`
        : `cannot read ${file}: ${code ?? String(error)}`,
    );
  }
  const result = parseTopology(text, {
    file,
    validator: await topologyValidator(),
    env: options.env,
    unsetEnv: options.unsetEnv,
  });
  return { ...result, file, path, text };
}

/** For commands that go on to connect: any error-level issue stops them before any request. */
export function requireTopology(loaded: LoadedTopology): Topology {
  if (loaded.topology === undefined) throw new TopologyError(loaded.issues);
  return loaded.topology;
}
