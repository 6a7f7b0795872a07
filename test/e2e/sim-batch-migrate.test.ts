import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type SimJpd, type Simulator } from '../../src/sim/index.js';
import {
  api,
  connections,
  deploy,
  download,
  eventually,
  firstError,
  memberUrl,
  statusOf,
  FAST,
} from '../sim/helpers.js';

const BATCH = '/artifactory/api/v2/repositories/batch';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(version?: string): Promise<{ hub: SimJpd; spoke: SimJpd }> {
  sim = await startSimulator({
    jpds: [{ name: 'hub', ...(version === undefined ? {} : { version }) }, { name: 'spoke' }],
    timings: FAST,
  });
  return { hub: sim.jpd('hub'), spoke: sim.jpd('spoke') };
}

function federated(hub: SimJpd, spoke: SimJpd, key: string): Record<string, unknown> {
  return {
    key,
    rclass: 'federated',
    packageType: 'generic',
    members: [
      { url: memberUrl(hub, key), enabled: true },
      { url: memberUrl(spoke, key), enabled: true, mode: 'receiver' },
    ],
  };
}

async function keysOn(jpd: SimJpd): Promise<string[]> {
  const list = (await api(jpd, 'GET', '/artifactory/api/repositories')).json as { key: string }[];
  return list.map((r) => r.key).sort();
}

describe('batch repository endpoint (/api/v2/repositories/batch)', () => {
  it('PUT creates every repository (201, one line each) and federates them like single creates', async () => {
    const { hub, spoke } = await start();
    const res = await api(hub, 'PUT', BATCH, {
      body: [
        federated(hub, spoke, 'libs-a'),
        federated(hub, spoke, 'libs-b'),
        { key: 'plain', rclass: 'local' },
      ],
    });
    expect([res.status, res.text]).toEqual([
      201,
      "Successfully created repository 'libs-a'\nSuccessfully created repository 'libs-b'\nSuccessfully created repository 'plain'",
    ]);
    expect(await keysOn(spoke)).toEqual(['libs-a', 'libs-b']);
    await eventually(
      async () => statusOf(await connections(spoke, 'libs-b'), hub, spoke),
      (s) => s === 'HEALTHY',
    );
  });

  it('PUT is all or nothing: one invalid configuration or one existing key fails the whole batch', async () => {
    const { hub, spoke } = await start();
    const invalid = await api(hub, 'PUT', BATCH, {
      body: [federated(hub, spoke, 'ok-1'), { key: 'bad', rclass: 'local', packageType: 'cobol' }],
    });
    expect([invalid.status, firstError(invalid)?.message]).toEqual([
      400,
      "bad: Unsupported package type 'cobol'",
    ]);
    expect(await keysOn(hub)).toEqual([]);
    expect(await keysOn(spoke)).toEqual([]);

    expect(
      (await api(hub, 'PUT', BATCH, { body: [{ key: 'Taken', rclass: 'local' }] })).status,
    ).toBe(201);
    const conflict = await api(hub, 'PUT', BATCH, {
      body: [
        { key: 'fresh', rclass: 'local' },
        { key: 'taken', rclass: 'local' },
      ],
    });
    expect([conflict.status, firstError(conflict)?.message]).toEqual([
      409,
      "taken: Repository key conflict: 'taken' already exists",
    ]);
    const twice = await api(hub, 'PUT', BATCH, {
      body: [
        { key: 'dup', rclass: 'local' },
        { key: 'DUP', rclass: 'local' },
      ],
    });
    expect(twice.status).toBe(409);
    expect(await keysOn(hub)).toEqual(['Taken']);
    for (const body of [[], {}, [{ rclass: 'local' }]]) {
      expect((await api(hub, 'PUT', BATCH, { body })).status).toBe(400);
    }
  });

  it('POST updates every repository (200), all or nothing', async () => {
    const { hub, spoke } = await start();
    expect(
      (
        await api(hub, 'PUT', BATCH, {
          body: [federated(hub, spoke, 'a'), federated(hub, spoke, 'b')],
        })
      ).status,
    ).toBe(201);
    const missing = await api(hub, 'POST', BATCH, {
      body: [
        { key: 'a', description: 'new' },
        { key: 'nope', description: 'x' },
      ],
    });
    expect([missing.status, firstError(missing)?.message]).toEqual([
      404,
      "nope: Repository 'nope' not found",
    ]);
    const a = (await api(hub, 'GET', '/artifactory/api/repositories/a')).json as Record<
      string,
      unknown
    >;
    expect(a['description']).toBe('');

    const res = await api(hub, 'POST', BATCH, {
      body: [
        { key: 'a', description: 'first' },
        { key: 'b', members: [{ url: memberUrl(hub, 'b'), enabled: true }] },
      ],
    });
    expect([res.status, res.text]).toEqual([
      200,
      "Repository 'a' updated successfully.\nRepository 'b' updated successfully.",
    ]);
    const onSpoke = (await api(spoke, 'GET', '/artifactory/api/repositories/a')).json as Record<
      string,
      unknown
    >;
    expect(onSpoke['description']).toBe('first');
    const b = (await api(hub, 'GET', '/artifactory/api/repositories/b')).json as {
      members: unknown[];
    };
    expect(b.members).toHaveLength(1);
  });

  it('exists only from 7.84.3 (create) and 7.104.2 (update)', async () => {
    const cases: [string, number, number][] = [
      ['7.84.2', 404, 404],
      ['7.84.3', 201, 404],
      ['7.104.2', 201, 200],
    ];
    for (const [version, create, update] of cases) {
      const { hub } = await start(version);
      const put = await api(hub, 'PUT', BATCH, { body: [{ key: 'x', rclass: 'local' }] });
      const post = await api(hub, 'POST', BATCH, { body: [{ key: 'x', description: 'y' }] });
      expect([version, put.status, post.status]).toEqual([version, create, update]);
      await sim?.stop();
    }
  });
});

