/**
 * Request handling for one JPD: faults first (except for `/_sim/` controls), Artifactory's
 * response headers, authentication, then dispatch to the module that owns the endpoint.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  deployArtifact,
  downloadArtifact,
  inventory,
  applyPeerEvents,
  sendItemCreated,
  storageInfo,
} from './artifacts.js';
import { handleControl } from './controls.js';
import { decideFault } from './faults.js';
import { PEER_PREFIX } from './federation.js';
import {
  ArtifactoryHttpError,
  parseJson,
  readBody,
  sendError,
  sendJson,
  sendText,
} from './http-util.js';
import type { Jpd } from './jpd.js';
import { findRepoCaseInsensitive } from './model.js';
import { answerConnectionStates, connectionStates, stateList, stateSummary } from './monitoring.js';
import { renderRepo, renderSummary, selfMember } from './repositories.js';
import {
  EXCHANGE_PATH,
  authenticatePeer,
  establishTrust,
  exchangePairingToken,
  issuePairingToken,
  pairingScope,
  peerIsReceivingOnly,
} from './trust.js';
import { parseMemberUrl } from './urls.js';

type Access = 'admin' | 'read';

interface Caller {
  readonly user: string;
  readonly admin: boolean;
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

function authenticate(jpd: Jpd, req: IncomingMessage, access: Access): Caller {
  const token = bearer(req);
  const caller: Caller | undefined =
    token === jpd.state.adminToken
      ? { user: 'admin', admin: true }
      : token === jpd.state.readOnlyToken
        ? { user: 'reader', admin: false }
        : undefined;
  if (caller === undefined) throw new ArtifactoryHttpError(401, 'Authentication is required');
  if (access === 'admin' && !caller.admin) throw new ArtifactoryHttpError(403, 'Forbidden');
  return caller;
}

function methodNotAllowed(): ArtifactoryHttpError {
  return new ArtifactoryHttpError(405, 'Method Not Allowed');
}

function notFound(): ArtifactoryHttpError {
  return new ArtifactoryHttpError(404, 'Not Found');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ArtifactoryHttpError(400, 'Malformed path');
  }
}

export async function handleRequest(
  jpd: Jpd,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const path = url.pathname;
  try {
    if (path === '/_sim' || path.startsWith('/_sim/')) {
      await handleControl(jpd, req, res, path);
      return;
    }
    if (jpd.offline || jpd.closing) {
      req.socket.destroy();
      return;
    }
    const fault = decideFault(jpd.faults, path);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (jpd.faults.latencyMs > 0) await sleep(jpd.faults.latencyMs, undefined, { ref: false });
    res.setHeader('X-Artifactory-Id', jpd.artifactoryId);
    res.setHeader('X-Artifactory-Node-Id', jpd.nodeId);
    res.setHeader(
      'X-JFrog-Version',
      `Artifactory/${jpd.settings.version} ${jpd.settings.revision}`,
    );
    res.setHeader('X-Request-Id', randomBytes(8).toString('hex'));
    if (fault?.kind === 'error') {
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined
          ? {}
          : { 'Retry-After': String(fault.retryAfterSeconds) };
      const message = fault.status === 429 ? 'Too Many Requests' : 'Service Unavailable';
      sendError(res, new ArtifactoryHttpError(fault.status, message, headers));
      return;
    }
    await route(jpd, req, res, url);
  } catch (error) {
    if (!(error instanceof ArtifactoryHttpError)) throw error;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(res, error);
  }
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  return parseJson(await readBody(req));
}

async function route(jpd: Jpd, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (path === '/artifactory/api/system/ping') {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed();
    sendText(res, 200, 'OK');
    return;
  }
  if (path === '/artifactory/api/system/version') {
    authenticate(jpd, req, 'read');
    sendJson(res, 200, {
      version: jpd.settings.version,
      revision: jpd.settings.revision,
      addons: [
        'build',
        'docker',
        'federated',
        'filestore',
        'ha',
        'ldap',
        'properties',
        'rest',
        'search',
        'sso',
      ],
      license: 'Enterprise+',
    });
    return;
  }
  if (path.startsWith(`${PEER_PREFIX}/`)) {
    await routePeer(jpd, req, res, path.slice(PEER_PREFIX.length));
    return;
  }
  if (path === EXCHANGE_PATH) {
    if (method !== 'POST') throw methodNotAllowed();
    sendJson(res, 200, await exchangePairingToken(jpd, await jsonBody(req)));
    return;
  }
  if (path.startsWith('/artifactory/api/v1/service_trust/pairing/')) {
    authenticate(jpd, req, 'admin');
    const scope = pairingScope(path);
    if (scope === undefined) throw new ArtifactoryHttpError(404, 'Unknown use case');
    if (method === 'POST') {
      sendJson(res, 200, issuePairingToken(jpd, scope));
      return;
    }
    if (method === 'PUT') {
      await establishTrust(jpd, await jsonBody(req));
      sendJson(res, 200, { message: 'Trust with Artifactory was established successfully' });
      return;
    }
    throw methodNotAllowed();
  }
  if (
    path === '/artifactory/api/repositories' ||
    path.startsWith('/artifactory/api/repositories/')
  ) {
    await routeRepositories(jpd, req, res, url);
    return;
  }
  if (path.startsWith('/artifactory/api/federation/')) {
    await routeFederation(jpd, req, res, url);
    return;
  }
  if (path.startsWith('/artifactory/api/storage/')) {
    if (method !== 'GET') throw methodNotAllowed();
    authenticate(jpd, req, 'read');
    const [repoKey = '', ...rest] = path.slice('/artifactory/api/storage/'.length).split('/');
    sendJson(
      res,
      200,
      storageInfo(jpd, decodeSegment(repoKey), rest.map(decodeSegment).join('/'), url.searchParams),
    );
    return;
  }
  if (path === '/artifactory/api' || path.startsWith('/artifactory/api/')) throw notFound();
  if (path.startsWith('/artifactory/') && path.length > '/artifactory/'.length) {
    const [repoKey = '', ...rest] = path.slice('/artifactory/'.length).split('/');
    const itemPath =
      rest.map(decodeSegment).join('/') + (path.endsWith('/') && rest.length > 0 ? '/' : '');
    const key = decodeSegment(repoKey);
    if (method === 'PUT') {
      const caller = authenticate(jpd, req, 'admin');
      const body = await readBody(req);
      const created = await deployArtifact(jpd, key, itemPath, body, req.headers, caller.user);
      sendItemCreated(res, created.status, created.body);
      return;
    }
    if (method === 'GET' || method === 'HEAD') {
      authenticate(jpd, req, 'read');
      downloadArtifact(jpd, key, itemPath, res, method === 'HEAD');
      return;
    }
    throw methodNotAllowed();
  }
  throw notFound();
}

async function routeRepositories(
  jpd: Jpd,
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
    if (!jpd.settings.configurationsApi) throw notFound();
    const wantedTypes = csv(url.searchParams.get('repoType'));
    const wantedPackages = csv(url.searchParams.get('packageType'));
    const groups: Record<string, unknown[]> = {
      LOCAL: [],
      REMOTE: [],
      VIRTUAL: [],
      FEDERATED: [],
      RELEASE_BUNDLE: [],
    };
    for (const repo of [...jpd.state.repos.values()].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    )) {
      if (wantedTypes !== undefined && !wantedTypes.has(repo.rclass)) continue;
      if (wantedPackages !== undefined && !wantedPackages.has(repo.packageType)) continue;
      groups[repo.rclass.toUpperCase()]?.push(renderRepo(repo, true));
    }
    sendJson(res, 200, groups);
    return;
  }
  if (key === '' || key.includes('/')) throw notFound();
  switch (method) {
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
      sendJson(res, 200, renderRepo(repo, caller.admin));
      return;
    }
    case 'PUT':
      authenticate(jpd, req, 'admin');
      await jpd.federation.create(key, await jsonBody(req));
      sendText(res, 200, `Successfully created repository '${key}'`);
      return;
    case 'POST':
      authenticate(jpd, req, 'admin');
      await jpd.federation.update(key, await jsonBody(req));
      sendText(res, 200, `Repository '${key}' updated successfully.`);
      return;
    case 'DELETE':
      authenticate(jpd, req, 'admin');
      await jpd.federation.delete(key);
      sendText(res, 200, `Repository '${key}' and all its content have been removed successfully.`);
      return;
    default:
      throw methodNotAllowed();
  }
}

function csv(value: string | null): Set<string> | undefined {
  if (value === null || value.trim() === '') return undefined;
  return new Set(value.split(',').map((v) => v.trim().toLowerCase()));
}

async function routeFederation(
  jpd: Jpd,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  const rest = url.pathname.slice('/artifactory/api/federation/'.length);
  authenticate(jpd, req, 'admin');
  const [head = '', ...tail] = rest.split('/');
  const key = decodeSegment(tail.join('/'));
  if (head === 'configSync' && key !== '') {
    if (method !== 'POST') throw methodNotAllowed();
    await jpd.federation.configSync(key);
    sendJson(res, 200, {});
    return;
  }
  if (head === 'fullSync' && key !== '') {
    if (method !== 'POST') throw methodNotAllowed();
    sendJson(res, 200, fullSync(jpd, key, url.searchParams));
    return;
  }
  if (rest === 'inconsistentRepos') {
    if (method !== 'GET') throw methodNotAllowed();
    sendJson(
      res,
      200,
      [...jpd.state.repos.values()]
        .filter((r) => r.inconsistentMembers.length > 0)
        .map((r) => r.key)
        .sort(),
    );
    return;
  }
  if (head === 'status' && method === 'GET') {
    const [what = '', ...keyParts] = tail;
    if (what === 'connectionStates' && keyParts.length > 0) {
      sendJson(res, 200, await connectionStates(jpd, decodeSegment(keyParts.join('/'))));
      return;
    }
    if (what === 'stateSummary' && keyParts.length === 0) {
      sendJson(res, 200, await stateSummary(jpd));
      return;
    }
    if (what === 'stateList' && keyParts.length === 0) {
      sendJson(res, 200, await stateList(jpd, url.searchParams.get('status')));
      return;
    }
  }
  throw notFound();
}

/**
 * `POST /api/federation/fullSync/{key}[?mirror=&isDry=]`. A receiver never initiates a full sync
 * (seed document), so calling it on a JPD whose own member is a receiver is refused with 400.
 */
