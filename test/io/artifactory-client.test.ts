/**
 * The client against msw: the request each endpoint sends (method, path, query, headers, body),
 * how each answer is read, and every error shape. msw replaces global fetch, so the undici
 * dispatcher (retries, timeouts, TLS) is not in play here; test/io/http-dispatcher.test.ts covers it
 * over loopback.
 */
import { inspect } from 'node:util';
import { HttpResponse, delay, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FedctlError, MissingSecretError, RemoteError } from '../../src/core/errors.js';
import { createArtifactoryClient } from '../../src/io/artifactory/client.js';
import type {
  ArtifactoryClientOptions,
  ClosableArtifactoryClient,
} from '../../src/io/artifactory/client.js';
import type { FederatedRepositoryBody } from '../../src/io/artifactory/types.js';

const BASE = 'https://jpd-a.example.com';
const A = `${BASE}/artifactory`;
// A reference-token look-alike (not a JWT), so only the client's own bookkeeping can redact it.
const TOKEN = 'cmVmdGtuOjAxOjE3MzQ1Njc4OTA6ZmVkY3RsLXRlc3Qtc2VjcmV0';
const PAIRING = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqZnJ0QDAxIn0.c2lnbmF0dXJlLXBhaXJpbmc';

const server = setupServer();
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => {
  server.resetHandlers();
});
afterAll(() => {
  server.close();
});

const clients: ClosableArtifactoryClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function makeClient(overrides: Partial<ArtifactoryClientOptions> = {}): ClosableArtifactoryClient {
  const client = createArtifactoryClient({
    jpd: 'jpd-a',
    baseUrl: BASE,
    token: TOKEN,
    configLockDelayMs: 1,
    ...overrides,
  });
  clients.push(client);
  return client;
}

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Headers;
  readonly body: string;
}

