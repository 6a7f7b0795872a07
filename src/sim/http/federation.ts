/**
 * `/api/federation/…`: configSync, migrate, fullSync, inconsistentRepos, the RTFS status, the
 * legacy engine's monitoring and the migration status (legacy-monitoring.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ArtifactoryHttpError, sendJson, sendText } from './http-util.js';
import type { JpdHost } from '../jpd-host.js';
import { connectionStates, stateList, stateSummary } from './monitoring.js';
import {
  legacyRepoStatus,
  legacyState,
  migrationStatus,
  mirrorsLag,
  unavailableMirrors,
} from './legacy-monitoring.js';
import { selfMember } from '../state/repositories.js';
import { compareVersions, SINCE } from '../state/dialects.js';
import {
  authenticate,
  decodeSegment,
  methodNotAllowed,
  notFound,
  takeConfigLock,
} from './route-util.js';
import { parseMemberUrl } from '../state/urls.js';

export async function routeFederation(
  jpd: JpdHost,
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
  if (head === 'migrate' && key !== '') {
    if (method !== 'POST') throw methodNotAllowed();
    const existing = jpd.state.repos.get(key);
    if (existing?.rclass === 'local') takeConfigLock(jpd);
    await jpd.federation.migrate(key);
    sendText(res, 200, 'Migration finished successfully.');
    return;
  }
  if (head === 'fullSync' && key !== '') {
    if (method !== 'POST') throw methodNotAllowed();
    sendJson(res, 200, fullSync(jpd, key, url.searchParams));
    return;
  }
  if (rest === 'inconsistentRepos') {
    if (method !== 'GET') throw methodNotAllowed();
    if (compareVersions(jpd.settings.version, SINCE.inconsistentRepos) < 0) throw notFound();
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
  if (method === 'GET' && routeLegacy(jpd, res, rest, url)) return;
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

/** The legacy monitoring and the migration status; false when `rest` is none of them. */
function routeLegacy(jpd: JpdHost, res: ServerResponse, rest: string, url: URL): boolean {
  if (rest === 'state') sendJson(res, 200, legacyState(jpd));
  else if (rest.startsWith('status/repo/') && rest.length > 'status/repo/'.length) {
    sendJson(res, 200, legacyRepoStatus(jpd, decodeSegment(rest.slice(12)), false));
  } else if (rest === 'status/mirrorsLag') {
    sendJson(res, 200, mirrorsLag(jpd, url.searchParams.get('thresholdTimeInMs')));
  } else if (rest === 'status/unavailableMirrors') sendJson(res, 200, unavailableMirrors(jpd));
  else if (rest === 'migration/status') sendText(res, 200, migrationStatus(jpd));
  else return false;
  return true;
}

/**
 * `POST /api/federation/fullSync/{key}[?mirror=&isDry=]`. A receiver never initiates a full sync
 * (JFrog's unidirectional sync document), so calling it on a JPD whose own member is a receiver is refused with 400.
 */
function fullSync(jpd: JpdHost, key: string, query: URLSearchParams): Record<string, unknown> {
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
