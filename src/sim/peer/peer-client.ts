/**
 * HTTP between simulated JPDs. Uses node:http directly, not global fetch, so that a process-wide
 * undici dispatcher (retries in bin.ts) or an msw interceptor in a test never alters peer traffic:
 * only what crosses the loopback network is shared between JPDs.
 */
import http from 'node:http';
import https from 'node:https';
import { isRecord } from '../http/http-util.js';

/** The peer could not be reached at all (refused, reset, timed out, or this JPD is offline). */
export class PeerUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PeerUnreachableError';
  }
}

/** The peer answered with an error status. */
export class PeerHttpError extends Error {
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  constructor(status: number, message: string, retryAfterMs: number | undefined) {
    super(message);
    this.name = 'PeerHttpError';
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface PeerRequest {
  readonly method: string;
  readonly url: string;
  readonly token?: string;
  readonly body?: unknown;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

function serverMessage(status: number, text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed) && Array.isArray(parsed['errors'])) {
      const first: unknown = parsed['errors'][0];
      if (isRecord(first) && typeof first['message'] === 'string') return first['message'];
    }
  } catch {
    // not JSON: use the text as is
  }
  return text === '' ? `HTTP ${status}` : text.slice(0, 500);
}

function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Sends one request; resolves with the parsed JSON body (or text) of a 2xx answer. */
export function peerRequest(request: PeerRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(request.url);
    } catch (error) {
      reject(new PeerUnreachableError(`invalid URL ${request.url}`, { cause: error }));
      return;
    }
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (request.token !== undefined) headers['Authorization'] = `Bearer ${request.token}`;
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    const transport = target.protocol === 'https:' ? https : http;
    // agent: false gives every request its own connection: no pooled socket outlives a peer that
    // went offline, and stop() never waits for idle keep-alive sockets.
    const req = transport.request(target, {
      method: request.method,
      headers,
      agent: false,
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    req.setTimeout(request.timeoutMs, () => {
      req.destroy(new Error(`timed out after ${request.timeoutMs} ms`));
    });
    req.on('error', (error) => {
      reject(
        new PeerUnreachableError(`${request.method} ${request.url}: ${error.message}`, {
          cause: error,
        }),
      );
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => {
        reject(
          new PeerUnreachableError(`${request.method} ${request.url}: ${error.message}`, {
            cause: error,
          }),
        );
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          reject(
            new PeerHttpError(
              status,
              serverMessage(status, text),
              parseRetryAfter(res.headers['retry-after']),
            ),
          );
          return;
        }
        const type = res.headers['content-type'] ?? '';
        if (type.includes('json') && text !== '') {
          try {
            resolve(JSON.parse(text) as unknown);
          } catch {
            reject(new PeerHttpError(status, `unparseable JSON from ${request.url}`, undefined));
          }
          return;
        }
        resolve(text);
      });
    });
    req.end(payload);
  });
}