/** Records every request a handler sees. */
function recorder(): { seen: Seen[]; record(request: Request): Promise<void> } {
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

async function remoteError(promise: Promise<unknown>): Promise<RemoteError> {
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
function expectNoSecrets(error: unknown): void {
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

const receiverBody: FederatedRepositoryBody = {
  rclass: 'federated',
  packageType: 'generic',
  members: [
    { url: 'https://jpd-a.example.com/artifactory/libs', enabled: true, mode: 'bidirectional' },
    { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true, mode: 'receiver' },
  ],
};

/** A live federated config as Artifactory returns it (CLI-core federated_repo.json, trimmed). */
function liveConfig(
  key: string,
  members: readonly Record<string, unknown>[],
): Record<string, unknown> {
  return {
    key,
    packageType: 'generic',
    description: '',
    repoLayoutRef: 'simple-default',
    rclass: 'federated',
    members,
  };
}

describe('system', () => {
  it('ping sends the bearer token and accepts "OK"', async () => {
    const r = recorder();
    server.use(
      http.get(`${A}/api/system/ping`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.text('OK\n');
      }),
    );
    await expect(makeClient().ping()).resolves.toBeUndefined();
    expect(r.seen[0]?.method).toBe('GET');
    expect(r.seen[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('ping rejects a 200 that is not "OK"', async () => {
    server.use(http.get(`${A}/api/system/ping`, () => HttpResponse.text('Maintenance')));
    const error = await remoteError(makeClient().ping());
    expect(error.message).toBe(
      'jpd-a: GET /artifactory/api/system/ping -> 200 (unexpected response: expected "OK", got "Maintenance")',
    );
  });

  it('ping rejects a proxy login page answered with 200', async () => {
    server.use(
      http.get(`${A}/api/system/ping`, () =>
        HttpResponse.html('<!DOCTYPE html><html><head><title>Sign in</title></head></html>'),
      ),
    );
    const error = await remoteError(makeClient().ping());
    expect(error.details.hint).toBe(
      'unexpected response: expected "OK", got an HTML page titled "Sign in"; is a proxy or a login page answering for Artifactory?',
    );
  });

  it('version is narrowed, addons defaulting to none', async () => {
    server.use(
      http.get(`${A}/api/system/version`, () =>
        HttpResponse.json({ version: '7.104.2', revision: '710402900', license: 'Enterprise+' }),
      ),
    );
    await expect(makeClient().version()).resolves.toEqual({
      version: '7.104.2',
      revision: '710402900',
      addons: [],
    });
  });

  it('version with a missing field says which', async () => {
    server.use(http.get(`${A}/api/system/version`, () => HttpResponse.json({ revision: '1' })));
    const error = await remoteError(makeClient().version());
    expect(error.message).toBe(
      'jpd-a: GET /artifactory/api/system/version -> 200 (unexpected response: version is missing)',
    );
  });
});

describe('repositories', () => {
  it('lists by type with the type query', async () => {
    const r = recorder();
    server.use(
      http.get(`${A}/api/repositories`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.json([
          { key: 'libs', type: 'FEDERATED', packageType: 'Generic', url: `${A}/libs` },
        ]);
      }),
    );
    const client = makeClient();
    await expect(client.listRepositories('federated')).resolves.toEqual([
      { key: 'libs', type: 'FEDERATED', packageType: 'Generic', url: `${A}/libs` },
    ]);
    await client.listRepositories();
    expect(r.seen.map((s) => s.query)).toEqual([{ type: 'federated' }, {}]);
  });

  it('reads a config: modes default to bidirectional, enabled may be a string', async () => {
    server.use(
      http.get(`${A}/api/repositories/libs`, () =>
        HttpResponse.json(
          liveConfig('libs', [
            { url: `${A}/libs`, enabled: true },
            {
              url: 'https://jpd-b.example.com/artifactory/libs',
              enabled: 'false',
              mode: 'receiver',
            },
          ]),
        ),
      ),
    );
    const config = await makeClient().getRepository('libs');
    expect(config).toMatchObject({
      key: 'libs',
      rclass: 'federated',
      packageType: 'generic',
      members: [
        { url: `${A}/libs`, enabled: true, mode: 'bidirectional' },
        { url: 'https://jpd-b.example.com/artifactory/libs', enabled: false, mode: 'receiver' },
      ],
    });
    expect(config?.raw['repoLayoutRef']).toBe('simple-default');
  });

  it.each([
    [400, { errors: [{ status: 400, message: 'Bad Request' }] }],
    [404, { errors: [{ status: 404, message: 'Not Found' }] }],
  ])('a missing repository (%i) is undefined', async (status, body) => {
    server.use(http.get(`${A}/api/repositories/nope`, () => HttpResponse.json(body, { status })));
    await expect(makeClient().getRepository('nope')).resolves.toBeUndefined();
  });

  it('an HTML 404 is not a missing repository but a proxy or wrong base URL', async () => {
    server.use(
      http.get(`${A}/api/repositories/libs`, () =>
        HttpResponse.html('<html><title>404 Not Found</title></html>', { status: 404 }),
      ),
    );
    const error = await remoteError(makeClient().getRepository('libs'));
    expect(error.message).toBe(
      'jpd-a: GET /artifactory/api/repositories/libs -> 404: an HTML page titled "404 Not Found" (an HTML page is not Artifactory\'s API: is a proxy or a login page answering for it?)',
    );
  });

  it('a federated config without members (non-admin view) is an error, not an empty list', async () => {
    server.use(
      http.get(`${A}/api/repositories/libs`, () =>
        HttpResponse.json({ key: 'libs', rclass: 'federated', packageType: 'generic' }),
      ),
    );
    const error = await remoteError(makeClient().getRepository('libs'));
    expect(error.details.hint).toContain('members is missing from a federated repository');
  });

  it('a member with an unknown mode is an error naming the field', async () => {
    server.use(
      http.get(`${A}/api/repositories/libs`, () =>
        HttpResponse.json(liveConfig('libs', [{ url: `${A}/libs`, mode: 'sender' }])),
      ),
    );
    const error = await remoteError(makeClient().getRepository('libs'));
    expect(error.details.hint).toBe(
      'unexpected response: members[0].mode should be "receiver" or "bidirectional"',
    );
  });

  it('encodes the repository key in the path', async () => {
    const r = recorder();
    server.use(
      http.get(`${A}/api/repositories/:key`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.json({}, { status: 404 });
      }),
    );
    await makeClient().getRepository('a b');
    expect(r.seen[0]?.path).toBe('/artifactory/api/repositories/a%20b');
  });

  it('reads every federated config in one call from /configurations', async () => {
    const r = recorder();
    server.use(
      http.get(`${A}/api/repositories/configurations`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.json({
          LOCAL: [{ key: 'loc', rclass: 'local', packageType: 'generic' }],
          FEDERATED: [liveConfig('libs', [{ url: `${A}/libs`, enabled: true }])],
        });
      }),
    );
    const configs = await makeClient().getFederatedRepositories();
    expect(configs.map((c) => c.key)).toEqual(['libs']);
    expect(r.seen[0]?.query).toEqual({ repoType: 'federated' });
  });

  it.each([400, 404, 405])(
    'falls back to the list plus per-repo GETs when /configurations answers %i, within the concurrency cap',
    async (status) => {
      const keys = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
      let inFlight = 0;
      let maxInFlight = 0;
      server.use(
        http.get(`${A}/api/repositories/configurations`, () =>
          HttpResponse.json({ errors: [{ status, message: 'no' }] }, { status }),
        ),
        http.get(`${A}/api/repositories`, () =>
          HttpResponse.json(
            keys.map((key) => ({ key, type: 'FEDERATED', packageType: 'Generic' })),
          ),
        ),
        http.get(`${A}/api/repositories/:key`, async ({ params }) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await delay(15);
          inFlight--;
          const key = String(params['key']);
          // One repository disappears between the list and its GET.
          if (key === 'r4') return HttpResponse.json({}, { status: 404 });
          return HttpResponse.json(liveConfig(key, [{ url: `${A}/${key}`, enabled: true }]));
        }),
      );
      const configs = await makeClient({ concurrency: 2 }).getFederatedRepositories();
      expect(configs.map((c) => c.key)).toEqual(['r1', 'r2', 'r3', 'r5', 'r6']);
      expect(maxInFlight).toBe(2);
    },
  );

  it('creates with PUT, sending key, rclass, packageType and every member with its mode', async () => {
    const r = recorder();
    server.use(
      http.put(`${A}/api/repositories/libs`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.text("Successfully created repository 'libs'");
      }),
    );
    await makeClient().createRepository('libs', receiverBody);
    const [put] = r.seen;
    expect(put?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(put?.body ?? '')).toEqual({
      key: 'libs',
      rclass: 'federated',
      packageType: 'generic',
      members: [
        { url: 'https://jpd-a.example.com/artifactory/libs', enabled: true, mode: 'bidirectional' },
        { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true, mode: 'receiver' },
      ],
    });
  });

  /** PUT answers "already exists" (TF#1102 wording); GET answers with these members. */
  function existsWith(members: readonly Record<string, unknown>[] | 'missing'): void {
    const exists = {
      errors: [
        {
          status: 400,
          message:
            'error when validating repository name: libs : Case insensitive repository key already exists',
        },
      ],
    };
    server.use(
      http.put(`${A}/api/repositories/libs`, () => HttpResponse.json(exists, { status: 400 })),
      http.get(`${A}/api/repositories/libs`, () =>
        members === 'missing'
          ? HttpResponse.json({}, { status: 400 })
          : HttpResponse.json(liveConfig('libs', members)),
      ),
    );
  }

  it('treats "already exists" as success when the live config is what was asked', async () => {
    existsWith([
      // Case and trailing slashes differ; the order differs; modes match.
      { url: 'https://JPD-B.example.com/artifactory/libs/', enabled: true, mode: 'receiver' },
      { url: 'https://jpd-a.example.com/artifactory/libs', enabled: true },
    ]);
    await expect(makeClient().createRepository('libs', receiverBody)).resolves.toBeUndefined();
  });

  it('ignores the self member Artifactory adds when the request left it out', async () => {
    existsWith([
      { url: `${A}/libs`, enabled: true },
      { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true, mode: 'receiver' },
    ]);
    const onlyTarget: FederatedRepositoryBody = {
      ...receiverBody,
      members: receiverBody.members.filter((m) => m.mode === 'receiver'),
    };
    await expect(makeClient().createRepository('libs', onlyTarget)).resolves.toBeUndefined();
  });

  it('reports "already exists with a different configuration" with the differences', async () => {
    existsWith([
      { url: `${A}/libs`, enabled: true },
      { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true },
      { url: 'https://jpd-c.example.com/artifactory/libs', enabled: true },
    ]);
    const error = await remoteError(makeClient().createRepository('libs', receiverBody));
    expect(error.message).toBe(
      'jpd-a: PUT /artifactory/api/repositories/libs -> 400: error when validating repository name: libs : Case insensitive repository key already exists (the repository already exists with a different configuration: member https://jpd-b.example.com/artifactory/libs is bidirectional, wanted receiver; member https://jpd-c.example.com/artifactory/libs is not wanted)',
    );
  });

  it('reports a key that exists only in another letter case', async () => {
    existsWith('missing');
    const error = await remoteError(makeClient().createRepository('libs', receiverBody));
    expect(error.details.hint).toContain(
      'a repository whose key differs only in letter case exists',
    );
  });

  it('updates with POST: the members array (with modes) replaces the list', async () => {
    const r = recorder();
    server.use(
      http.post(`${A}/api/repositories/libs`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.text('Repository libs update successfully.');
      }),
    );
    await makeClient().updateRepository('libs', {
      members: [
        { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true, mode: 'receiver' },
      ],
    });
    expect(JSON.parse(r.seen[0]?.body ?? '')).toEqual({
      members: [
        { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true, mode: 'receiver' },
      ],
    });
  });

  it('refuses a body whose key does not match the path', async () => {
    await expect(
      makeClient().createRepository('libs', { ...receiverBody, key: 'other' }),
    ).rejects.toThrow('repository body key "other" does not match the path key "libs"');
  });

  it('deletes with DELETE', async () => {
    const r = recorder();
    server.use(
      http.delete(`${A}/api/repositories/libs`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.text(
          "Repository 'libs' and all its content have been removed successfully.",
        );
      }),
    );
    await makeClient().deleteRepository('libs');
    expect(r.seen.map((s) => s.method)).toEqual(['DELETE']);
  });

  it('retries config-lock contention seen in the body', async () => {
    let n = 0;
    server.use(
      http.post(`${A}/api/repositories/libs`, () => {
        n++;
        return n === 1
          ? HttpResponse.json(
              { errors: [{ status: 400, message: 'Could not merge and save new descriptor' }] },
              { status: 400 },
            )
          : HttpResponse.text('ok');
      }),
    );
    await makeClient().updateRepository('libs', { members: [] });
    expect(n).toBe(2);
  });
});

