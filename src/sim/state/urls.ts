import { ArtifactoryHttpError } from '../http/http-util.js';

/** A member URL split into the platform base URL and the repository key on that platform. */
export interface MemberLocation {
  /** `scheme://host[:port][/context]`, lower-case scheme and host, no trailing slash. */
  readonly baseUrl: string;
  readonly repoKey: string;
  /** `<baseUrl>/artifactory/<repoKey>`: the form every JPD stores and compares. */
  readonly url: string;
}

export function normalizeBaseUrl(raw: string): string {
  // URL already lower-cases scheme and host; only the trailing slash needs removing.
  const parsed = new URL(raw);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
}

/**
 * Parses `<base>/artifactory/<repoKey>`. Member URLs that do not end in a repository key under
 * `/artifactory/` are refused, as Artifactory validates them on save.
 */
export function parseMemberUrl(raw: string): MemberLocation {
  // Monitoring of a 10,000-repository estate parses the same member URLs hundreds of thousands
  // of times per request; WHATWG URL parsing dominated, so valid results are memoised.
  const known = parsedMemberUrls.get(raw);
  if (known !== undefined) return known;
  const location = parseMemberUrlUncached(raw);
  if (parsedMemberUrls.size >= MEMO_LIMIT) parsedMemberUrls.clear();
  parsedMemberUrls.set(raw, location);
  return location;
}

const MEMO_LIMIT = 500_000;
const parsedMemberUrls = new Map<string, MemberLocation>();

function parseMemberUrlUncached(raw: string): MemberLocation {
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw new ArtifactoryHttpError(400, `Invalid federated member URL '${raw}'`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ArtifactoryHttpError(400, `Invalid federated member URL '${raw}': expected http(s)`);
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  const marker = path.lastIndexOf('/artifactory/');
  const repoKey = marker < 0 ? '' : path.slice(marker + '/artifactory/'.length);
  if (repoKey === '' || repoKey.includes('/')) {
    throw new ArtifactoryHttpError(
      400,
      `Invalid federated member URL '${raw}': expected <base URL>/artifactory/<repository key>`,
    );
  }
  const baseUrl = `${parsed.protocol}//${parsed.host}${path.slice(0, marker)}`;
  return { baseUrl, repoKey, url: `${baseUrl}/artifactory/${repoKey}` };
}

export function memberUrl(baseUrl: string, repoKey: string): string {
  return `${baseUrl}/artifactory/${repoKey}`;
}
