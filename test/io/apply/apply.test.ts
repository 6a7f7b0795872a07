import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../../src/core/errors.js';
import { computePlan } from '../../../src/core/plan/plan.js';
import { parseNotes, type LiveState } from '../../../src/core/live/state.js';
import type {
  ArtifactoryClient,
  FederatedRepositoryBody,
  RepositoryConfig,
} from '../../../src/io/artifactory/types.js';
import { applyPlan, planSteps, type ApplyEvent } from '../../../src/io/apply/apply.js';
import { emptyLive, jpdsHeader, topologyFrom } from '../../support/topology.js';

const topology = topologyFrom(`${jpdsHeader(['hub', 'eu', 'us'])}trust:
  - { source: hub, target: eu }
federations:
  - source: hub
    repositories: [paired-a, paired-b]
    members: [{ jpd: eu, mode: receiver }]
  - source: hub
    repositories: [plain]
    members: [{ jpd: us, mode: bidirectional }]
`);
const empty: LiveState = emptyLive(['hub', 'eu', 'us']);

interface Calls {
  log: string[];
  bodies: Record<string, FederatedRepositoryBody | Partial<FederatedRepositoryBody>>;
}

/** A fake JPD: records calls, fails where told, tracks concurrency. */
function fakeClients(opts: {
  exchange?: (attempt: number) => Promise<void>;
  create?: (key: string) => Promise<void>;
  get?: (key: string) => RepositoryConfig | undefined;
  delayMs?: number;
}) {
  const calls: Calls = { log: [], bodies: {} };
  let exchanges = 0;
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  // What this fake JPD stores: the last body written, members without `mode` bidirectional.
  // After a write it reads back as written (apply checks that its write landed).
  const written = (key: string): RepositoryConfig | undefined => {
    const body = calls.bodies[key];
    if (body === undefined) return undefined;
    return {
      key,
      rclass: 'federated',
      packageType: 'generic',
      members: (body.members ?? []).map((m) => ({ ...m, mode: m.mode ?? 'bidirectional' })),
      ...(body.notes === undefined ? {} : { notes: body.notes }),
    };
  };
  const make = (jpd: string): ArtifactoryClient => {
    const track = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
      calls.log.push(`${jpd} ${what}`);
      inFlight.set(jpd, (inFlight.get(jpd) ?? 0) + 1);
      peak.set(jpd, Math.max(peak.get(jpd) ?? 0, inFlight.get(jpd) ?? 0));
      try {
        await new Promise((r) => setTimeout(r, opts.delayMs ?? 1));
        return await fn();
      } finally {
        inFlight.set(jpd, (inFlight.get(jpd) ?? 1) - 1);
      }
    };
    const unexpected = () => Promise.reject(new Error('not expected in this test'));
    return {
      jpd,
      baseUrl: `https://${jpd}.example.com`,
      version: unexpected,
      listRepositories: unexpected,
      getFederatedRepositories: unexpected,
      createRepositories: unexpected,
      getBaseUrl: unexpected,
      hasAdminToken: unexpected,
      federationSyncState: unexpected,
      legacyRepositoryStatus: unexpected,
      mirrorsLag: unexpected,
      migrationStatus: unexpected,
      rtfsEnabled: unexpected,
      getInconsistentRepositories: unexpected,
      getRepository: (key) =>
        track(`GET ${key}`, () => Promise.resolve(written(key) ?? opts.get?.(key))),
      createRepository: (key, body) =>
        track(`PUT ${key}`, async () => {
          calls.bodies[key] = body;
          await opts.create?.(key);
        }),
      updateRepository: (key, body) =>
        track(`POST ${key}`, () => {
          calls.bodies[key] = body;
          return Promise.resolve();
        }),
      deleteRepository: unexpected,
      createPairingToken: (useCase) =>
        track(`pairing-token ${useCase}`, () =>
          Promise.resolve({ pairingToken: 'secret-pairing' }),
        ),
      exchangePairingToken: (useCase) =>
        track(`exchange ${useCase}`, () => opts.exchange?.((exchanges += 1)) ?? Promise.resolve()),
      connectionStates: unexpected,
      stateSummary: unexpected,
      stateList: unexpected,
      configSync: (key) => track(`configSync ${key}`, () => Promise.resolve()),
      convertToFederated: unexpected,
    };
  };
  const clients = new Map(['hub', 'eu', 'us'].map((n) => [n, make(n)]));
  return {
    calls,
    peak,
    client: (name: string) => {
      const c = clients.get(name);
      if (c === undefined) throw new Error(name);
      return c;
    },
  };
}

