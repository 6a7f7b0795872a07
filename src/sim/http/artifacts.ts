/**
 * Artifacts: deploy (`PUT /artifactory/{repo}/{path}`), download (GET/HEAD), storage info
 * (`GET /artifactory/api/storage/{repo}/{path}`). The receiving side of federation events is in
 * ../peer/peer-events.ts.
 * Binaries live in a content-addressed blob map keyed by SHA-256.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { ArtifactoryHttpError, sendJson } from './http-util.js';
import type { JpdHost } from '../jpd-host.js';
import type { ArtifactRecord, RepoContent } from '../state/model.js';

const MIME_TYPES: Readonly<Record<string, string>> = {
  json: 'application/json',
  xml: 'application/xml',
  txt: 'text/plain',
  jar: 'application/java-archive',
  pom: 'application/x-maven-pom+xml',
  zip: 'application/zip',
  tgz: 'application/x-gzip',
  gz: 'application/x-gzip',
  tar: 'application/x-tar',
};

function mimeTypeOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return (
    (dot < 0 ? undefined : MIME_TYPES[path.slice(dot + 1).toLowerCase()]) ??
    'application/octet-stream'
  );
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function checksumsOf(data: Buffer): { sha1: string; sha256: string; md5: string } {
  return {
    sha1: createHash('sha1').update(data).digest('hex'),
    sha256: createHash('sha256').update(data).digest('hex'),
    md5: createHash('md5').update(data).digest('hex'),
  };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value.trim().toLowerCase() : undefined;
}

/** `X-Checksum` carries any of the three; its type follows from its length (32, 40 or 64). */
function genericChecksum(
  value: string | undefined,
  sums: { sha1: string; sha256: string; md5: string },
): string | undefined {
  if (value === undefined) return undefined;
  return value.length === 32 ? sums.md5 : value.length === 40 ? sums.sha1 : sums.sha256;
}

function findBlob(jpd: JpdHost, headers: IncomingHttpHeaders): Buffer | undefined {
  const sha256 = headerValue(headers, 'x-checksum-sha256');
  if (sha256 !== undefined) return jpd.blobs.get(sha256);
  const sha1 = headerValue(headers, 'x-checksum-sha1') ?? headerValue(headers, 'x-checksum');
  for (const content of jpd.state.content.values()) {
    for (const file of content.files.values()) {
      if (file.sha1 === sha1 || file.sha256 === sha1) return jpd.blobs.get(file.sha256);
    }
  }
  return undefined;
}

export function contentOf(jpd: JpdHost, repoKey: string): RepoContent {
  if (!jpd.state.repos.has(repoKey))
    throw new ArtifactoryHttpError(404, `Repository '${repoKey}' not found`);
  let content = jpd.state.content.get(repoKey);
  if (content === undefined) {
    content = { files: new Map(), folders: new Set() };
    jpd.state.content.set(repoKey, content);
  }
  return content;
}

export function normalizePath(raw: string): string {
  const parts = raw.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '.' || p === '..'))
    throw new ArtifactoryHttpError(400, 'Invalid path');
  return parts.join('/');
}

/** `PUT /artifactory/{repo}/{path}`: 201 with the ItemCreated body. */
export async function deployArtifact(
  jpd: JpdHost,
  repoKey: string,
  rawPath: string,
  body: Buffer,
  headers: IncomingHttpHeaders,
  user: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const content = contentOf(jpd, repoKey);
  const path = normalizePath(rawPath);
  const now = jpd.clock.now();
  const storageUri = `${jpd.artifactoryUrl}/api/storage/${repoKey}/${path}`;
  if (rawPath.endsWith('/') && body.length === 0) {
    content.folders.add(path);
    await jpd.persist();
    return {
      status: 201,
      body: {
        repo: repoKey,
        path: `/${path}/`,
        created: iso(now),
        createdBy: user,
        uri: storageUri,
      },
    };
  }
  if (path === '') throw new ArtifactoryHttpError(400, 'Invalid path');
  // Checksum deploy: no body; 404 unless the content already exists (the client then uploads).
  const checksumDeploy = headerValue(headers, 'x-checksum-deploy') === 'true';
  const data = checksumDeploy ? findBlob(jpd, headers) : body;
  if (data === undefined) {
    throw new ArtifactoryHttpError(
      404,
      `Checksum deploy failed for '${repoKey}:${path}': content not found`,
    );
  }
  const sums = checksumsOf(data);
  for (const [header, actual] of [
    ['x-checksum-sha1', sums.sha1],
    ['x-checksum-sha256', sums.sha256],
    ['x-checksum-md5', sums.md5],
    ['x-checksum', genericChecksum(headerValue(headers, 'x-checksum'), sums)],
  ] as const) {
    const expected = headerValue(headers, header);
    if (expected !== undefined && expected !== actual) {
      throw new ArtifactoryHttpError(
        409,
        `Checksum error for '${repoKey}:${path}': received '${expected}' but actually was '${actual}'`,
      );
    }
  }
  const previous = content.files.get(path);
  const record: ArtifactRecord = {
    path,
    size: data.length,
    ...sums,
    mimeType: mimeTypeOf(path),
    created: previous?.created ?? now,
    createdBy: previous?.createdBy ?? user,
    lastModified: now,
    modifiedBy: user,
    lastUpdated: now,
  };
  await jpd.putBlob(sums.sha256, data);
  content.files.set(path, record);
  jpd.connections.enqueueDeploy(repoKey, path);
  await jpd.persist();
  return {
    status: 201,
    body: {
      repo: repoKey,
      path: `/${path}`,
      created: iso(record.created),
      createdBy: record.createdBy,
      downloadUri: `${jpd.artifactoryUrl}/${repoKey}/${path}`,
      mimeType: record.mimeType,
      size: String(record.size),
      checksums: sums,
      originalChecksums: sums,
      uri: storageUri,
    },
  };
}

