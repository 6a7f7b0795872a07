/**
 * `/api/repositories` (list, configurations, one repository's CRUD) and the batch endpoint
 * `/api/v2/repositories/batch`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasEndpoint } from '../state/dialects.js';
import { ArtifactoryHttpError, arrayOf, isRecord, sendJson, sendText } from './http-util.js';
import type { JpdHost } from '../jpd-host.js';
import type { MemberRecord, RepoRecord } from '../state/model.js';
import { renderRepo, renderSummary } from '../state/repositories.js';
import {
  authenticate,
  csv,
  decodeSegment,
  jsonBody,
  methodNotAllowed,
  notFound,
  takeConfigLock,
} from './route-util.js';

export const BATCH_PATH = '/artifactory/api/v2/repositories/batch';

function byKey(a: RepoRecord, b: RepoRecord): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function configurations(jpd: JpdHost, url: URL): Record<string, unknown[]> {
  const wantedTypes = csv(url.searchParams.get('repoType'));
  const wantedPackages = csv(url.searchParams.get('packageType'));
  const groups: Record<string, unknown[]> = {
    LOCAL: [],
    REMOTE: [],
    VIRTUAL: [],
    FEDERATED: [],
    RELEASE_BUNDLE: [],
  };
  const withMode = jpd.settings.dialect.memberMode === 'supported';
  for (const repo of [...jpd.state.repos.values()].sort(byKey)) {
    if (wantedTypes !== undefined && !wantedTypes.has(repo.rclass)) continue;
    if (wantedPackages !== undefined && !wantedPackages.has(repo.packageType)) continue;
    groups[repo.rclass.toUpperCase()]?.push(renderRepo(repo, true, withMode));
  }
  if (!jpd.settings.dialect.sparseConfigurations) return groups;
  return Object.fromEntries(Object.entries(groups).filter(([, list]) => list.length > 0));
}

export async function routeRepositories(
  jpd: JpdHost,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  if (path === '/artifactory/api/repositories') {
    if (method !== 'GET') throw methodNotAllowed();
    authenticate(jpd, req, 'read');
    const type = url.searchParams.get('type')?.toLowerCase();
    const packageType = url.searchParams.get('packageType')?.toLowerCase();
    const list = [...jpd.state.repos.values()]
      .filter(
        (r) =>
          (type === undefined || type === '' || r.rclass === type) &&
          (packageType === undefined || packageType === '' || r.packageType === packageType),
      )
      .map((r) => renderSummary(r, jpd.baseUrl));
    sendJson(res, 200, list);
    return;
  }
  const key = decodeSegment(path.slice('/artifactory/api/repositories/'.length));
  if (key === 'configurations' && method === 'GET') {
    authenticate(jpd, req, 'admin');
    // Before 7.61.3 this endpoint did not exist.
    const { configurationsApi, version, dialect } = jpd.settings;
    if (!configurationsApi || !hasEndpoint(dialect, version, 'configurations')) throw notFound();
    sendJson(res, 200, configurations(jpd, url));
    return;
  }
  if (key === '' || key.includes('/')) throw notFound();
  await routeOneRepository(jpd, req, res, key);
}

async function routeOneRepository(
  jpd: JpdHost,
  req: IncomingMessage,
  res: ServerResponse,
  key: string,
): Promise<void> {
  switch (req.method ?? 'GET') {
    case 'GET': {
      const caller = authenticate(jpd, req, 'read');
      const repo = jpd.state.repos.get(key);
      if (repo === undefined) {
        const status = jpd.settings.missingRepoStatus;
        throw new ArtifactoryHttpError(
          status,
          status === 400 ? 'Bad Request' : `Repository '${key}' not found`,
        );
      }
      sendJson(
        res,
        200,
        renderRepo(repo, caller.admin, jpd.settings.dialect.memberMode === 'supported'),
      );
      return;
    }
    case 'PUT': {
      authenticate(jpd, req, 'admin');
      const repo = jpd.federation.prepareCreate(key, await jsonBody(req));
      takeConfigLock(jpd);
      await jpd.federation.commit(repo, []);
      sendText(res, 200, `Successfully created repository '${key}'`);
      return;
    }
    case 'POST': {
      authenticate(jpd, req, 'admin');
      const { repo, previous } = jpd.federation.prepareUpdate(key, await jsonBody(req));
      takeConfigLock(jpd);
      await jpd.federation.commit(repo, previous.members);
      sendText(res, 200, `Repository '${key}' updated successfully.`);
      return;
    }
    case 'DELETE':
      authenticate(jpd, req, 'admin');
      if (!jpd.state.repos.has(key))
        throw new ArtifactoryHttpError(404, `Repository '${key}' not found`);
      takeConfigLock(jpd);
      await jpd.federation.delete(key);
      sendText(res, 200, `Repository '${key}' and all its content have been removed successfully.`);
      return;
    default:
      throw methodNotAllowed();
  }
}

/** Writes validated repositories a few at a time: each write propagates to its members. */
async function commitAll(
  jpd: JpdHost,
  items: readonly { repo: RepoRecord; previous: readonly MemberRecord[] }[],
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await jpd.federation.commit(item.repo, item.previous);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, items.length) }, worker));
}

