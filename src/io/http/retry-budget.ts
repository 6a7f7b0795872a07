/**
 * A time budget over undici's retry policy (under a 429 storm convergence took
 * 4 runs, because retries ended after a count). undici still decides what is retried and how long
 * to wait (exponential backoff, `Retry-After`); this only stops it once the budget is spent.
 */
import { RetryHandler } from 'undici';
import { InternalError } from '../../core/errors.js';

type RetryCallback = NonNullable<RetryHandler.RetryOptions['retry']>;

/**
 * undici's own retry policy: which statuses, error codes and methods to retry, the exponential
 * backoff and `Retry-After`. undici keeps it as the one symbol-keyed static of RetryHandler
 * (lib/handler/retry-handler.js, `kRetryHandlerDefaultRetry`) and does not export it; fedctl
 * wraps it rather than copy it. test/io/http/retry-budget.test.ts fails if undici moves it.
 */
export function undiciRetryPolicy(): RetryCallback {
  // `as`: a class is an object whose symbol-keyed statics are looked at one by one.
  const statics = RetryHandler as unknown as Readonly<Record<symbol, unknown>>;
  const found = Object.getOwnPropertySymbols(RetryHandler)
    .map((key) => statics[key])
    .filter((value): value is RetryCallback => typeof value === 'function');
  const [policy] = found;
  if (found.length !== 1 || policy === undefined) {
    throw new InternalError("undici's default retry policy is no longer where http.ts looks");
  }
  return policy;
}

let undiciRetry: RetryCallback | undefined;

/**
 * Errors that mean the JPD was not reached at all: nothing answered, the connection was refused,
 * or it was closed before an answer. They share a shorter budget than answers do (`unreachableMs`),
 * so a JPD that is down is given up on in seconds, not after the two minutes a 429 storm may take.
 */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Methods whose slow answer (no headers within the timeout) may be asked again. */
const READS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

export interface Budget {
  /** Time from the first attempt after which nothing is retried. */
  readonly budgetMs: number;
  /** Cap on one wait. */
  readonly maxTimeoutMs: number;
  /**
   * Time without any answer from the JPD (refused, reset, connect timeouts only) after which
   * retrying stops; counted from the first attempt or the last answer, whichever is later.
   */
  readonly unreachableMs: number;
  /** One connection attempt's limit: a retry is not started unless it can end within budget. */
  readonly connectTimeoutMs: number;
  /** The wait for an answer's headers: a slow read is asked again only if it fits as well. */
  readonly headersTimeoutMs: number;
}

/**
 * undici's policy, within a time budget: no retry once the budget is spent, no wait that would
 * end past it (the backoff's cap shrinks to what is left), and a `Retry-After` beyond it ends
 * retrying at once, handing the server's answer back. A JPD that does not answer at all gets the
 * shorter `unreachableMs`, and a retry only when a whole connection attempt still fits in it.
 * A slow answer (headers timeout) is retried for reads only: a write may have been done.
 */
export function withinBudget(budget: Budget): RetryCallback {
  const policy = (undiciRetry ??= undiciRetryPolicy());
  const start = Date.now();
  const end = start + budget.budgetMs;
  let lastAnswer = start;
  return (error, context, callback) => {
    const now = Date.now();
    const code = errorCode(error);
    if (code === undefined) lastAnswer = now;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' && !READS.has(context.opts.method)) {
      callback(error);
      return;
    }
    const unreachable = code !== undefined && UNREACHABLE_CODES.has(code);
    const left = unreachable
      ? Math.min(end, lastAnswer + budget.unreachableMs) - now - budget.connectTimeoutMs
      : code === 'UND_ERR_HEADERS_TIMEOUT'
        ? end - now - budget.headersTimeoutMs
        : end - now;
    const asked = retryAfterMs(error);
    if (left <= 0 || (asked !== undefined && Math.min(asked, budget.maxTimeoutMs) > left)) {
      callback(error);
      return;
    }
    const retryOptions = {
      ...context.opts.retryOptions,
      maxTimeout: Math.min(budget.maxTimeoutMs, left),
    };
    policy(error, { state: context.state, opts: { ...context.opts, retryOptions } }, callback);
  };
}

function errorCode(error: Error): string | undefined {
  const code: unknown = 'code' in error ? error.code : undefined;
  // undici's RequestRetryError (a retryable status) carries UND_ERR_REQ_RETRY: an answer.
  return typeof code === 'string' && code !== 'UND_ERR_REQ_RETRY' ? code : undefined;
}

/** A server's `Retry-After` (seconds or an HTTP date) on the response undici is deciding about. */
function retryAfterMs(error: Error): number | undefined {
  const headers: unknown = 'headers' in error ? error.headers : undefined;
  if (typeof headers !== 'object' || headers === null || !('retry-after' in headers)) {
    return undefined;
  }
  const value = String(headers['retry-after']);
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date - Date.now();
}
