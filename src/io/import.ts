/**
 * `fedctl import`, the edge: read the federated repositories of every JPD given, hand them to
 * the pure import (core/import/infer.ts, core/import/yaml.ts), check that what it wrote is a
 * valid topology, and write it. Everything is read before anything is written, so a JPD that
 * fails leaves no file behind; an existing file is replaced only when asked.
 */
import { access, mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FedctlError, InternalError, MissingSecretError, formatIssue } from '../core/errors.js';
import { importTopology, type ImportJpd, type ImportedTopology } from '../core/import/infer.js';
import { renderImportedTopology } from '../core/import/yaml.js';
import { renderImportedFiles, type ImportedFile, type SplitBy } from '../core/import/split.js';
import { parseTopologySet, type SourceText } from '../core/topology/parse.js';
import { createArtifactoryClient, type ClosableArtifactoryClient } from './artifactory/client.js';
import { retryFromEnv } from './jpd-clients.js';
import { toLiveRepo } from './live-state.js';
import { topologyValidator } from './topology-loader.js';
import { writeFileAtomic } from './write-file.js';

const SCHEMA_PATH = fileURLToPath(new URL('../../schemas/federation.schema.json', import.meta.url));

/** One `--jpd NAME=URL`, checked, with the variable its token comes from. */
export interface ImportSource {
  readonly name: string;
  /** Normalised platform base URL. */
  readonly url: string;
  readonly tokenEnv: string;
  readonly allowInsecureHttp: boolean;
}

export interface ImportRequest {
  /** In the order given: the first one is the source of last resort. */
  readonly jpds: readonly ImportSource[];
  readonly preferSource?: string;
  readonly only?: string;
  /** Where the file goes; undefined for stdout. With `splitBy`, the directory. */
  readonly out?: string;
  /** Write a directory of files, one per group, and one with the JPDs and trust. */
  readonly splitBy?: SplitBy;
}

export interface ImportResult {
  /** The one file (without `splitBy`), or the shared file of the directory. */
  readonly text: string;
  /** With `splitBy`: every file of the directory. */
  readonly files?: readonly ImportedFile[];
  readonly model: ImportedTopology;
}

export async function importEstate(
  request: ImportRequest,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<ImportResult> {
  const tokens = request.jpds.map((j) => {
    const token = env[j.tokenEnv];
    if (token === undefined || token === '') {
      throw new MissingSecretError(
        `environment variable ${j.tokenEnv} (the token of JPD "${j.name}") is not set; name another with --token-env ${j.name}=VAR`,
      );
    }
    return token;
  });
  const given = await readJpds(request.jpds, tokens, env);
  // `as`: fedctl's own schema file, whose shape test/core/topology/parse.test.ts pins down.
  const schema = JSON.parse(await readFile(SCHEMA_PATH, 'utf8')) as {
    definitions: { packageType: { enum: string[] } };
  };
  const model = importTopology(given, {
    packageTypes: new Set(schema.definitions.packageType.enum),
    ...(request.preferSource === undefined ? {} : { preferSource: request.preferSource }),
    ...(request.only === undefined ? {} : { only: request.only }),
  });
  const outDir =
    request.out === undefined
      ? cwd
      : dirname(isAbsolute(request.out) ? request.out : resolve(cwd, request.out));
  if (request.splitBy !== undefined) {
    const dir = request.out ?? '.';
    const path = isAbsolute(dir) ? dir : resolve(cwd, dir);
    const files = renderImportedFiles(model, { schemaRef: schemaRef(path) }, request.splitBy);
    await checkWritten(files.map((f) => ({ file: join(dir, f.name), text: f.text })));
    return { text: files[0]?.text ?? '', files, model };
  }
  const text = renderImportedTopology(model, { schemaRef: schemaRef(outDir) });
  await checkWritten([{ file: request.out ?? 'stdout', text }]);
  return { text, model };
}

/** Every JPD at once; any failure stops the import with one line, the first JPD given first. */
async function readJpds(
  sources: readonly ImportSource[],
  tokens: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<ImportJpd[]> {
  const retry = retryFromEnv(env);
  const clients: ClosableArtifactoryClient[] = [];
  try {
    sources.forEach((j, i) => {
      clients.push(
        createArtifactoryClient({
          jpd: j.name,
          baseUrl: j.url,
          token: tokens[i] ?? '',
          env,
          http: { retry },
        }),
      );
    });
    const results = await Promise.allSettled(clients.map((c) => c.getFederatedRepositories()));
    // `as`: a rejection reason is `any`; it stays unknown until narrowed.
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const [first] = failures;
    if (first !== undefined) {
      // Known failures name their JPD, method, path and status; anything else is a bug.
      if (!(first instanceof FedctlError)) {
        throw first instanceof Error
          ? first
          : new InternalError(`reading failed: ${JSON.stringify(first)}`);
      }
      const more = failures.length - 1;
      throw new FedctlError(
        `${first.message}${more === 0 ? '' : ` (and ${more} more ${more === 1 ? 'JPD' : 'JPDs'} failed)`}; nothing was written`,
        { code: first.code },
      );
    }
    return sources.map((j, i) => {
      const result = results[i];
      if (result?.status !== 'fulfilled') throw new InternalError(`no result for ${j.name}`);
      return { ...j, repos: result.value.map(toLiveRepo) };
    });
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** The schema of this fedctl, relative to the written file, with `/` on every platform. */
function schemaRef(outDir: string): string {
  const ref = relative(outDir, SCHEMA_PATH).split(sep).join('/');
  return ref.startsWith('.') ? ref : `./${ref}`;
}

/** The import promises a valid topology; one that is not is fedctl's bug, never the user's. */
async function checkWritten(files: readonly SourceText[]): Promise<void> {
  const result = parseTopologySet(files, {
    validator: await topologyValidator(),
    // Only whether a variable is set is ever looked at; the file names variables, not values.
    env: new Proxy({}, { get: () => 'set' }),
    unsetEnv: 'warning',
  });
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw new InternalError(
      `the imported topology is not valid:\n${errors.map(formatIssue).join('\n')}`,
    );
  }
}

/** Written whole (./write-file.ts); an existing file is replaced only with `force`. */
export async function writeImported(
  file: string,
  cwd: string,
  text: string,
  force: boolean,
): Promise<void> {
  await writeFileAtomic(file, cwd, text, { replace: force });
}

/**
 * The files of a split import, into `dir` (made if missing). Without `force`, nothing is written
 * when any of them exists already; each file is written as `writeImported` writes one.
 */
export async function writeImportedFiles(
  dir: string,
  cwd: string,
  files: readonly ImportedFile[],
  force: boolean,
): Promise<void> {
  const path = isAbsolute(dir) ? dir : resolve(cwd, dir);
  await mkdir(path, { recursive: true });
  if (!force) {
    for (const f of files) {
      const exists = await access(join(path, f.name)).then(
        () => true,
        () => false,
      );
      if (exists) {
        throw new FedctlError(
          `${join(dir, f.name)} already exists; use --force to replace it (nothing was written)`,
        );
      }
    }
  }
  for (const f of files) await writeImported(join(dir, f.name), cwd, f.text, force);
}
