/**
 * The trust area against msw: pairing tokens made on the source and exchanged on the target, and
 * that neither the access token nor a pairing token reaches an error or a printed value.
 */
import { inspect } from 'node:util';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { A, PAIRING, recorder, remoteError, useMsw } from './support.js';

const { server, makeClient } = useMsw();

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
