/**
 * fetchLiveState against msw: which requests a plan makes. A converged topology costs one batch
 * call per JPD, and one inconsistentRepos (the copies whose configuration differs from a
 * member's); the repository list is read only where the topology wants a repository that is not
 * federated yet.
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createArtifactoryClient } from '../../src/io/artifactory/client.js';
import { fetchLiveState } from '../../src/io/live-state.js';
import { jpdsHeader, topologyFrom } from '../support/topology.js';

const server = setupServer();
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => {
  server.resetHandlers();
});
afterAll(() => {
  server.close();
});

const topology = topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    repositories: [libs]
    members: [{ jpd: eu, mode: bidirectional }]
`);
const member = (host: string) => ({
  url: `https://${host}.example.com/artifactory/libs`,
  enabled: true,
  mode: 'bidirectional',
});
const libs = {
  key: 'libs',
  rclass: 'federated',
  packageType: 'generic',
  members: [member('hub'), member('eu')],
};

function serve(
  federated: Record<string, unknown[]>,
  locals: Record<string, unknown[]>,
  inconsistent: Record<string, unknown[] | 404> = {},
): string[] {
  const seen: string[] = [];
  server.use(
    http.get('https://:host/artifactory/api/federation/inconsistentRepos', ({ params }) => {
      seen.push(`${String(params['host'])} inconsistentRepos`);
      const answer = inconsistent[String(params['host'])] ?? [];
      return answer === 404
        ? HttpResponse.json({ errors: [{ status: 404, message: 'Not Found' }] }, { status: 404 })
        : HttpResponse.json(answer);
    }),
    http.get('https://:host/artifactory/api/repositories/configurations', ({ params }) => {
      seen.push(`${String(params['host'])} configurations`);
      return HttpResponse.json({ FEDERATED: federated[String(params['host'])] ?? [] });
    }),
    http.get('https://:host/artifactory/api/repositories', ({ params }) => {
      seen.push(`${String(params['host'])} list`);
      return HttpResponse.json(locals[String(params['host'])] ?? []);
    }),
  );
  return seen;
}

const clientFor = (name: string) =>
  createArtifactoryClient({ jpd: name, baseUrl: `https://${name}.example.com`, token: 't' });

describe('fetchLiveState', () => {
  it('reads a converged topology with one configurations and one inconsistentRepos per JPD', async () => {
    const seen = serve(
      { 'hub.example.com': [libs], 'eu.example.com': [libs] },
      {},
      { 'hub.example.com': ['libs'], 'eu.example.com': 404 },
    );
    const live = await fetchLiveState(topology, clientFor);
    expect(seen.sort()).toEqual([
      'eu.example.com configurations',
      'eu.example.com inconsistentRepos',
      'hub.example.com configurations',
      'hub.example.com inconsistentRepos',
    ]);
    expect(live.jpds['hub']?.repos.map((r) => r.key)).toEqual(['libs']);
    // A JPD before 7.108.3 (404) has no list: unknown, not "none".
    expect(live.jpds['hub']?.inconsistent).toEqual(['libs']);
    expect(live.jpds['eu']).not.toHaveProperty('inconsistent');
  });

  it('lists the repositories of a JPD that lacks a wanted one, to find local repositories in the way', async () => {
    const seen = serve(
      { 'hub.example.com': [] },
      {
        'hub.example.com': [],
        'eu.example.com': [{ key: 'libs', type: 'LOCAL', packageType: 'Generic', url: 'x' }],
      },
    );
    const live = await fetchLiveState(topology, clientFor);
    expect(seen.sort()).toEqual([
      'eu.example.com configurations',
      'eu.example.com inconsistentRepos',
      'eu.example.com list',
      'hub.example.com configurations',
      'hub.example.com inconsistentRepos',
      'hub.example.com list',
    ]);
    expect(live.jpds['eu']?.otherRepos).toEqual([
      { key: 'libs', rclass: 'local', packageType: 'generic' },
    ]);
  });

  it('parses a notes text once and shares equal member lists between JPDs', async () => {
    const notes = 'fedctl:last-applied {"s":"https://hub.example.com/artifactory/libs","m":{}}';
    const copy = { ...libs, notes };
    serve({ 'hub.example.com': [copy], 'eu.example.com': [copy] }, {});
    const live = await fetchLiveState(topology, clientFor);
    const [hub, eu] = [live.jpds['hub']?.repos[0], live.jpds['eu']?.repos[0]];
    expect(hub?.lastApplied?.source).toBe('https://hub.example.com/artifactory/libs');
    expect(eu?.lastApplied).toBe(hub?.lastApplied);
    expect(eu?.members).toBe(hub?.members);
    expect(hub?.members).toEqual(libs.members);
  });

  it('has at most `configurationReads` configuration reads in flight, all JPDs together', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const wide = topologyFrom(`${jpdsHeader(names)}federations:
  - source: a
    repositories: [libs]
    members: [{ jpd: b, mode: receiver }, { jpd: c, mode: receiver }, { jpd: d, mode: receiver }, { jpd: e, mode: receiver }]
`);
    let inFlight = 0;
    let most = 0;
    server.use(
      http.get('https://:host/artifactory/api/repositories/configurations', async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
        return HttpResponse.json({ FEDERATED: [] });
      }),
      http.get('https://:host/artifactory/api/repositories', () => HttpResponse.json([])),
      http.get('https://:host/artifactory/api/federation/inconsistentRepos', () =>
        HttpResponse.json([]),
      ),
    );
    await fetchLiveState(wide, clientFor, undefined, undefined, 2);
    expect(most).toBe(2);
  });
});