function fullSync(jpd: Jpd, key: string, query: URLSearchParams): Record<string, unknown> {
  const repo = jpd.federation.requireFederated(key);
  const self = selfMember(repo, jpd.baseUrl);
  if (self?.mode === 'receiver') {
    throw new ArtifactoryHttpError(
      400,
      `Full sync cannot be initiated for '${key}': the local member is a receiver (Receiving Only)`,
    );
  }
  const mirrorRaw = query.get('mirror');
  let mirror: string | undefined;
  if (mirrorRaw !== null && mirrorRaw !== '') {
    mirror = parseMemberUrl(mirrorRaw).url;
    if (mirror === self?.url || !repo.members.some((m) => m.url === mirror)) {
      throw new ArtifactoryHttpError(
        400,
        `'${mirrorRaw}' is not a remote member of the federation of '${key}'`,
      );
    }
  }
  if (query.get('isDry') === 'true') {
    return {
      message: 'Dry full sync completed successfully.',
      resultPaths: [
        `jfrog-full-sync-info/comparison-results/${key}-mirror-comparison-${jpd.clock.now()}.json`,
      ],
    };
  }
  jpd.connections.restartFullSync(key, mirror);
  return { message: 'Full sync triggered successfully' };
}

async function routePeer(
  jpd: Jpd,
  req: IncomingMessage,
  res: ServerResponse,
  rest: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const token = bearer(req);
  const peerBase = token === undefined ? undefined : authenticatePeer(jpd, token);
  if (peerBase === undefined) throw new ArtifactoryHttpError(401, 'Authentication is required');
  if (rest === '/connection-states' && method === 'POST') {
    sendJson(res, 200, answerConnectionStates(jpd, await jsonBody(req)));
    return;
  }
  const match = /^\/repositories\/([^/]+)(\/events|\/inventory)?$/.exec(rest);
  const key = match?.[1] === undefined ? undefined : decodeSegment(match[1]);
  if (key === undefined) throw notFound();
  const action = match?.[2];
  if (action === undefined && method === 'PUT') {
    sendJson(res, 200, await jpd.federation.applyPeerConfig(key, peerBase, await jsonBody(req)));
    return;
  }
  if (action === '/events' && method === 'POST') {
    sendJson(res, 200, await applyPeerEvents(jpd, key, peerBase, await jsonBody(req)));
    return;
  }
  if (action === '/inventory' && method === 'GET') {
    if (peerIsReceivingOnly(jpd, peerBase)) {
      throw new ArtifactoryHttpError(403, `${peerBase} holds a receiving-only trust with this JPD`);
    }
    if (jpd.state.repos.get(key) === undefined) {
      const clash = findRepoCaseInsensitive(jpd.state.repos, key);
      throw new ArtifactoryHttpError(404, `Repository '${clash?.key ?? key}' not found`);
    }
    sendJson(res, 200, inventory(jpd, key));
    return;
  }
  throw methodNotAllowed();
}
