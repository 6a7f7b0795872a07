/**
 * One apply at a time (docs/locking.md): before it reads anything, `apply` creates the marker
 * repository `fedctl-lock` on every JPD it connects to, in one fixed order (the JPDs' normalised
 * URLs, so that two applies naming the same JPDs differently still meet on the first one and
 * cannot each hold half). Creating a repository fails when its key exists, which makes taking the
 * lock atomic; its `notes` say who holds it, since when, until when (the holder renews it while
 * it runs), and the lock's id for `fedctl unlock`. A lock past its expiry is stale (its holder
 * died) and is broken. The lock is released (the marker deleted, if it is still ours) when the
 * apply ends, whatever the outcome.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { FedctlError } from '../../core/errors.js';
import type { CliIO } from '../../core/io-types.js';
import { normalizeMemberUrl } from '../../core/live/state.js';
import { safeText } from '../../core/safe-text.js';
import type { ClosableArtifactoryClient } from '../artifactory/client.js';

import { LOCK_KEY } from '../artifactory/marker.js';

export { LOCK_KEY };
const RECORD_PREFIX = 'fedctl:lock ';
/** A lock not renewed for this long is stale; the holder renews it every third of it. */
export const DEFAULT_LOCK_TTL_MS = 5 * 60_000;

export interface LockRecord {
  readonly id: string;
  /** Who: user@host, process, and the CI run when there is one. */
  readonly holder: string;
  /** ISO 8601, UTC. */
  readonly since: string;
  readonly expires: string;
  readonly topology: string;
  /** The holder's host and process: on this host, a holder whose process is gone is stale. */
  readonly host?: string;
  readonly pid?: number;
}

export type LockClient = Pick<
  ClosableArtifactoryClient,
  | 'jpd'
  | 'baseUrl'
  | 'createMarkerRepository'
  | 'getRepository'
  | 'updateRepository'
  | 'deleteRepository'
>;

