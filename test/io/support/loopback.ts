/**
 * A scripted HTTP(S) server on an ephemeral loopback port, for tests of the real transport (the
 * undici dispatcher) that msw cannot see. Each request is recorded with its arrival time and the
 * client's port (to observe keep-alive reuse), then handed to the test's `respond`.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** Date.now() when the request (with its body) had arrived. */
  readonly at: number;
  readonly remotePort: number | undefined;
}

/** `count` is how many requests to this method and URL have arrived, this one included. */
export type Respond = (
  req: SeenRequest,
  res: ServerResponse,
  count: number,
  raw: IncomingMessage,
) => void;

export interface Loopback {
  readonly url: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

export const tlsFixture = (name: 'ca.pem' | 'other-ca.pem' | 'server.pem' | 'server-key.pem') =>
  fileURLToPath(new URL(`./tls/${name}`, import.meta.url));

export async function startLoopback(
  respond: Respond,
  options: { tls?: boolean } = {},
): Promise<Loopback> {
  const seen: SeenRequest[] = [];
  const handler = (raw: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const req: SeenRequest = {
        method: raw.method ?? '',
        url: raw.url ?? '',
        headers: raw.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        remotePort: raw.socket.remotePort,
      };
      seen.push(req);
      const count = seen.filter((s) => s.method === req.method && s.url === req.url).length;
      respond(req, res, count, raw);
    });
  };
  const server: Server =
    options.tls === true
      ? createHttpsServer(
          {
            cert: readFileSync(tlsFixture('server.pem')),
            key: readFileSync(tlsFixture('server-key.pem')),
          },
          handler,
        )
      : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo; // `as`: a listening TCP server has an AddressInfo
  return {
    url: `${options.tls === true ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'text/plain', ...headers });
  res.end(text);
}
