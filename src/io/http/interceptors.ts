/**
 * The interceptors fedctl puts over undici's retry handler, outermost first: replayable bodies,
 * jitter and the time budget per request (retry-budget.ts), and fetch told of a connection once.
 */
import type { Dispatcher } from 'undici';
import { withinBudget, type Budget } from './retry-budget.js';

/**
 * Node's fetch hands the dispatcher its request body as a one-shot async generator. undici's
 * RetryHandler wraps that generator but dispatches the first attempt with the original, so its
 * "body already used" check never trips and a retry goes out with an empty body and a stale
 * Content-Length (UND_ERR_REQ_CONTENT_LENGTH_MISMATCH; reproduced with Node 20.20 + undici 7.30).
 * Buffering the (small, JSON) body first makes every attempt send the same bytes.
 *
 * undici's default retry policy has no jitter; scaling the first delay by a random factor in
 * [0.5, 1] per request keeps concurrent requests from retrying in lockstep while leaving the
 * exponential schedule, the caps and Retry-After handling to undici.
 */
export function replayableBodyWithJitter(
  budget: Budget & { readonly minTimeoutMs: number },
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, outer) => {
    const handler = connectOnce(outer);
    // RetryHandler reads request-level `retryOptions` (interceptors.retry merges them); the
    // budget's clock starts here, at the request's first attempt.
    const withJitter = {
      ...opts,
      retryOptions: {
        minTimeout: Math.round(budget.minTimeoutMs * (0.5 + Math.random() / 2)),
        retry: withinBudget(budget),
      },
    };
    const body: unknown = opts.body;
    if (!isAsyncIterable(body)) return dispatch(withJitter, handler);
    collect(body).then(
      (bytes) => dispatch({ ...withJitter, body: bytes }, handler),
      (error: unknown) => {
        failHandler(handler, error instanceof Error ? error : new Error(String(error)));
      },
    );
    return true;
  };
}

/**
 * undici's RetryHandler starts every attempt with the caller's `onConnect` (`onRequestStart`), and
 * Node's fetch registers a `terminated` listener on its request controller each time it is called
 * (undici lib/web/fetch: `fetchParams.controller.on('terminated', abort)`). Past ten retries that
 * is Node's MaxListenersExceededWarning "11 terminated listeners added to [Fetch]": not a leak,
 * since the controller lives as long as the request, but a real warning on stderr. fetch is told
 * once; its abort goes to whichever attempt is current, and an abort between attempts stops the
 * next one as it starts.
 */
function connectOnce(handler: Dispatcher.DispatchHandler): Dispatcher.DispatchHandler {
  let current: ((reason?: Error) => void) | undefined;
  let aborted: { reason: Error | undefined } | undefined;
  let told = false;
  const forward = (reason?: Error): void => {
    aborted = { reason };
    current?.(reason);
  };
  /** Node 20's fetch passes a v1 handler (`onConnect(abort)`), a newer one `onRequestStart`. */
  function onConnect(abort: (reason?: Error) => void, context: unknown): void {
    current = abort;
    if (aborted !== undefined) {
      abort(aborted.reason);
      return;
    }
    if (told) return;
    told = true;
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the v1 slot fetch reads
    (handler.onConnect as ((abort: (r?: Error) => void, ctx: unknown) => void) | undefined)?.call(
      handler,
      forward,
      context,
    );
  }
  function onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    latest = controller;
    current = (reason) => {
      controller.abort(reason ?? new Error('aborted'));
    };
    if (aborted !== undefined) {
      current(aborted.reason);
      return;
    }
    if (told) return;
    told = true;
    handler.onRequestStart?.call(handler, stable, context);
  }
  let latest: Dispatcher.DispatchController | undefined;
  // The caller holds this one controller for the whole request; it acts on the current attempt.
  const stable: Dispatcher.DispatchController = {
    get aborted() {
      return aborted !== undefined || latest?.aborted === true;
    },
    get paused() {
      return latest?.paused ?? false;
    },
    get reason() {
      return aborted?.reason ?? latest?.reason ?? null;
    },
    abort: (reason) => {
      forward(reason);
    },
    pause: () => latest?.pause(),
    resume: () => latest?.resume(),
  };
  return new Proxy(handler, {
    get(target, key, receiver) {
      if (key === 'onConnect' && 'onConnect' in target) return onConnect;
      if (key === 'onRequestStart' && 'onRequestStart' in target) return onRequestStart;
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? (value.bind(target) as unknown) : value;
    },
  });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

async function collect(body: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) {
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    else throw new TypeError('request body chunks must be bytes or strings');
  }
  return Buffer.concat(chunks);
}

/** Reports a failure before dispatch to either handler generation (see the file comment). */
function failHandler(handler: Dispatcher.DispatchHandler, error: Error): void {
  if (handler.onResponseError !== undefined) {
    handler.onResponseError(abortedController(error), error);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- Node 20's fetch passes a v1 handler
  handler.onError?.(error);
}

function abortedController(reason: Error): Dispatcher.DispatchController {
  return {
    aborted: true,
    paused: false,
    reason,
    abort: () => undefined,
    pause: () => undefined,
    resume: () => undefined,
  };
}
