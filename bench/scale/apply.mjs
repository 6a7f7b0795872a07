/**
 * The write and verify halves of the scale suite (see ./run.mjs). `applyPlan` runs in this process
 * with fedctl's own clients; the simulator runs in its own (./sim-host.mjs). Planning, starting
 * the simulator and creating clients are not timed: the floor covers the writes only.
 */
import { performance } from 'node:perf_hooks';
import { computePlan } from '../../dist/core/plan/plan.js';
import { DEFAULT_BATCH_SIZE } from '../../dist/io/apply/batch.js';
import { applyPlan } from '../../dist/io/apply/apply.js';
import { createJpdClients } from '../../dist/io/jpd-clients.js';
import { fetchLiveState } from '../../dist/io/live-state.js';
import { waitForConnections } from '../../dist/io/verify/verify.js';
import { HUB, openEstate } from './estate.mjs';

const LATENCY_MS = 20;
const PARALLELISM = 8;
const PER_JPD = 2;
/** Repositories the sequential baseline really writes; its time is scaled up linearly. */
const SEQUENTIAL_PREFIX = 100;

/** Opens an estate, plans it from what the JPDs hold, and applies with hub latency. */
async function applyOnce(n, { converged, extra = 0, limit, batchSize, parallelism, perJpd }) {
  const estate = await openEstate(n, { converged, extra });
  const clients = createJpdClients(estate.topology, {
    env: estate.env,
    topologyPath: 'scale.yaml',
  });
  try {
    const live = await fetchLiveState(estate.topology, (j) => clients.get(j));
    const full = computePlan(estate.topology, live, { allowDelete: false });
    const actions = limit === undefined ? full.actions : full.actions.slice(0, limit);
    const plan = {
      actions,
      changes: full.changes.filter((c) => actions.some((a) => a.repoKey === c.repoKey)),
    };
    if (plan.actions.some((a) => a.type !== 'create-repository')) {
      throw new Error('expected creates only');
    }
    await estate.host.call('latency', { jpd: HUB, ms: LATENCY_MS });
    await estate.host.call('counts', { reset: true });
    const before = await estate.host.call('usage');
    const sent = recordBatches();
    const started = performance.now();
    const result = await applyPlan(plan, estate.topology, (j) => clients.get(j), {
      parallelism,
      perJpd,
      batchSize,
    }).finally(sent.stop);
    const ms = performance.now() - started;
    const after = await estate.host.call('usage');
    const counts = await estate.host.call('counts', { reset: true });
    const bad = result.outcomes.filter((o) => o.status !== 'applied');
    if (bad.length > 0)
      throw new Error(`${bad.length} actions did not apply: ${JSON.stringify(bad[0])}`);
    const hubRequests = counts[HUB] ?? 0;
    return {
      creates: plan.actions.length,
      ms,
      hubRequests,
      simCpuPerRequestMs: (after.cpuMs - before.cpuMs) / Math.max(1, hubRequests),
      batchBodies: sent.bodies,
      urls: estate.urls,
    };
  } finally {
    await clients.close();
    await estate.dispose();
  }
}

/** Records the body of every batch create fedctl sends (global fetch, as the client uses). */
function recordBatches() {
  const original = globalThis.fetch;
  const bodies = [];
  globalThis.fetch = (url, init) => {
    if (init?.method === 'PUT' && String(url).endsWith('/api/v2/repositories/batch')) {
      bodies.push(String(init.body));
    }
    return original(url, init);
  };
  return {
    bodies,
    stop: () => {
      globalThis.fetch = original;
    },
  };
}

/**
 * The measured floor: the same batch requests fedctl sent, by a bare script (plain fetch, the
 * same per-JPD concurrency) against a fresh estate with the same latency: what writing costs on
 * this simulator with no client around it, as the read floor is for plan.
 */
