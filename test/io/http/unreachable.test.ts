/**
 * A JPD that does not answer is given up on within the unreachable budget (FEDCTL_CONNECT_BUDGET,
 * default 15 s), not after the two-minute retry budget; many retries raise no Node warning; and
 * the debug log has one line per attempt without a token. Real loopback servers and sockets.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteError } from '../../../src/core/errors.js';
import { requestLogFrom } from '../../../src/io/http/request-log.js';
import { createJpdClients, type JpdClients } from '../../../src/io/jpd-clients.js';
import { topologyFrom } from '../../support/topology.js';
import { sendJson, startLoopback } from '../support/loopback.js';

const TOKEN = 'unreachable-test-token-7f3a9c';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

function clientsAt(url: string, env: Record<string, string>, log: string[] = []): JpdClients {
  const topology = topologyFrom(`version: 1
defaults: { packageType: generic }
jpds:
  hub: { url: "${url}", token: "\${HUB}" }
federations: []
`);
  const fullEnv = { HUB: TOKEN, ...env };
  const requestLog = requestLogFrom(fullEnv, '/', {
    write: (l: string) => {
      log.push(l);
    },
  });
  const clients = createJpdClients(topology, {
    env: fullEnv,
    topologyPath: 'test.yaml',
    jpds: topology.jpds,
    ...(requestLog === undefined ? {} : { requestLog }),
  });
  open.push(clients);
  return clients;
}

/** A TCP server that accepts and at once destroys every connection: the simulator's offline. */
async function resetting(): Promise<{ url: string; connections: () => number }> {
  let count = 0;
  const server: Server = createServer((socket: Socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  open.push({
    close: () =>
      new Promise<void>((done) =>
        server.close(() => {
          done();
        }),
      ),
  });
  const { port } = server.address() as AddressInfo; // a TCP server's address is an AddressInfo
  return { url: `http://127.0.0.1:${port}`, connections: () => count };
}

describe('an unreachable JPD', () => {
  it(
    'that resets every connection is given up on within the unreachable budget',
    { timeout: 20_000 },
    async () => {
      const server = await resetting();
      const clients = clientsAt(server.url, {
        FEDCTL_CONNECT_BUDGET: '2s',
        FEDCTL_CONNECT_TIMEOUT: '500ms',
        FEDCTL_HTTP_RETRY_DELAY_MS: '50',
      });
      const started = Date.now();
      const error: unknown = await clients
        .get('hub')
        .version()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteError);
      expect((error as RemoteError).message).toMatch(
        /^hub: GET \/artifactory\/api\/system\/version \(connection reset by the server or a proxy, after retries\)/,
      );
      // Retried (a restart is ridden out), but not for the two-minute budget.
      expect(server.connections()).toBeGreaterThan(1);
      expect(Date.now() - started).toBeLessThan(10_000);
    },
  );

  it(
    'that refuses connections is retried, then reported as refused',
    { timeout: 20_000 },
    async () => {
      const server = await resetting();
      const url = server.url;
      await open.pop()?.close(); // the port is now closed: connections are refused
      const clients = clientsAt(url, {
        FEDCTL_CONNECT_BUDGET: '1s',
        FEDCTL_CONNECT_TIMEOUT: '200ms',
        FEDCTL_HTTP_RETRY_DELAY_MS: '50',
      });
      await expect(clients.get('hub').version()).rejects.toThrow(/connection refused/);
    },
  );
});

describe('many retries of one request', () => {
  it('raise no MaxListenersExceededWarning from fetch', { timeout: 20_000 }, async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(`${w.name}: ${w.message}`);
    };
    process.on('warning', onWarning);
    try {
      const server = await startLoopback((_req, res) => {
        sendJson(res, 503, { errors: [{ status: 503, message: 'busy' }] });
      });
      open.push(server);
      const clients = clientsAt(server.url, {
        FEDCTL_HTTP_RETRIES: '14',
        FEDCTL_HTTP_RETRY_DELAY_MS: '0',
      });
      await expect(clients.get('hub').version()).rejects.toThrow(/-> 503: busy/);
      expect(server.seen).toHaveLength(15);
      await new Promise((done) => setImmediate(done));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.includes('MaxListeners'))).toEqual([]);
  });
});

describe('FEDCTL_LOG=debug', () => {
  it('writes one line per attempt, with status, attempt and bytes, and never the token', async () => {
    const server = await startLoopback((_req, res, count) => {
      if (count < 3) sendJson(res, 503, { errors: [{ status: 503, message: 'busy' }] });
      else sendJson(res, 200, { version: '7.104.2', revision: '1', addons: [] });
    });
    open.push(server);
    const log: string[] = [];
    const clients = clientsAt(
      server.url,
      { FEDCTL_LOG: 'debug', FEDCTL_HTTP_RETRY_DELAY_MS: '1' },
      log,
    );
    await clients.get('hub').version();
    expect(log).toHaveLength(3);
    const fields = log.map((l) =>
      l
        .trimEnd()
        .replace(/^\S+ /, '')
        .replace(/duration_ms=\d+/, 'duration_ms=N'),
    );
    const body = JSON.stringify({ version: '7.104.2', revision: '1', addons: [] });
    const busy = JSON.stringify({ errors: [{ status: 503, message: 'busy' }] });
    expect(fields).toEqual([
      `debug http jpd=hub method=GET path=/artifactory/api/system/version status=503 attempt=1 duration_ms=N bytes=${Buffer.byteLength(busy)}`,
      `debug http jpd=hub method=GET path=/artifactory/api/system/version status=503 attempt=2 duration_ms=N bytes=${Buffer.byteLength(busy)}`,
      `debug http jpd=hub method=GET path=/artifactory/api/system/version status=200 attempt=3 duration_ms=N bytes=${Buffer.byteLength(body)}`,
    ]);
    expect(log.join('\n')).not.toContain(TOKEN);
    expect(log.join('\n')).not.toContain('7.104.2');
  });

  it('is off unless asked for, and refuses an unknown level', () => {
    expect(requestLogFrom({}, '/', { write: () => undefined })).toBeUndefined();
    expect(requestLogFrom({ FEDCTL_LOG: 'info' }, '/', { write: () => undefined })).toBeUndefined();
    expect(() => requestLogFrom({ FEDCTL_LOG: 'loud' }, '/', { write: () => undefined })).toThrow(
      'FEDCTL_LOG must be one of off, error, warn, info, debug, not "loud"',
    );
  });
});
