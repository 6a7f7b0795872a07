/**
 * Narrowing of Artifactory response bodies: `unknown` in, typed values out, or a `ShapeError`
 * naming the JSON path and what was expected. Messages name types, never values, so a body that
 * carries a secret (a pairing token) cannot leak through an error.
 */
import type {
  FederatedMember,
  FederationStateEntry,
  MemberConnection,
  MemberMode,
  PairingToken,
  RepositoryConfig,
  RepositorySummary,
  StateSummary,
  VersionInfo,
} from './types.js';
import { parseFieldItems } from './json-items.js';

/** A body that does not have the shape fedctl relies on. */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const t = typeof value;
  return t === 'object' ? 'an object' : `a ${t}`;
}

function fail(path: string, expected: string, value: unknown): never {
  throw new ShapeError(
    value === undefined
      ? `${path} is missing`
      : `${path} should be ${expected}, but is ${typeName(value)}`,
  );
}

export function record(value: unknown, path: string): JsonRecord {
  return isRecord(value) ? value : fail(path, 'an object', value);
}

function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

export function array(value: unknown, path: string): readonly unknown[] {
  return isArray(value) ? value : fail(path, 'an array', value);
}

export function string(value: unknown, path: string): string {
  return typeof value === 'string' ? value : fail(path, 'a string', value);
}

export function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : string(value, path);
}

/** Artifactory sends booleans; JFrog docs also show "true"/"false" strings being accepted. */
export function boolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return fail(path, 'a boolean', value);
}

/** int64 fields arrive as JSON numbers; a numeric string is tolerated. */
export function number(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return fail(path, 'a number', value);
}

/**
 * The first of several spellings that is present. The RTFS OpenAPI names the stateList flags
 * `isSupported`/`isDisabled`/`isInLag`; JFrog's doc sample and its MCP server use
 * `supported`/`disabled`/`inLag`; docs/compatibility.md row 29 lists the stateList readings.
 */
function aliased(obj: JsonRecord, path: string, names: readonly string[]): unknown {
  for (const name of names) {
    if (obj[name] !== undefined) return obj[name];
  }
  return fail(`${path}.${names.join('|')}`, 'present', undefined);
}

export function parseVersion(body: unknown): VersionInfo {
  const obj = record(body, 'body');
  const revision = optionalString(obj['revision'], 'revision');
  return {
    version: string(obj['version'], 'version'),
    ...(revision === undefined ? {} : { revision }),
    addons:
      obj['addons'] === undefined
        ? []
        : array(obj['addons'], 'addons').map((a, i) => string(a, `addons[${i}]`)),
  };
}

export function parseRepositorySummaries(body: unknown): RepositorySummary[] {
  return array(body, 'body').map((item, i) => {
    const path = `[${i}]`;
    const obj = record(item, path);
    const url = optionalString(obj['url'], `${path}.url`);
    const description = optionalString(obj['description'], `${path}.description`);
    return {
      key: string(obj['key'], `${path}.key`),
      type: string(obj['type'], `${path}.type`),
      packageType: string(obj['packageType'], `${path}.packageType`),
      ...(url === undefined ? {} : { url }),
      ...(description === undefined ? {} : { description }),
    };
  });
}

function parseMode(value: unknown, path: string): MemberMode {
  // Absent means bidirectional (seed: "bidirectional (default)").
  if (value === undefined || value === null) return 'bidirectional';
  const mode = string(value, path).toLowerCase();
  if (mode === 'receiver' || mode === 'bidirectional') return mode;
  throw new ShapeError(`${path} should be "receiver" or "bidirectional"`);
}

export function parseMember(value: unknown, path: string): FederatedMember {
  const obj = record(value, path);
  return {
    url: string(obj['url'], `${path}.url`),
    // The create example of JFrog's unidirectional sync document omits `enabled`; Artifactory's default is enabled.
    enabled: obj['enabled'] === undefined ? true : boolean(obj['enabled'], `${path}.enabled`),
    mode: parseMode(obj['mode'], `${path}.mode`),
  };
}

export function parseRepositoryConfig(body: unknown, path = 'body'): RepositoryConfig {
  const obj = record(body, path);
  const at = (field: string): string => (path === 'body' ? field : `${path}.${field}`);
  const key = string(obj['key'], at('key'));
  const rclass = string(obj['rclass'], at('rclass')).toLowerCase();
  const description = optionalString(obj['description'], at('description'));
  // Not a string: ignored, as before (fedctl only ever reads its own record from it).
  const notes = typeof obj['notes'] === 'string' ? obj['notes'] : undefined;
  let members: FederatedMember[] | undefined;
  if (obj['members'] !== undefined) {
    members = array(obj['members'], at('members')).map((m, i) =>
      parseMember(m, `${at('members')}[${i}]`),
    );
  } else if (rclass === 'federated') {
    // Non-admin tokens get a partial configuration (DOC-getcfg); treating a missing list as
    // "no members" would make a plan add every member again.
    throw new ShapeError(
      `${at('members')} is missing from a federated repository (a non-admin token sees a partial configuration)`,
    );
  }
  return {
    key,
    rclass,
    packageType: string(obj['packageType'], at('packageType')),
    ...(description === undefined ? {} : { description }),
    ...(notes === undefined ? {} : { notes }),
    ...(members === undefined ? {} : { members }),
    ...parseProject(obj, at),
  };
}