/** `GET`/`HEAD /artifactory/{repo}/{path}` with the checksum headers clients read. */
export function downloadArtifact(
  jpd: JpdHost,
  repoKey: string,
  rawPath: string,
  res: ServerResponse,
  head: boolean,
): void {
  const content = contentOf(jpd, repoKey);
  const path = normalizePath(rawPath);
  const file = content.files.get(path);
  const blob = file === undefined ? undefined : jpd.blobs.get(file.sha256);
  if (file === undefined || blob === undefined) {
    throw new ArtifactoryHttpError(404, `Could not find resource '${repoKey}/${path}'`);
  }
  res.writeHead(200, {
    'Content-Type': file.mimeType,
    'Content-Length': blob.length,
    'Last-Modified': new Date(file.lastModified).toUTCString(),
    ETag: file.sha1,
    'X-Checksum-Sha1': file.sha1,
    'X-Checksum-Sha256': file.sha256,
    'X-Checksum-Md5': file.md5,
    'X-Artifactory-Filename': path.slice(path.lastIndexOf('/') + 1),
  });
  res.end(head ? undefined : blob);
}

function childrenOf(content: RepoContent, folder: string): { uri: string; folder: boolean }[] {
  const prefix = folder === '' ? '' : `${folder}/`;
  const children = new Map<string, boolean>();
  const visit = (path: string, isFolder: boolean): void => {
    if (!path.startsWith(prefix) || path === folder) return;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) children.set(rest, children.get(rest) === true || isFolder);
    else children.set(rest.slice(0, slash), true);
  };
  for (const path of content.files.keys()) visit(path, false);
  for (const path of content.folders) visit(path, true);
  return [...children.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, isFolder]) => ({ uri: `/${name}`, folder: isFolder }));
}

function folderExists(content: RepoContent, path: string): boolean {
  if (path === '' || content.folders.has(path)) return true;
  const prefix = `${path}/`;
  for (const p of content.files.keys()) if (p.startsWith(prefix)) return true;
  for (const p of content.folders) if (p.startsWith(prefix)) return true;
  return false;
}

/** `GET /api/storage/{repo}/{path}`: FileInfo, FolderInfo, or FileList with `?list`. */
export function storageInfo(
  jpd: JpdHost,
  repoKey: string,
  rawPath: string,
  query: URLSearchParams,
): Record<string, unknown> {
  const content = contentOf(jpd, repoKey);
  const path = normalizePath(rawPath);
  const uri = `${jpd.artifactoryUrl}/api/storage/${repoKey}${path === '' ? '' : `/${path}`}`;
  const file = content.files.get(path);
  if (file !== undefined) {
    return {
      repo: repoKey,
      path: `/${path}`,
      created: iso(file.created),
      createdBy: file.createdBy,
      lastModified: iso(file.lastModified),
      modifiedBy: file.modifiedBy,
      lastUpdated: iso(file.lastUpdated),
      downloadUri: `${jpd.artifactoryUrl}/${repoKey}/${path}`,
      mimeType: file.mimeType,
      size: String(file.size),
      checksums: { sha1: file.sha1, md5: file.md5, sha256: file.sha256 },
      originalChecksums: { sha1: file.sha1, md5: file.md5, sha256: file.sha256 },
      uri,
    };
  }
  if (!folderExists(content, path)) {
    throw new ArtifactoryHttpError(404, `Unable to find item '${repoKey}/${path}'`);
  }
  const files = [...content.files.values()];
  const times = files.filter((f) => path === '' || f.path.startsWith(`${path}/`));
  const created = times.reduce((min, f) => Math.min(min, f.created), jpd.createdAt);
  const modified = times.reduce((max, f) => Math.max(max, f.lastModified), created);
  if (query.has('list')) {
    const prefix = path === '' ? '' : `${path}/`;
    const deep = query.get('deep') === '1';
    return {
      uri,
      created: iso(created),
      files: times
        .filter((f) => deep || !f.path.slice(prefix.length).includes('/'))
        .map((f) => ({
          uri: `/${f.path.slice(prefix.length)}`,
          size: String(f.size),
          lastModified: iso(f.lastModified),
          folder: false,
          sha1: f.sha1,
        })),
    };
  }
  return {
    repo: repoKey,
    path: `/${path}`,
    created: iso(created),
    createdBy: 'admin',
    lastModified: iso(modified),
    modifiedBy: 'admin',
    lastUpdated: iso(modified),
    children: childrenOf(content, path),
    uri,
  };
}

/** Peer `GET /repositories/{key}/inventory`: what a full sync compares against. */
export function sendItemCreated(
  res: ServerResponse,
  status: number,
  body: Record<string, unknown>,
): void {
  if (typeof body['downloadUri'] === 'string') res.setHeader('Location', body['downloadUri']);
  sendJson(res, status, body, 'application/vnd.org.jfrog.artifactory.storage.ItemCreated+json');
}
