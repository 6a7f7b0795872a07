/**
 * Under a 429 storm, convergence took 4 runs and 150 s, because undici's retry
 * handler gave up after a count (4 retries, about 4 s of `Retry-After: 1`). Retries are now
 * bounded by a time budget (FEDCTL_HTTP_RETRY_BUDGET, default 2m) on top of undici's own policy,
 * so a JPD that recovers within the budget costs one run. Real loopback servers, real transport.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteError } from '../../../src/core/errors.js';
import { undiciRetryPolicy } from '../../../src/io/http/retry-budget.js';
import { createJpdClients, type JpdClients } from '../../../src/io/jpd-clients.js';
import { topologyFrom } from '../../support/topology.js';
import { sendJson, startLoopback, type Loopback, type Respond } from '../support/loopback.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function clientsFor(
  respond: Respond,
  env: Record<string, string> = {},
): Promise<{ server: Loopback; clients: JpdClients }> {
  const server = await startLoopback(respond);
  open.push(server);
  const topology = topologyFrom(`version: 1
defaults: { packageType: generic }
jpds:
  hub: { url: "${server.url}", token: "\${HUB}" }
federations: []
`);
  const clients = createJpdClients(topology, {
    env: { HUB: 'budget-test-token', ...env },
    topologyPath: 'test.yaml',
    // Used by no federation, so it would not be read by default.
    jpds: topology.jpds,
  });
  open.push(clients);
  return { server, clients };
}

const VERSION = { version: '7.104.2', revision: '1', addons: [] };

describe('retry time budget', () => {
  it("finds undici's own retry policy to wrap", () => {
    expect(typeof undiciRetryPolicy()).toBe('function');
  });

  it(
    'a JPD answering 429 with Retry-After for 5.5 s, then 200, succeeds in one call (default budget)',
    { timeout: 20_000 },
    async () => {
      const started = Date.now();
      const { server, clients } = await clientsFor((_req, res) => {
        if (Date.now() - started < 5_500) {
          sendJson(
            res,
            429,
            { errors: [{ status: 429, message: 'Too Many Requests' }] },
            {
              'retry-after': '1',
            },
          );
        } else {
          sendJson(res, 200, VERSION);
        }
      });
      await expect(clients.get('hub').version()).resolves.toMatchObject({ version: '7.104.2' });
      // More attempts than the old fixed count of 5 allowed, each after the server's Retry-After.
      expect(server.seen.length).toBeGreaterThan(5);
      const gaps = server.seen.slice(1).map((s, i) => s.at - (server.seen[i]?.at ?? 0));
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900);
    },
  );

  it(
    'stops when the budget is spent and reports the last answer, not a timeout',
    { timeout: 20_000 },
    async () => {
      const { server, clients } = await clientsFor(
        (_req, res) => {
          sendJson(
            res,
            429,
            { errors: [{ status: 429, message: 'slow down' }] },
            { 'retry-after': '1' },
          );
        },
        { FEDCTL_HTTP_RETRY_BUDGET: '2500ms' },
      );
      const error: unknown = await clients
        .get('hub')
        .version()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteError);
      expect((error as RemoteError).message).toBe(
        'hub: GET /artifactory/api/system/version -> 429: slow down (hub is busy or unavailable, still after retries)',
      );
      // Attempts at about 0, 1 and 2 s; a wait ending past 2.5 s is not started.
      expect(server.seen.length).toBeGreaterThanOrEqual(2);
      expect(server.seen.length).toBeLessThanOrEqual(4);
    },
  );

  it('a Retry-After beyond the budget ends retrying at once', { timeout: 20_000 }, async () => {
    const { server, clients } = await clientsFor(
      (_req, res) => {
        sendJson(
          res,
          503,
          { errors: [{ status: 503, message: 'maintenance' }] },
          { 'retry-after': '3600' },
        );
      },
      { FEDCTL_HTTP_RETRY_BUDGET: '10s' },
    );
    const started = Date.now();
    await expect(clients.get('hub').version()).rejects.toThrow(/-> 503: maintenance/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.seen).toHaveLength(1);
  });

  it(
    'FEDCTL_HTTP_RETRIES still caps the count within the budget',
    { timeout: 20_000 },
    async () => {
      const { server, clients } = await clientsFor(
        (_req, res) => {
          sendJson(res, 503, { errors: [{ status: 503, message: 'down' }] });
        },
        { FEDCTL_HTTP_RETRIES: '2', FEDCTL_HTTP_RETRY_DELAY_MS: '5' },
      );
      await expect(clients.get('hub').version()).rejects.toThrow(/-> 503: down/);
      expect(server.seen).toHaveLength(3);
    },
  );

  it.each([
    ['FEDCTL_HTTP_RETRY_BUDGET', 'soon', /FEDCTL_HTTP_RETRY_BUDGET must be a duration/],
    ['FEDCTL_HTTP_TIMEOUT', '-1s', /FEDCTL_HTTP_TIMEOUT must be a duration/],
    [
      'FEDCTL_MAX_RESPONSE_BYTES',
      '12',
      /FEDCTL_MAX_RESPONSE_BYTES must be a whole number from 1024/,
    ],
  ])('%s=%s is a usage error', async (name, value, message) => {
    await expect(clientsFor(() => undefined, { [name]: value })).rejects.toThrow(message);
  });
});
