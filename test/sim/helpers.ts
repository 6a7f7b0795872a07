/** Plain-HTTP helpers for simulator tests: no fedctl client involved, only what a curl would do. */
import type { MemberConnection } from '../../src/io/artifactory/types.js';
import type { SimJpdInfo } from '../../src/sim/index.js';

/** Simulator timings short enough that a full sync is over in a few milliseconds. */
export const FAST = { fullSyncPendingMs: 5, fullSyncRunningMs: 5, eventDelayMs: 1 };

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface ApiOptions {
  readonly body?: unknown;
  /** Raw bytes to send instead of a JSON body. */
  readonly raw?: Uint8Array | string;
  /** Defaults to the JPD's admin token; null sends no Authorization header. */
  readonly token?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
}

export async function api(
  jpd: SimJpdInfo,
  method: string,
  path: string,
  options: ApiOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? jpd.token : options.token;
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  let body: string | Uint8Array | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${jpd.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * Polls `probe` until `done` accepts its value; fails with the last value after the deadline.
 * For eventual states: no fixed sleeps, no timed assertions.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await probe();
  }
  return last;
}

export function memberUrl(jpd: SimJpdInfo, repoKey: string): string {
  return `${jpd.url}/artifactory/${repoKey}`;
}

/** What connectionStates returns: the client's own view of the documented shape. */
export type Connection = MemberConnection;

/** The connectionStates entries of a repo, as `from -> to` platform URLs with their status. */
export async function connections(jpd: SimJpdInfo, repoKey: string): Promise<Connection[]> {
  const res = await api(
    jpd,
    'GET',
    `/artifactory/api/federation/status/connectionStates/${repoKey}`,
  );
  if (res.status !== 200) throw new Error(`connectionStates ${res.status}: ${res.text}`);
  const body = res.json as { memberConnections: Connection[] }; // shape asserted in the fidelity tests
  return body.memberConnections;
}

/** Status of the directed connection from `from` to `to`, as `jpd` reports it. */
export function statusOf(
  list: readonly Connection[],
  from: SimJpdInfo,
  to: SimJpdInfo,
): string | undefined {
  return list.find(
    (c) =>
      c.localPlatformUrl === `${from.url}/artifactory` &&
      c.remotePlatformUrl === `${to.url}/artifactory`,
  )?.status;
}

export async function deploy(
  jpd: SimJpdInfo,
  repoKey: string,
  path: string,
  content: string,
): Promise<ApiResponse> {
  return api(jpd, 'PUT', `/artifactory/${repoKey}/${path}`, { raw: content });
}

export async function download(
  jpd: SimJpdInfo,
  repoKey: string,
  path: string,
): Promise<ApiResponse> {
  return api(jpd, 'GET', `/artifactory/${repoKey}/${path}`);
}

/** Creates `repoKey` on `source` with the given members (the source's own member is implied). */
export async function createFederation(
  source: SimJpdInfo,
  repoKey: string,
  members: readonly { jpd: SimJpdInfo; mode?: 'receiver' | 'bidirectional'; key?: string }[],
  extra: Readonly<Record<string, unknown>> = {},
): Promise<ApiResponse> {
  return api(source, 'PUT', `/artifactory/api/repositories/${repoKey}`, {
    body: {
      key: repoKey,
      rclass: 'federated',
      packageType: 'generic',
      ...extra,
      members: members.map((m) => ({
        url: memberUrl(m.jpd, m.key ?? repoKey),
        enabled: true,
        ...(m.mode === undefined ? {} : { mode: m.mode }),
      })),
    },
  });
}

/** The first `{status, message}` of an Artifactory error body, or undefined. */
export function firstError(res: ApiResponse): { status: unknown; message: unknown } | undefined {
  const body = res.json;
  if (
    typeof body !== 'object' ||
    body === null ||
    !('errors' in body) ||
    !Array.isArray(body.errors)
  ) {
    return undefined;
  }
  const first: unknown = body.errors[0];
  if (typeof first !== 'object' || first === null) return undefined;
  return {
    status: 'status' in first ? first.status : undefined,
    message: 'message' in first ? first.message : undefined,
  };
}
