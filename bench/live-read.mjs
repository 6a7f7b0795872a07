/**
 * Reading the live state (the network half of `fedctl plan`) against the simulator.
 *
 * Setup (untimed): 3 simulated JPDs. The hub creates 200 federated repositories with the eu and us
 * JPDs as receiver members, through the simulator's plain REST API (PUT
 * /artifactory/api/repositories/{key}), each with the last-applied record fedctl would have
 * written; federation creates the member copies, so every JPD holds 200 federated repositories.
 * Each JPD also gets 20 local repositories. The initial full syncs are waited out first.
 *
 * Subject: `fetchLiveState` with fedctl's own clients (created once, so connection pools are warm,
 * as they are for the second and later requests of a real run): per JPD, the batch
 * `/configurations?repoType=federated` request, checking and parsing every configuration and its
 * notes, per-JPD caps.
 * Baseline: a raw `fetch` of the same URL once per JPD, all three at once, reading the body bytes
 * and nothing else: the least wire work any tool needs to learn the same facts.
 * The ratio is fedctl's overhead over that minimum. The simulator runs in the same process, so
 * its time to build the responses is inside both numbers; the ratio understates the client's own
 * overhead rather than overstating it.
 *
 * Variant `pending`: the topology wants 10 more repositories than exist, so fedctl also lists
 * each JPD's repositories (a second request per JPD) to check that no local repository is in the
 * way of a create. Same baseline.
 */
import { computePlan } from '../dist/core/plan/plan.js';
import { createJpdClients } from '../dist/io/jpd-clients.js';
import { fetchLiveState } from '../dist/io/live-state.js';
import { startSimulator } from '../dist/sim/index.js';
import { managedNotes, tokenVar, topologyFrom, topologyYaml } from './fixtures.mjs';
import { timePair } from './lib.mjs';
import { eachLimited, rest, tokenEnv, waitForFullSyncs } from './sim-util.mjs';

const REPOS = 200;
const LOCAL_PER_JPD = 20;
const CONFIGURATIONS = '/artifactory/api/repositories/configurations?repoType=federated';

export async function liveReadBenchmarks(record, { samples, track }) {
  const sim = track(
    await startSimulator({ jpds: [{ name: 'hub' }, { name: 'eu' }, { name: 'us' }] }),
  );
  const names = sim.jpds.map((j) => j.name);
  const urls = Object.fromEntries(sim.jpds.map((j) => [j.name, j.url]));
  const env = tokenEnv(sim, tokenVar);
  const yamlFor = (count) =>
    topologyYaml({
      jpds: names,
      urls,
      sources: ['hub'],
      reposPerSource: count,
      membersPerRepo: 2,
      modes: 'receiver',
    });
  const topology = topologyFrom(yamlFor(REPOS), env);
  const pendingTopology = topologyFrom(yamlFor(REPOS + 10), env);

  // --- Seed through the plain REST API -------------------------------------------------------
  const hub = sim.jpd('hub');
  await eachLimited(topology.repos, 8, async (repo) => {
    const members = [
      { url: `${hub.url}/artifactory/${repo.key}`, enabled: true, mode: 'bidirectional' },
      ...repo.members.map((m) => ({
        url: `${urls[m.jpd]}/artifactory/${m.repoKey}`,
        enabled: m.enabled,
        mode: m.mode,
      })),
    ];
    await rest(hub, 'PUT', `/artifactory/api/repositories/${repo.key}`, {
      key: repo.key,
      rclass: 'federated',
      packageType: repo.packageType,
      ...(repo.description === undefined ? {} : { description: repo.description }),
      members,
      notes: managedNotes(members[0].url, members),
    });
  });
  const locals = names.flatMap((name) =>
    Array.from({ length: LOCAL_PER_JPD }, (_, i) => ({ name, key: `local-${name}-${i}` })),
  );
  await eachLimited(locals, 8, ({ name, key }) =>
    rest(sim.jpd(name), 'PUT', `/artifactory/api/repositories/${key}`, {
      key,
      rclass: 'local',
      packageType: 'generic',
    }),
  );
  await waitForFullSyncs(sim);

  const clients = createJpdClients(topology, { env, topologyPath: 'bench.yaml' });
  try {
    // Sanity: every JPD holds the 200 repositories, and the topology plans to nothing.
    const live = await fetchLiveState(topology, (n) => clients.get(n));
    for (const name of names) {
      const got = live.jpds[name]?.repos.length;
      if (got !== REPOS)
        throw new Error(`${name} holds ${got} federated repositories, not ${REPOS}`);
    }
    const plan = computePlan(topology, live, { allowDelete: false });
    if (plan.actions.length !== 0) {
      throw new Error(`the seeded JPDs plan to ${plan.actions.length} actions, expected none`);
    }
    const pending = await fetchLiveState(pendingTopology, (n) => clients.get(n));
    if (pending.jpds.hub?.otherRepos.length !== LOCAL_PER_JPD) {
      throw new Error('the pending read did not list the local repositories');
    }

    const baseline = () =>
      Promise.all(
        sim.jpds.map(async (j) => {
          const response = await globalThis.fetch(`${j.url}${CONFIGURATIONS}`, {
            headers: { authorization: `Bearer ${j.token}` },
          });
          if (!response.ok) throw new Error(`${j.name}: ${response.status}`);
          return response.arrayBuffer();
        }),
      );
    const size = `3 JPDs x ${REPOS} federated repos (3 members each) + ${LOCAL_PER_JPD} local`;

    await record(
      {
        id: 'live.read.converged',
        subject: 'fetchLiveState (1 batch request per JPD, parse, notes)',
        baseline: 'raw fetch of /configurations?repoType=federated per JPD, body unparsed',
        size,
        meaning: "fedctl's overhead over the minimum wire work for the same facts",
      },
      () =>
        timePair({
          subject: () => fetchLiveState(topology, (n) => clients.get(n)),
          baseline,
          samples,
          warmup: 3,
          inner: 2,
        }),
    );

    await record(
      {
        id: 'live.read.pending',
        subject: 'fetchLiveState, 10 wanted repos missing (+ list request per JPD)',
        baseline: 'raw fetch of /configurations?repoType=federated per JPD, body unparsed',
        size,
        meaning: 'the same, when a create is pending and fedctl also lists every repository',
      },
      () =>
        timePair({
          subject: () => fetchLiveState(pendingTopology, (n) => clients.get(n)),
          baseline,
          samples,
          warmup: 3,
          inner: 2,
        }),
    );
  } finally {
    await clients.close();
    await sim.stop();
  }
}
