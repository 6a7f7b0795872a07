import { constants, type Stats } from 'node:fs';
import { open, readdir, readFile, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import {
  FedctlError,
  TopologyError,
  UsageError,
  type Issue,
  type Severity,
} from '../core/errors.js';
import {
  createTopologyValidator,
  parseTopologySet,
  type ParseResult,
  type SchemaValidator,
} from '../core/topology/parse.js';
import { compareCodeUnits, type Topology } from '../core/topology/model.js';
import type { VariableValues } from '../core/topology/variables.js';
import { readVariables, type VariableArg } from './variables.js';
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

/** What names a topology on the command line: `-f` (repeatable) and the variables. */
export interface TopologyInput {
  /** Files or directories, as given; `[federation.yaml]` when none is. */
  readonly paths: readonly string[];
  /** `--var` and `--var-file`, in command-line order. */
  readonly variables?: readonly VariableArg[];
  /** Values already read (a saved plan's): used instead of `variables`. */
  readonly values?: VariableValues;
}

/** One file of a loaded topology. */
export interface LoadedFile {
  /** The name used in messages: as given, or the directory as given joined with the file name. */
  readonly file: string;
  /** Absolute path, for resolving caFile. */
  readonly path: string;
  /** The text of its bytes, for the saved plan's fingerprints. */
  readonly text: string;
}

export interface LoadedTopology extends ParseResult {
  /** How messages name the topology: its paths as given, joined by ", ". */
  readonly file: string;
  /** The first file's absolute path (caFile of a one-file topology is relative to it). */
  readonly path: string;
  /** The first file's text. */
  readonly text: string;
  /** Every file of the topology, in the order they were read. */
  readonly files: readonly LoadedFile[];
  /** The `-f` paths as given, for a saved plan to load the same set again. */
  readonly paths: readonly string[];
}

/**
 * Reads and checks a topology: one file, several, or every `*.yaml`/`*.yml` of a directory.
 * Problems in the files come back as issues; only I/O failures throw.
 */
export async function loadTopology(
  input: string | TopologyInput,
  options: LoadOptions,
): Promise<LoadedTopology> {
  const given = typeof input === 'string' ? { paths: [input] } : input;
  const paths = given.paths.length === 0 ? [DEFAULT_TOPOLOGY_FILE] : given.paths;
  const values = given.values ?? (await readVariables(given.variables ?? [], options.cwd));
  const names = await topologyFiles(paths, options.cwd);
  const files: LoadedFile[] = [];
  const encoding: Issue[] = [];
  for (const { file, path } of names) {
    const decoded = decodeUtf8(await readTopologyBytes(file, path));
    files.push({ file, path, text: decoded.text });
    if (decoded.invalid !== undefined) {
      const { line, col, byte } = decoded.invalid;
      encoding.push({
        file,
        line,
        col,
        severity: 'error',
        code: 'encoding',
        message: `the file is not valid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')}); save it as UTF-8`,
      });
    }
  }
  const [first] = files;
  if (first === undefined) throw new FedctlError(`${paths.join(', ')}: no topology file`);
  const label = paths.join(', ');
  const base = { file: label, path: first.path, text: first.text, files, paths };
  if (encoding.length > 0) {
    return { issues: encoding, federationCount: 0, variables: new Map(), ...base };
  }
  const result = parseTopologySet(files, {
    validator: await topologyValidator(),
    env: options.env,
    unsetEnv: options.unsetEnv,
    variables: values,
  });
  return { ...result, ...base };
}

/**
 * The files `-f` names, in order: a file as given; a directory as every regular file directly in
 * it whose name ends in .yaml or .yml and does not start with "." (editor and CI files), sorted by
 * name in code-unit order. The same file named twice is an error.
 */
export async function topologyFiles(
  paths: readonly string[],
  cwd: string,
): Promise<{ file: string; path: string }[]> {
  const out: { file: string; path: string }[] = [];
  const seen = new Map<string, string>();
  for (const given of paths) {
    const path = isAbsolute(given) ? given : resolve(cwd, given);
    const info = await stat(path).catch(() => undefined);
    const found =
      info?.isDirectory() === true ? await directoryFiles(given, path) : [{ file: given, path }];
    for (const f of found) {
      const before = seen.get(f.path);
      if (before !== undefined) {
        throw new UsageError(`${f.file} is given twice (also as ${before}); give each file once`);
      }
      seen.set(f.path, f.file);
      out.push(f);
    }
  }
  return out;
}

async function directoryFiles(
  given: string,
  path: string,
): Promise<{ file: string; path: string }[]> {
  const entries = await readdir(path, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(compareCodeUnits);
  if (names.length === 0) {
    throw new FedctlError(`${given} is a directory with no *.yaml or *.yml file`);
  }
  return names.map((name) => ({ file: join(given, name), path: join(path, name) }));
}

/**
 * The file's bytes, at most 1 MiB. Only a regular file is read: a FIFO would block until a
 * writer came, /dev/zero never ends, and both report a size of 0, so the type is checked before
 * opening, again on the open descriptor (the path may have changed in between), and the read
 * stops one byte past the limit whatever `stat().size` said.
 */
export async function readTopologyBytes(file: string, path: string): Promise<Buffer> {
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

export function decodeUtf8(bytes: Buffer): Decoded {
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
