/**
 * The request core of the Artifactory client: the one place that calls `fetch`, over global `fetch`
 * (so msw can intercept it) with a per-JPD undici dispatcher from `../http.ts` (keep-alive pool,
 * timeouts, TLS, retries). Every failure becomes a `RemoteError` naming the JPD, method, path,
 * status and the server's own message; secrets never reach an error.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { RemoteError } from '../../core/errors.js';
import { RETRY_STATUS_CODES, describeTransportError, resolveHttpOptions } from '../http/http.js';
import type { Dispatcher, HttpOptionsInput } from '../http/http.js';
import { DEFAULT_MAX_RESPONSE_BYTES, ResponseTooLarge, readBody } from './body.js';
import { ShapeError, bodyKind, htmlTitle, serverMessage, shorten } from './parse.js';
import { Redactor } from './redact.js';

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

/** How requests to one JPD are made; `ArtifactoryClientOptions` (./client.ts) extends it. */
export interface RequestOptions {
  /** Transport settings for this JPD's dispatcher (timeouts, retries, `caFile`). */
  readonly http?: HttpOptionsInput;
  /** Defaults to the global `fetch`, looked up on every call so msw's patch is seen. */
  readonly fetch?: FetchLike;
  /** Requests in flight to this JPD at once. */
  readonly concurrency?: number;
  /**
   * Deadline for one request, retries and Retry-After waits included. Default: the retry budget
   * plus the headers timeout, so the last retry the budget allows still has time to answer.
   */
  readonly deadlineMs?: number;
  /** Largest response body read; a larger one fails the request (issue 16). */
  readonly maxResponseBytes?: number;
  /** Extra attempts when Artifactory reports config-lock contention. */
  readonly configLockRetries?: number;
  readonly configLockDelayMs?: number;
}

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_CONFIG_LOCK_RETRIES = 5;
export const DEFAULT_CONFIG_LOCK_DELAY_MS = 1_000;

/**
 * Artifactory's answer when concurrent changes contend for the central config descriptor; the
 * Terraform provider retries any response containing it (terraform-provider-shared
 * `RetryOnMergeError`). Seen with 400 and 500.
 */
const CONFIG_LOCK = 'Could not merge and save new descriptor';

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface Call {
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

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly location?: string;
  readonly text: string;
}

interface Problem {
  readonly status?: number | undefined;
  readonly serverMessage?: string | undefined;
  readonly hint?: string | undefined;
}

/** The JPD a client talks to, checked before any connection is made. */
export interface Target {
  readonly jpd: string;
  /** Origin plus path prefix, without a trailing slash. */
  readonly url: string;
  /** The path prefix alone ('' or '/jfrog'), which error paths keep. */
  readonly path: string;
  readonly token: string;
}

/** What the area modules build their methods from; one per JPD. */
export interface RequestCore {
  readonly jpd: string;
  /** Platform base URL without a trailing slash. */
  readonly baseUrl: string;
  /** "an admin token on <jpd>": what most steps need. */
  readonly admin: string;
  /** Any answer, after config-lock retries; transport failures throw a RemoteError. */
  send(call: Call): Promise<Answer>;
  /** A 2xx answer, or the RemoteError for it. */
  ok(call: Call): Promise<Answer>;
  /** A 2xx JSON answer narrowed by `parse`. */
  getJson<T>(call: Call, parse: (body: unknown) => T): Promise<T>;
  /** An answer's JSON body narrowed by `parse`; a bad body becomes a RemoteError. */
  parsed<T>(call: Call, answer: Answer, parse: (body: unknown) => T): T;
  /** The RemoteError for a non-2xx answer, with the server's message and a hint. */
  httpError(call: Call, answer: Answer, hint?: string): RemoteError;
  /** The RemoteError for a body fedctl cannot use. */
  badBody(call: Call, answer: Answer, what: string): RemoteError;
  /** The RemoteError for an HTML page where `expected` should have been. */
  htmlPage(call: Call, answer: Answer, expected: string): RemoteError;
  /** Keeps a secret (a pairing token) out of every later error. */
  addSecret(secret: string): void;
}

