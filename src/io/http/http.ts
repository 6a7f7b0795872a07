/**
 * The HTTP transport under the Artifactory client: one undici dispatcher per JPD (a keep-alive
 * pool with connect/headers/body timeouts, TLS roots, and undici's own retry handler).
 *
 * The client never calls `undici.request` or `undici.fetch`: it calls Node's global `fetch` and
 * hands it one of these dispatchers (`fetch(url, { dispatcher })`), so msw can still intercept
 * every request in tests. Node 20's built-in fetch is undici 6 while this package is undici 7;
 * undici 7 still accepts the legacy (v1) handler that fetch passes to a dispatcher, and its
 * `setGlobalDispatcher` writes both the v1 and v2 global slots, so both routes work with Node 20's
 * fetch (verified over loopback in test/io/http/http-dispatcher.test.ts). undici 8 dropped the v1
 * handler: do not upgrade past 7 while Node 20 (undici 6 fetch) is supported.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, interceptors, setGlobalDispatcher } from 'undici';
import type { Dispatcher } from 'undici';
import { FedctlError } from '../../core/errors.js';
import { replayableBodyWithJitter } from './interceptors.js';
import { observeAttempts, type RequestObserver } from './request-log.js';

export {
  describeTransportError,
  type TransportFailure,
  type TransportLimits,
} from './transport-errors.js';

export type { Dispatcher } from 'undici';

export interface RetryPolicy {
  /**
   * Most retries after the first attempt (undici `maxRetries`). By default high enough that the
   * time budget, not the count, is what ends retrying.
   */
  readonly maxRetries: number;
  /**
   * Time from a request's first attempt after which it is not retried again, and no wait may
   * end beyond it (a 429 storm must converge in one run when the JPD recovers within
   * it). A `Retry-After` that would end past the budget stops retrying at once.
   */
  readonly budgetMs: number;
  /** First backoff delay (undici `minTimeout`), before jitter. */
  readonly minTimeoutMs: number;
  /** Cap on any single wait, including a server's `Retry-After` (undici `maxTimeout`). */
  readonly maxTimeoutMs: number;
  /** Backoff growth per attempt (undici `timeoutFactor`). */
  readonly timeoutFactor: number;
  /**
   * How long a JPD that does not answer at all (connect timeouts, refused or reset connections)
   * is retried before fedctl gives up on it: 15 s by default, so one JPD that is down cannot hold
   * a nightly report for the two minutes of the retry budget (`FEDCTL_CONNECT_BUDGET`).
   */
  readonly unreachableBudgetMs?: number;
}

export interface HttpOptions {
  /** One connection attempt (`FEDCTL_CONNECT_TIMEOUT`); a silent host costs this per attempt. */
  readonly connectTimeoutMs: number;
  /** Time to wait for response headers; a dry-run full sync answers only when it is done. */
  readonly headersTimeoutMs: number;
  /** Longest silence while a response body is streaming. */
  readonly bodyTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** Sockets per origin; the client's concurrency cap keeps requests at or below it. */
  readonly connections: number;
  readonly retry: RetryPolicy;
  /**
   * A PEM file of extra CA certificates for this JPD (a private CA). Added to Node's roots and to
   * the certificates in `NODE_EXTRA_CA_CERTS`, never instead of them.
   */
  readonly caFile?: string;
}

/** Options as a caller passes them: everything optional, retry policy merged field by field. */
export type HttpOptionsInput = Partial<Omit<HttpOptions, 'retry'>> & {
  readonly retry?: Partial<RetryPolicy>;
};

/** How long a JPD that does not answer at all is retried (FEDCTL_CONNECT_BUDGET). */
export const DEFAULT_UNREACHABLE_BUDGET_MS = 15_000;

export const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 60_000,
  bodyTimeoutMs: 60_000,
  keepAliveTimeoutMs: 30_000,
  connections: 8,
  retry: {
    maxRetries: 1_000,
    budgetMs: 120_000,
    minTimeoutMs: 500,
    maxTimeoutMs: 30_000,
    timeoutFactor: 2,
    unreachableBudgetMs: DEFAULT_UNREACHABLE_BUDGET_MS,
  },
};

/**
 * Statuses undici retries. 500 is left out on purpose: Artifactory uses it for real errors, and its
 * config-lock contention ("Could not merge and save new descriptor") can only be recognised from
 * the body, which undici's retry handler never reads; the client retries that one itself.
 */
export const RETRY_STATUS_CODES: readonly number[] = [429, 502, 503, 504];

