/**
 * What apply sends for the two actions that take an existing estate into fedctl's care: an
 * adoption writes `notes` and nothing else; a conversion migrates, then writes the members.
 */
import { describe, expect, it } from 'vitest';
import { parseNotes, type LiveState } from '../../../src/core/live/state.js';
import { computePlan } from '../../../src/core/plan/plan.js';
import type {
  ArtifactoryClient,
  FederatedRepositoryBody,
  RepositoryConfig,
} from '../../../src/io/artifactory/types.js';
import { applyPlan } from '../../../src/io/apply/apply.js';
import { jpdsHeader, topologyFrom } from '../../support/topology.js';

const topology = topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    repositories: [adopted, { key: vault, convert: local }]
    members: [{ jpd: eu, mode: receiver }]
`);
const url = (host: string, key: string) => `https://${host}.example.com/artifactory/${key}`;
const adopted: RepositoryConfig = {
  key: 'adopted',
  rclass: 'federated',
  packageType: 'generic',
  members: [
    { url: url('hub', 'adopted'), mode: 'bidirectional', enabled: true },
    { url: url('eu', 'adopted'), mode: 'receiver', enabled: true },
    { url: url('lab', 'adopted'), mode: 'receiver', enabled: true },
  ],
  notes: 'owned by the platform team',
};
const live: LiveState = {
  jpds: {
    hub: {
      name: 'hub',
      repos: [{ key: 'adopted', packageType: 'generic', members: adopted.members ?? [] }],
      otherRepos: [{ key: 'vault', rclass: 'local', packageType: 'generic' }],
    },
    eu: { name: 'eu', repos: [], otherRepos: [] },
  },
};

/** The hub: a federated `adopted`, and `vault`, local until it is migrated. */
function fakeHub() {
  const log: string[] = [];
  const bodies: Record<string, Partial<FederatedRepositoryBody>> = {};
  let vaultFederated = false;
  // What a JPD with Transmission Mode answers: the members and notes last written, modes kept.
  const vault = (): RepositoryConfig => ({
    key: 'vault',
    rclass: 'federated',
    packageType: 'generic',
    members: (
      bodies['vault']?.members ?? [
        { url: url('hub', 'vault'), mode: 'bidirectional', enabled: true },
      ]
    ).map((m) => ({ url: m.url, mode: m.mode ?? 'bidirectional', enabled: m.enabled })),
    ...(bodies['vault']?.notes === undefined ? {} : { notes: bodies['vault'].notes }),
  });
  const unexpected = () => Promise.reject(new Error('not expected in this test'));
  const client: ArtifactoryClient = {
    jpd: 'hub',
    baseUrl: 'https://hub.example.com',
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
    getRepository: (key) => {
      log.push(`GET ${key}`);
      return Promise.resolve(key === 'adopted' ? adopted : vaultFederated ? vault() : undefined);
    },
    createRepository: unexpected,
    updateRepository: (key, body) => {
      log.push(`POST ${key} ${Object.keys(body).sort().join(',')}`);
      bodies[key] = body;
      return Promise.resolve();
    },
    deleteRepository: unexpected,
    createPairingToken: unexpected,
    exchangePairingToken: unexpected,
    connectionStates: unexpected,
    stateSummary: unexpected,
    stateList: unexpected,
    configSync: (key) => {
      log.push(`configSync ${key}`);
      return Promise.resolve();
    },
    convertToFederated: (key) => {
      log.push(`migrate ${key}`);
      vaultFederated = true;
      return Promise.resolve();
    },
  };
  return { log, bodies, client };
}

describe('applyPlan: adopt and convert-to-federated', () => {
  const plan = computePlan(topology, live, { allowDelete: false });

  it('plans one adoption and one conversion', () => {
    expect(plan.actions.map((a) => a.id)).toEqual([
      'adopt:hub/adopted',
      'convert:hub/vault',
      'add:hub/vault:eu',
    ]);
  });

  it("adopts by writing notes alone: the user's notes kept, the declared members recorded", async () => {
    const hub = fakeHub();
    const only = { ...plan, actions: plan.actions.filter((a) => a.type === 'adopt') };
    const result = await applyPlan(only, topology, () => hub.client, { parallelism: 2, perJpd: 1 });
    expect(result.outcomes.map((o) => o.status)).toEqual(['applied']);
    expect(hub.log).toEqual(['GET adopted', 'POST adopted notes']);
    const notes = parseNotes(hub.bodies['adopted']?.notes);
    expect(notes.userNotes).toBe('owned by the platform team');
    expect(notes.lastApplied).toEqual({
      source: url('hub', 'adopted'),
      members: {
        [url('eu', 'adopted')]: { mode: 'receiver', enabled: true },
        [url('hub', 'adopted')]: { mode: 'bidirectional', enabled: true },
      },
    });
  });

  it('converts, then sets the members and syncs them, in one step', async () => {
    const hub = fakeHub();
    const only = {
      ...plan,
      actions: plan.actions.filter((a) => a.type !== 'establish-pairing' && a.repoKey === 'vault'),
    };
    const result = await applyPlan(only, topology, () => hub.client, { parallelism: 2, perJpd: 1 });
    expect(result.outcomes.map((o) => `${o.status} ${o.action.id}`)).toEqual([
      'applied convert:hub/vault',
      'applied add:hub/vault:eu',
    ]);
    expect(hub.log).toEqual([
      'migrate vault',
      'GET vault',
      'POST vault members,notes,rclass',
      // The read-back: a receiver member's mode must have been kept.
      'GET vault',
      'configSync vault',
    ]);
    // `mode` goes out for receivers only: absent means bidirectional.
    expect(hub.bodies['vault']?.members?.map((m) => [m.url, m.mode])).toEqual([
      [url('eu', 'vault'), 'receiver'],
      [url('hub', 'vault'), undefined],
    ]);
  });
});
