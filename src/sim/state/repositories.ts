/**
 * Repository configuration semantics (create, partial update, GET rendering, list summaries) as
 * pure functions over the JPD's records. The HTTP layer and federation propagation call these.
 */
import { ArtifactoryHttpError, isRecord, parseBooleanLike } from '../http/http-util.js';
import type { MemberMode, MemberRecord, RepoClass, RepoRecord } from './model.js';
import { memberUrl, parseMemberUrl } from './urls.js';
import {
  DEFAULTS_AFTER_MEMBERS,
  PACKAGE_TYPES,
  defaultsBeforeMembers,
} from './package-defaults.js';

/** Artifactory allows at most 10 members (JPDs) in one federation. */
export const MAX_FEDERATION_MEMBERS = 10;

/** Fields that are not settings (handled on their own) or never accepted from a body. */
const STRUCTURAL_FIELDS = new Set(['key', 'rclass', 'packageType', 'members']);

/** JPD-specific settings that federation does not propagate (auto-created copies lack them). */
export const LOCAL_ONLY_SETTINGS: ReadonlySet<string> = new Set(['projectKey', 'environments']);

function parseRclass(value: unknown): RepoClass {
  if (value === 'federated' || value === 'local') return value;
  if (value === 'remote' || value === 'virtual') {
    throw new ArtifactoryHttpError(
      400,
      `Repository class '${value}' is not supported by the fedctl JPD simulator`,
    );
  }
  throw new ArtifactoryHttpError(400, `Invalid repository class (rclass): '${String(value)}'`);
}

function parsePackageType(value: unknown): string {
  if (typeof value !== 'string' || !PACKAGE_TYPES.includes(value.toLowerCase())) {
    throw new ArtifactoryHttpError(400, `Unsupported package type '${String(value)}'`);
  }
  return value.toLowerCase();
}

/**
 * How a JPD treats member `mode` (dialects.ts): `supported` (Transmission Mode), `dropped` (a
 * version without it silently ignores the field), `rejected` (a version that refuses it).
 */
export type MemberModeSupport = 'supported' | 'dropped' | 'rejected';

function parseMode(value: unknown, url: string, support: MemberModeSupport): MemberMode {
  if (support === 'rejected' && value !== undefined) {
    // The simulator's own wording, shaped like Jackson's message for an unknown property.
    throw new ArtifactoryHttpError(
      400,
      'Unrecognized field "mode" (class FederatedMember), not marked as ignorable',
    );
  }
  if (support !== 'supported') return 'bidirectional';
  if (value === undefined || value === null) return 'bidirectional';
  if (value === 'receiver' || value === 'bidirectional') return value;
  throw new ArtifactoryHttpError(
    400,
    `Invalid mode '${JSON.stringify(value)}' for federated member '${url}': expected receiver or bidirectional`,
  );
}

function pickSettings(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!STRUCTURAL_FIELDS.has(name) && value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * Parses a `members` array. The repository's own URL joins the list when omitted (Artifactory
 * adds it from its base URL), keeping `self`'s current mode and enabled flag.
 */
export function parseMembers(
  raw: unknown,
  self: MemberRecord,
  support: MemberModeSupport = 'supported',
): MemberRecord[] {
  if (!Array.isArray(raw)) throw new ArtifactoryHttpError(400, "'members' must be an array");
  const members: MemberRecord[] = [];
  const seen = new Set<string>();
  for (const item of raw) {
    if (!isRecord(item) || typeof item['url'] !== 'string') {
      throw new ArtifactoryHttpError(400, "Each federated member must have a 'url'");
    }
    const location = parseMemberUrl(item['url']);
    if (seen.has(location.url)) {
      throw new ArtifactoryHttpError(400, `Duplicate federated member '${location.url}'`);
    }
    seen.add(location.url);
    const enabled =
      item['enabled'] === undefined ? true : parseBooleanLike(item['enabled'], 'enabled');
    members.push({
      url: location.url,
      enabled,
      mode: parseMode(item['mode'], location.url, support),
    });
  }
  if (!seen.has(self.url)) members.unshift(self);
  if (members.length > MAX_FEDERATION_MEMBERS) {
    throw new ArtifactoryHttpError(
      400,
      `A federation can have at most ${MAX_FEDERATION_MEMBERS} members; got ${members.length}`,
    );
  }
  return members;
}

function checkBodyKey(key: string, body: Record<string, unknown>): void {
  const bodyKey = body['key'];
  if (bodyKey !== undefined && bodyKey !== key) {
    throw new ArtifactoryHttpError(
      400,
      `Repository key in the request body (${JSON.stringify(bodyKey)}) does not match the path ('${key}')`,
    );
  }
}

