/**
 * Building a client: the checks on the token and base URL, none of which may quote a secret.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { FedctlError, MissingSecretError } from '../../../src/core/errors.js';
import { createArtifactoryClient } from '../../../src/io/artifactory/client.js';
import { A, BASE, TOKEN, expectNoSecrets, recorder, useMsw } from './support.js';

const { server, makeClient } = useMsw();

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
      http.get(`${A}/api/system/version`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.json({ version: '7.117.5' });
      }),
    );
    await makeClient({ token: `${TOKEN}\n` }).version();
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
