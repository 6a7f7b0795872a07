/**
 * The real transport over loopback: Node 20's global fetch driving the undici 7 dispatcher from
 * src/io/http/http.ts. msw replaces fetch, so none of this (retries, timeouts, TLS, keep-alive) can be
 * seen in the msw tests; these start their own node:http(s) servers on ephemeral ports.
 */
import { getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteError } from '../../../src/core/errors.js';
import { createArtifactoryClient } from '../../../src/io/artifactory/client.js';
import type {
  ArtifactoryClientOptions,
  ClosableArtifactoryClient,
} from '../../../src/io/artifactory/client.js';
import type { FederatedRepositoryBody } from '../../../src/io/artifactory/types.js';
import { caCertificates, createHttpDispatcher } from '../../../src/io/http/http.js';
import { sendJson, sendText, startLoopback, tlsFixture } from '../support/loopback.js';
import type { Loopback, Respond } from '../support/loopback.js';

const TOKEN = 'loopback-secret-token-7f3a9c';
const FAST = { maxRetries: 3, minTimeoutMs: 5, maxTimeoutMs: 20 };
const VERSION = { version: '7.104.2', revision: '710402900', addons: ['federation'] };

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function serve(respond: Respond, tls = false): Promise<Loopback> {
  const server = await startLoopback(respond, { tls });
  open.push(server);
  return server;
}

function clientFor(
  server: Loopback,
  overrides: Partial<ArtifactoryClientOptions> = {},
): ClosableArtifactoryClient {
  const client = createArtifactoryClient({
    jpd: 'jpd-a',
    baseUrl: server.url,
    token: TOKEN,
    configLockDelayMs: 5,
    ...overrides,
    http: {
      headersTimeoutMs: 5_000,
      ...overrides.http,
      retry: { ...FAST, ...overrides.http?.retry },
    },
  });
  open.push(client);
  return client;
}

async function rejection(promise: Promise<unknown>): Promise<RemoteError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  if (!(error instanceof RemoteError)) throw new Error('unreachable');
  expect(error.message).not.toContain(TOKEN);
  return error;
}

const body: FederatedRepositoryBody = {
  rclass: 'federated',
  packageType: 'generic',
  members: [{ url: 'https://jpd-b.example.com/artifactory/libs', enabled: true, mode: 'receiver' }],
};

