/**
 * The request core of the Artifactory client: the one place that calls `fetch`, over global `fetch`
 * (so msw can intercept it) with a per-JPD undici dispatcher from `../http/http.ts` (keep-alive pool,
 * timeouts, TLS, retries). Every failure becomes a `RemoteError` naming the JPD, method, path,
 * status and the server's own message; secrets never reach an error.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { RemoteError } from '../../core/errors.js';
import { describeTransportError, resolveHttpOptions } from '../http/http.js';
import type { Dispatcher, HttpOptions, HttpOptionsInput } from '../http/http.js';
import { DEFAULT_MAX_RESPONSE_BYTES, ResponseTooLarge, readBody } from './body.js';
import { Redactor } from './redact.js';
import { CONFIG_LOCK, createErrors, parseAnswer, type Errors } from './remote-errors.js';
import type { Answer, Call, Target } from './types.js';

export type { Answer, Call, Target } from './types.js';

/** The subset of `RequestInit` the client passes to fetch. */
export interface FetchInit {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  readonly redirect: 'manual';
  /** An undici 7 dispatcher; Node 20's fetch (undici 6) accepts it (see ../http/http.ts). */
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
  /** Largest response body read; a larger one fails the request. */
  readonly maxResponseBytes?: number;
  /** Extra attempts when Artifactory reports config-lock contention. */
  readonly configLockRetries?: number;
  readonly configLockDelayMs?: number;
}

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_CONFIG_LOCK_RETRIES = 5;
export const DEFAULT_CONFIG_LOCK_DELAY_MS = 1_000;

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
  const { jpd } = target;
  const redactor = new Redactor();
  redactor.add(target.token);

  const http = resolveHttpOptions(options.http);
  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  const deadlineMs = options.deadlineMs ?? http.retry.budgetMs + http.headersTimeoutMs;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const configLockRetries = options.configLockRetries ?? DEFAULT_CONFIG_LOCK_RETRIES;
  const configLockDelayMs = options.configLockDelayMs ?? DEFAULT_CONFIG_LOCK_DELAY_MS;
  const errors = createErrors(target, redactor, configLockRetries);

  const exchange: Exchange = {
    target,
    dispatcher,
    fetch: options.fetch ?? globalFetch,
    http,
    deadlineMs,
    maxResponseBytes,
    errors,
  };
  /** One request under the concurrency cap. */
  const attempt = (call: Call): Promise<Answer> => limit(() => exchangeOnce(exchange, call));

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

/** What one HTTP exchange with a JPD needs. */
interface Exchange {
  readonly target: Target;
  readonly dispatcher: Dispatcher;
  readonly fetch: FetchLike;
  readonly http: HttpOptions;
  readonly deadlineMs: number;
  readonly maxResponseBytes: number;
  readonly errors: Errors;
}

/** One request and its body, read up to the limit; transport failures become RemoteErrors. */
async function exchangeOnce(x: Exchange, call: Call): Promise<Answer> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${x.target.token}`,
    accept: 'application/json, text/plain;q=0.9, */*;q=0.1',
    'user-agent': 'fedctl',
  };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const init: FetchInit = {
    method: call.method,
    headers,
    signal: AbortSignal.timeout(x.deadlineMs),
    redirect: 'manual',
    dispatcher: x.dispatcher,
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
  };
  let response: Response;
  try {
    response = await x.fetch(x.target.url + call.path, init);
  } catch (error) {
    throw transportError(x, call, error);
  }
  let text: string;
  try {
    text = await readBody(response, x.maxResponseBytes);
  } catch (error) {
    if (error instanceof ResponseTooLarge) {
      throw x.errors.remote(call, { status: response.status, hint: error.message });
    }
    throw transportError(x, call, error);
  }
  const location = response.headers.get('location');
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text,
    ...(location === null ? {} : { location }),
  };
}

function transportError(x: Exchange, call: Call, error: unknown): RemoteError {
  const failure = describeTransportError(error, { ...x.http, deadlineMs: x.deadlineMs });
  return x.errors.remote(
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

/** Node's global fetch, looked up per call: msw replaces it after this module is loaded. */
const globalFetch: FetchLike = (url, init) =>
  // `as`: undici 7's Dispatcher type is not undici-types 6's (the one @types/node's RequestInit
  // names), though Node 20's fetch accepts it at run time (test/io/http/http-dispatcher.test.ts).
  fetch(url, init as unknown as RequestInit);
