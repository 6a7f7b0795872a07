/**
 * The request core against msw, through whichever endpoint shows it best: server messages quoted,
 * 401/403/3xx/5xx hints, transport failures and the deadline, the base URL prefix in error paths,
 * redaction of every token, and the config-lock retry.
 */
import { HttpResponse, delay, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { A, PAIRING, TOKEN, receiverBody, remoteError, useMsw } from './support.js';

const { server, makeClient } = useMsw();

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
    server.use(http.get(`${A}/api/system/version`, () => HttpResponse.error()));
    const error = await remoteError(makeClient().version());
    expect(error.details.status).toBeUndefined();
    expect(error.message).toBe(
      'jpd-a: GET /artifactory/api/system/version (request failed: Failed to fetch)',
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
      http.get('https://proxy.example.com/jfrog/artifactory/api/system/version', () =>
        HttpResponse.text('nope', { status: 500 }),
      ),
    );
    const error = await remoteError(
      makeClient({ baseUrl: 'https://proxy.example.com/jfrog/' }).version(),
    );
    expect(error.details.path).toBe('/jfrog/artifactory/api/system/version');
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

describe('config-lock retry', () => {
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
