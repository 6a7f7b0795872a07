/**
 * Simulator controls under `/_sim/`, outside Artifactory's namespace and never called by the
 * fedctl client. They need this JPD's admin token and are never subject to faults or offline mode.
 *
 *   GET    /_sim/state    JSON dump of the JPD's state (tokens and keys redacted)
 *   GET    /_sim/faults   current faults
 *   PUT    /_sim/faults   {latencyMs?, errors?: [{status: 429|503, rate, path?, retryAfterSeconds?}],
 *                          drops?: [{rate, path?}]}; fields given replace the current ones
 *   DELETE /_sim/faults   clear all faults
 *   POST   /_sim/offline  every other request's socket is destroyed; peers see it unreachable
 *   POST   /_sim/online   back online; failing connections retry at once
 *   GET    /_sim/connection-overrides   current overrides
 *   PUT    /_sim/connection-overrides   {repoKey, target, status, lagInMs?, queuedEvents?}: hold
 *                                       the directed connection repoKey -> target in that state
 *   DELETE /_sim/connection-overrides[?repoKey=&target=]   clear one, a repository's, or all
 *   POST   /_sim/inconsistent   {repoKey, member, description?}: a configuration push to that
 *                               member went wrong; this JPD lists repoKey in inconsistentRepos
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NO_FAULTS, parseFaults } from '../state/faults.js';
import { ArtifactoryHttpError, parseJson, readBody, sendJson } from './http-util.js';
import type { JpdHost } from '../jpd-host.js';
import { federationEngine } from '../state/dialects.js';
import {
  clearOverrides,
  listOverrides,
  makeInconsistent,
  parseInconsistencyRequest,
  parseOverrideRequest,
  setOverride,
} from '../state/overrides.js';

export function dumpState(jpd: JpdHost): Record<string, unknown> {
  const s = jpd.state;
  return {
    name: jpd.name,
    baseUrl: jpd.baseUrl,
    serviceId: s.serviceId,
    offline: jpd.offline,
    version: jpd.settings.version,
    dialects: jpd.settings.dialect.names,
    federationEngine: federationEngine(jpd.settings.dialect, jpd.settings.version),
    configLock:
      jpd.settings.dialect.configLockRate > 0
        ? {
            rate: jpd.settings.dialect.configLockRate,
            status: jpd.settings.dialect.configLockStatus,
            writes: jpd.configWrites,
          }
        : null,
    connectionOverrides: listOverrides(jpd),
    faults: jpd.faults,
    repositories: [...s.repos.values()],
    artifacts: Object.fromEntries(
      [...s.content].map(([key, c]) => [
        key,
        { files: [...c.files.values()], folders: [...c.folders] },
      ]),
    ),
    connections: [...s.outbound.entries()].map(([key, o]) => ({
      localRepoKey: o.localKey,
      remoteUrl: o.remoteUrl,
      fullSync: o.fullSync,
      queuedEvents: o.queue.length,
      queue: o.queue,
      state: jpd.connections.stateOf(o),
      lastFailure: jpd.connections.lastFailure(key) ?? null,
    })),
    trust: [...s.trust.values()].map((t) => ({
      peerBaseUrl: t.peerBaseUrl,
      peerServiceId: t.peerServiceId,
      scope: t.scope,
      role: t.role,
      establishedAt: new Date(t.establishedAt).toISOString(),
    })),
    pairingTokens: [...s.pairingTokens.values()].map((p) => ({
      jti: p.jti,
      scope: p.scope,
      used: p.used,
      expiresAt: new Date(p.expiresAt).toISOString(),
    })),
  };
}

export async function handleControl(
  jpd: JpdHost,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const header = req.headers.authorization ?? '';
  if (header !== `Bearer ${jpd.state.adminToken}`) {
    throw new ArtifactoryHttpError(
      header === '' ? 401 : 403,
      header === '' ? 'Authentication is required' : 'Forbidden',
    );
  }
  const method = req.method ?? 'GET';
  if (path === '/_sim/connection-overrides') {
    await connectionOverrides(jpd, req, res, method);
    return;
  }
  if (path === '/_sim/inconsistent' && method === 'POST') {
    const request = parseInconsistencyRequest(parseJson(await readBody(req)));
    await makeInconsistent(jpd, request);
    sendJson(res, 200, { repoKey: request.repoKey, inconsistent: true });
    return;
  }
  if (path === '/_sim/state' && method === 'GET') {
    sendJson(res, 200, dumpState(jpd));
    return;
  }
  if (path === '/_sim/faults') {
    if (method === 'GET') {
      sendJson(res, 200, jpd.faults);
      return;
    }
    if (method === 'PUT') {
      jpd.faults = parseFaults(parseJson(await readBody(req)), jpd.faults);
      sendJson(res, 200, jpd.faults);
      return;
    }
    if (method === 'DELETE') {
      jpd.faults = NO_FAULTS;
      sendJson(res, 200, jpd.faults);
      return;
    }
  }
  if (path === '/_sim/offline' && method === 'POST') {
    jpd.setOffline(true);
    sendJson(res, 200, { offline: true });
    return;
  }
  if (path === '/_sim/online' && method === 'POST') {
    jpd.setOffline(false);
    sendJson(res, 200, { offline: false });
    return;
  }
  throw new ArtifactoryHttpError(404, 'Not Found');
}

async function connectionOverrides(
  jpd: JpdHost,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
): Promise<void> {
  if (method === 'GET') {
    sendJson(res, 200, { overrides: listOverrides(jpd) });
    return;
  }
  if (method === 'PUT') {
    const override = setOverride(jpd, parseOverrideRequest(parseJson(await readBody(req))));
    sendJson(res, 200, override);
    return;
  }
  if (method === 'DELETE') {
    const query = new URL(req.url ?? '/', 'http://simulator.invalid').searchParams;
    const cleared = clearOverrides(
      jpd,
      query.get('repoKey') ?? undefined,
      query.get('target') ?? undefined,
    );
    sendJson(res, 200, { cleared });
    return;
  }
  throw new ArtifactoryHttpError(405, 'Method Not Allowed');
}