export function createRequestCore(
  target: Target,
  options: RequestOptions,
  dispatcher: Dispatcher,
): RequestCore {
  const { jpd, token } = target;
  const redactor = new Redactor();
  redactor.add(token);

  const http = resolveHttpOptions(options.http);
  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  const deadlineMs = options.deadlineMs ?? http.retry.budgetMs + http.headersTimeoutMs;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const configLockRetries = options.configLockRetries ?? DEFAULT_CONFIG_LOCK_RETRIES;
  const configLockDelayMs = options.configLockDelayMs ?? DEFAULT_CONFIG_LOCK_DELAY_MS;
  const errors = createErrors(target, redactor, configLockRetries);

  /** One request under the concurrency cap; transport failures become RemoteErrors. */
  function attempt(call: Call): Promise<Answer> {
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
      let response: Response;
      try {
        response = await (options.fetch ?? globalFetch)(target.url + call.path, init);
      } catch (error) {
        throw transportError(call, error);
      }
      let text: string;
      try {
        text = await readBody(response, maxResponseBytes);
      } catch (error) {
        if (error instanceof ResponseTooLarge) {
          throw errors.remote(call, { status: response.status, hint: error.message });
        }
        throw transportError(call, error);
      }
      const location = response.headers.get('location');
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        text,
        ...(location === null ? {} : { location }),
      };
    });
  }

  function transportError(call: Call, error: unknown): RemoteError {
    const failure = describeTransportError(error, { ...http, deadlineMs });
    return errors.remote(
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

  /** `attempt`, plus Artifactory's config-lock retry (undici cannot see bodies). */
  async function send(call: Call): Promise<Answer> {
    for (let tries = 0; ; tries++) {
      const answer = await attempt(call);
      if (answer.status < 400 || tries >= configLockRetries || !answer.text.includes(CONFIG_LOCK)) {
        return answer;
      }
      await sleep(configLockDelayMs);
    }
  }

  async function ok(call: Call): Promise<Answer> {
    const answer = await send(call);
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw errors.http(call, answer);
  }

  const parsed = <T>(call: Call, answer: Answer, parse: (body: unknown) => T): T =>
    parseAnswer(errors, call, answer, parse);

  return {
    jpd,
    baseUrl: target.url,
    admin: `an admin token on ${jpd}`,
    send,
    ok,
    async getJson(call, parse) {
      return parsed(call, await ok(call), parse);
    },
    parsed,
    httpError: errors.http,
    badBody: errors.badBody,
    htmlPage: errors.htmlPage,
    addSecret(secret) {
      redactor.add(secret);
    },
  };
}

/** Plain functions (no `this`), so they can be handed on detached. */
interface Errors {
  /** The answer with every secret redacted from its whole body, before anything is quoted. */
  readonly clean: (answer: Answer) => Answer;
  readonly remote: (call: Call, problem: Problem, cause?: Error) => RemoteError;
  readonly http: (call: Call, answer: Answer, hint?: string) => RemoteError;
  readonly badBody: (call: Call, answer: Answer, what: string) => RemoteError;
  readonly htmlPage: (call: Call, answer: Answer, expected: string) => RemoteError;
}

/** Every RemoteError is built here, so every message and hint passes the redactor. */
function createErrors(target: Target, redactor: Redactor, configLockRetries: number): Errors {
  const { jpd } = target;
  function remote(call: Call, problem: Problem, cause?: Error): RemoteError {
    const { status, serverMessage: message, hint } = problem;
    return new RemoteError(
      {
        jpd,
        method: call.method,
        path: target.path + call.path,
        ...(status === undefined ? {} : { status }),
        ...(message === undefined ? {} : { serverMessage: redactor.redact(message) }),
        ...(hint === undefined ? {} : { hint: redactor.redact(hint) }),
      },
      cause === undefined ? undefined : { cause },
    );
  }
  function badBody(call: Call, answer: Answer, what: string): RemoteError {
    return remote(call, { status: answer.status, hint: `unexpected response: ${what}` });
  }
  // Redacted before shortening: a secret cut in half by the 300-character limit would no
  // longer match, and its first half would be printed.
  const clean = (answer: Answer): Answer => ({ ...answer, text: redactor.redact(answer.text) });
  return {
    clean,
    remote,
    badBody,
    http(call, raw, hint) {
      const answer = clean(raw);
      return remote(call, {
        status: answer.status,
        serverMessage: serverMessage(answer.contentType, answer.text),
        hint: hint ?? statusHint(jpd, configLockRetries, call, answer),
      });
    },
    htmlPage(call, raw, expected) {
      const answer = clean(raw);
      const title = htmlTitle(answer.text);
      const page = title === undefined ? 'an HTML page' : `an HTML page titled "${title}"`;
      return badBody(
        call,
        answer,
        `expected ${expected}, got ${page}; is a proxy or a login page answering for Artifactory?`,
      );
    },
  };
}

/** An answer's JSON body, narrowed by `parse`; whatever is wrong with it becomes a RemoteError. */
function parseAnswer<T>(
  errors: Errors,
  call: Call,
  answer: Answer,
  parse: (body: unknown) => T,
): T {
  const kind = bodyKind(answer.contentType, answer.text);
  let body: unknown;
  if (kind === 'json') {
    try {
      body = JSON.parse(answer.text);
    } catch {
      throw errors.badBody(call, answer, 'the body is not valid JSON');
    }
  } else if (kind === 'html') {
    throw errors.htmlPage(call, answer, 'JSON');
  } else if (kind === 'empty') {
    throw errors.badBody(call, answer, 'expected JSON, got an empty body');
  } else {
    throw errors.badBody(
      call,
      answer,
      call.sensitive === true
        ? 'expected JSON, got text'
        : `expected JSON, got text "${shorten(errors.clean(answer).text, 120)}"`,
    );
  }
  try {
    return parse(body);
  } catch (error) {
    if (error instanceof ShapeError) throw errors.badBody(call, answer, error.message);
    throw error;
  }
}

function statusHint(
  jpd: string,
  configLockRetries: number,
  call: Call,
  answer: Answer,
): string | undefined {
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
  if (status === 405 && isLegacyStatusPath(call.path)) {
    return `the Artifactory Federation Service (RTFS) is enabled on ${jpd}, which answers the legacy federation status APIs with 405`;
  }
  if (status === 405 && call.path.startsWith('/artifactory/api/federation/status/')) {
    return `the Artifactory Federation Service (RTFS) is not enabled on ${jpd}; receiver mode and these status APIs need it`;
  }
  if (bodyKind(answer.contentType, answer.text) === 'html') {
    return "an HTML page is not Artifactory's API: is a proxy or a login page answering for it?";
  }
  return undefined;
}

/** The legacy engine's monitoring (JFrog's OpenAPI: "405 Method Not Allowed - RTFS is enabled"). */
function isLegacyStatusPath(path: string): boolean {
  return (
    path === '/artifactory/api/federation/state' ||
    path.startsWith('/artifactory/api/federation/status/repo/') ||
    path.startsWith('/artifactory/api/v2/federation/status/repo/') ||
    path.startsWith('/artifactory/api/federation/status/mirrorsLag') ||
    path.startsWith('/artifactory/api/federation/status/unavailableMirrors')
  );
}

/** Node's global fetch, looked up per call: msw replaces it after this module is loaded. */
const globalFetch: FetchLike = (url, init) =>
  // `as`: undici 7's Dispatcher type is not undici-types 6's (the one @types/node's RequestInit
  // names), though Node 20's fetch accepts it at run time (test/io/http/http-dispatcher.test.ts).
  fetch(url, init as unknown as RequestInit);

function withoutQuery(location: string): string {
  const cut = location.search(/[?#]/);
  return cut === -1 ? location : location.slice(0, cut);
}
