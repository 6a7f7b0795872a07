/**
 * The sending side of federation: what an outbound connection puts on the wire. A full sync
 * copies what the remote's inventory lacks; streaming delivers queued deploys in batches. When
 * the remote lacks the repository, the configuration is pushed to it again first.
 */
import { arrayOf, isRecord } from '../http/http-util.js';
import type { JpdHost } from '../jpd-host.js';
import type { ArtifactRecord, OutboundRecord, QueuedEvent } from '../state/model.js';
import { parseMemberUrl } from '../state/urls.js';
import { PeerHttpError } from './peer-client.js';

export const EVENT_BATCH = 100;

/** A deploy sent to a peer: the artifact record (no `lastUpdated`), queue id, base64 content. */
export interface PeerEvent extends Omit<ArtifactRecord, 'lastUpdated'> {
  readonly id: number;
  readonly type: 'deploy';
  readonly content: string;
}

function eventsPath(record: OutboundRecord): { baseUrl: string; peerPath: string } {
  const { baseUrl, repoKey } = parseMemberUrl(record.remoteUrl);
  return {
    baseUrl,
    peerPath: `/artifactory/api/federation/peer/v1/repositories/${encodeURIComponent(repoKey)}`,
  };
}

function selfUrl(jpd: JpdHost, repoKey: string): string {
  return `${jpd.baseUrl}/artifactory/${repoKey}`;
}

/**
 * When the remote lacks the repository and the last configuration push to it failed, push it
 * again (Artifactory creates missing member repositories); otherwise the failure stands.
 */
async function healMissingRepo(
  jpd: JpdHost,
  record: OutboundRecord,
  error: unknown,
): Promise<never> {
  const repo = jpd.state.repos.get(record.localKey);
  if (
    error instanceof PeerHttpError &&
    error.status === 404 &&
    repo?.inconsistentMembers.includes(record.remoteUrl)
  ) {
    await jpd.federation.pushConfigTo(repo, record.remoteUrl);
  }
  throw error;
}

/** A full sync's copy: every file whose checksum the remote's inventory does not show. */
export async function copyMissing(jpd: JpdHost, record: OutboundRecord): Promise<void> {
  const { baseUrl, peerPath } = eventsPath(record);
  let inventory: unknown;
  try {
    inventory = await jpd.peer('GET', baseUrl, `${peerPath}/inventory`);
  } catch (error) {
    await healMissingRepo(jpd, record, error);
  }
  const theirs = new Map<string, string>();
  for (const item of arrayOf(isRecord(inventory) ? inventory['files'] : undefined) ?? []) {
    if (isRecord(item) && typeof item['path'] === 'string' && typeof item['sha256'] === 'string') {
      theirs.set(item['path'], item['sha256']);
    }
  }
  const content = jpd.state.content.get(record.localKey);
  const missing =
    content === undefined
      ? []
      : [...content.files.values()].filter((f) => theirs.get(f.path) !== f.sha256);
  for (let i = 0; i < missing.length; i += EVENT_BATCH) {
    const events = missing
      .slice(i, i + EVENT_BATCH)
      .map((file) => toPeerEvent(jpd, record.localKey, file.path, 0))
      .filter((e): e is PeerEvent => e !== undefined);
    await jpd.peer('POST', baseUrl, `${peerPath}/events`, {
      sender: selfUrl(jpd, record.localKey),
      fullSync: true,
      events,
    });
  }
}

/** One batch of queued deploys; throws when the remote did not take it. */
export async function sendEvents(
  jpd: JpdHost,
  record: OutboundRecord,
  batch: readonly QueuedEvent[],
): Promise<void> {
  const events = batch
    .map((e) => toPeerEvent(jpd, record.localKey, e.path, e.id))
    .filter((e): e is PeerEvent => e !== undefined);
  const { baseUrl, peerPath } = eventsPath(record);
  try {
    await jpd.peer('POST', baseUrl, `${peerPath}/events`, {
      sender: selfUrl(jpd, record.localKey),
      fullSync: false,
      events,
    });
  } catch (error) {
    await healMissingRepo(jpd, record, error);
  }
}

function toPeerEvent(
  jpd: JpdHost,
  repoKey: string,
  path: string,
  id: number,
): PeerEvent | undefined {
  const file = jpd.state.content.get(repoKey)?.files.get(path);
  const blob = file === undefined ? undefined : jpd.blobs.get(file.sha256);
  if (file === undefined || blob === undefined) return undefined;
  return {
    id,
    type: 'deploy',
    path: file.path,
    size: file.size,
    sha1: file.sha1,
    sha256: file.sha256,
    md5: file.md5,
    mimeType: file.mimeType,
    created: file.created,
    createdBy: file.createdBy,
    lastModified: file.lastModified,
    modifiedBy: file.modifiedBy,
    content: blob.toString('base64'),
  };
}
