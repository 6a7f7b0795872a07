/**
 * A small hostile JPD for the tests in this folder: a real `node:http` server on an ephemeral
 * loopback port that answers fedctl's reads however a scenario says (broken JSON, HTML, huge or
 * trickling bodies, redirects, echoed tokens), and records every request it gets: method, path,
 * Authorization header, and how many response bytes it managed to send before the client hung up.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
}

export interface HostileServer {
  readonly url: string;
  readonly seen: Seen[];
  /** Response body bytes written, over all requests. */
  readonly bytesSent: () => number;
  /** PUT, POST and DELETE requests: a read-only failure must not have sent any. */
  readonly writes: () => Seen[];
  close(): Promise<void>;
}

export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Counts body bytes written through it. */
  write(chunk: Buffer | string): boolean;
}

export type Scenario = (exchange: Exchange) => void;

export async function startHostile(scenario: Scenario): Promise<HostileServer> {
  const seen: Seen[] = [];
  let sent = 0;
  const server = createServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
    });
    req.resume();
    scenario({
      req,
      res,
      write(chunk) {
        sent += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        return res.write(chunk);
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo; // `as`: a listening TCP server has an AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    bytesSent: () => sent,
    writes: () => seen.filter((s) => s.method !== 'GET' && s.method !== 'HEAD'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Streams `total` bytes of `fill` in 64 KiB chunks, honouring backpressure, until the client leaves. */
export function stream(exchange: Exchange, total: number, fill = ' '): void {
  const chunk = Buffer.alloc(64 * 1024, fill);
  let left = total;
  const pump = (): void => {
    while (left > 0 && !exchange.res.destroyed) {
      left -= chunk.length;
      if (!exchange.write(left >= 0 ? chunk : chunk.subarray(0, chunk.length + left))) {
        exchange.res.once('drain', pump);
        return;
      }
    }
    if (!exchange.res.destroyed) exchange.res.end();
  };
  pump();
}

export interface MemberJson {
  readonly url: string;
  readonly mode: string;
  readonly enabled: boolean;
}

/** A federated repository configuration as Artifactory sends it in the configurations list. */
export function federatedRepo(
  key: string,
  members: readonly MemberJson[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { key, rclass: 'federated', packageType: 'generic', members, ...extra };
}

/** A JPD that answers every read with what a converged federation looks like, and nothing else. */
export function converged(repos: () => readonly unknown[]): Scenario {
  return ({ req, res }) => {
    // Under any path prefix: one server can play several JPDs at /<name>/artifactory.
    const path = (req.url ?? '').replace(/^\/[^/]+(?=\/artifactory\/)/, '');
    if (path.startsWith('/artifactory/api/repositories/configurations')) {
      json(res, 200, { FEDERATED: repos() });
    } else if (path.startsWith('/artifactory/api/repositories')) {
      json(res, 200, []);
    } else {
      json(res, 404, { errors: [{ status: 404, message: 'Not Found' }] });
    }
  };
}
