/**
 * What `fedctl doctor` and the legacy engine read, against msw: the base URL from the
 * configuration descriptor, the admin probe, the migration status and RTFS flag, the inconsistent
 * repositories, and the legacy monitoring in each spelling JFrog's documents show.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { A, BASE, remoteError, useMsw } from './support.js';

const { server, makeClient } = useMsw();

describe('platform', () => {
  it('getBaseUrl reads urlBase from the configuration descriptor, entities decoded', async () => {
    server.use(
      http.get(`${A}/api/system/configuration`, () =>
        HttpResponse.xml(
          '<?xml version="1.0"?><config xmlns="http://artifactory.jfrog.org/xsd/3.1.x"><serverName>x</serverName><urlBase>https://hub.example.com/a?b=1&amp;c=2</urlBase><offlineMode>false</offlineMode></config>',
        ),
      ),
    );
    await expect(makeClient().getBaseUrl()).resolves.toBe('https://hub.example.com/a?b=1&c=2');
  });

  it('getBaseUrl is undefined when no Custom Base URL is set, and refuses what is not a descriptor', async () => {
    server.use(
      http.get(`${A}/api/system/configuration`, () =>
        HttpResponse.xml('<config><urlBase></urlBase></config>'),
      ),
    );
    await expect(makeClient().getBaseUrl()).resolves.toBeUndefined();
    server.use(http.get(`${A}/api/system/configuration`, () => HttpResponse.text('hello')));
    const error = await remoteError(makeClient().getBaseUrl());
    expect(error.details.hint).toBe(
      'unexpected response: body should be a configuration descriptor (<config>)',
    );
  });

  it('hasAdminToken: 200 yes, 403 no, 401 an error naming the token', async () => {
    server.use(http.get(`${A}/api/system`, () => HttpResponse.text('system info')));
    await expect(makeClient().hasAdminToken()).resolves.toBe(true);
    server.use(
      http.get(`${A}/api/system`, () =>
        HttpResponse.json({ errors: [{ status: 403, message: 'Forbidden' }] }, { status: 403 }),
      ),
    );
    await expect(makeClient().hasAdminToken()).resolves.toBe(false);
    server.use(
      http.get(`${A}/api/system`, () =>
        HttpResponse.json({ errors: [{ status: 401, message: 'Bad' }] }, { status: 401 }),
      ),
    );
    expect((await remoteError(makeClient().hasAdminToken())).status).toBe(401);
  });
});

describe('engine', () => {
  it.each([
    ['MIGRATION_COMPLETED', 200, 'MIGRATION_COMPLETED'],
    ['"MIGRATING_EVENTS_TO_RTFS"', 200, 'MIGRATING_EVENTS_TO_RTFS'],
    ['{"status":"MIGRATION_STARTED"}', 200, 'MIGRATION_STARTED'],
    ['Status not configured', 200, 'Status not configured'],
    ['{"errors":[{"status":400,"message":"Status not configured"}]}', 400, 'Status not configured'],
  ])('migrationStatus reads %s (%d)', async (body, status, want) => {
    server.use(
      http.get(`${A}/api/federation/migration/status`, () => new HttpResponse(body, { status })),
    );
    await expect(makeClient().migrationStatus()).resolves.toBe(want);
  });

  it('migrationStatus and rtfsEnabled are undefined where the endpoint is absent', async () => {
    server.use(
      http.get(`${A}/api/federation/migration/status`, () =>
        HttpResponse.json({ errors: [{ status: 404, message: 'Not Found' }] }, { status: 404 }),
      ),
      http.get(`${BASE}/federation/rtfs`, () => new HttpResponse('Not Found', { status: 404 })),
    );
    const c = makeClient();
    await expect(c.migrationStatus()).resolves.toBeUndefined();
    await expect(c.rtfsEnabled()).resolves.toBeUndefined();
  });

  it('rtfsEnabled reads true and false, as text or JSON', async () => {
    server.use(http.get(`${BASE}/federation/rtfs`, () => HttpResponse.text('true')));
    await expect(makeClient().rtfsEnabled()).resolves.toBe(true);
    server.use(http.get(`${BASE}/federation/rtfs`, () => HttpResponse.json(false)));
    await expect(makeClient().rtfsEnabled()).resolves.toBe(false);
    server.use(http.get(`${BASE}/federation/rtfs`, () => HttpResponse.text('maybe')));
    expect((await remoteError(makeClient().rtfsEnabled())).details.hint).toBe(
      'unexpected response: expected true or false',
    );
  });

  it('getInconsistentRepositories reads keys, keyed objects and a wrapper', async () => {
    for (const body of [
      ['a', 'b'],
      [{ key: 'a' }, { repoKey: 'b' }],
      { repositories: ['a', 'b'] },
    ]) {
      server.use(http.get(`${A}/api/federation/inconsistentRepos`, () => HttpResponse.json(body)));
      await expect(makeClient().getInconsistentRepositories()).resolves.toEqual(['a', 'b']);
    }
  });
});

describe('legacy engine', () => {
  it('federation/state: the schema spelling and the doc sample spelling read the same', async () => {
    const schema = [
      {
        key: 'libs',
        status: 'SYNCING',
        members: [{ remoteKey: 'libs', remoteUrl: 'https://b/artifactory' }],
      },
    ];
    const sample = [
      {
        localRepoKey: 'libs',
        status: 'SYNCING',
        members: [{ remoteRepoKey: 'libs', remoteUrl: 'https://b/artifactory' }],
      },
      { localRepoKey: 'docs', status: 'DISABLED', members: [] },
    ];
    server.use(http.get(`${A}/api/federation/state`, () => HttpResponse.json(schema)));
    const first = await makeClient().federationSyncState();
    server.use(http.get(`${A}/api/federation/state`, () => HttpResponse.json(sample)));
    const second = await makeClient().federationSyncState();
    expect(first).toEqual([second[0]]);
    expect(second[1]).toEqual({ localRepoKey: 'docs', status: 'DISABLED', members: [] });
  });

  it('status/repo v2 and v1: lagInMS (capital S) and pending events', async () => {
    const body = {
      localKey: 'libs',
      binariesTasksInfo: { inProgressTasks: 0, failingTasks: 0 },
      mirrorEventsStatusInfo: [
        {
          remoteUrl: 'https://b/artifactory/',
          remoteRepoKey: 'libs',
          status: 'SYNC',
          createEvents: 3,
          updateEvents: 1,
          deleteEvents: 0,
          propsEvents: 0,
          errorEvents: 0,
          lagInMS: 46628,
          eventRegistrationTimeStamp: 1676559878115,
        },
      ],
    };
    const seen: string[] = [];
    server.use(
      http.get(`${A}/api/v2/federation/status/repo/:key`, ({ request }) => {
        seen.push(new URL(request.url).pathname);
        return HttpResponse.json(body);
      }),
      http.get(`${A}/api/federation/status/repo/:key`, ({ request }) => {
        seen.push(new URL(request.url).pathname);
        return HttpResponse.json(body);
      }),
    );
    const want = {
      localKey: 'libs',
      mirrors: [
        {
          remoteUrl: 'https://b/artifactory/',
          remoteRepoKey: 'libs',
          status: 'SYNC',
          lagInMs: 46628,
          pendingEvents: 4,
        },
      ],
    };
    await expect(makeClient().legacyRepositoryStatus('libs', 'v2')).resolves.toEqual(want);
    await expect(makeClient().legacyRepositoryStatus('libs', 'v1')).resolves.toEqual(want);
    expect(seen).toEqual([
      '/artifactory/api/v2/federation/status/repo/libs',
      '/artifactory/api/federation/status/repo/libs',
    ]);
  });

  it('a 405 from a legacy endpoint says RTFS is enabled', async () => {
    server.use(
      http.get(`${A}/api/federation/state`, () =>
        HttpResponse.json(
          { errors: [{ status: 405, message: 'RTFS is enabled' }] },
          { status: 405 },
        ),
      ),
    );
    const error = await remoteError(makeClient().federationSyncState());
    expect(error.message).toBe(
      'jpd-a: GET /artifactory/api/federation/state -> 405: RTFS is enabled (the Artifactory Federation Service (RTFS) is enabled on jpd-a, which answers the legacy federation status APIs with 405)',
    );
  });

  it('mirrorsLag reads the doc sample, typo included', async () => {
    server.use(
      http.get(`${A}/api/federation/status/mirrorsLag`, () =>
        HttpResponse.json([
          {
            locallRepoKey: 'libs',
            remoteUrl: 'http://h/artifactory/',
            remoteRepoKey: 'libs',
            lagInMS: 1500,
            eventRegistrationTimeStamp: 1,
          },
        ]),
      ),
    );
    await expect(makeClient().mirrorsLag()).resolves.toEqual([
      {
        localRepoKey: 'libs',
        remoteUrl: 'http://h/artifactory/',
        remoteRepoKey: 'libs',
        lagInMs: 1500,
      },
    ]);
  });
});

describe('projects and environments', () => {
  it('reads projectKey and environments; "default" is no project', async () => {
    const repo = (projectKey: string) => ({
      key: 'libs',
      rclass: 'federated',
      packageType: 'generic',
      members: [],
      projectKey,
      environments: ['DEV'],
    });
    server.use(http.get(`${A}/api/repositories/libs`, () => HttpResponse.json(repo('team'))));
    await expect(makeClient().getRepository('libs')).resolves.toMatchObject({
      projectKey: 'team',
      environments: ['DEV'],
    });
    server.use(http.get(`${A}/api/repositories/libs`, () => HttpResponse.json(repo('default'))));
    const none = await makeClient().getRepository('libs');
    expect(none).not.toHaveProperty('projectKey');
  });

  it('sends projectKey and environments only when given, never an empty project', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${A}/api/repositories/libs`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.text('ok');
      }),
    );
    const c = makeClient();
    await c.updateRepository('libs', { rclass: 'federated', projectKey: 'team', environments: [] });
    await c.updateRepository('libs', { rclass: 'federated', projectKey: '' });
    expect(bodies).toEqual([
      { rclass: 'federated', projectKey: 'team', environments: [] },
      { rclass: 'federated' },
    ]);
  });
});