/**
 * Errors undici may retry. A JPD that refuses, resets or does not accept connections is retried
 * within the short unreachable budget (retry-budget.ts), so a restart is ridden out and a JPD that
 * is down (or a wrong URL) is given up on within seconds. DNS failures are not retried: they mean
 * a wrong URL far more often than a blip. A slow answer (no headers within the timeout) is retried
 * within the whole budget, for reads only (retry-budget.ts).
 */
export const RETRY_ERROR_CODES: readonly string[] = [
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
];

/**
 * POST is retried too: fedctl's POSTs are idempotent in effect (an update sends the whole member
 * list; configSync and fullSync can be repeated; a second pairing token just expires unused).
 */
export const RETRY_METHODS: readonly Dispatcher.HttpMethod[] = [
  'GET',
  'HEAD',
  'PUT',
  'POST',
  'DELETE',
];

export function resolveHttpOptions(input: HttpOptionsInput = {}): HttpOptions {
  const { retry, ...rest } = input;
  return { ...DEFAULT_HTTP_OPTIONS, ...rest, retry: { ...DEFAULT_HTTP_OPTIONS.retry, ...retry } };
}

/**
 * The CA list for a JPD with its own CA file. Passing `ca` to TLS replaces Node's default trust
 * store, including what `NODE_EXTRA_CA_CERTS` added at startup, so all three are combined here.
 * Without a CA file nothing is passed and Node's defaults (with NODE_EXTRA_CA_CERTS) apply.
 */
export function caCertificates(
  caFile: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string[] | undefined {
  if (caFile === undefined) return undefined;
  const extra = env['NODE_EXTRA_CA_CERTS'];
  return [
    ...rootCertificates,
    ...(extra === undefined || extra === '' ? [] : [readPem(extra, 'NODE_EXTRA_CA_CERTS')]),
    readPem(caFile, 'caFile'),
  ];
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : '';
    throw new FedctlError(`cannot read the CA certificates in ${file}, named by ${what}${code}`, {
      code: 'E_FILE_READ',
    });
  }
}

/**
 * Builds the dispatcher for one JPD: an `Agent` (keep-alive pool, timeouts, TLS) under undici's
 * retry interceptor (`RetryHandler`: exponential backoff, `Retry-After` in seconds or as an HTTP
 * date, capped attempts), under a small interceptor that makes request bodies replayable and
 * jitters the backoff per request.
 */
export function createHttpDispatcher(
  input: HttpOptionsInput = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
  observer?: RequestObserver,
): Dispatcher {
  const options = resolveHttpOptions(input);
  const ca = caCertificates(options.caFile, env);
  const agent = new Agent({
    connect: {
      timeout: options.connectTimeoutMs,
      rejectUnauthorized: true,
      ...(ca === undefined ? {} : { ca }),
    },
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    connections: options.connections,
  });
  // interceptors.retry rather than RetryAgent: it is the same RetryHandler, but it merges
  // per-request `retryOptions`, which is how each request gets its own jittered first delay.
  // compose() applies interceptors inside-out: the last one listed sees the request first.
  return agent.compose(
    // Innermost: sees every attempt, so the debug log has one line per request sent.
    ...(observer === undefined ? [] : [observeAttempts(observer)]),
    interceptors.retry({
      maxRetries: options.retry.maxRetries,
      minTimeout: options.retry.minTimeoutMs,
      maxTimeout: options.retry.maxTimeoutMs,
      timeoutFactor: options.retry.timeoutFactor,
      retryAfter: true,
      statusCodes: [...RETRY_STATUS_CODES],
      errorCodes: [...RETRY_ERROR_CODES],
      methods: [...RETRY_METHODS],
      // Hand the last response (a 503 with Artifactory's own message) to fetch once retries are
      // spent, instead of an opaque RequestRetryError.
      throwOnError: false,
    }),
    replayableBodyWithJitter({
      budgetMs: options.retry.budgetMs,
      maxTimeoutMs: options.retry.maxTimeoutMs,
      minTimeoutMs: options.retry.minTimeoutMs,
      unreachableMs: options.retry.unreachableBudgetMs ?? DEFAULT_UNREACHABLE_BUDGET_MS,
      connectTimeoutMs: options.connectTimeoutMs,
      headersTimeoutMs: options.headersTimeoutMs,
    }),
  );
}

/** Installs the default dispatcher for any fetch that is not given one (bin.ts, at start-up). */
export function installGlobalDispatcher(input: HttpOptionsInput = {}): Dispatcher {
  const dispatcher = createHttpDispatcher(input);
  setGlobalDispatcher(dispatcher);
  return dispatcher;
}