async function replayFloor(n, { converged, extra }, recorded) {
  const estate = await openEstate(n, { converged, extra });
  try {
    const hub = estate.targets.find((t) => t.url === estate.urls[HUB]);
    const rewrite = (body) =>
      Object.entries(recorded.urls).reduce(
        (text, [name, url]) => text.split(url).join(estate.urls[name]),
        body,
      );
    const bodies = recorded.batchBodies.map(rewrite);
    await estate.host.call('latency', { jpd: HUB, ms: LATENCY_MS });
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const res = await globalThis.fetch(`${hub.url}/artifactory/api/v2/repositories/batch`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' },
          body,
        });
        await res.text();
        if (res.status !== 201) throw new Error(`replayed batch: ${res.status}`);
      }
    };
    await Promise.all(Array.from({ length: PER_JPD }, worker));
    return performance.now() - started;
  } finally {
    await estate.dispose();
  }
}

async function applyCase(name, n, { converged, extra }, log) {
  const batched = await applyOnce(n, {
    converged,
    extra,
    batchSize: DEFAULT_BATCH_SIZE,
    parallelism: PARALLELISM,
    perJpd: PER_JPD,
  });
  const batches = Math.ceil(batched.creates / DEFAULT_BATCH_SIZE);
  const floorMs = (batches * LATENCY_MS) / PER_JPD;
  const measuredFloorMs = await replayFloor(n, { converged, extra }, batched);
  log(
    `  apply ${name} ${n}: ${batched.ms.toFixed(0)} ms, floor ${floorMs} ms, measured floor ${measuredFloorMs.toFixed(0)} ms`,
  );
  const prefix = Math.min(SEQUENTIAL_PREFIX, batched.creates);
  const seq = await applyOnce(n, {
    converged,
    extra,
    limit: prefix,
    batchSize: 1,
    parallelism: 1,
    perJpd: 1,
  });
  const scale = batched.creates / prefix;
  const { batchBodies: _bodies, urls: _urls, ...measured } = batched;
  return {
    name,
    ...measured,
    batches,
    floorMs,
    measuredFloorMs,
    sequential: {
      ms: seq.ms * scale,
      measuredMs: seq.ms,
      hubRequests: Math.round(seq.hubRequests * scale),
      note:
        scale === 1
          ? `${prefix} measured`
          : `${prefix} measured, x${scale.toFixed(0)}; ${Math.round(seq.hubRequests * scale)} hub requests`,
    },
  };
}

export async function applySection(n, log) {
  const extra = Math.max(1, Math.round(n / 100));
  return {
    n,
    cases: [
      await applyCase('from empty', n, { converged: false, extra: 0 }, log),
      await applyCase('1% change', n, { converged: true, extra }, log),
    ],
  };
}

/** The verifier on a converged estate, every repository at once: requests per JPD per poll. */
export async function verifySection(n) {
  const estate = await openEstate(n, { converged: true });
  const clients = createJpdClients(estate.topology, {
    env: estate.env,
    topologyPath: 'scale.yaml',
  });
  try {
    const repos = estate.topology.repos.map((r) => ({ jpd: r.source, repoKey: r.key }));
    let polls = 0;
    await estate.host.call('counts', { reset: true });
    const started = performance.now();
    const result = await waitForConnections(
      estate.topology,
      repos,
      (j) => clients.get(j),
      {
        timeoutMs: 600_000,
        intervalMs: 250,
      },
      () => {
        polls += 1;
      },
    );
    const ms = performance.now() - started;
    const counts = await estate.host.call('counts', { reset: true });
    const unconverged = result.filter((r) => r.status !== 'converged').length;
    if (unconverged > 0) throw new Error(`${unconverged} repositories did not verify`);
    const most = Math.max(...Object.values(counts));
    return { n, polls, hubRequests: counts[HUB] ?? 0, perJpdPerPoll: most / polls, ms };
  } finally {
    await clients.close();
    await estate.dispose();
  }
}
