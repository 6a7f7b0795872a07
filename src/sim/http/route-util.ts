/** Helpers shared by the request handlers: authentication, path decoding, common errors. */
import type { IncomingMessage } from 'node:http';
import { CONFIG_LOCK_MESSAGE, configLockHits } from '../state/dialects.js';
import { ArtifactoryHttpError, parseJson, readBody } from './http-util.js';
import type { JpdHost } from '../jpd-host.js';

export type Access = 'admin' | 'read';

export interface Caller {
  readonly user: string;
  readonly admin: boolean;
}

export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

export function authenticate(jpd: JpdHost, req: IncomingMessage, access: Access): Caller {
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

export function methodNotAllowed(): ArtifactoryHttpError {
  return new ArtifactoryHttpError(405, 'Method Not Allowed');
}

export function notFound(): ArtifactoryHttpError {
  return new ArtifactoryHttpError(404, 'Not Found');
}

export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ArtifactoryHttpError(400, 'Malformed path');
  }
}

export async function jsonBody(req: IncomingMessage): Promise<unknown> {
  return parseJson(await readBody(req));
}

export function csv(value: string | null): Set<string> | undefined {
  if (value === null || value.trim() === '') return undefined;
  return new Set(value.split(',').map((v) => v.trim().toLowerCase()));
}

/**
 * Counts a repository configuration write and refuses it when the `config-lock` dialect says this
 * one meets contention. Called after validation, just before the write, as the lock is taken when
 * the descriptor is saved.
 */
export function takeConfigLock(jpd: JpdHost): void {
  jpd.configWrites++;
  const dialect = jpd.settings.dialect;
  if (configLockHits(dialect.configLockRate, jpd.configWrites)) {
    throw new ArtifactoryHttpError(dialect.configLockStatus, CONFIG_LOCK_MESSAGE);
  }
}
