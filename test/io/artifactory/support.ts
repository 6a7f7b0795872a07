/**
 * The msw setup the client tests share: a server that errors on any unhandled request, a client
 * factory that closes what it made, a request recorder, and a check that no token reaches an
 * error. msw replaces global fetch, so the undici dispatcher (retries, timeouts, TLS) is not in
 * play here; test/io/http/http-dispatcher.test.ts covers it over loopback.
 */
import { inspect } from 'node:util';
import { setupServer } from 'msw/node';
import type { SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { RemoteError } from '../../../src/core/errors.js';
import { createArtifactoryClient } from '../../../src/io/artifactory/client.js';
import type {
  ArtifactoryClientOptions,
  ClosableArtifactoryClient,
} from '../../../src/io/artifactory/client.js';
import type { FederatedRepositoryBody } from '../../../src/io/artifactory/types.js';

export const BASE = 'https://jpd-a.example.com';
export const A = `${BASE}/artifactory`;
// A reference-token look-alike (not a JWT), so only the client's own bookkeeping can redact it.
export const TOKEN = 'cmVmdGtuOjAxOjE3MzQ1Njc4OTA6ZmVkY3RsLXRlc3Qtc2VjcmV0';
export const PAIRING = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqZnJ0QDAxIn0.c2lnbmF0dXJlLXBhaXJpbmc';

export interface Msw {
  readonly server: SetupServer;
  /** A client for jpd-a at BASE with TOKEN, closed after each test. */
  readonly makeClient: (overrides?: Partial<ArtifactoryClientOptions>) => ClosableArtifactoryClient;
}

/** Call at the top of a test file: registers the hooks that start, reset and stop the server. */
export function useMsw(): Msw {
  const server = setupServer();
  const clients: ClosableArtifactoryClient[] = [];
  beforeAll(() => {
    server.listen({ onUnhandledRequest: 'error' });
  });
  afterEach(async () => {
    server.resetHandlers();
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => {
    server.close();
  });
  return {
    server,
    makeClient: (overrides = {}) => {
      const client = createArtifactoryClient({
        jpd: 'jpd-a',
        baseUrl: BASE,
        token: TOKEN,
        configLockDelayMs: 1,
        ...overrides,
      });
      clients.push(client);
      return client;
    },
  };
}

export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Headers;
  readonly body: string;
}

/** Records every request a handler sees. */
export function recorder(): { seen: Seen[]; record(request: Request): Promise<void> } {
  const seen: Seen[] = [];
  return {
    seen,
    async record(request) {
      const url = new URL(request.url);
      seen.push({
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: request.headers,
        body: await request.text(),
      });
    },
  };
}

/** The RemoteError a promise rejects with, checked to carry no secret. */
export async function remoteError(promise: Promise<unknown>): Promise<RemoteError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  if (!(error instanceof RemoteError)) throw new Error('unreachable');
  expectNoSecrets(error);
  return error;
}

/** Neither token in the message, stack, cause chain, JSON form or inspected form. */
export function expectNoSecrets(error: unknown): void {
  const texts: string[] = [JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })];
  let current: unknown = error;
  while (current instanceof Error) {
    texts.push(current.message, current.stack ?? '', JSON.stringify(current));
    current = current.cause;
  }
  for (const text of texts) {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(PAIRING);
  }
}

export const receiverBody: FederatedRepositoryBody = {
  rclass: 'federated',
  packageType: 'generic',
  members: [
    { url: 'https://jpd-a.example.com/artifactory/libs', enabled: true, mode: 'bidirectional' },
    { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true, mode: 'receiver' },
  ],
};
