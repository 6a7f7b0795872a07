/**
 * The platform area against msw: ping and version, the requests they send and how their answers
 * are read.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { A, TOKEN, recorder, remoteError, useMsw } from './support.js';

const { server, makeClient } = useMsw();

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