export interface LockRequest {
  /** How long to wait for a lock another apply holds (0: fail at once). */
  readonly timeoutMs: number;
  readonly topology: string;
  readonly ttlMs?: number;
  readonly pollMs?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Who this process is, for the lock record: never a token, only names and CI run links. */
export function lockHolder(env: Env): string {
  const user = env['USER'] ?? env['USERNAME'] ?? env['GITLAB_USER_LOGIN'] ?? env['GITHUB_ACTOR'];
  const who = `${user ?? 'unknown'}@${hostname()} pid ${process.pid}`;
  if (env['GITHUB_ACTIONS'] === 'true' && env['GITHUB_RUN_ID'] !== undefined) {
    const repo = env['GITHUB_REPOSITORY'] ?? '';
    const server = env['GITHUB_SERVER_URL'] ?? 'https://github.com';
    return `${who}, GitHub Actions run ${server}/${repo}/actions/runs/${env['GITHUB_RUN_ID']}`;
  }
  if (env['GITLAB_CI'] === 'true' && env['CI_JOB_URL'] !== undefined) {
    return `${who}, GitLab job ${env['CI_JOB_URL']}`;
  }
  return who;
}

export function formatLockNotes(record: LockRecord): string {
  return `${RECORD_PREFIX}${JSON.stringify(record)}`;
}

/** The record in a marker's notes; undefined when the repository is not fedctl's lock. */
export function parseLockNotes(notes: string | undefined): LockRecord | undefined {
  const line = notes?.split('\n').find((l) => l.startsWith(RECORD_PREFIX));
  if (line === undefined) return undefined;
  try {
    const data: unknown = JSON.parse(line.slice(RECORD_PREFIX.length));
    if (typeof data !== 'object' || data === null) return undefined;
    const r = data as Record<string, unknown>; // narrowed field by field below
    const fields = ['id', 'holder', 'since', 'expires', 'topology'] as const;
    if (!fields.every((f) => typeof r[f] === 'string')) return undefined;
    const host = r['host'];
    const pid = r['pid'];
    return {
      id: String(r['id']),
      holder: String(r['holder']),
      since: String(r['since']),
      expires: String(r['expires']),
      topology: String(r['topology']),
      ...(typeof host === 'string' ? { host } : {}),
      ...(typeof pid === 'number' && Number.isInteger(pid) ? { pid } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The lock on one JPD: held by a record, held by something that is not fedctl's, or free. */
export async function readLock(
  client: LockClient,
): Promise<{ kind: 'free' } | { kind: 'held'; record: LockRecord } | { kind: 'foreign' }> {
  const repo = await client.getRepository(LOCK_KEY);
  if (repo === undefined) return { kind: 'free' };
  const record = parseLockNotes(repo.notes);
  return record === undefined ? { kind: 'foreign' } : { kind: 'held', record };
}

/** Deletes the marker only while it still carries `id`: never another apply's lock. */
export async function releaseIfOurs(client: LockClient, id: string): Promise<boolean> {
  const now = await readLock(client);
  if (now.kind !== 'held' || now.record.id !== id) return false;
  await client.deleteRepository(LOCK_KEY);
  return true;
}

export function describeHolder(jpd: string, record: LockRecord): string {
  return safeText(
    `${jpd}: locked by ${record.holder} since ${record.since} (lock ${record.id}, expires ${record.expires} unless renewed, topology ${record.topology})`,
  );
}

/**
 * Takes the lock on every client, in URL order; on any failure releases what it took. Returns
 * the release, which also stops the renewal.
 */
export async function acquireLocks(
  clients: readonly LockClient[],
  request: LockRequest,
  io: CliIO,
): Promise<() => Promise<void>> {
  const ttlMs = request.ttlMs ?? DEFAULT_LOCK_TTL_MS;
  const id = randomBytes(6).toString('hex');
  const holder = lockHolder(io.env);
  const since = new Date();
  const record = (): LockRecord => ({
    id,
    holder,
    since: since.toISOString(),
    expires: new Date(Date.now() + ttlMs).toISOString(),
    topology: request.topology,
    host: hostname(),
    pid: process.pid,
  });
  const ordered = [...clients].sort((a, b) =>
    normalizeMemberUrl(a.baseUrl) < normalizeMemberUrl(b.baseUrl) ? -1 : 1,
  );
  const held: LockClient[] = [];
  const deadline = Date.now() + request.timeoutMs;
  // Renewed while the apply runs, so that only a dead holder's lock goes stale.
  const renewal = setInterval(() => {
    for (const client of held) {
      client
        .updateRepository(LOCK_KEY, { notes: formatLockNotes(record()) })
        .catch(() => undefined);
    }
  }, ttlMs / 3);
  renewal.unref();
  const release = async (): Promise<void> => {
    clearInterval(renewal);
    for (const client of held.reverse()) {
      try {
        await releaseIfOurs(client, id);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        io.stderr.write(
          `fedctl: could not release the lock on ${client.jpd} (${safeText(why)}); it expires by itself, or run fedctl unlock ${id}\n`,
        );
      }
    }
  };
  try {
    for (const client of ordered) {
      await acquireOne(client, record, deadline, request.pollMs ?? 1_000, io);
      held.push(client);
    }
  } catch (error) {
    await release();
    throw error;
  }
  return release;
}

async function acquireOne(
  client: LockClient,
  record: () => LockRecord,
  deadline: number,
  pollMs: number,
  io: CliIO,
): Promise<void> {
  let told = false;
  for (;;) {
    const mine = record();
    const created = await client.createMarkerRepository(LOCK_KEY, {
      description: `fedctl apply lock: held by ${mine.holder} since ${mine.since}. Deleted when that apply ends; if it died, run fedctl unlock ${mine.id}.`,
      notes: formatLockNotes(mine),
    });
    if (created === 'created') return;
    const current = await readLock(client);
    if (current.kind === 'free') continue; // released in between: try again
    if (current.kind === 'foreign') {
      throw new FedctlError(
        `${client.jpd}: a repository named ${LOCK_KEY} exists and is not fedctl's lock; rename it, or run apply with --lock=false (nothing was changed)`,
      );
    }
    const { record: other } = current;
    const stale = staleness(other);
    if (stale !== undefined) {
      io.stderr.write(
        `fedctl: breaking a stale lock (${stale}): ${describeHolder(client.jpd, other)}\n`,
      );
      await releaseIfOurs(client, other.id);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new FedctlError(
        `${describeHolder(client.jpd, other)}; another apply is running, nothing was changed. Wait with --lock-timeout DUR, or if that apply died: fedctl unlock ${other.id}`,
      );
    }
    if (!told) {
      io.stderr.write(`Waiting for the lock: ${describeHolder(client.jpd, other)}\n`);
      told = true;
    }
    await sleep(Math.max(10, Math.min(pollMs, deadline - Date.now())));
  }
}

/** Why a lock is stale: not renewed past its expiry, or its process on this host is gone. */
function staleness(record: LockRecord): string | undefined {
  if (Date.parse(record.expires) < Date.now()) return 'its holder stopped renewing it';
  if (record.host === hostname() && record.pid !== undefined && !alive(record.pid)) {
    return `its process ${record.pid} on this host is gone`;
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