describe('retries (undici RetryHandler under Node 20 fetch)', () => {
  it('retries a 503 and returns the later success', async () => {
    const server = await serve((_req, res, n) => {
      if (n === 1) sendText(res, 503, 'busy');
      else sendJson(res, 200, VERSION);
    });
    await expect(clientFor(server).version()).resolves.toMatchObject({ version: '7.104.2' });
    expect(server.seen).toHaveLength(2);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    const server = await serve((_req, res, n) => {
      if (n === 1) sendText(res, 429, 'slow down', { 'retry-after': '1' });
      else sendJson(res, 200, VERSION);
    });
    await clientFor(server, { http: { retry: { maxTimeoutMs: 3_000 } } }).version();
    const [first, second] = server.seen;
    expect(second).toBeDefined();
    // FAST would retry after 5 ms; the header asked for 1 s.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('honours Retry-After as an HTTP date on a 429', async () => {
    const server = await serve((_req, res, n) => {
      // HTTP dates have whole seconds: this asks for a wait between 1 and 2 s.
      if (n === 1) {
        const at = new Date(Date.now() + 2_000).toUTCString();
        sendText(res, 429, 'slow down', { 'retry-after': at });
      } else sendJson(res, 200, VERSION);
    });
    await clientFor(server, { http: { retry: { maxTimeoutMs: 3_000 } } }).version();
    const [first, second] = server.seen;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(700);
  });

  it('resends the same body when a PUT meets a 503 (fetch bodies are one-shot streams)', async () => {
    const server = await serve((_req, res, n) => {
      if (n === 1) sendText(res, 503, 'busy');
      else sendText(res, 200, "Successfully created repository 'libs'");
    });
    await clientFor(server).createRepository('libs', body);
    expect(server.seen).toHaveLength(2);
    const [first, second] = server.seen;
    expect(first?.body).not.toBe('');
    expect(second?.body).toBe(first?.body);
    expect(JSON.parse(second?.body ?? '')).toMatchObject({
      key: 'libs',
      members: [{ mode: 'receiver' }],
    });
  });

  it('retries a connection destroyed mid-request, body included', async () => {
    const server = await serve((_req, res, n, raw) => {
      if (n === 1) raw.socket.destroy();
      else sendText(res, 200, 'ok');
    });
    await clientFor(server).updateRepository('libs', { members: body.members });
    expect(server.seen).toHaveLength(2);
    expect(server.seen[1]?.body).toBe(server.seen[0]?.body);
    expect(server.seen[1]?.body).toContain('"mode":"receiver"');
  });

  it('stops after maxRetries and reports the last answer with the server message', async () => {
    const server = await serve((_req, res) => {
      sendJson(res, 503, { errors: [{ status: 503, message: 'down for maintenance' }] });
    });
    const error = await rejection(
      clientFor(server, { http: { retry: { maxRetries: 2 } } }).version(),
    );
    expect(server.seen).toHaveLength(3);
    expect(error.details).toMatchObject({
      jpd: 'jpd-a',
      method: 'GET',
      path: '/artifactory/api/system/version',
      status: 503,
      serverMessage: 'down for maintenance',
    });
    expect(error.message).toContain('still after retries');
  });

  it('stops at the client deadline however many retries are left', async () => {
    const server = await serve((_req, res) => {
      sendText(res, 503, 'busy', { 'retry-after': '1' });
    });
    const started = Date.now();
    const error = await rejection(
      clientFor(server, {
        deadlineMs: 300,
        http: { retry: { maxRetries: 50, maxTimeoutMs: 3_000 } },
      }).version(),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(server.seen).toHaveLength(1);
    expect(error.details.hint).toContain('no complete answer within 300 ms (client deadline');
  });

  it('gives up on a connection that keeps being reset', async () => {
    const server = await serve((_req, _res, _n, raw) => {
      raw.socket.destroy();
    });
    const error = await rejection(clientFor(server).version());
    expect(server.seen).toHaveLength(FAST.maxRetries + 1);
    expect(error.details.status).toBeUndefined();
    expect(error.details.hint).toContain('connection reset');
  });

  it('does not retry a refused connection', async () => {
    const server = await serve(() => undefined);
    const client = clientFor(server);
    await server.close();
    const error = await rejection(client.version());
    expect(error.details.hint).toBe('connection refused; is the base URL right?');
  });
});

describe('timeouts', () => {
  it('maps a headers timeout to a clear error; a read is asked again within the budget', async () => {
    const server = await serve(() => undefined); // never answers
    const error = await rejection(
      clientFor(server, {
        http: { headersTimeoutMs: 100, retry: { budgetMs: 5_000, minTimeoutMs: 10 } },
      }).version(),
    );
    expect(error.details.hint).toBe('no response headers within 100 ms');
    expect(server.seen.length).toBeGreaterThan(1);
  });

  it('does not resend a write whose answer was slow: it may have been done', async () => {
    const server = await serve(() => undefined); // never answers
    const error = await rejection(
      clientFor(server, {
        http: { headersTimeoutMs: 100, retry: { budgetMs: 5_000, minTimeoutMs: 10 } },
      }).createRepository('libs', body),
    );
    expect(error.details.hint).toBe('no response headers within 100 ms');
    expect(server.seen).toHaveLength(1);
  });
});

describe('config-lock contention (retried by the client, undici cannot read bodies)', () => {
  const locked = {
    errors: [{ status: 500, message: 'Could not merge and save new descriptor [x]' }],
  };

  it('retries until the descriptor is free', async () => {
    const server = await serve((_req, res, n) => {
      if (n <= 2) sendJson(res, 500, locked);
      else sendText(res, 200, 'ok');
    });
    await clientFor(server).createRepository('libs', body);
    expect(server.seen.map((s) => s.method)).toEqual(['PUT', 'PUT', 'PUT']);
  });

  it('gives up after configLockRetries', async () => {
    const server = await serve((_req, res) => {
      sendJson(res, 500, locked);
    });
    const error = await rejection(
      clientFor(server, { configLockRetries: 2 }).deleteRepository('libs'),
    );
    expect(server.seen).toHaveLength(3);
    expect(error.details.status).toBe(500);
    expect(error.details.hint).toContain('locked by concurrent changes after 2 retries');
  });
});

describe('connection pool', () => {
  it('reuses keep-alive connections for sequential requests', async () => {
    const server = await serve((_req, res) => {
      sendJson(res, 200, { version: '7.117.5' });
    });
    const client = clientFor(server);
    for (let i = 0; i < 6; i++) await client.version();
    const ports = new Set(server.seen.map((s) => s.remotePort));
    expect(server.seen).toHaveLength(6);
    // The pool may open a second socket while the first is being released; without keep-alive
    // every request would have its own.
    expect(ports.size).toBeLessThanOrEqual(2);
  });

  it('works as the global dispatcher of Node 20 fetch, retries included', async () => {
    const server = await serve((_req, res, n) => {
      if (n === 1) sendText(res, 503, 'busy');
      else sendText(res, 200, 'OK');
    });
    const previous = getGlobalDispatcher();
    const dispatcher = createHttpDispatcher({ retry: FAST });
    setGlobalDispatcher(dispatcher);
    try {
      const response = await fetch(`${server.url}/artifactory/api/system/ping`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('OK');
      expect(server.seen).toHaveLength(2);
    } finally {
      setGlobalDispatcher(previous);
      await dispatcher.close();
    }
  });
});

describe('TLS', () => {
  const ok: Respond = (_req, res) => {
    sendJson(res, 200, { version: '7.117.5' });
  };

  it('verifies certificates by default and says how to trust a private CA', async () => {
    const server = await serve(ok, true);
    const error = await rejection(clientFor(server).version());
    expect(error.details.hint).toMatch(/^TLS certificate not trusted \(\w+\); set caFile/);
    expect(server.seen).toHaveLength(0);
  });

  it('trusts the CA in the JPD caFile', async () => {
    const server = await serve(ok, true);
    await expect(
      clientFor(server, { http: { caFile: tlsFixture('ca.pem') }, env: {} }).version(),
    ).resolves.toMatchObject({ version: '7.117.5' });
  });

  it('keeps NODE_EXTRA_CA_CERTS trusted when a caFile is set (ca replaces the defaults)', async () => {
    const server = await serve(ok, true);
    const unrelated = { caFile: tlsFixture('other-ca.pem') };
    await expect(
      clientFor(server, {
        http: unrelated,
        env: { NODE_EXTRA_CA_CERTS: tlsFixture('ca.pem') },
      }).version(),
    ).resolves.toMatchObject({ version: '7.117.5' });
    await rejection(clientFor(server, { http: unrelated, env: {} }).version());
  });

  it('passes no ca without a caFile, so Node keeps its own roots and NODE_EXTRA_CA_CERTS', () => {
    expect(
      caCertificates(undefined, { NODE_EXTRA_CA_CERTS: tlsFixture('ca.pem') }),
    ).toBeUndefined();
    const list = caCertificates(tlsFixture('other-ca.pem'), {
      NODE_EXTRA_CA_CERTS: tlsFixture('ca.pem'),
    });
    expect(list?.length).toBeGreaterThan(100); // Node's bundled roots are in it too
  });

  it('reports an unreadable caFile by name', () => {
    expect(() => caCertificates('/nonexistent/ca.pem', {})).toThrow(
      'cannot read the CA certificates in /nonexistent/ca.pem, named by caFile (ENOENT)',
    );
  });
});
