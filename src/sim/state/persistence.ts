/**
 * Optional persistence of a JPD under `<dataDir>/<jpd name>/`: `state.json` (configuration,
 * artifact metadata, queues, trust) and `blobs/<sha256>`. Every file is written atomically
 * (temporary file in the same directory, fsync, rename, fsync of the directory), so a crash in
 * the middle of a write leaves the previous version intact. A request that changed state answers
 * only after the state that includes its change is on disk.
 */
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type {
  ArtifactRecord,
  IssuedPairingToken,
  JpdState,
  OutboundRecord,
  RepoRecord,
  TrustRecord,
} from './model.js';
import { OutboundTable, RepoTable, outboundKey } from './model.js';
import { isRecord } from '../http/http-util.js';

/**
 * Writes `path` atomically. The default mode is 0600: state files and env files hold tokens, and
 * a file that holds none (a blob) passes its own mode.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Buffer,
  mode = 0o600,
): Promise<void> {
  const dir = join(path, '..');
  const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

interface PersistedState {
  readonly formatVersion: 1;
  readonly baseUrl: string;
  readonly createdAt: number;
  readonly serviceId: string;
  readonly signingKey: string;
  readonly adminToken: string;
  readonly readOnlyToken: string;
  readonly nextEventId: number;
  readonly repos: readonly RepoRecord[];
  readonly content: readonly {
    repoKey: string;
    files: readonly ArtifactRecord[];
    folders: readonly string[];
  }[];
  readonly outbound: readonly OutboundRecord[];
  readonly trust: readonly TrustRecord[];
  readonly pairingTokens: readonly IssuedPairingToken[];
}

export function serializeState(
  state: JpdState,
  baseUrl: string,
  createdAt: number,
): PersistedState {
  return {
    formatVersion: 1,
    baseUrl,
    createdAt,
    serviceId: state.serviceId,
    signingKey: state.signingKey,
    adminToken: state.adminToken,
    readOnlyToken: state.readOnlyToken,
    nextEventId: state.nextEventId,
    repos: [...state.repos.values()],
    content: [...state.content].map(([repoKey, c]) => ({
      repoKey,
      files: [...c.files.values()],
      folders: [...c.folders],
    })),
    outbound: [...state.outbound.values()],
    trust: [...state.trust.values()],
    pairingTokens: [...state.pairingTokens.values()],
  };
}

function tableOf<V, T extends Map<string, V>>(
  table: T,
  entries: readonly (readonly [string, V])[],
): T {
  for (const [key, value] of entries) table.set(key, value);
  return table;
}

export interface RestoredState {
  readonly state: JpdState;
  readonly createdAt: number;
}

/** Rebuilds a state from `state.json`. The file is this module's own output; a light check suffices. */
export function deserializeState(raw: unknown): RestoredState {
  if (!isRecord(raw) || raw['formatVersion'] !== 1) {
    throw new Error('unsupported simulator state file (formatVersion must be 1)');
  }
  // Written by serializeState above, in this same format version.
  const data = raw as unknown as PersistedState;
  const state: JpdState = {
    serviceId: data.serviceId,
    signingKey: data.signingKey,
    adminToken: data.adminToken,
    readOnlyToken: data.readOnlyToken,
    nextEventId: data.nextEventId,
    repos: tableOf(
      new RepoTable(),
      data.repos.map((r) => [r.key, r]),
    ),
    content: new Map(
      data.content.map((c) => [
        c.repoKey,
        { files: new Map(c.files.map((f) => [f.path, f])), folders: new Set(c.folders) },
      ]),
    ),
    outbound: tableOf(
      new OutboundTable(),
      data.outbound.map((o) => [
        outboundKey(o.localKey, o.remoteUrl),
        { ...o, queue: [...o.queue] },
      ]),
    ),
    trust: new Map(data.trust.map((t) => [t.peerBaseUrl, t])),
    pairingTokens: new Map(data.pairingTokens.map((p) => [p.jti, { ...p }])),
  };
  return { state, createdAt: data.createdAt };
}

/** One JPD's directory: coalesced atomic saves of the state, content-addressed blobs. */
export class JpdStore {
  private readonly dir: string;
  private readonly snapshot: () => string;
  private saving: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(dir: string, snapshot: () => string) {
    this.dir = dir;
    this.snapshot = snapshot;
  }

  async init(): Promise<void> {
    // state.json holds the JPD's tokens: its folders are private to the user (0700).
    await mkdir(join(this.dir, 'blobs'), { recursive: true, mode: 0o700 });
  }

  async loadState(): Promise<unknown> {
    try {
      return JSON.parse(await readFile(join(this.dir, 'state.json'), 'utf8')) as unknown;
    } catch (error) {
      if (isRecord(error) && error['code'] === 'ENOENT') return undefined;
      throw error;
    }
  }

  async loadBlobs(): Promise<Map<string, Buffer>> {
    const blobs = new Map<string, Buffer>();
    for (const name of await readdir(join(this.dir, 'blobs'))) {
      if (/^[0-9a-f]{64}$/.test(name))
        blobs.set(name, await readFile(join(this.dir, 'blobs', name)));
    }
    return blobs;
  }

  putBlob(sha256: string, data: Buffer): Promise<void> {
    return writeFileAtomic(join(this.dir, 'blobs', sha256), data, 0o600);
  }

  /**
   * Resolves once a write that started after this call has finished. Calls made while a write is
   * running share the single write queued behind it.
   */
  save(): Promise<void> {
    if (this.queued !== undefined) return this.queued;
    if (this.saving === undefined) return this.startWrite();
    const queued = this.saving.then(
      () => this.startWrite(),
      () => this.startWrite(),
    );
    this.queued = queued;
    return queued;
  }

  private startWrite(): Promise<void> {
    this.queued = undefined;
    const write = writeFileAtomic(join(this.dir, 'state.json'), this.snapshot()).finally(() => {
      if (this.saving === write) this.saving = undefined;
    });
    this.saving = write;
    return write;
  }

  async flush(): Promise<void> {
    while (this.saving !== undefined || this.queued !== undefined) {
      await (this.queued ?? this.saving);
    }
  }
}
