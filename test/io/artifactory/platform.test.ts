/**
 * The platform area against msw: version, the request it sends and how its answer
 * is read.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { A, remoteError, useMsw } from './support.js';

const { server, makeClient } = useMsw();

describe('system', () => {
  it('rejects a proxy login page answered with 200', async () => {
    server.use(
      http.get(`${A}/api/system/version`, () =>
        HttpResponse.html('<!DOCTYPE html><html><head><title>Sign in</title></head></html>'),
      ),
    );
    const error = await remoteError(makeClient().version());
    expect(error.details.hint).toBe(
      'unexpected response: expected JSON, got an HTML page titled "Sign in"; is a proxy or a login page answering for Artifactory?',
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
