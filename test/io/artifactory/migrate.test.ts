/**
 * Local -> federated conversion against msw: the request jfrog-client-go's
 * `ConvertLocalToFederated` sends (POST, no body, 200 expected), and the error shapes JFrog
 * documents for it (400 for a missing or non-local repository, 401, 403).
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { A, recorder, remoteError, useMsw } from './support.js';

const { server, makeClient } = useMsw();

describe('convertToFederated', () => {
  it('POSTs to /api/federation/migrate/{key} with no body and accepts the 200 text', async () => {
    const r = recorder();
    server.use(
      http.post(`${A}/api/federation/migrate/:key`, async ({ request }) => {
        await r.record(request);
        return HttpResponse.text('Migration finished successfully.');
      }),
    );
    await makeClient().convertToFederated('libs local');
    expect(r.seen.map((s) => [s.method, s.path, s.body])).toEqual([
      ['POST', '/artifactory/api/federation/migrate/libs%20local', ''],
    ]);
    expect(r.seen[0]?.headers.get('authorization')).toMatch(/^Bearer /);
  });

  it("reports a 400 with the server's message", async () => {
    server.use(
      http.post(`${A}/api/federation/migrate/libs`, () =>
        HttpResponse.json(
          { errors: [{ status: 400, message: "Repository 'libs' is not a local repository" }] },
          { status: 400 },
        ),
      ),
    );
    const error = await remoteError(makeClient().convertToFederated('libs'));
    expect(error.message).toBe(
      "jpd-a: POST /artifactory/api/federation/migrate/libs -> 400: Repository 'libs' is not a local repository",
    );
  });

  it('names the permission on 401 and 403', async () => {
    server.use(
      http.post(`${A}/api/federation/migrate/a`, () =>
        HttpResponse.json(
          { errors: [{ status: 401, message: 'Bad credentials' }] },
          { status: 401 },
        ),
      ),
      http.post(`${A}/api/federation/migrate/b`, () =>
        HttpResponse.json({ errors: [{ status: 403, message: 'Forbidden' }] }, { status: 403 }),
      ),
    );
    const client = makeClient();
    expect((await remoteError(client.convertToFederated('a'))).details.hint).toBe(
      'the token for jpd-a was not accepted (missing, expired or revoked); converting local repository a to federated needs an admin token on jpd-a',
    );
    expect((await remoteError(client.convertToFederated('b'))).details.hint).toBe(
      'the token for jpd-a lacks the permission: converting local repository b to federated needs an admin token on jpd-a',
    );
  });
});