/** `projectKey` and `environments`; `/configurations` shows `"default"` for no project (ref §2.2). */
function parseProject(
  obj: JsonRecord,
  at: (field: string) => string,
): Pick<RepositoryConfig, 'projectKey' | 'environments'> {
  const key = optionalString(obj['projectKey'], at('projectKey'))?.trim() ?? '';
  const envs = obj['environments'];
  return {
    ...(key === '' || key === 'default' ? {} : { projectKey: key }),
    ...(envs === undefined || envs === null
      ? {}
      : {
          environments: array(envs, at('environments')).map((e) => string(e, at('environments'))),
        }),
  };
}

/** `GET /api/repositories/configurations`: configs grouped by class; fedctl reads FEDERATED. */
export function parseFederatedConfigurations<T>(
  body: unknown,
  reduce: (config: RepositoryConfig) => T,
): T[] {
  const obj = record(body, 'body');
  // A JPD with no federated repositories may leave the group out.
  if (obj['FEDERATED'] === undefined) return [];
  return array(obj['FEDERATED'], 'FEDERATED').map((item, i) =>
    reduce(parseRepositoryConfig(item, `FEDERATED[${i}]`)),
  );
}

/**
 * `parseFederatedConfigurations` straight from the body text, one configuration at a time (see
 * ./json-items.ts); `undefined` when the text needs the whole-body parse (and its errors).
 */
export function parseFederatedConfigurationsText<T>(
  text: string,
  reduce: (config: RepositoryConfig) => T,
): T[] | undefined {
  const result = parseFieldItems(text, 'FEDERATED', (item, i) =>
    reduce(parseRepositoryConfig(item, `FEDERATED[${i}]`)),
  );
  if (result === undefined) return undefined;
  // A JPD with no federated repositories may leave the group out.
  return result.found ? result.items : [];
}

/**
 * The result keeps the secret out of `JSON.stringify` and `util.inspect` (non-enumerable), so a
 * stray log line of the object cannot print it.
 */
export function parsePairingToken(body: unknown): PairingToken {
  const obj = record(body, 'body');
  const token = string(obj['pairing_token'], 'pairing_token');
  if (token === '') throw new ShapeError('pairing_token is empty');
  // `expires_in` is in the unidirectional sync document's example, not in JFrog's OpenAPI: optional.
  const expires =
    obj['expires_in'] === undefined ? undefined : number(obj['expires_in'], 'expires_in');
  const result = expires === undefined ? {} : { expiresInSeconds: expires };
  Object.defineProperty(result, 'pairingToken', { value: token, enumerable: false });
  // `as`: defineProperty added the one required field TypeScript cannot see.
  return result as PairingToken;
}

export function parseConnectionStates(body: unknown): MemberConnection[] {
  const obj = record(body, 'body');
  return array(obj['memberConnections'], 'memberConnections').map((item, i) => {
    const path = `memberConnections[${i}]`;
    const c = record(item, path);
    return {
      localRepoKey: string(c['localRepoKey'], `${path}.localRepoKey`),
      localPlatformUrl: string(c['localPlatformUrl'], `${path}.localPlatformUrl`),
      remoteRepoKey: string(c['remoteRepoKey'], `${path}.remoteRepoKey`),
      remotePlatformUrl: string(c['remotePlatformUrl'], `${path}.remotePlatformUrl`),
      status: string(c['status'], `${path}.status`),
      lagInMs: number(c['lagInMs'], `${path}.lagInMs`),
      queuedEvents: number(c['queuedEvents'], `${path}.queuedEvents`),
      disabled: boolean(aliased(c, path, ['disabled', 'isDisabled']), `${path}.disabled`),
      supported: boolean(aliased(c, path, ['supported', 'isSupported']), `${path}.supported`),
    };
  });
}

export function parseStateSummary(body: unknown): StateSummary {
  const states = record(record(body, 'body')['federationStates'], 'federationStates');
  const summary: Record<string, number> = {};
  for (const [state, count] of Object.entries(states)) {
    summary[state] = number(count, `federationStates.${state}`);
  }
  return summary;
}

export function parseStateList(body: unknown): FederationStateEntry[] {
  const obj = record(body, 'body');
  return array(obj['federations'], 'federations').map((item, i) => {
    const path = `federations[${i}]`;
    const f = record(item, path);
    const priority = optionalString(f['priority'], `${path}.priority`);
    return {
      localRepoKey: string(f['localRepoKey'], `${path}.localRepoKey`),
      ...(priority === undefined ? {} : { priority }),
      memberInfoList: array(f['memberInfoList'], `${path}.memberInfoList`).map((m, j) => {
        const mp = `${path}.memberInfoList[${j}]`;
        const member = record(m, mp);
        return {
          url: string(member['url'], `${mp}.url`),
          repoKey: string(member['repoKey'], `${mp}.repoKey`),
          aggregatedStatus: string(member['aggregatedStatus'], `${mp}.aggregatedStatus`),
          supported: boolean(aliased(member, mp, ['supported', 'isSupported']), `${mp}.supported`),
          disabled: boolean(aliased(member, mp, ['disabled', 'isDisabled']), `${mp}.disabled`),
          inLag: boolean(aliased(member, mp, ['inLag', 'isInLag']), `${mp}.inLag`),
        };
      }),
    };
  });
}
