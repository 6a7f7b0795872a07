/**
 * The admin-only system reads: `GET /api/system` (System Info, text) and `GET
 * /api/system/configuration` (the configuration descriptor, XML), plus the engine reads outside
 * `/api/federation/` (`/federation/rtfs`, the v2 legacy repository status). The descriptor is a
 * small one: the elements a client reads (`urlBase`, `offlineMode`) and no repositories.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { federationEngine } from '../state/dialects.js';
import type { JpdHost } from '../jpd-host.js';
import { sendJson, sendText } from './http-util.js';
import { legacyRepoStatus, rtfsFlag } from './legacy-monitoring.js';
import { authenticate, decodeSegment, methodNotAllowed } from './route-util.js';

const V2_REPO_STATUS = '/artifactory/api/v2/federation/status/repo/';

/** Answers the paths of this module; false for any other path. */
export function routeSystem(
  jpd: JpdHost,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): boolean {
  const system = path === '/artifactory/api/system';
  const descriptor = path === '/artifactory/api/system/configuration';
  const rtfs = path === '/federation/rtfs';
  const v2 = path.startsWith(V2_REPO_STATUS) && path.length > V2_REPO_STATUS.length;
  if (!system && !descriptor && !rtfs && !v2) return false;
  if ((req.method ?? 'GET') !== 'GET') throw methodNotAllowed();
  authenticate(jpd, req, 'admin');
  if (system) sendText(res, 200, systemInfo(jpd));
  else if (descriptor) sendXml(res, configurationDescriptor(jpd));
  else if (rtfs) sendText(res, 200, rtfsFlag(jpd));
  else
    sendJson(
      res,
      200,
      legacyRepoStatus(jpd, decodeSegment(path.slice(V2_REPO_STATUS.length)), true),
    );
  return true;
}

export function systemInfo(jpd: JpdHost): string {
  const { version, revision, dialect } = jpd.settings;
  return [
    'SYSTEM INFORMATION DUMP',
    '=======================',
    `Artifactory version: ${version}`,
    `Artifactory revision: ${revision}`,
    `Federation engine: ${federationEngine(dialect, version)}`,
    `Repositories: ${jpd.state.repos.size}`,
    '',
  ].join('\n');
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The JPD's Custom Base URL is its `baseUrl` (the one its member URLs use). */
export function configurationDescriptor(jpd: JpdHost): string {
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<config xmlns="http://artifactory.jfrog.org/xsd/3.1.x">',
    `    <serverName>${escapeXml(jpd.name)}</serverName>`,
    '    <offlineMode>false</offlineMode>',
    `    <urlBase>${escapeXml(jpd.baseUrl)}</urlBase>`,
    '</config>',
    '',
  ].join('\n');
}

export function sendXml(res: ServerResponse, text: string): void {
  res.writeHead(200, {
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