describe('trust (service trust pairing)', () => {
  it.each(['r', '*'] as const)(
    'creates a pairing token for federated-repo/%s and keeps it out of JSON and inspect',
    async (useCase) => {
      const r = recorder();
      server.use(
        http.post(
          `${A}/api/v1/service_trust/pairing/federated-repo/:useCase`,
          async ({ request }) => {
            await r.record(request);
            return HttpResponse.json({ pairing_token: PAIRING, expires_in: 300 });
          },
        ),
      );
      const token = await makeClient().createPairingToken(useCase);
      expect(r.seen[0]?.path).toBe(
        `/artifactory/api/v1/service_trust/pairing/federated-repo/${useCase}`,
      );
      expect(r.seen[0]?.method).toBe('POST');
      expect(token.pairingToken).toBe(PAIRING);
      expect(token.expiresInSeconds).toBe(300);
      expect(JSON.stringify(token)).not.toContain(PAIRING);
      expect(inspect(token)).not.toContain(PAIRING);
    },
  );

  it('accepts a pairing answer without expires_in (JFrog OpenAPI shape)', async () => {
    server.use(
      http.post(`${A}/api/v1/service_trust/pairing/federated-repo/r`, () =>
        HttpResponse.json({ pairing_token: PAIRING }),
      ),
    );
    const token = await makeClient().createPairingToken('r');
    expect(token.expiresInSeconds).toBeUndefined();
  });

  it('does not quote a malformed pairing answer', async () => {
    server.use(
      http.post(`${A}/api/v1/service_trust/pairing/federated-repo/r`, () =>
        HttpResponse.text(`token=${PAIRING}`),
      ),
    );
    const error = await remoteError(makeClient().createPairingToken('r'));
    expect(error.details.hint).toBe('unexpected response: expected JSON, got text');
  });

  it('exchanges on the target with PUT {pairing_token}', async () => {
    const r = recorder();
    server.use(
      http.put(`${A}/api/v1/service_trust/pairing/federated-repo/:useCase`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.json({
          message: 'Trust with Artifactory was established successfully',
        });
      }),
    );
    await makeClient().exchangePairingToken('r', PAIRING);
    await makeClient().exchangePairingToken('*', PAIRING);
    expect(r.seen.map((s) => s.path)).toEqual([
      '/artifactory/api/v1/service_trust/pairing/federated-repo/r',
      '/artifactory/api/v1/service_trust/pairing/federated-repo/*',
    ]);
    expect(JSON.parse(r.seen[0]?.body ?? '')).toEqual({ pairing_token: PAIRING });
  });

  it('a 403 on exchange names the JPD and the permission, never the pairing token', async () => {
    server.use(
      http.put(`${A}/api/v1/service_trust/pairing/federated-repo/r`, () =>
        HttpResponse.json(
          { errors: [{ status: 403, message: `Forbidden for pairing token ${PAIRING}` }] },
          { status: 403 },
        ),
      ),
    );
    const error = await remoteError(makeClient().exchangePairingToken('r', PAIRING));
    expect(error.message).toBe(
      'jpd-a: PUT /artifactory/api/v1/service_trust/pairing/federated-repo/r -> 403: Forbidden for pairing token [redacted] (the token for jpd-a lacks the permission: exchanging a pairing token (on the target JPD) needs an admin token on jpd-a, the target)',
    );
  });
});

