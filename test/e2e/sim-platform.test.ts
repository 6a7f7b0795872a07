import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimJpd } from '../../src/sim/index.js';
import {
  api,
  connections,
  createFederation,
  deploy,
  download,
  eventually,
  firstError,
  statusOf,
} from '../sim/helpers.js';

describe('simulated JPD platform behaviour', () => {
  let sim: Simulator;
  let a: SimJpd;
  let b: SimJpd;

  beforeAll(async () => {
    sim = await startSimulator({
      jpds: [
        { name: 'a', token: 'given-admin-token' },
        { name: 'b', missingRepoStatus: 404, configurationsApi: false },
      ],
    });
    a = sim.jpd('a');
    b = sim.jpd('b');
  });
  afterAll(async () => {
    await sim.stop();
  });
  afterEach(() => {
    a.clearFaults();
    b.clearFaults();
  });

  it('authenticates like Artifactory: 401 without or with a bad token, 403 for a non-admin', async () => {
    expect(a.token).toBe('given-admin-token');
    const ping = await api(a, 'GET', '/artifactory/api/system/ping', { token: null });
    expect([ping.status, ping.text, ping.headers.get('content-type')]).toEqual([
      200,
      'OK',
      'text/plain',
    ]);
    for (const token of [null, 'wrong']) {
      const res = await api(a, 'GET', '/artifactory/api/system/version', { token });
      expect(res.status).toBe(401);
      expect(res.text).toBe('{"errors":[{"status":401,"message":"Authentication is required"}]}');
    }
    const reader = { token: a.readOnlyToken };
    expect((await api(a, 'GET', '/artifactory/api/system/version', reader)).status).toBe(200);
    expect((await api(a, 'GET', '/artifactory/api/repositories', reader)).status).toBe(200);
    for (const [method, path] of [
      ['PUT', '/artifactory/api/repositories/nope'],
      ['GET', '/artifactory/api/repositories/configurations'],
      ['GET', '/artifactory/api/federation/status/stateSummary'],
      ['POST', '/artifactory/api/v1/service_trust/pairing/federated-repo/r'],
      ['PUT', '/artifactory/whatever/file.txt'],
      ['GET', '/_sim/state'],
    ] as const) {
      const res = await api(
        a,
        method,
        path,
        method === 'GET' ? reader : { ...reader, body: { rclass: 'local' } },
      );
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }
    const headers = (await api(a, 'GET', '/artifactory/api/system/ping')).headers;
    expect(headers.get('x-jfrog-version')).toMatch(/^Artifactory\/7\.\d+\.\d+ \d+$/);
    expect(headers.get('x-artifactory-id')).toMatch(/^[0-9a-f]{40}$/);
    expect(headers.get('x-artifactory-node-id')).toBe('a-node-1');
    expect(headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('injects 429 with Retry-After and 503 per path pattern, and drops connections', async () => {
    const put = await api(a, 'PUT', '/_sim/faults', {
      body: {
        errors: [
          { status: 429, rate: 1, path: '/artifactory/api/repositories*', retryAfterSeconds: 2 },
          { status: 503, rate: 1, path: '/artifactory/api/system/version' },
        ],
        drops: [{ rate: 1, path: '/artifactory/api/storage/*' }],
      },
    });
    expect(put.status).toBe(200);
    const limited = await api(a, 'GET', '/artifactory/api/repositories');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
    expect(firstError(limited)).toEqual({ status: 429, message: 'Too Many Requests' });
    const unavailable = await api(a, 'GET', '/artifactory/api/system/version');
    expect([unavailable.status, firstError(unavailable)?.status]).toEqual([503, 503]);
    await expect(api(a, 'GET', '/artifactory/api/storage/x/y')).rejects.toThrow();
    expect((await api(a, 'GET', '/artifactory/api/system/ping')).status).toBe(200);
    expect((await api(a, 'DELETE', '/_sim/faults')).status).toBe(200);
    expect((await api(a, 'GET', '/artifactory/api/repositories')).status).toBe(200);
    const bad = await api(a, 'PUT', '/_sim/faults', {
      body: { errors: [{ status: 500, rate: 1 }] },
    });
    expect(bad.status).toBe(400);
  });

  it('queues events through peer errors (ERROR), then delivers them all', async () => {
    expect((await createFederation(a, 'flaky', [{ jpd: b }])).status).toBe(200);
    await eventually(
      () => connections(a, 'flaky'),
      (l) => l.every((c) => c.status === 'HEALTHY'),
    );
    b.setFaults({
      errors: [{ status: 503, rate: 1, path: '*/federation/peer/v1/repositories/*/events' }],
    });
    expect((await deploy(a, 'flaky', 'one.txt', '1')).status).toBe(201);
    expect((await deploy(a, 'flaky', 'two.txt', '2')).status).toBe(201);
    await eventually(
      () => connections(a, 'flaky'),
      (l) => statusOf(l, a, b) === 'ERROR' && l.some((c) => c.queuedEvents === 2),
    );
    b.clearFaults();
    await eventually(
      () => connections(a, 'flaky'),
      (l) => statusOf(l, a, b) === 'HEALTHY' && l.every((c) => c.queuedEvents === 0),
    );
    expect((await download(b, 'flaky', 'one.txt')).text).toBe('1');
    expect((await download(b, 'flaky', 'two.txt')).text).toBe('2');
  });

  it('limits a federation to 10 members and saves unreachable ones', async () => {
    const others = (n: number): { url: string; enabled: boolean }[] =>
      Array.from({ length: n }, (_, i) => ({
        url: `http://127.0.0.1:9/x${i}/artifactory/big`,
        enabled: true,
      }));
    const tooMany = await api(a, 'PUT', '/artifactory/api/repositories/big', {
      body: { rclass: 'federated', packageType: 'generic', members: others(10) },
    });
    expect(tooMany.status).toBe(400);
    expect(firstError(tooMany)?.message).toMatch(/at most 10 members/);
    const ten = await api(a, 'PUT', '/artifactory/api/repositories/big', {
      body: { rclass: 'federated', packageType: 'generic', members: others(9) },
    });
    expect(ten.status).toBe(200);
    const got = await api(a, 'GET', '/artifactory/api/repositories/big');
    expect((got.json as { members: unknown[] }).members).toHaveLength(10);
    const grow = await api(a, 'POST', '/artifactory/api/repositories/big', {
      body: { members: [...others(10)] },
    });
    expect(grow.status).toBe(400);
  });

  it('answers repository errors the way real versions do', async () => {
    expect((await api(a, 'GET', '/artifactory/api/repositories/missing')).status).toBe(400);
    const missingB = await api(b, 'GET', '/artifactory/api/repositories/missing');
    expect(missingB.status).toBe(404);
    expect((await api(b, 'GET', '/artifactory/api/repositories/configurations')).status).toBe(404);
    const configs = await api(
      a,
      'GET',
      '/artifactory/api/repositories/configurations?repoType=federated',
    );
    expect(Object.keys(configs.json as object)).toEqual([
      'LOCAL',
      'REMOTE',
      'VIRTUAL',
      'FEDERATED',
      'RELEASE_BUNDLE',
    ]);

    expect(
      (await api(a, 'PUT', '/artifactory/api/repositories/Dup', { body: { rclass: 'local' } }))
        .status,
    ).toBe(200);
    const dup = await api(a, 'PUT', '/artifactory/api/repositories/dup', {
      body: { rclass: 'federated' },
    });
    expect(dup.text).toBe(
      '{"errors":[{"status":400,"message":"error when validating repository name: Case insensitive repository key already exists"}]}',
    );
    const reclass = await api(a, 'POST', '/artifactory/api/repositories/Dup', {
      body: { rclass: 'federated' },
    });
    expect(reclass.status).toBe(400);
    const removed = await api(a, 'DELETE', '/artifactory/api/repositories/Dup');
    expect(removed.text).toBe(
      "Repository 'Dup' and all its content have been removed successfully.",
    );
    const badMode = await api(a, 'PUT', '/artifactory/api/repositories/m', {
      body: { rclass: 'federated', members: [{ url: `${b.url}/artifactory/m`, mode: 'sender' }] },
    });
    expect(badMode.status).toBe(400);
  });

  it('deleting a federated repository keeps the other members’ copies', async () => {
    expect((await createFederation(a, 'keep', [{ jpd: b, mode: 'receiver' }])).status).toBe(200);
    expect((await api(a, 'DELETE', '/artifactory/api/repositories/keep')).status).toBe(200);
    const onB = await api(b, 'GET', '/artifactory/api/repositories/keep');
    expect(onB.status).toBe(200);
    expect((onB.json as { members: unknown[] }).members).toHaveLength(2);
  });
});

describe('persistence', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedctl-sim-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps configuration, artifacts, trust and queued events across a restart', async () => {
    const first = await startSimulator({
      jpds: [{ name: 'hub' }, { name: 'spoke' }],
      dataDir: dir,
    });
    const hub = first.jpd('hub');
    const spoke = first.jpd('spoke');
    const specs = [hub, spoke].map((j) => ({ name: j.name, port: j.port, token: j.token }));
    expect((await createFederation(hub, 'kept', [{ jpd: spoke, mode: 'receiver' }])).status).toBe(
      200,
    );
    expect((await deploy(hub, 'kept', 'before.txt', 'before')).status).toBe(201);
    await eventually(
      () => download(spoke, 'kept', 'before.txt'),
      (r) => r.status === 200,
    );
    spoke.setOffline(true);
    expect((await deploy(hub, 'kept', 'queued.txt', 'queued')).status).toBe(201);
    await first.stop();

    const files = await readdir(join(dir, 'hub'));
    expect(files.sort()).toEqual(['blobs', 'state.json']);
    const saved = JSON.parse(await readFile(join(dir, 'hub', 'state.json'), 'utf8')) as {
      outbound: { queue: { path: string }[] }[];
    };
    // Events queued during the full sync may still be there too; delivery is idempotent.
    expect(saved.outbound[0]?.queue.map((e) => e.path)).toContain('queued.txt');

    const second = await startSimulator({ jpds: specs, dataDir: dir });
    try {
      const hub2 = second.jpd('hub');
      const spoke2 = second.jpd('spoke');
      expect(hub2.url).toBe(hub.url);
      expect(hub2.readOnlyToken).toBe(hub.readOnlyToken);
      const arrived = await eventually(
        () => download(spoke2, 'kept', 'queued.txt'),
        (r) => r.status === 200,
      );
      expect(arrived.text).toBe('queued');
      expect((await download(spoke2, 'kept', 'before.txt')).text).toBe('before');
      const config = await api(spoke2, 'GET', '/artifactory/api/repositories/kept');
      expect(config.json).toMatchObject({
        members: [{ mode: 'bidirectional' }, { mode: 'receiver' }],
      });
    } finally {
      await second.stop();
    }
  });
});
