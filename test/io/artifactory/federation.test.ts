/**
 * The federation area against msw: connection states, state summary and list (both flag
 * spellings), config sync and full sync, and the 405 that means RTFS is not enabled.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { A, recorder, remoteError, useMsw } from './support.js';

const { server, makeClient } = useMsw();

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
});
