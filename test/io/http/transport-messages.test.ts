/**
 * https to a plain-http port reported `ERR_SSL_WRONG_VERSION_NUMBER` with no
 * hint. Real loopback server, real TLS handshake failing against it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteError } from '../../../src/core/errors.js';
import { createArtifactoryClient } from '../../../src/io/artifactory/client.js';
import { sendJson, startLoopback } from '../support/loopback.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

describe('transport messages', () => {
  it('https to a plain-http server says so and what to do', async () => {
    const server = await startLoopback((_req, res) => {
      sendJson(res, 200, { version: '7.104.2' });
    });
    open.push(server);
    const client = createArtifactoryClient({
      jpd: 'hub',
      baseUrl: server.url.replace('http://', 'https://'),
      token: 'tls-test-token',
      http: { retry: { maxRetries: 0 } },
    });
    open.push(client);
    const error: unknown = await client.version().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).message).toBe(
      'hub: GET /artifactory/api/system/version (https URL but the server speaks plain http; use http:// or fix the port)',
    );
  });
});
