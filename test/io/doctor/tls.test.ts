/** The certificate doctor shows for an https JPD, read over a real loopback TLS handshake. */
import { afterEach, describe, expect, it } from 'vitest';
import { probeTls } from '../../../src/io/doctor/tls.js';
import { startLoopback, tlsFixture, type Loopback } from '../support/loopback.js';

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('probeTls', () => {
  it('reads subject, issuer and expiry, and names the custom CA', async () => {
    server = await startLoopback((_req, res) => res.end('ok'), { tls: true });
    const facts = await probeTls(server.url, { path: tlsFixture('ca.pem'), shown: 'ca.pem' }, {});
    expect(facts).toMatchObject({
      scheme: 'https',
      customCa: 'caFile ca.pem',
      certificate: { subject: 'CN=localhost', issuer: 'CN=fedctl test CA', selfSigned: false },
    });
    expect(facts.certificate?.validTo).toMatch(/ GMT$/);
  });

  it('NODE_EXTRA_CA_CERTS counts as a custom CA; plain http has no TLS', async () => {
    await expect(
      probeTls('http://127.0.0.1:1', undefined, { NODE_EXTRA_CA_CERTS: '/x.pem' }),
    ).resolves.toEqual({ scheme: 'http', customCa: 'NODE_EXTRA_CA_CERTS' });
  });

  it('a refused connection is reported, not thrown', async () => {
    server = await startLoopback((_req, res) => res.end('ok'), { tls: true });
    const url = server.url;
    await server.close();
    server = undefined;
    await expect(probeTls(url, undefined, {})).resolves.toEqual({
      scheme: 'https',
      error: 'ECONNREFUSED',
    });
  });
});