describe('federation', () => {
  const connection = {
    localRepoKey: 'libs',
    localPlatformUrl: A,
    remoteRepoKey: 'libs',
    remotePlatformUrl: 'https://jpd-b.example.com/artifactory',
    status: 'Receiving_Only',
    lagInMs: 0,
    queuedEvents: 2,
  };

  it('reads connection states, with supported/disabled or isSupported/isDisabled', async () => {
    server.use(
      http.get(`${A}/api/federation/status/connectionStates/libs`, () =>
        HttpResponse.json({
          memberConnections: [
            { ...connection, disabled: false, supported: true },
            { ...connection, status: 'N/A', isDisabled: 'false', isSupported: false },
          ],
        }),
      ),
    );
    const states = await makeClient().connectionStates('libs');
    expect(states.map((s) => [s.status, s.supported, s.disabled, s.queuedEvents])).toEqual([
      ['Receiving_Only', true, false, 2],
      ['N/A', false, false, 2],
    ]);
  });

  it('names the missing field of a connection', async () => {
    server.use(
      http.get(`${A}/api/federation/status/connectionStates/libs`, () =>
        HttpResponse.json({
          memberConnections: [
            { ...connection, lagInMs: undefined, disabled: false, supported: true },
          ],
        }),
      ),
    );
    const error = await remoteError(makeClient().connectionStates('libs'));
    expect(error.details.hint).toBe('unexpected response: memberConnections[0].lagInMs is missing');
  });

  it('explains a 405 from the status APIs as RTFS not enabled', async () => {
    server.use(
      http.get(`${A}/api/federation/status/stateSummary`, () =>
        HttpResponse.text('RTFS is not enabled', { status: 405 }),
      ),
    );
    const error = await remoteError(makeClient().stateSummary());
    expect(error.message).toBe(
      'jpd-a: GET /artifactory/api/federation/status/stateSummary -> 405: RTFS is not enabled (the Artifactory Federation Service (RTFS) is not enabled on jpd-a; receiver mode and these status APIs need it)',
    );
  });

  it('reads the state summary', async () => {
    server.use(
      http.get(`${A}/api/federation/status/stateSummary`, () =>
        HttpResponse.json({ federationStates: { HEALTHY: 6, ERROR: 0, DELAYED: 2 } }),
      ),
    );
    await expect(makeClient().stateSummary()).resolves.toEqual({
      HEALTHY: 6,
      ERROR: 0,
      DELAYED: 2,
    });
  });

  it('reads the state list with a comma-separated status filter and both flag spellings', async () => {
    const r = recorder();
    server.use(
      http.get(`${A}/api/federation/status/stateList`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.json({
          federations: [
            {
              localRepoKey: 'libs',
              priority: 'HIGH',
              memberInfoList: [
                {
                  url: A,
                  repoKey: 'libs',
                  aggregatedStatus: 'HEALTHY',
                  supported: true,
                  disabled: false,
                  inLag: false,
                },
                {
                  url: 'https://jpd-b.example.com/artifactory',
                  repoKey: 'libs',
                  aggregatedStatus: 'DELAYED',
                  isSupported: true,
                  isDisabled: false,
                  isInLag: true,
                },
              ],
            },
          ],
        });
      }),
    );
    const client = makeClient();
    const list = await client.stateList(['HEALTHY', 'DELAYED']);
    expect(list[0]?.memberInfoList.map((m) => m.inLag)).toEqual([false, true]);
    expect(list[0]?.priority).toBe('HIGH');
    await client.stateList();
    expect(r.seen.map((s) => s.query)).toEqual([{ status: 'HEALTHY,DELAYED' }, {}]);
  });

  it('config sync is a POST', async () => {
    const r = recorder();
    server.use(
      http.post(`${A}/api/federation/configSync/libs`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.json({});
      }),
    );
    await makeClient().configSync('libs');
    expect(r.seen).toHaveLength(1);
  });

  it('full sync passes mirror and isDry, and reads JSON or text answers', async () => {
    const r = recorder();
    let dry = true;
    server.use(
      http.post(`${A}/api/federation/fullSync/libs`, async ({ request }) => {
        await r.record(request);
        return dry
          ? HttpResponse.json({
              message: 'Dry full sync completed successfully.',
              resultPaths: ['jfrog-full-sync-info/comparison-results/libs.json'],
            })
          : HttpResponse.text('Full sync triggered successfully');
      }),
    );
    const client = makeClient();
    const mirror = 'https://jpd-b.example.com/artifactory/libs';
    await expect(client.fullSync('libs', { mirror, isDry: true })).resolves.toEqual({
      message: 'Dry full sync completed successfully.',
      resultPaths: ['jfrog-full-sync-info/comparison-results/libs.json'],
    });
    dry = false;
    await expect(client.fullSync('libs')).resolves.toEqual({
      message: 'Full sync triggered successfully',
    });
    expect(r.seen.map((s) => s.query)).toEqual([{ mirror, isDry: 'true' }, {}]);
  });
});

