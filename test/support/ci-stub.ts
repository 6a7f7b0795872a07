/**
 * A loopback stub of the two comment APIs the recipes call, recording every request: GitHub's
 * issue comments (`/repos/{owner}/{repo}/issues/{n}/comments`, `PATCH .../issues/comments/{id}`)
 * and GitLab's merge request notes (`/api/v4/projects/{id}/merge_requests/{iid}/notes[/{id}]`).
 * It keeps the comments, so a second run finds the first one's by its marker.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  readonly method: string;
  readonly path: string;
  readonly auth: string | undefined;
  readonly body: string;
}

export interface CommentStub {
  readonly url: string;
  readonly requests: StubRequest[];
  /** The comments (notes) of each thread, by thread path. */
  readonly threads: Map<string, { id: number; body: string }[]>;
  close(): Promise<void>;
}

export async function startCommentStub(): Promise<CommentStub> {
  const requests: StubRequest[] = [];
  const threads = new Map<string, { id: number; body: string }[]>();
  let nextId = 100;
  const handle = (req: IncomingMessage, res: ServerResponse, text: string): void => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const auth = req.headers['authorization'] ?? req.headers['private-token'];
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      auth: Array.isArray(auth) ? auth.join(',') : auth,
      body: text,
    });
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const list =
      /^(\/repos\/[^/]+\/[^/]+\/issues\/\d+)\/comments$/.exec(url.pathname) ??
      /^(\/api\/v4\/projects\/\d+\/merge_requests\/\d+)\/notes$/.exec(url.pathname);
    const one =
      /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname) ??
      /^\/api\/v4\/projects\/\d+\/merge_requests\/\d+\/notes\/(\d+)$/.exec(url.pathname);
    if (list?.[1] !== undefined) {
      const thread = threads.get(list[1]) ?? [];
      threads.set(list[1], thread);
      if (req.method === 'GET') {
        const page = Number(url.searchParams.get('page') ?? '1');
        const per = Number(url.searchParams.get('per_page') ?? '30');
        send(200, thread.slice((page - 1) * per, page * per));
        return;
      }
      if (req.method === 'POST') {
        const comment = { id: nextId++, body: (JSON.parse(text) as { body: string }).body };
        thread.push(comment);
        send(201, comment);
        return;
      }
    }
    if (one?.[1] !== undefined && (req.method === 'PATCH' || req.method === 'PUT')) {
      const id = Number(one[1]);
      const found = [...threads.values()].flat().find((c) => c.id === id);
      if (found === undefined) {
        send(404, { message: 'Not Found' });
        return;
      }
      found.body = (JSON.parse(text) as { body: string }).body;
      send(200, found);
      return;
    }
    send(404, { message: 'Not Found' });
  };
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (d: string) => (text += d));
    req.on('end', () => {
      handle(req, res, text);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo; // a TCP server's address is an AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    threads,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => {
          done();
        });
      }),
  };
}
