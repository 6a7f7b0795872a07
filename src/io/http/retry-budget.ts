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
 * undici's policy, within a time budget: no retry once the budget is spent, no wait that would
 * end past it (the backoff's cap shrinks to what is left), and a `Retry-After` beyond it ends
 * retrying at once, handing the server's answer back.
 */
export function withinBudget(budgetMs: number, maxTimeoutMs: number): RetryCallback {
  const policy = (undiciRetry ??= undiciRetryPolicy());
  const end = Date.now() + budgetMs;
  return (error, context, callback) => {
    const left = end - Date.now();
    const asked = retryAfterMs(error);
    if (left <= 0 || (asked !== undefined && Math.min(asked, maxTimeoutMs) > left)) {
      callback(error);
      return;
    }
    const retryOptions = { ...context.opts.retryOptions, maxTimeout: Math.min(maxTimeoutMs, left) };
    policy(error, { state: context.state, opts: { ...context.opts, retryOptions } }, callback);
  };
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
