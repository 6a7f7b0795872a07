/**
 * Request handling for one JPD: faults first (except for `/_sim/` controls), Artifactory's
 * response headers, authentication, then dispatch to the module that owns the endpoint.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { deployArtifact, downloadArtifact, sendItemCreated, storageInfo } from './artifacts.js';
import { applyPeerEvents, inventory } from '../peer/peer-events.js';
import { handleControl } from './controls.js';
import { decideFault } from '../state/faults.js';
import { PEER_PREFIX } from '../peer/federation.js';
import { ArtifactoryHttpError, readBody, sendError, sendJson, sendText } from './http-util.js';
import type { JpdHost } from '../jpd-host.js';
import { findRepoCaseInsensitive } from '../state/model.js';
import { answerConnectionStates } from '../peer/connection-states.js';
import {
  authenticate,
  bearer,
  decodeSegment,
  jsonBody,
  methodNotAllowed,
  notFound,
} from './route-util.js';
import { routeFederation } from './federation.js';
import { routeSystem } from './system.js';
import { BATCH_PATH, routeBatch, routeRepositories } from './repositories.js';
import {
  EXCHANGE_PATH,
  authenticatePeer,
  establishTrust,
  exchangePairingToken,
  issuePairingToken,
  pairingScope,
  peerIsReceivingOnly,
} from '../peer/trust.js';

export async function handleRequest(
  jpd: JpdHost,
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

async function route(
  jpd: JpdHost,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
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
  if (routeSystem(jpd, req, res, path)) return;
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
    await routePairing(jpd, req, res, path);
    return;
  }
  if (
    path === '/artifactory/api/repositories' ||
    path.startsWith('/artifactory/api/repositories/')
  ) {
    await routeRepositories(jpd, req, res, url);
    return;
  }
  if (path === BATCH_PATH) {
    await routeBatch(jpd, req, res);
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
    await routeArtifact(jpd, req, res, path);
    return;
  }
  throw notFound();
}

/** Pairing tokens: issue one (`POST`), or establish trust with one (`PUT`). */
async function routePairing(
  jpd: JpdHost,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const method = req.method ?? 'GET';
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

/** `/artifactory/<repo>/<path>`: deploy (`PUT`) or download (`GET`, `HEAD`) an artifact. */
async function routeArtifact(
  jpd: JpdHost,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const method = req.method ?? 'GET';
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

async function routePeer(
  jpd: JpdHost,
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