function batchItems(body: unknown): { key: string; body: Record<string, unknown> }[] {
  const items = arrayOf(body);
  if (items === undefined || items.length === 0) {
    throw new ArtifactoryHttpError(
      400,
      'Expected a non-empty JSON array of repository configurations',
    );
  }
  return items.map((item) => {
    if (!isRecord(item) || typeof item['key'] !== 'string' || item['key'] === '') {
      throw new ArtifactoryHttpError(400, "Each repository configuration must have a 'key'");
    }
    return { key: item['key'], body: item };
  });
}

/** Prefixes a validation failure with the repository it concerns (the simulator's wording). */
function about<T>(key: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ArtifactoryHttpError)) throw error;
    throw new ArtifactoryHttpError(error.status, `${key}: ${error.message}`, error.headers);
  }
}

/**
 * `PUT` (create, since 7.84.3, 201) and `POST` (update, since 7.104.2, 200)
 * `/api/v2/repositories/batch` with a JSON array of configurations, as jfrog-client-go sends it.
 * All or nothing: JFrog documents that one invalid configuration fails the whole batch, so every
 * item is validated before anything is written. An existing key answers 409 ("Repository key
 * conflict" in the documented status codes).
 */
export async function routeBatch(
  jpd: JpdHost,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  const { dialect, version } = jpd.settings;
  if (method === 'PUT' && hasEndpoint(dialect, version, 'batchCreate')) {
    authenticate(jpd, req, 'admin');
    const items = batchItems(await jsonBody(req));
    const taken = new Set<string>();
    const repos = items.map(({ key, body }) =>
      about(key, () => {
        if (
          jpd.state.repos.findCaseInsensitive(key) !== undefined ||
          taken.has(key.toLowerCase())
        ) {
          throw new ArtifactoryHttpError(409, `Repository key conflict: '${key}' already exists`);
        }
        const repo = jpd.federation.prepareCreate(key, body, taken);
        taken.add(key.toLowerCase());
        return repo;
      }),
    );
    takeConfigLock(jpd);
    await commitAll(
      jpd,
      repos.map((repo) => ({ repo, previous: [] })),
    );
    sendText(res, 201, repos.map((r) => `Successfully created repository '${r.key}'`).join('\n'));
    return;
  }
  if (method === 'POST' && hasEndpoint(dialect, version, 'batchUpdate')) {
    authenticate(jpd, req, 'admin');
    const items = batchItems(await jsonBody(req));
    const seen = new Set<string>();
    const prepared = items.map(({ key, body }) =>
      about(key, () => {
        if (seen.has(key)) throw new ArtifactoryHttpError(400, `Repository '${key}' appears twice`);
        seen.add(key);
        const { repo, previous } = jpd.federation.prepareUpdate(key, body);
        return { repo, previous: previous.members };
      }),
    );
    takeConfigLock(jpd);
    await commitAll(jpd, prepared);
    sendText(
      res,
      200,
      prepared.map((p) => `Repository '${p.repo.key}' updated successfully.`).join('\n'),
    );
    return;
  }
  // Absent before its version (or with the no-batch dialect); other methods are not simulated.
  throw notFound();
}