describe('migrate (/api/federation/migrate/{key})', () => {
  it('turns a local repository into a federated one with its artifacts and only its own member', async () => {
    const { hub, spoke } = await start();
    expect(
      (
        await api(hub, 'PUT', '/artifactory/api/repositories/legacy', {
          body: { rclass: 'local', packageType: 'generic' },
        })
      ).status,
    ).toBe(200);
    expect((await deploy(hub, 'legacy', 'a/b.txt', 'kept')).status).toBe(201);
    const res = await api(hub, 'POST', '/artifactory/api/federation/migrate/legacy');
    expect([res.status, res.text]).toEqual([200, 'Migration finished successfully.']);
    const repo = (await api(hub, 'GET', '/artifactory/api/repositories/legacy')).json as Record<
      string,
      unknown
    >;
    expect([repo['rclass'], repo['members']]).toEqual([
      'federated',
      [{ url: memberUrl(hub, 'legacy'), enabled: true, mode: 'bidirectional' }],
    ]);
    expect((await download(hub, 'legacy', 'a/b.txt')).text).toBe('kept');

    // Adding a member afterwards federates the kept artifacts through the full sync.
    const update = await api(hub, 'POST', '/artifactory/api/repositories/legacy', {
      body: {
        members: [
          { url: memberUrl(hub, 'legacy') },
          { url: memberUrl(spoke, 'legacy'), mode: 'receiver' },
        ],
      },
    });
    expect(update.status).toBe(200);
    await eventually(
      async () => (await download(spoke, 'legacy', 'a/b.txt')).text,
      (text) => text === 'kept',
    );
  });

  it('answers 400 for a missing or non-local repository', async () => {
    const { hub } = await start();
    expect((await api(hub, 'POST', '/artifactory/api/federation/migrate/ghost')).status).toBe(400);
    await api(hub, 'PUT', '/artifactory/api/repositories/fed', { body: { rclass: 'federated' } });
    const again = await api(hub, 'POST', '/artifactory/api/federation/migrate/fed');
    expect([again.status, firstError(again)?.message]).toEqual([
      400,
      "Repository 'fed' is not a local repository",
    ]);
    expect((await api(hub, 'GET', '/artifactory/api/federation/migrate/fed')).status).toBe(405);
  });
});
