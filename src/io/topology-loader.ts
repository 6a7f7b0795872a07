import { constants, type Stats } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { FedctlError, TopologyError, type Issue, type Severity } from '../core/errors.js';
import {
  createTopologyValidator,
  parseTopology,
  type ParseResult,
  type SchemaValidator,
} from '../core/topology/parse.js';
import type { Topology } from '../core/topology/model.js';
import { DEFAULTS } from '../core/cli/defaults.js';

/** Topology files are small; a limit keeps a mistaken path (a log, a tarball) from being parsed. */
const MAX_TOPOLOGY_BYTES = 1024 * 1024;

export const DEFAULT_TOPOLOGY_FILE = DEFAULTS.file;

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
  const bytes = await readTopologyBytes(file, path);
  const decoded = decodeUtf8(bytes);
  if (decoded.invalid !== undefined) {
    const { line, col, byte } = decoded.invalid;
    const issue: Issue = {
      file,
      line,
      col,
      severity: 'error',
      code: 'encoding',
      message: `the file is not valid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')}); save it as UTF-8`,
    };
    return { issues: [issue], federationCount: 0, file, path, text: decoded.text };
  }
  const result = parseTopology(decoded.text, {
    file,
    validator: await topologyValidator(),
    env: options.env,
    unsetEnv: options.unsetEnv,
  });
  return { ...result, file, path, text: decoded.text };
}

/**
 * The file's bytes, at most 1 MiB. Only a regular file is read: a FIFO would block until a
 * writer came, /dev/zero never ends, and both report a size of 0, so the type is checked before
 * opening, again on the open descriptor (the path may have changed in between), and the read
 * stops one byte past the limit whatever `stat().size` said.
 */
async function readTopologyBytes(file: string, path: string): Promise<Buffer> {
  let handle: FileHandle | undefined;
  try {
    requireRegularFile(file, await stat(path));
    // O_NONBLOCK: should the path turn into a FIFO after the check, opening it must not wait.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    requireRegularFile(file, await handle.stat());
    const buffer = Buffer.alloc(MAX_TOPOLOGY_BYTES + 1);
    let total = 0;
    while (total < buffer.length) {
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > MAX_TOPOLOGY_BYTES) {
      throw new FedctlError(`${file} is larger than 1 MiB; a topology file is at most 1 MiB`, {
        code: 'E_FILE_READ',
      });
    }
    return buffer.subarray(0, total);
  } catch (error) {
    if (error instanceof FedctlError) throw error;
    // `as`: every error node:fs rejects with is an ErrnoException.
    const code = (error as NodeJS.ErrnoException).code;
    throw new FedctlError(
      code === 'ENOENT'
        ? `${file}: no such file (use -f to point at the topology file)`
        : code === 'EISDIR'
          ? `${file} is a directory, not a regular file`
          : `cannot read ${file}: ${code ?? String(error)}`,
      { code: 'E_FILE_READ' },
    );
  } finally {
    await handle?.close();
  }
}

function requireRegularFile(file: string, info: Stats): void {
  if (info.isFile()) return;
  const kind = info.isDirectory()
    ? 'a directory'
    : info.isFIFO()
      ? 'a FIFO'
      : info.isCharacterDevice()
        ? 'a character device'
        : info.isBlockDevice()
          ? 'a block device'
          : info.isSocket()
            ? 'a socket'
            : 'something else';
  throw new FedctlError(`${file} is ${kind}, not a regular file`, { code: 'E_FILE_READ' });
}

interface Decoded {
  /** The text; a byte order mark is dropped, as YAML 1.2 allows. */
  readonly text: string;
  /** Where the first byte that is not UTF-8 is, if there is one. */
  readonly invalid?: { readonly line: number; readonly col: number; readonly byte: number };
}

function decodeUtf8(bytes: Buffer): Decoded {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    // Decoding with replacement characters and encoding again changes the bytes first at the
    // first invalid one (a real U+FFFD in the file encodes back to itself).
    const lossy = bytes.toString('utf8');
    const again = Buffer.from(lossy, 'utf8');
    let at = 0;
    while (at < bytes.length && bytes[at] === again[at]) at += 1;
    const lineStart = bytes.lastIndexOf(0x0a, at - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i += 1) if (bytes[i] === 0x0a) line += 1;
    const col = bytes.subarray(lineStart, at).toString('utf8').length + 1;
    return { text: lossy, invalid: { line, col, byte: bytes[at] ?? 0 } };
  }
}

/** For commands that go on to connect: any error-level issue stops them before any request. */
export function requireTopology(loaded: LoadedTopology): Topology {
  if (loaded.topology === undefined) throw new TopologyError(loaded.issues);
  return loaded.topology;
}
