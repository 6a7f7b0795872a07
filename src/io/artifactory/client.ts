/**
 * The Artifactory client: every endpoint fedctl calls on one JPD, over global `fetch` (so msw can
 * intercept it) with a per-JPD undici dispatcher from `../http.ts` (keep-alive pool, timeouts,
 * TLS, retries). Every failure becomes a `RemoteError` naming the JPD, method, path, status and
 * the server's own message; secrets never reach an error.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { FedctlError, MissingSecretError, RemoteError } from '../../core/errors.js';
import { normalizeMemberUrl } from '../../core/live.js';
import {
  RETRY_STATUS_CODES,
  createHttpDispatcher,
  describeTransportError,
  resolveHttpOptions,
} from '../http.js';
import type { Dispatcher, HttpOptionsInput } from '../http.js';
import {
  ShapeError,
  bodyKind,
  htmlTitle,
  parseConnectionStates,
  parseFederatedConfigurations,
  parseFullSync,
  parsePairingToken,
  parseRepositoryConfig,
  parseRepositorySummaries,
  parseStateList,
  parseStateSummary,
  parseVersion,
  serverMessage,
  shorten,
} from './parse.js';
import { Redactor } from './redact.js';
import type {
  ArtifactoryClient,
  FederatedRepositoryBody,
  MemberMode,
  PairingUseCase,
  RepositoryConfig,
  RepositorySummary,
} from './types.js';

type RepositoryType = Parameters<ArtifactoryClient['listRepositories']>[0];

/** The subset of `RequestInit` the client passes to fetch. */
export interface FetchInit {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  readonly redirect: 'manual';
  /** An undici 7 dispatcher; Node 20's fetch (undici 6) accepts it (see ../http.ts). */
  readonly dispatcher?: Dispatcher;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<Response>;

export interface ArtifactoryClientOptions {
  /** The JPD's name in the topology; every error message starts with it. */
  readonly jpd: string;
  /** Platform base URL, e.g. `https://jpd-a.example.com` (Artifactory is under /artifactory). */
  readonly baseUrl: string;
  /** Access token sent as `Authorization: Bearer`; never printed. */
  readonly token: string;
  /** Transport settings for this JPD's dispatcher (timeouts, retries, `caFile`). */
  readonly http?: HttpOptionsInput;
  /** Use this dispatcher instead of building one from `http` (the client will not close it). */
  readonly dispatcher?: Dispatcher;
  /** Defaults to the global `fetch`, looked up on every call so msw's patch is seen. */
  readonly fetch?: FetchLike;
  /** Requests in flight to this JPD at once. */
  readonly concurrency?: number;
  /** Deadline for one request, retries and Retry-After waits included. */
  readonly deadlineMs?: number;
  /** Extra attempts when Artifactory reports config-lock contention. */
  readonly configLockRetries?: number;
  readonly configLockDelayMs?: number;
  /** Environment for NODE_EXTRA_CA_CERTS when `http.caFile` is set; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A client that owns a connection pool; `close()` releases it. */
export interface ClosableArtifactoryClient extends ArtifactoryClient {
  close(): Promise<void>;
}

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_DEADLINE_MS = 120_000;
export const DEFAULT_CONFIG_LOCK_RETRIES = 5;
export const DEFAULT_CONFIG_LOCK_DELAY_MS = 1_000;

/**
 * Artifactory's answer when concurrent changes contend for the central config descriptor; the
 * Terraform provider retries any response containing it (terraform-provider-shared
 * `RetryOnMergeError`). Seen with 400 and 500.
 */
const CONFIG_LOCK = 'Could not merge and save new descriptor';
/** 400 on create when the key exists in any letter case (terraform-provider-artifactory#692). */
const KEY_EXISTS = /case insensitive repository key already exists/i;

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

interface Call {
  readonly method: Method;
  /** Path and query under the base URL, starting with /artifactory/. */
  readonly path: string;
  readonly body?: unknown;
  /** What fedctl was doing, for 401/403 hints: "creating repository libs-fed". */
  readonly step: string;
  /** The permission the step needs: "an admin token on jpd-a". */
  readonly needs: string;
  /** The response carries a secret: never quote its body. */
  readonly sensitive?: boolean;
}

interface Problem {
  readonly status?: number | undefined;
  readonly serverMessage?: string | undefined;
  readonly hint?: string | undefined;
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly location?: string;
  readonly text: string;
}

export function createArtifactoryClient(
  options: ArtifactoryClientOptions,
): ClosableArtifactoryClient {
  const { jpd } = options;
  const base = parseBaseUrl(jpd, options.baseUrl);
  const token = options.token.trim();
  if (token === '') throw new MissingSecretError(`${jpd}: the access token is empty`);
  // A header value with a control character makes fetch throw a TypeError that quotes the value.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new FedctlError(
      `${jpd}: the access token contains characters that cannot go in an HTTP header`,
    );
  }
  const redactor = new Redactor();
  redactor.add(token);