export function buildNewRepo(
  key: string,
  body: unknown,
  selfBaseUrl: string,
  support: MemberModeSupport = 'supported',
): RepoRecord {
  if (!isRecord(body)) throw new ArtifactoryHttpError(400, 'Repository configuration is missing');
  checkBodyKey(key, body);
  if (key === '' || key === 'api' || key.startsWith('_') || /[/\\\s]/.test(key)) {
    throw new ArtifactoryHttpError(
      400,
      `error when validating repository name: invalid key '${key}'`,
    );
  }
  if (body['rclass'] === undefined) {
    throw new ArtifactoryHttpError(400, 'Repository type (rclass) is mandatory');
  }
  const rclass = parseRclass(body['rclass']);
  const packageType =
    body['packageType'] === undefined ? 'generic' : parsePackageType(body['packageType']);
  const self: MemberRecord = {
    url: memberUrl(selfBaseUrl, key),
    enabled: true,
    mode: 'bidirectional',
  };
  const members =
    rclass === 'federated'
      ? body['members'] === undefined
        ? [self]
        : parseMembers(body['members'], self, support)
      : [];
  return {
    key,
    rclass,
    packageType,
    settings: {
      ...defaultsBeforeMembers(packageType),
      ...DEFAULTS_AFTER_MEMBERS,
      ...pickSettings(body),
    },
    members,
    inconsistentMembers: [],
  };
}

/** A partial update: fields present replace, `members` present replaces the whole list. */
export function applyUpdate(
  existing: RepoRecord,
  body: unknown,
  selfBaseUrl: string,
  support: MemberModeSupport = 'supported',
): RepoRecord {
  if (!isRecord(body)) throw new ArtifactoryHttpError(400, 'Repository configuration is missing');
  checkBodyKey(existing.key, body);
  if (body['rclass'] !== undefined && body['rclass'] !== existing.rclass) {
    throw new ArtifactoryHttpError(400, 'Repository class (rclass) cannot be changed');
  }
  if (
    body['packageType'] !== undefined &&
    parsePackageType(body['packageType']) !== existing.packageType
  ) {
    throw new ArtifactoryHttpError(400, 'Package type cannot be changed');
  }
  const selfUrl = memberUrl(selfBaseUrl, existing.key);
  const self = existing.members.find((m) => m.url === selfUrl) ?? {
    url: selfUrl,
    enabled: true,
    mode: 'bidirectional' as const,
  };
  const members =
    existing.rclass === 'federated' && body['members'] !== undefined
      ? parseMembers(body['members'], self, support)
      : existing.members;
  return {
    ...existing,
    settings: { ...existing.settings, ...pickSettings(body) },
    members,
  };
}

/** GET body. Admins get every field; other users a partial view, as Artifactory documents. */
export function renderRepo(
  repo: RepoRecord,
  admin: boolean,
  withMode = true,
): Record<string, unknown> {
  if (!admin) {
    return {
      key: repo.key,
      packageType: repo.packageType,
      description: repo.settings['description'] ?? '',
      rclass: repo.rclass,
    };
  }
  const before = defaultsBeforeMembers(repo.packageType);
  const head: Record<string, unknown> = { key: repo.key, packageType: repo.packageType };
  const tail: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repo.settings)) {
    if (name in before) head[name] = value;
    else tail[name] = value;
  }
  const members =
    repo.rclass === 'federated'
      ? {
          members: repo.members.map((m) =>
            withMode
              ? { url: m.url, enabled: m.enabled, mode: m.mode }
              : { url: m.url, enabled: m.enabled },
          ),
        }
      : {};
  return { ...head, ...members, ...tail, rclass: repo.rclass };
}

/** `GET /api/repositories` item: upper-case type, capitalised package type as in JFrog's sample. */
export function renderSummary(repo: RepoRecord, selfBaseUrl: string): Record<string, unknown> {
  const description = repo.settings['description'];
  return {
    key: repo.key,
    type: repo.rclass.toUpperCase(),
    ...(typeof description === 'string' && description !== '' ? { description } : {}),
    url: memberUrl(selfBaseUrl, repo.key),
    packageType: repo.packageType.charAt(0).toUpperCase() + repo.packageType.slice(1),
  };
}

/** Settings sent to other members: everything but the JPD-specific ones. */
export function propagatedSettings(repo: RepoRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repo.settings)) {
    if (!LOCAL_ONLY_SETTINGS.has(name)) out[name] = value;
  }
  return out;
}

export function selfMember(repo: RepoRecord, selfBaseUrl: string): MemberRecord | undefined {
  const url = memberUrl(selfBaseUrl, repo.key);
  return repo.members.find((m) => m.url === url);
}
