/**
 * The receiving side of federation: the inventory a full sync compares against, and the event
 * batches a sending member delivers (applied idempotently, last write wins on lastModified).
 */
import { createHash } from 'node:crypto';
import { contentOf, normalizePath } from '../http/artifacts.js';
import type { PeerEvent } from './send-events.js';
import { ArtifactoryHttpError, arrayOf, isRecord } from '../http/http-util.js';
import type { JpdHost } from '../jpd-host.js';
import { peerIsReceivingOnly } from './trust.js';
import { memberUrl } from '../state/urls.js';

export function inventory(
  jpd: JpdHost,
  repoKey: string,
): { files: { path: string; sha256: string; lastModified: number }[] } {
  const content = contentOf(jpd, repoKey);
  return {
    files: [...content.files.values()].map((f) => ({
      path: f.path,
      sha256: f.sha256,
      lastModified: f.lastModified,
    })),
  };
}

function parsePeerEvent(raw: unknown): PeerEvent {
  const bad = new ArtifactoryHttpError(400, 'Invalid federation event');
  if (!isRecord(raw)) throw bad;
  const { path, content, sha1, sha256, md5, mimeType, createdBy, modifiedBy } = raw;
  const { id, size, created, lastModified } = raw;
  if (
    typeof path !== 'string' ||
    typeof content !== 'string' ||
    typeof sha1 !== 'string' ||
    typeof sha256 !== 'string' ||
    typeof md5 !== 'string' ||
    typeof mimeType !== 'string' ||
    typeof createdBy !== 'string' ||
    typeof modifiedBy !== 'string' ||
    typeof id !== 'number' ||
    typeof size !== 'number' ||
    typeof created !== 'number' ||
    typeof lastModified !== 'number'
  ) {
    throw bad;
  }
  return {
    id,
    type: 'deploy',
    path,
    content,
    sha1,
    sha256,
    md5,
    mimeType,
    createdBy,
    modifiedBy,
    size,
    created,
    lastModified,
  };
}

/**
 * Peer `POST /repositories/{key}/events`. Refused from a JPD that is not a sending member of the
 * federation here, or that this JPD paired with a receiving-only trust. Applying is idempotent and
 * last-write-wins on `lastModified`; received events are never forwarded (federation is a mesh).
 */
export async function applyPeerEvents(
  jpd: JpdHost,
  repoKey: string,
  senderBaseUrl: string,
  body: unknown,
): Promise<{ applied: number }> {
  const content = contentOf(jpd, repoKey);
  const repo = jpd.federation.requireFederated(repoKey);
  if (!isRecord(body) || typeof body['sender'] !== 'string' || !Array.isArray(body['events'])) {
    throw new ArtifactoryHttpError(400, 'Invalid federation events message');
  }
  if (peerIsReceivingOnly(jpd, senderBaseUrl)) {
    throw new ArtifactoryHttpError(
      403,
      `${senderBaseUrl} holds a receiving-only trust with this JPD: its federation events are refused`,
    );
  }
  const sender = repo.members.find((m) => m.url === body['sender']);
  if (sender === undefined || !sender.url.startsWith(`${senderBaseUrl}/`)) {
    throw new ArtifactoryHttpError(
      403,
      `'${body['sender']}' is not a member of the federation of '${repoKey}'`,
    );
  }
  if (sender.mode === 'receiver') {
    throw new ArtifactoryHttpError(
      403,
      `'${sender.url}' is a receiver member: it cannot send events`,
    );
  }
  const self = repo.members.find((m) => m.url === memberUrl(jpd.baseUrl, repoKey));
  if (self?.enabled !== true || !sender.enabled) {
    throw new ArtifactoryHttpError(409, `Federation of '${repoKey}' is disabled for this member`);
  }
  let applied = 0;
  for (const raw of arrayOf(body['events']) ?? []) {
    const event = parsePeerEvent(raw);
    const data = Buffer.from(event.content, 'base64');
    if (createHash('sha256').update(data).digest('hex') !== event.sha256) {
      throw new ArtifactoryHttpError(
        400,
        `Checksum mismatch in federation event for '${event.path}'`,
      );
    }
    const path = normalizePath(event.path);
    const current = content.files.get(path);
    if (
      current !== undefined &&
      (current.sha256 === event.sha256 || current.lastModified > event.lastModified)
    ) {
      continue;
    }
    await jpd.putBlob(event.sha256, data);
    content.files.set(path, {
      path,
      size: event.size,
      sha1: event.sha1,
      sha256: event.sha256,
      md5: event.md5,
      mimeType: event.mimeType,
      created: event.created,
      createdBy: event.createdBy,
      lastModified: event.lastModified,
      modifiedBy: event.modifiedBy,
      lastUpdated: jpd.clock.now(),
    });
    applied++;
  }
  if (applied > 0) await jpd.persist();
  return { applied };
}
