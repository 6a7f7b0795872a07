/**
 * The repositories area against msw: list, read (with the missing-repository and partial-config
 * cases), the /configurations read and its pre-7.61.3 fallback within the concurrency cap, create
 * (with "already exists"), update and delete.
 */
import { HttpResponse, delay, http } from 'msw';
import { describe, expect, it } from 'vitest';
import type { FederatedRepositoryBody } from '../../../src/io/artifactory/types.js';
import { A, receiverBody, recorder, remoteError, useMsw } from './support.js';

const { server, makeClient } = useMsw();

/** A live federated config as Artifactory returns it (CLI-core federated_repo.json, trimmed). */
function liveConfig(
  key: string,
  members: readonly Record<string, unknown>[],
): Record<string, unknown> {
  return {
    key,
    packageType: 'generic',
    description: '',
    repoLayoutRef: 'simple-default',
    rclass: 'federated',
    members,
  };
}

describe('repositories', () => {
  it('lists by type with the type query', async () => {
    const r = recorder();
    server.use(
      http.get(`${A}/api/repositories`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.json([
          { key: 'libs', type: 'FEDERATED', packageType: 'Generic', url: `${A}/libs` },
        ]);
      }),
    );
    const client = makeClient();
    await expect(client.listRepositories('federated')).resolves.toEqual([
      { key: 'libs', type: 'FEDERATED', packageType: 'Generic', url: `${A}/libs` },
    ]);
    await client.listRepositories();
    expect(r.seen.map((s) => s.query)).toEqual([{ type: 'federated' }, {}]);
  });

  it('reads a config: modes default to bidirectional, enabled may be a string', async () => {
    server.use(
      http.get(`${A}/api/repositories/libs`, () =>
        HttpResponse.json(
          liveConfig('libs', [
            { url: `${A}/libs`, enabled: true },
            {
              url: 'https://jpd-b.example.com/artifactory/libs',
              enabled: 'false',
              mode: 'receiver',
            },
          ]),
        ),
      ),
    );
    const config = await makeClient().getRepository('libs');
    expect(config).toMatchObject({
      key: 'libs',
      rclass: 'federated',
      packageType: 'generic',
      members: [
        { url: `${A}/libs`, enabled: true, mode: 'bidirectional' },
        { url: 'https://jpd-b.example.com/artifactory/libs', enabled: false, mode: 'receiver' },
      ],
    });
    // Fields fedctl does not model are dropped as soon as the body is read (memory).
    expect(config).not.toHaveProperty('raw');
    expect(config).not.toHaveProperty('repoLayoutRef');
  });

  it.each([
    [400, { errors: [{ status: 400, message: 'Bad Request' }] }],
    [404, { errors: [{ status: 404, message: 'Not Found' }] }],
  ])('a missing repository (%i) is undefined', async (status, body) => {
    server.use(http.get(`${A}/api/repositories/nope`, () => HttpResponse.json(body, { status })));
    await expect(makeClient().getRepository('nope')).resolves.toBeUndefined();
  });

  it('an HTML 404 is not a missing repository but a proxy or wrong base URL', async () => {
    server.use(
      http.get(`${A}/api/repositories/libs`, () =>
        HttpResponse.html('<html><title>404 Not Found</title></html>', { status: 404 }),
      ),
    );
    const error = await remoteError(makeClient().getRepository('libs'));
    expect(error.message).toBe(
      'jpd-a: GET /artifactory/api/repositories/libs -> 404: an HTML page titled "404 Not Found" (an HTML page is not Artifactory\'s API: is a proxy or a login page answering for it?)',
    );
  });

  it('a federated config without members (non-admin view) is an error, not an empty list', async () => {
    server.use(
      http.get(`${A}/api/repositories/libs`, () =>
        HttpResponse.json({ key: 'libs', rclass: 'federated', packageType: 'generic' }),
      ),
    );
    const error = await remoteError(makeClient().getRepository('libs'));
    expect(error.details.hint).toContain('members is missing from a federated repository');
  });

  it('a member with an unknown mode is an error naming the field', async () => {
    server.use(
      http.get(`${A}/api/repositories/libs`, () =>
        HttpResponse.json(liveConfig('libs', [{ url: `${A}/libs`, mode: 'sender' }])),
      ),
    );
    const error = await remoteError(makeClient().getRepository('libs'));
    expect(error.details.hint).toBe(
      'unexpected response: members[0].mode should be "receiver" or "bidirectional"',
    );
  });

  it('encodes the repository key in the path', async () => {
    const r = recorder();
    server.use(
      http.get(`${A}/api/repositories/:key`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.json({}, { status: 404 });
      }),
    );
    await makeClient().getRepository('a b');
    expect(r.seen[0]?.path).toBe('/artifactory/api/repositories/a%20b');
  });

  it('reads every federated config in one call from /configurations', async () => {
    const r = recorder();
    server.use(
      http.get(`${A}/api/repositories/configurations`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.json({
          LOCAL: [{ key: 'loc', rclass: 'local', packageType: 'generic' }],
          FEDERATED: [liveConfig('libs', [{ url: `${A}/libs`, enabled: true }])],
        });
      }),
    );
    const configs = await makeClient().getFederatedRepositories();
    expect(configs.map((c) => c.key)).toEqual(['libs']);
    expect(r.seen[0]?.query).toEqual({ repoType: 'federated' });
  });

  it.each([400, 404, 405])(
    'falls back to the list plus per-repo GETs when /configurations answers %i, within the concurrency cap',
    async (status) => {
      const keys = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
      let inFlight = 0;
      let maxInFlight = 0;
      server.use(
        http.get(`${A}/api/repositories/configurations`, () =>
          HttpResponse.json({ errors: [{ status, message: 'no' }] }, { status }),
        ),
        http.get(`${A}/api/repositories`, () =>
          HttpResponse.json(
            keys.map((key) => ({ key, type: 'FEDERATED', packageType: 'Generic' })),
          ),
        ),
        http.get(`${A}/api/repositories/:key`, async ({ params }) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await delay(15);
          inFlight--;
          const key = String(params['key']);
          // One repository disappears between the list and its GET.
          if (key === 'r4') return HttpResponse.json({}, { status: 404 });
          return HttpResponse.json(liveConfig(key, [{ url: `${A}/${key}`, enabled: true }]));
        }),
      );
      const configs = await makeClient({ concurrency: 2 }).getFederatedRepositories();
      expect(configs.map((c) => c.key)).toEqual(['r1', 'r2', 'r3', 'r5', 'r6']);
      expect(maxInFlight).toBe(2);
    },
  );

  it('creates with PUT, sending key, rclass, packageType and every member with its mode', async () => {
    const r = recorder();
    server.use(
      http.put(`${A}/api/repositories/libs`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.text("Successfully created repository 'libs'");
      }),
    );
    await makeClient().createRepository('libs', receiverBody);
    const [put] = r.seen;
    expect(put?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(put?.body ?? '')).toEqual({
      key: 'libs',
      rclass: 'federated',
      packageType: 'generic',
      members: [
        { url: 'https://jpd-a.example.com/artifactory/libs', enabled: true, mode: 'bidirectional' },
        { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true, mode: 'receiver' },
      ],
    });
  });

  it('sends a member without mode as it is: absent means bidirectional (core/apply/repo-update.ts)', async () => {
    const r = recorder();
    server.use(
      http.put(`${A}/api/repositories/libs`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.text("Successfully created repository 'libs'");
      }),
    );
    await makeClient().createRepository('libs', {
      rclass: 'federated',
      members: [
        { url: 'https://jpd-a.example.com/artifactory/libs', enabled: true },
        { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true, mode: 'receiver' },
      ],
    });
    expect(JSON.parse(r.seen[0]?.body ?? '')).toEqual({
      key: 'libs',
      rclass: 'federated',
      members: [
        { url: 'https://jpd-a.example.com/artifactory/libs', enabled: true },
        { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true, mode: 'receiver' },
      ],
    });
  });

  /** PUT answers "already exists" (the wording of terraform-provider-artifactory#1102); GET answers with these members. */
  function existsWith(members: readonly Record<string, unknown>[] | 'missing'): void {
    const exists = {
      errors: [
        {
          status: 400,
          message:
            'error when validating repository name: libs : Case insensitive repository key already exists',
        },
      ],
    };
    server.use(
      http.put(`${A}/api/repositories/libs`, () => HttpResponse.json(exists, { status: 400 })),
      http.get(`${A}/api/repositories/libs`, () =>
        members === 'missing'
          ? HttpResponse.json({}, { status: 400 })
          : HttpResponse.json(liveConfig('libs', members)),
      ),
    );
  }

  it('treats "already exists" as success when the live config is what was asked', async () => {
    existsWith([
      // Case and trailing slashes differ; the order differs; modes match.
      { url: 'https://JPD-B.example.com/artifactory/libs/', enabled: true, mode: 'receiver' },
      { url: 'https://jpd-a.example.com/artifactory/libs', enabled: true },
    ]);
    await expect(makeClient().createRepository('libs', receiverBody)).resolves.toBeUndefined();
  });

  it('ignores the self member Artifactory adds when the request left it out', async () => {
    existsWith([
      { url: `${A}/libs`, enabled: true },
      { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true, mode: 'receiver' },
    ]);
    const onlyTarget: FederatedRepositoryBody = {
      ...receiverBody,
      members: receiverBody.members.filter((m) => m.mode === 'receiver'),
    };
    await expect(makeClient().createRepository('libs', onlyTarget)).resolves.toBeUndefined();
  });

  it('reports "already exists with a different configuration" with the differences', async () => {
    existsWith([
      { url: `${A}/libs`, enabled: true },
      { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true },
      { url: 'https://jpd-c.example.com/artifactory/libs', enabled: true },
    ]);
    const error = await remoteError(makeClient().createRepository('libs', receiverBody));
    expect(error.message).toBe(
      'jpd-a: PUT /artifactory/api/repositories/libs -> 400: error when validating repository name: libs : Case insensitive repository key already exists (the repository already exists with a different configuration: member https://jpd-b.example.com/artifactory/libs is bidirectional, wanted receiver; member https://jpd-c.example.com/artifactory/libs is not wanted)',
    );
  });

  it('reports a key that exists only in another letter case', async () => {
    existsWith('missing');
    const error = await remoteError(makeClient().createRepository('libs', receiverBody));
    expect(error.details.hint).toContain(
      'a repository whose key differs only in letter case exists',
    );
  });

  it('updates with POST: the members array (with modes) replaces the list', async () => {
    const r = recorder();
    server.use(
      http.post(`${A}/api/repositories/libs`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.text('Repository libs update successfully.');
      }),
    );
    await makeClient().updateRepository('libs', {
      members: [
        { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true, mode: 'receiver' },
      ],
    });
    expect(JSON.parse(r.seen[0]?.body ?? '')).toEqual({
      members: [
        { url: 'https://jpd-b.example.com/artifactory/libs', enabled: true, mode: 'receiver' },
      ],
    });
  });

  it('refuses a body whose key does not match the path', async () => {
    await expect(
      makeClient().createRepository('libs', { ...receiverBody, key: 'other' }),
    ).rejects.toThrow('repository body key "other" does not match the path key "libs"');
  });

  it('deletes with DELETE', async () => {
    const r = recorder();
    server.use(
      http.delete(`${A}/api/repositories/libs`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.text(
          "Repository 'libs' and all its content have been removed successfully.",
        );
      }),
    );
    await makeClient().deleteRepository('libs');
    expect(r.seen.map((s) => s.method)).toEqual(['DELETE']);
  });
});