const plan = computePlan(topology, empty, { allowDelete: false });

describe('applyPlan', () => {
  it('groups actions into steps that carry their dependencies', () => {
    expect(planSteps(plan).map((s) => [s.id, s.kind, s.dependsOn])).toEqual([
      ['pairing:hub->eu', 'pairing', []],
      ['repo:hub/paired-a', 'repository', ['pairing:hub->eu']],
      ['repo:hub/paired-b', 'repository', ['pairing:hub->eu']],
      ['repo:hub/plain', 'repository', []],
    ]);
  });

  it("pairs before creating what needs the pairing, and writes fedctl's record in notes", async () => {
    const fake = fakeClients({});
    const result = await applyPlan(plan, topology, fake.client, { parallelism: 8, perJpd: 2 });
    expect(result.outcomes.map((o) => `${o.status} ${o.action.id}`)).toEqual([
      'applied pairing:hub->eu',
      'applied create:hub/paired-a',
      'applied create:hub/paired-b',
      'applied create:hub/plain',
    ]);
    const log = fake.calls.log;
    expect(log.indexOf('eu exchange r')).toBeLessThan(log.indexOf('hub PUT paired-a'));
    expect(log.indexOf('hub pairing-token r')).toBeLessThan(log.indexOf('eu exchange r'));
    const body = fake.calls.bodies['paired-a'];
    // `mode` goes out for receivers only: absent is bidirectional (see core/apply/repo-update.ts).
    expect(body?.members?.map((m) => [m.url, m.mode])).toEqual([
      ['https://eu.example.com/artifactory/paired-a', 'receiver'],
      ['https://hub.example.com/artifactory/paired-a', undefined],
    ]);
    expect(parseNotes(body?.notes).lastApplied?.source).toBe(
      'https://hub.example.com/artifactory/paired-a',
    );
  });

  it('skips what depends on a failed pairing, finishes independent work, never throws', async () => {
    const fake = fakeClients({
      exchange: () =>
        Promise.reject(
          new RemoteError({
            jpd: 'eu',
            method: 'PUT',
            path: '/artifactory/api/v1/service_trust/pairing/federated-repo/r',
            status: 403,
            serverMessage: 'Forbidden',
          }),
        ),
    });
    const result = await applyPlan(plan, topology, fake.client, { parallelism: 8, perJpd: 2 });
    expect(
      result.outcomes.map((o) => [
        o.status,
        o.action.id,
        o.status === 'skipped' ? o.reason : o.status === 'failed' ? o.error : '',
      ]),
    ).toEqual([
      [
        'failed',
        'pairing:hub->eu',
        'eu: PUT /artifactory/api/v1/service_trust/pairing/federated-repo/r -> 403: Forbidden; a fresh pairing token was refused too (a pairing token lives 5 minutes and can be used only once: issue and exchange it within that time, and never reuse one)',
      ],
      ['skipped', 'create:hub/paired-a', 'needs pairing hub -> eu, which did not succeed'],
      ['skipped', 'create:hub/paired-b', 'needs pairing hub -> eu, which did not succeed'],
      ['applied', 'create:hub/plain', ''],
    ]);
    expect(fake.calls.log).not.toContain('hub PUT paired-a');
  });

  it('issues a new pairing token when the first expired before the exchange', async () => {
    const events: ApplyEvent[] = [];
    const fake = fakeClients({
      exchange: (attempt) =>
        attempt === 1
          ? Promise.reject(
              new RemoteError({
                jpd: 'eu',
                method: 'PUT',
                path: '/artifactory/api/v1/service_trust/pairing/federated-repo/r',
                status: 400,
                serverMessage:
                  'Failed to establish trust with https://hub.example.com: Pairing token expired',
              }),
            )
          : Promise.resolve(),
    });
    const result = await applyPlan(plan, topology, fake.client, {
      parallelism: 8,
      perJpd: 2,
      onEvent: (e) => events.push(e),
    });
    expect(result.outcomes.every((o) => o.status === 'applied')).toBe(true);
    expect(fake.calls.log.filter((l) => l === 'hub pairing-token r')).toHaveLength(2);
    expect(events.flatMap((e) => (e.type === 'retry' ? [e.message] : []))).toEqual([
      'eu refused the pairing token (400: Failed to establish trust with https://hub.example.com: Pairing token expired); issuing a fresh one and trying once more',
    ]);
  });

  it('keeps each JPD under its cap', async () => {
    const fake = fakeClients({ delayMs: 5 });
    await applyPlan(plan, topology, fake.client, { parallelism: 8, perJpd: 1 });
    // One step at a time on the hub, whose steps each make two calls (PUT, configSync).
    expect(fake.peak.get('hub')).toBe(1);
  });

  it('updates a repository from its configuration read just before the write', async () => {
    const unmanaged = 'https://lab.example.com/artifactory/plain';
    const live: LiveState = {
      jpds: {
        ...empty.jpds,
        hub: {
          name: 'hub',
          otherRepos: [],
          repos: [
            {
              key: 'plain',
              packageType: 'generic',
              members: [
                {
                  url: 'https://hub.example.com/artifactory/plain',
                  mode: 'bidirectional',
                  enabled: true,
                },
              ],
            },
          ],
        },
      },
    };
    const update = computePlan(topology, live, { allowDelete: false });
    // Since the plan, someone added a member the topology does not know.
    const afterSomeoneAdded = (key: string): RepositoryConfig => ({
      key,
      rclass: 'federated',
      packageType: 'generic',
      members: [
        {
          url: 'https://hub.example.com/artifactory/plain',
          mode: 'bidirectional',
          enabled: true,
        },
        { url: unmanaged, mode: 'receiver', enabled: true },
      ],
      notes: 'owned by the platform team',
    });
    const fake = fakeClients({ get: afterSomeoneAdded });
    const plain = {
      ...update,
      actions: update.actions.filter(
        (a) => a.type !== 'establish-pairing' && a.repoKey === 'plain',
      ),
    };
    const result = await applyPlan(plain, topology, fake.client, { parallelism: 8, perJpd: 2 });
    expect(result.outcomes.map((o) => o.status)).toEqual(['applied']);
    const body = fake.calls.bodies['plain'];
    expect(body?.members?.map((m) => [m.url, m.mode])).toEqual([
      ['https://hub.example.com/artifactory/plain', undefined],
      [unmanaged, 'receiver'],
      ['https://us.example.com/artifactory/plain', undefined],
    ]);
    const notes = parseNotes(body?.notes);
    expect(notes.userNotes).toBe('owned by the platform team');
    expect(Object.keys(notes.lastApplied?.members ?? {})).toEqual([
      'https://hub.example.com/artifactory/plain',
      'https://us.example.com/artifactory/plain',
    ]);
    // One GET reads the repository before the write, one reads it back after.
    expect(fake.calls.log).toEqual([
      'hub GET plain',
      'hub POST plain',
      'hub GET plain',
      'hub configSync plain',
    ]);

    // Given the state the plan was computed from, the same change since the plan stops the step.
    const strict = fakeClients({ get: afterSomeoneAdded });
    const refused = await applyPlan(plain, topology, strict.client, {
      parallelism: 8,
      perJpd: 2,
      planned: live,
    });
    expect(refused.outcomes.map((o) => (o.status === 'failed' ? o.error : o.status))).toEqual([
      'hub/plain changed on JPD hub since the plan (by someone else?); nothing was written to it. Run fedctl plan again',
    ]);
    expect(strict.calls.log).toEqual(['hub GET plain']);
  });
});