  const http = resolveHttpOptions(options.http);
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher = options.dispatcher ?? createHttpDispatcher(options.http, options.env);
  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const configLockRetries = options.configLockRetries ?? DEFAULT_CONFIG_LOCK_RETRIES;
  const configLockDelayMs = options.configLockDelayMs ?? DEFAULT_CONFIG_LOCK_DELAY_MS;
  const admin = `an admin token on ${jpd}`;

  /** Every RemoteError is built here, so every message and hint passes the redactor. */
  function remoteError(call: Call, problem: Problem, cause?: Error): RemoteError {
    const { status, serverMessage: message, hint } = problem;
    return new RemoteError(
      {
        jpd,
        method: call.method,
        path: base.path + call.path,
        ...(status === undefined ? {} : { status }),
        ...(message === undefined ? {} : { serverMessage: redactor.redact(message) }),
        ...(hint === undefined ? {} : { hint: redactor.redact(hint) }),
      },
      cause === undefined ? undefined : { cause },
    );
  }

  /** One request under the concurrency cap; transport failures become RemoteErrors. */
  function send(call: Call): Promise<Answer> {
    return limit(async () => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: 'application/json, text/plain;q=0.9, */*;q=0.1',
        'user-agent': 'fedctl',
      };
      if (call.body !== undefined) headers['content-type'] = 'application/json';
      const init: FetchInit = {
        method: call.method,
        headers,
        signal: AbortSignal.timeout(deadlineMs),
        redirect: 'manual',
        dispatcher,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      };
      try {
        const fetchFn = options.fetch ?? globalFetch;
        const response = await fetchFn(base.url + call.path, init);
        const text = await response.text();
        const location = response.headers.get('location');
        return {
          status: response.status,
          contentType: response.headers.get('content-type') ?? '',
          text,
          ...(location === null ? {} : { location }),
        };
      } catch (error) {
        const failure = describeTransportError(error, { ...http, deadlineMs });
        throw remoteError(
          call,
          {
            hint:
              failure.advice === undefined
                ? failure.description
                : `${failure.description}; ${failure.advice}`,
          },
          // A fresh cause: undici's own errors are not passed on, so nothing they hold can leak.
          new Error(failure.code ?? 'fetch failed'),
        );
      }
    });
  }

  /** `send`, plus Artifactory's config-lock retry (undici cannot see bodies). */
  async function sendWithLockRetry(call: Call): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const answer = await send(call);
      if (
        answer.status < 400 ||
        attempt >= configLockRetries ||
        !answer.text.includes(CONFIG_LOCK)
      ) {
        return answer;
      }
      await sleep(configLockDelayMs);
    }
  }

  function httpError(call: Call, answer: Answer, hint?: string): RemoteError {
    return remoteError(call, {
      status: answer.status,
      serverMessage: serverMessage(answer.contentType, answer.text),
      hint: hint ?? statusHint(call, answer),
    });
  }

  function statusHint(call: Call, answer: Answer): string | undefined {
    const { status } = answer;
    if (status === 401) {
      return `the token for ${jpd} was not accepted (missing, expired or revoked); ${call.step} needs ${call.needs}`;
    }
    if (status === 403) {
      return `the token for ${jpd} lacks the permission: ${call.step} needs ${call.needs}`;
    }
    if (status >= 300 && status < 400) {
      const to = answer.location === undefined ? '' : ` to ${withoutQuery(answer.location)}`;
      return `redirected${to}; set the JPD's baseUrl to the address Artifactory answers on`;
    }
    if (answer.text.includes(CONFIG_LOCK)) {
      return `Artifactory's configuration stayed locked by concurrent changes after ${configLockRetries} retries`;
    }
    if (RETRY_STATUS_CODES.includes(status)) {
      return `${jpd} is busy or unavailable, still after retries`;
    }
    if (status === 405 && call.path.startsWith('/artifactory/api/federation/status/')) {
      return `the Artifactory Federation Service (RTFS) is not enabled on ${jpd}; receiver mode and these status APIs need it`;
    }
    if (bodyKind(answer.contentType, answer.text) === 'html') {
      return "an HTML page is not Artifactory's API: is a proxy or a login page answering for it?";
    }
    return undefined;
  }

  function badBody(call: Call, answer: Answer, what: string): RemoteError {
    return remoteError(call, { status: answer.status, hint: `unexpected response: ${what}` });
  }

  /** A 2xx answer, or the RemoteError for it. */
  async function ok(call: Call): Promise<Answer> {
    const answer = await sendWithLockRetry(call);
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw httpError(call, answer);
  }

  function htmlPage(call: Call, answer: Answer, expected: string): RemoteError {
    const title = htmlTitle(answer.text);
    const page = title === undefined ? 'an HTML page' : `an HTML page titled "${title}"`;
    return badBody(
      call,
      answer,
      `expected ${expected}, got ${page}; is a proxy or a login page answering for Artifactory?`,
    );
  }

  function json(call: Call, answer: Answer): unknown {
    const kind = bodyKind(answer.contentType, answer.text);
    if (kind === 'json') {
      try {
        return JSON.parse(answer.text);
      } catch {
        throw badBody(call, answer, 'the body is not valid JSON');
      }
    }
    if (kind === 'html') throw htmlPage(call, answer, 'JSON');
    if (kind === 'empty') throw badBody(call, answer, 'expected JSON, got an empty body');
    throw badBody(
      call,
      answer,
      call.sensitive === true
        ? 'expected JSON, got text'
        : `expected JSON, got text "${shorten(answer.text, 120)}"`,
    );
  }

  function parsed<T>(call: Call, answer: Answer, parse: (body: unknown) => T): T {
    const body = json(call, answer);
    try {
      return parse(body);
    } catch (error) {
      if (error instanceof ShapeError) throw badBody(call, answer, error.message);
      throw error;
    }
  }

  async function getJson<T>(call: Call, parse: (body: unknown) => T): Promise<T> {
    return parsed(call, await ok(call), parse);
  }

  const repoPath = (repoKey: string): string =>
    `/artifactory/api/repositories/${encodeURIComponent(repoKey)}`;
  const pairingPath = (useCase: PairingUseCase): string =>
    `/artifactory/api/v1/service_trust/pairing/federated-repo/${useCase}`;
  const readConfig = (repoKey: string): Call => ({
    method: 'GET',
    path: repoPath(repoKey),
    step: `reading the configuration of ${repoKey}`,
    needs: `${admin} (other tokens get a partial configuration)`,
  });

  async function getRepository(repoKey: string): Promise<RepositoryConfig | undefined> {
    const call = readConfig(repoKey);
    const answer = await sendWithLockRetry(call);
    // Older Artifactory answers 400, newer 404, for a missing repository (TF `MkRepoRead` treats
    // both as gone). An HTML 404 is a proxy or a wrong base URL, not a missing repository.
    if (
      (answer.status === 400 || answer.status === 404) &&
      bodyKind(answer.contentType, answer.text) !== 'html'
    ) {
      return undefined;
    }
    if (answer.status < 200 || answer.status >= 300) throw httpError(call, answer);
    return parsed(call, answer, (body) => parseRepositoryConfig(body));
  }

  async function createRepository(repoKey: string, body: FederatedRepositoryBody): Promise<void> {
    const wire = { key: repoKey, ...repositoryWireBody(repoKey, body) };
    const call: Call = {
      method: 'PUT',
      path: repoPath(repoKey),
      body: wire,
      step: `creating repository ${repoKey}`,
      needs: admin,
    };
    const answer = await sendWithLockRetry(call);
    if (answer.status >= 200 && answer.status < 300) return;
    if (answer.status !== 400 || !KEY_EXISTS.test(answer.text)) throw httpError(call, answer);
    // Already there: a success when it is what was asked for. This is also how a target's repo
    // looks after the source federated to it (Artifactory auto-creates members, TF#692/#1102).
    const live = await getRepository(repoKey);
    const differences =
      live === undefined
        ? ['a repository whose key differs only in letter case exists']
        : configDifferences(live, body, `${base.url}/artifactory/${repoKey}`);
    if (differences.length === 0) return;
    throw httpError(
      call,
      answer,
      `the repository already exists with a different configuration: ${differences.join('; ')}`,
    );
  }

  function listRepositories(type?: RepositoryType): Promise<RepositorySummary[]> {
    return getJson(
      {
        method: 'GET',
        path: `/artifactory/api/repositories${type === undefined ? '' : `?type=${type}`}`,
        step: 'listing repositories',
        needs: 'a valid token',
      },
      parseRepositorySummaries,
    );
  }

  async function getFederatedRepositories(): Promise<RepositoryConfig[]> {
    const call: Call = {
      method: 'GET',
      path: '/artifactory/api/repositories/configurations?repoType=federated',
      step: 'reading all federated repository configurations',
      needs: admin,
    };
    const answer = await sendWithLockRetry(call);
    // Before 7.61.3 there is no such endpoint: 404/405, or 400 because "configurations" is then
    // read as a repository key. Fall back to the list plus one GET per repository.
    if (
      [400, 404, 405].includes(answer.status) &&
      bodyKind(answer.contentType, answer.text) !== 'html'
    ) {
      const summaries = await listRepositories('federated');
      const configs = await Promise.all(summaries.map((s) => getRepository(s.key)));
      // A repository deleted between the list and its GET is simply not there any more.
      return configs.filter((c): c is RepositoryConfig => c !== undefined);
    }
    if (answer.status < 200 || answer.status >= 300) throw httpError(call, answer);
    return parsed(call, answer, parseFederatedConfigurations);
  }

  return {
    jpd,
    baseUrl: base.url,

    async ping() {
      const call: Call = {
        method: 'GET',
        path: '/artifactory/api/system/ping',
        step: 'checking that Artifactory is up',
        needs: 'no permission (anonymous access is allowed)',
      };
      const answer = await ok(call);
      if (bodyKind(answer.contentType, answer.text) === 'html') {
        throw htmlPage(call, answer, '"OK"');
      }
      if (answer.text.trim().toUpperCase() !== 'OK') {
        throw badBody(call, answer, `expected "OK", got "${shorten(answer.text, 80)}"`);
      }
    },

    version() {
      return getJson(
        {
          method: 'GET',
          path: '/artifactory/api/system/version',
          step: 'reading the Artifactory version',
          needs: 'a valid token',
        },
        parseVersion,
      );
    },

    listRepositories,

    getFederatedRepositories,
    getRepository,
    createRepository,

    async updateRepository(repoKey, body) {
      await ok({
        method: 'POST',
        path: repoPath(repoKey),
        body: repositoryWireBody(repoKey, body),
        step: `updating repository ${repoKey}`,
        needs: admin,
      });
    },

    async deleteRepository(repoKey) {
      await ok({
        method: 'DELETE',
        path: repoPath(repoKey),
        step: `deleting repository ${repoKey}`,
        needs: admin,
      });
    },

    async createPairingToken(useCase) {
      const result = await getJson(
        {
          method: 'POST',
          path: pairingPath(useCase),
          step: 'creating a pairing token (on the source JPD)',
          needs: `${admin}, the source`,
          sensitive: true,
        },
        parsePairingToken,
      );
      redactor.add(result.pairingToken);
      return result;
    },

    async exchangePairingToken(useCase, pairingToken) {
      redactor.add(pairingToken);
      await ok({
        method: 'PUT',
        path: pairingPath(useCase),
        body: { pairing_token: pairingToken },
        step: 'exchanging a pairing token (on the target JPD)',
        needs: `${admin}, the target`,
      });
    },

    connectionStates(repoKey) {
      return getJson(
        {
          method: 'GET',
          path: `/artifactory/api/federation/status/connectionStates/${encodeURIComponent(repoKey)}`,
          step: `reading the federation connection states of ${repoKey}`,
          needs: admin,
        },
        parseConnectionStates,
      );
    },

    stateSummary() {
      return getJson(
        {
          method: 'GET',
          path: '/artifactory/api/federation/status/stateSummary',
          step: 'reading the federation state summary',
          needs: admin,
        },
        parseStateSummary,
      );
    },

    stateList(statuses) {
      // The documented form is a comma-separated list: ?status=HEALTHY,ERROR.
      const query =
        statuses === undefined || statuses.length === 0
          ? ''
          : `?status=${statuses.map(encodeURIComponent).join(',')}`;
      return getJson(
        {
          method: 'GET',
          path: `/artifactory/api/federation/status/stateList${query}`,
          step: 'reading the federation state list',
          needs: admin,
        },
        parseStateList,
      );
    },

    async configSync(repoKey) {
      await ok({
        method: 'POST',
        path: `/artifactory/api/federation/configSync/${encodeURIComponent(repoKey)}`,
        step: `synchronising the member configuration of ${repoKey}`,
        needs: admin,
      });
    },

    async fullSync(repoKey, syncOptions) {
      const params = new URLSearchParams();
      if (syncOptions?.mirror !== undefined) params.set('mirror', syncOptions.mirror);
      if (syncOptions?.isDry !== undefined) params.set('isDry', String(syncOptions.isDry));
      const query = params.size === 0 ? '' : `?${params.toString()}`;
      const call: Call = {
        method: 'POST',
        path: `/artifactory/api/federation/fullSync/${encodeURIComponent(repoKey)}${query}`,
        step: `running a full sync of ${repoKey}`,
        needs: admin,
      };
      const answer = await ok(call);
      const kind = bodyKind(answer.contentType, answer.text);
      if (kind === 'text' || kind === 'empty') return parseFullSync(answer.text);
      return parsed(call, answer, parseFullSync);
    },

    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

/** Node's global fetch, looked up per call: msw replaces it after this module is loaded. */
const globalFetch: FetchLike = (url, init) =>
  // `as`: undici 7's Dispatcher type is not undici-types 6's (the one @types/node's RequestInit
  // names), though Node 20's fetch accepts it at run time (test/io/http-dispatcher.test.ts).
  fetch(url, init as unknown as RequestInit);

function parseBaseUrl(jpd: string, baseUrl: string): { url: string; path: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new FedctlError(`${jpd}: baseUrl is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new FedctlError(`${jpd}: baseUrl must be http:// or https://`);
  }
  // fetch refuses URLs with credentials, and its error would quote them.
  if (url.username !== '' || url.password !== '') {
    throw new FedctlError(
      `${jpd}: baseUrl must not contain credentials; the token is sent as a header`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new FedctlError(`${jpd}: baseUrl must not have a query or fragment`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { url: `${url.origin}${path}`, path };
}

function withoutQuery(location: string): string {
  const cut = location.search(/[?#]/);
  return cut === -1 ? location : location.slice(0, cut);
}

/**
 * The request body for a create (PUT) or update (POST). Fields are copied one by one so nothing
 * unexpected goes out, and every member carries `mode` explicitly (absent would mean
 * bidirectional to Artifactory).
 */
function repositoryWireBody(
  repoKey: string,
  body: Partial<FederatedRepositoryBody>,
): Record<string, unknown> {
  if (body.key !== undefined && body.key !== repoKey) {
    throw new Error(`repository body key "${body.key}" does not match the path key "${repoKey}"`);
  }
  return {
    ...(body.rclass === undefined ? {} : { rclass: body.rclass }),
    ...(body.packageType === undefined ? {} : { packageType: body.packageType }),
    ...(body.description === undefined ? {} : { description: body.description }),
    ...(body.notes === undefined ? {} : { notes: body.notes }),
    ...(body.members === undefined
      ? {}
      : {
          members: body.members.map((m) => ({ url: m.url, enabled: m.enabled, mode: m.mode })),
        }),
  };
}

/**
 * How a live configuration differs from a create request: rclass, packageType and the member set
 * with modes. The live list may also hold the repository's own URL, which Artifactory adds when a
 * request leaves it out (TF docs for `member`); that one is ignored unless the request lists it.
 */
export function configDifferences(
  live: RepositoryConfig,
  wanted: FederatedRepositoryBody,
  selfUrl: string,
): string[] {
  const out: string[] = [];
  if (live.rclass !== wanted.rclass) out.push(`rclass is ${live.rclass}, wanted ${wanted.rclass}`);
  if (
    wanted.packageType !== undefined &&
    live.packageType.toLowerCase() !== wanted.packageType.toLowerCase()
  ) {
    out.push(`packageType is ${live.packageType}, wanted ${wanted.packageType}`);
  }
  const want = new Map<string, MemberMode>(
    wanted.members.map((m) => [normalizeMemberUrl(m.url), m.mode]),
  );
  const have = new Map<string, MemberMode>(
    (live.members ?? []).map((m) => [normalizeMemberUrl(m.url), m.mode]),
  );
  const self = normalizeMemberUrl(selfUrl);
  if (!want.has(self)) have.delete(self);
  for (const [url, mode] of want) {
    const liveMode = have.get(url);
    if (liveMode === undefined) out.push(`member ${url} is missing`);
    else if (liveMode !== mode) out.push(`member ${url} is ${liveMode}, wanted ${mode}`);
  }
  for (const url of have.keys()) {
    if (!want.has(url)) out.push(`member ${url} is not wanted`);
  }
  return out;
}
