/**
 * Narrowing of the answers that tell which federation engine a JPD runs and how its legacy engine
 * reports: `unknown` in, typed values out, or a `ShapeError`. The legacy endpoints are deprecated and their documents disagree on field
 * names, so every spelling JFrog has shown is read.
 */
import { array, isRecord, number, record, ShapeError, string, type JsonRecord } from './parse.js';
import type { LegacyMirrorLag, LegacyRepoStatus, LegacySyncState } from './types.js';

/** The first present field of several spellings, or undefined. */
function either(obj: JsonRecord, names: readonly string[]): unknown {
  for (const name of names) if (obj[name] !== undefined && obj[name] !== null) return obj[name];
  return undefined;
}

/**
 * `GET /api/federation/state`: JFrog's OpenAPI says `key` and `members[].remoteKey`, its doc sample
 * `localRepoKey` and `members[].remoteRepoKey`; a support article's real output matches the schema.
 */
export function parseLegacySyncState(body: unknown): LegacySyncState[] {
  return array(body, 'body').map((item, i) => {
    const path = `[${i}]`;
    const obj = record(item, path);
    const key = either(obj, ['key', 'localRepoKey']);
    const members = obj['members'] === undefined ? [] : array(obj['members'], `${path}.members`);
    return {
      localRepoKey: string(key, `${path}.key|localRepoKey`),
      status: string(obj['status'], `${path}.status`),
      members: members.map((m, j) => {
        const mp = `${path}.members[${j}]`;
        const member = record(m, mp);
        return {
          remoteUrl: string(member['remoteUrl'], `${mp}.remoteUrl`),
          remoteRepoKey: string(
            either(member, ['remoteKey', 'remoteRepoKey']),
            `${mp}.remoteKey|remoteRepoKey`,
          ),
        };
      }),
    };
  });
}

const EVENT_COUNTS = ['createEvents', 'updateEvents', 'deleteEvents', 'propsEvents'] as const;

/** `GET /api[/v2]/federation/status/repo/{key}`: `lagInMS` with a capital S (ref §4.6). */
export function parseLegacyRepoStatus(body: unknown): LegacyRepoStatus {
  const obj = record(body, 'body');
  const mirrors =
    obj['mirrorEventsStatusInfo'] === undefined
      ? []
      : array(obj['mirrorEventsStatusInfo'], 'mirrorEventsStatusInfo');
  return {
    localKey: string(obj['localKey'], 'localKey'),
    mirrors: mirrors.map((m, i) => {
      const path = `mirrorEventsStatusInfo[${i}]`;
      const mirror = record(m, path);
      const lag = either(mirror, ['lagInMS', 'lagInMs']);
      let pending = 0;
      for (const field of EVENT_COUNTS) {
        if (mirror[field] !== undefined) pending += number(mirror[field], `${path}.${field}`);
      }
      return {
        remoteUrl: string(mirror['remoteUrl'], `${path}.remoteUrl`),
        remoteRepoKey: string(
          either(mirror, ['remoteRepoKey', 'remoteKey']),
          `${path}.remoteRepoKey`,
        ),
        status: string(mirror['status'], `${path}.status`),
        lagInMs: lag === undefined ? 0 : number(lag, `${path}.lagInMS`),
        pendingEvents: pending,
      };
    }),
  };
}

/** `GET /api/federation/status/mirrorsLag` (the doc sample once misspells `locallRepoKey`). */
export function parseMirrorsLag(body: unknown): LegacyMirrorLag[] {
  return array(body, 'body').map((item, i) => {
    const path = `[${i}]`;
    const obj = record(item, path);
    const lag = either(obj, ['lagInMS', 'lagInMs']);
    return {
      localRepoKey: string(either(obj, ['localRepoKey', 'locallRepoKey']), `${path}.localRepoKey`),
      remoteUrl: string(obj['remoteUrl'], `${path}.remoteUrl`),
      remoteRepoKey: string(either(obj, ['remoteRepoKey', 'remoteKey']), `${path}.remoteRepoKey`),
      lagInMs: lag === undefined ? 0 : number(lag, `${path}.lagInMS`),
    };
  });
}

/**
 * `GET /api/federation/inconsistentRepos`: `["repoA","repoB"]` (the generated client's model); an
 * object with a key, or a `{repositories: [...]}` wrapper, is read as well.
 */
export function parseInconsistentRepos(body: unknown): string[] {
  const items = isRecord(body)
    ? array(either(body, ['repositories', 'repos', 'inconsistentRepos']), 'repositories')
    : array(body, 'body');
  return items.map((item, i) => {
    if (typeof item === 'string') return item;
    const obj = record(item, `[${i}]`);
    return string(either(obj, ['key', 'repoKey', 'localRepoKey']), `[${i}].key`);
  });
}

/**
 * A one-word answer (the migration status, the RTFS flag): JFrog shows bare text; a JSON string
 * or an object with one of `names` is taken as well.
 */
export function parseWord(text: string, names: readonly string[] = ['status', 'value']): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return trimmed;
    }
    if (typeof parsed === 'string') return parsed.trim();
    if (isRecord(parsed)) {
      const value = either(parsed, names);
      if (typeof value === 'string' || typeof value === 'boolean') return String(value).trim();
    }
    throw new ShapeError(`body should be one word, but is ${trimmed.length} characters of JSON`);
  }
  return trimmed;
}

/**
 * The `urlBase` of a configuration descriptor (artifactory.config.xml): the same element the
 * Ruby client reads (`config/urlBase`). A regular expression is enough for one element of the
 * root: it is not nested anywhere else in the descriptor.
 */
export function parseUrlBase(xml: string): string | undefined {
  const match = /<urlBase>([^<]*)<\/urlBase>/.exec(xml);
  if (match === null) {
    if (!/<config[\s>]/.test(xml)) {
      throw new ShapeError('body should be a configuration descriptor (<config>)');
    }
    return undefined;
  }
  const value = (match[1] ?? '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
  return value === '' ? undefined : value;
}