describe('errors', () => {
  it('quotes Artifactory JSON errors', async () => {
    server.use(
      http.delete(`${A}/api/repositories/libs`, () =>
        HttpResponse.json(
          {
            errors: [
              { status: 500, message: 'boom' },
              { status: 500, message: 'and more' },
            ],
          },
          { status: 500 },
        ),
      ),
    );
    const error = await remoteError(makeClient().deleteRepository('libs'));
    expect(error.message).toBe(
      'jpd-a: DELETE /artifactory/api/repositories/libs -> 500: boom; and more',
    );
  });

  it('quotes a short text body, trimmed to one line', async () => {
    server.use(
      http.post(`${A}/api/federation/configSync/libs`, () =>
        HttpResponse.text('  Repository libs\n is not federated  \n', { status: 400 }),
      ),
    );
    const error = await remoteError(makeClient().configSync('libs'));
    expect(error.details.serverMessage).toBe('Repository libs is not federated');
  });

  it('calls out an HTML page from a proxy', async () => {
    server.use(
      http.get(`${A}/api/system/version`, () =>
        HttpResponse.html(
          '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
          {
            status: 502,
          },
        ),
      ),
    );
    const error = await remoteError(makeClient().version());
    expect(error.details).toMatchObject({
      status: 502,
      serverMessage: 'an HTML page titled "502 Bad Gateway"',
      hint: 'jpd-a is busy or unavailable, still after retries',
    });
  });

  it('a 401 says the token was not accepted and what the step needs', async () => {
    server.use(
      http.put(`${A}/api/repositories/libs`, () =>
        HttpResponse.json(
          { errors: [{ status: 401, message: 'Authentication is required' }] },
          { status: 401 },
        ),
      ),
    );
    const error = await remoteError(makeClient().createRepository('libs', receiverBody));
    expect(error.message).toBe(
      'jpd-a: PUT /artifactory/api/repositories/libs -> 401: Authentication is required (the token for jpd-a was not accepted (missing, expired or revoked); creating repository libs needs an admin token on jpd-a)',
    );
  });

  it('a 403 on pairing-token creation says admin on the source is needed', async () => {
    server.use(
      http.post(`${A}/api/v1/service_trust/pairing/federated-repo/r`, () =>
        HttpResponse.json({ errors: [{ status: 403, message: 'Forbidden' }] }, { status: 403 }),
      ),
    );
    const error = await remoteError(makeClient().createPairingToken('r'));
    expect(error.details.hint).toBe(
      'the token for jpd-a lacks the permission: creating a pairing token (on the source JPD) needs an admin token on jpd-a, the source',
    );
  });

  it('a redirect is reported with where it goes, without its query', async () => {
    server.use(
      http.get(
        `${A}/api/system/version`,
        () =>
          new HttpResponse(null, {
            status: 302,
            headers: { location: 'https://sso.example.com/login?state=xyz' },
          }),
      ),
    );
    const error = await remoteError(makeClient().version());
    expect(error.details.hint).toBe(
      "redirected to https://sso.example.com/login; set the JPD's baseUrl to the address Artifactory answers on",
    );
  });

  it('maps a reset connection to a RemoteError without a status', async () => {
    server.use(http.get(`${A}/api/system/ping`, () => HttpResponse.error()));
    const error = await remoteError(makeClient().ping());
    expect(error.details.status).toBeUndefined();
    expect(error.message).toBe(
      'jpd-a: GET /artifactory/api/system/ping (request failed: Failed to fetch)',
    );
  });

  it('gives up on a hung server at the client deadline', async () => {
    server.use(
      http.get(`${A}/api/system/version`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const error = await remoteError(makeClient({ deadlineMs: 50 }).version());
    expect(error.message).toBe(
      'jpd-a: GET /artifactory/api/system/version (no complete answer within 50 ms (client deadline, retries included))',
    );
  });

  it('keeps the base URL path prefix in error paths', async () => {
    server.use(
      http.get('https://proxy.example.com/jfrog/artifactory/api/system/ping', () =>
        HttpResponse.text('nope', { status: 500 }),
      ),
    );
    const error = await remoteError(
      makeClient({ baseUrl: 'https://proxy.example.com/jfrog/' }).ping(),
    );
    expect(error.details.path).toBe('/jfrog/artifactory/api/system/ping');
  });

  it('never lets a token through, even when the server echoes it', async () => {
    const jwtWeWereNeverTold = 'eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWVjaG8';
    server.use(
      http.get(`${A}/api/system/version`, () =>
        HttpResponse.json(
          {
            errors: [
              { status: 401, message: `token ${TOKEN} expired; also ${jwtWeWereNeverTold}` },
            ],
          },
          { status: 401 },
        ),
      ),
    );
    const error = await remoteError(makeClient().version());
    expect(error.details.serverMessage).toBe('token [redacted] expired; also [redacted]');
  });

  it('never lets a pairing token through a malformed body', async () => {
    server.use(
      http.post(`${A}/api/v1/service_trust/pairing/federated-repo/r`, () =>
        HttpResponse.json({ pairing_token: [PAIRING] }),
      ),
    );
    const error = await remoteError(makeClient().createPairingToken('r'));
    expect(error.details.hint).toBe(
      'unexpected response: pairing_token should be a string, but is an array',
    );
  });
});

describe('construction', () => {
  it('refuses a token that cannot be a header value, without quoting it', () => {
    const bad = `${TOKEN}\u0000`;
    let caught: unknown;
    try {
      createArtifactoryClient({ jpd: 'jpd-a', baseUrl: BASE, token: bad });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FedctlError);
    expectNoSecrets(caught);
  });

  it('trims a trailing newline from a token read from a file', async () => {
    const r = recorder();
    server.use(
      http.get(`${A}/api/system/ping`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.text('OK');
      }),
    );
    await makeClient({ token: `${TOKEN}\n` }).ping();
    expect(r.seen[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('refuses an empty token as a missing secret', () => {
    expect(() => createArtifactoryClient({ jpd: 'jpd-a', baseUrl: BASE, token: ' ' })).toThrow(
      MissingSecretError,
    );
  });

  it('refuses credentials in the base URL without quoting them', () => {
    expect(() =>
      createArtifactoryClient({
        jpd: 'jpd-a',
        baseUrl: 'https://admin:hunter2@jpd-a.example.com',
        token: TOKEN,
      }),
    ).toThrow(/^jpd-a: baseUrl must not contain credentials; the token is sent as a header$/);
  });

  it('normalises the base URL', () => {
    expect(makeClient({ baseUrl: 'https://jpd-a.example.com/' }).baseUrl).toBe(BASE);
  });
});
