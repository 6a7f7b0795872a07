/**
 * The simulator for the scale suite, in a process of its own (started with `fork` by
 * bench/scale/run.mjs), so that its CPU and memory never count as fedctl's or as the floor's.
 * The machine's 2 cores are shared all the same: the simulator building a 23 MB answer competes
 * with the client reading it, for fedctl and for the floor alike.
 *
 * Commands arrive as IPC messages `{id, cmd, ...}` and are answered `{id, ok, value | error}`:
 *   start {jpds, version?, dialects?}      -> [{name, url, token}]
 *   seed {source, spokes, repositories}    -> a converged estate (notes carry fedctl's record)
 *   latency {jpd, ms}                      -> injected latency on every request that JPD serves
 *   counts {reset?}                        -> requests per JPD from clients (peer traffic apart)
 *   usage                                  -> CPU time and event-loop time of this process
 *   stop
 *
 * Requests are counted by wrapping `http.Server.prototype.emit` before the simulator starts
 * (the simulator has no request counter, and the bench must not add one to its code).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { startSimulator } from '../../dist/sim/index.js';

const PEER = '/artifactory/api/federation/peer/';
const byPort = new Map();
const counts = new Map();
let busyMs = 0;

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, res) {
  if (event === 'request') {
    const port = this.address()?.port;
    const name = byPort.get(port);
    const url = req.url ?? '';
    if (name !== undefined && !url.startsWith(PEER) && !url.startsWith('/_sim/')) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return emit.call(this, event, req, res);
};

let sim;

async function start({ jpds, version, dialects }) {
  sim = await startSimulator({
    jpds: jpds.map((name) => ({ name })),
    ...(version === undefined ? {} : { version }),
    ...(dialects === undefined ? {} : { dialects }),
    // Large estates: the background machinery must not time out on a 23 MB answer.
    timings: { peerTimeoutMs: 60_000 },
  });
  for (const j of sim.jpds) byPort.set(sim.jpd(j.name).port, j.name);
  return sim.jpds.map((j) => ({ name: j.name, url: j.url, token: j.token }));
}

/** `repositories` ({key, description?, notes}) on `source`, each federated to every spoke. */
async function seed({ source, spokes, repositories }) {
  await sim.seedFederation({
    source,
    members: spokes.map((jpd) => ({ jpd, mode: 'receiver' })),
    repositories,
    packageType: 'generic',
  });
}

const handlers = {
  start,
  seed,
  latency: ({ jpd, ms }) => sim.jpd(jpd).setFaults({ latencyMs: ms }),
  counts: ({ reset }) => {
    const value = Object.fromEntries(counts);
    if (reset === true) counts.clear();
    return value;
  },
  usage: () => {
    const cpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization();
    return { cpuMs: (cpu.user + cpu.system) / 1000, activeMs: elu.active, busyMs };
  },
  stop: async () => {
    await sim?.stop();
    sim = undefined;
  },
};

process.on('message', async (message) => {
  const { id, cmd, ...args } = message;
  try {
    const value = await handlers[cmd](args);
    process.send({ id, ok: true, value });
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => {
  void (sim?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
});
