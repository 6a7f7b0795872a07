/**
 * The scale suite: `npm run bench:scale` (not part of `npm test` or `npm run bench`).
 *
 * For N = 1,000, 3,000 and 10,000 repositories (a hub and 9 spokes, each repository federated to
 * all 9 as receivers: N x 9 edges), against a simulator in its own process (./sim-host.mjs):
 *
 * - plan: `fedctl plan` as a child process on a converged estate, interleaved with the read floor
 *   (one /configurations GET per JPD, parsed) and once the naive per-repository read (one GET per
 *   repository per JPD); wall time, peak RSS (/usr/bin/time -v) and requests per JPD.
 * - apply from empty: `applyPlan` of N creates with 20 ms of latency on every request the hub
 *   serves; floor = batch requests x latency / per-JPD concurrency. Baseline: the same plan one
 *   repository at a time, sequentially (measured on a prefix, extrapolated linearly; said so).
 * - apply of a 1% change: N/100 new repositories on the converged estate; same floor and baseline.
 * - verify: requests per JPD per poll of the verifier on the converged estate (io/verify/verify.ts
 *   `waitForConnections`, every repository at once).
 *
 * Environment: FEDCTL_SCALE_SIZES=1000,3000 picks sizes; FEDCTL_SCALE_SAMPLES=n (default 3) the
 * plan rounds; FEDCTL_SCALE_VERIFY_MAX (default 10000) the largest N whose verify is measured.
 * Results: a table on stdout, everything in bench/results/scale.json (git-ignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { applySection, verifySection } from './apply.mjs';
import { openEstate } from './estate.mjs';
import { measure } from './measure.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/fedctl.js', import.meta.url));
const FLOOR = fileURLToPath(new URL('./read-floor.mjs', import.meta.url));
const sizes = (process.env.FEDCTL_SCALE_SIZES ?? '1000,3000,10000').split(',').map(Number);
const samples = Number(process.env.FEDCTL_SCALE_SAMPLES ?? 3);
const verifyMax = Number(process.env.FEDCTL_SCALE_VERIFY_MAX ?? 10000);

const log = (line) => process.stderr.write(`${line}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)] + s[Math.ceil(m)]) / 2;
};
const maxPerJpd = (counts) => Math.max(0, ...Object.values(counts));

async function planSection(n) {
  const estate = await openEstate(n, { converged: true });
  try {
    const runs = { plan: [], floor: [] };
    const counted = async (what, argv, opts) => {
      await estate.host.call('counts', { reset: true });
      const r = await measure(argv, opts);
      const counts = await estate.host.call('counts', { reset: true });
      runs[what]?.push({ ms: r.ms, rss: r.rssBytes, perJpd: maxPerJpd(counts) });
      return { ...r, perJpd: maxPerJpd(counts) };
    };
    const plan = () =>
      counted('plan', ['node', BIN, 'plan', '-f', estate.file, '--detailed-exitcode'], {
        env: estate.env,
        cwd: estate.dir,
      });
    const floorEnv = { env: { FLOOR_TARGETS: JSON.stringify(estate.targets) } };
    const floor = () => counted('floor', ['node', FLOOR, 'floor'], floorEnv);
    for (let i = 0; i < samples; i++) {
      // Interleaved, and who goes first alternates, so a noisy neighbour moves both.
      if (i % 2 === 0) {
        await floor();
        await plan();
      } else {
        await plan();
        await floor();
      }
      log(`  plan ${n}: round ${i + 1}/${samples}`);
    }
    const naive = await counted('naive', ['node', FLOOR, 'naive'], floorEnv);
    const summary = (xs) => ({
      ms: median(xs.map((x) => x.ms)),
      msRange: [Math.min(...xs.map((x) => x.ms)), Math.max(...xs.map((x) => x.ms))],
      rss: Math.max(...xs.map((x) => x.rss)),
      rssMedian: median(xs.map((x) => x.rss)),
      perJpd: Math.max(...xs.map((x) => x.perJpd)),
    });
    const p = summary(runs.plan);
    const f = summary(runs.floor);
    const ratios = runs.plan.map((x, i) => x.ms / (runs.floor[i]?.ms ?? NaN));
    return {
      n,
      edges: n * 9,
      plan: p,
      floor: f,
      ratio: p.ms / f.ms,
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
      naive: { ms: naive.ms, rss: naive.rssBytes, perJpd: naive.perJpd },
      fewerRequests: naive.perJpd / p.perJpd,
    };
  } finally {
    await estate.dispose();
  }
}

const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

const started = Date.now();
const results = { machine: machine(), sizes, samples, plan: [], apply: [], verify: [] };
for (const n of sizes) {
  log(`plan, N = ${n}`);
  results.plan.push(await planSection(n));
}
for (const n of sizes) {
  log(`apply, N = ${n}`);
  results.apply.push(await applySection(n, log));
}
for (const n of sizes.filter((x) => x <= verifyMax)) {
  log(`verify, N = ${n}`);
  results.verify.push(await verifySection(n));
}
results.totalSeconds = (Date.now() - started) / 1000;

const out = [];
out.push('plan (converged): fedctl plan vs read floor vs naive per-repository read');
out.push(
  '| N (edges) | fedctl plan [min–max] | read floor [min–max] | ratio [per-round] | fedctl peak RSS | floor peak RSS | requests/JPD fedctl | naive | naive requests/JPD | fewer requests |',
);
out.push('|---|---|---|---|---|---|---|---|---|---|');
for (const r of results.plan) {
  out.push(
    `| ${r.n} (${r.edges}) | ${s(r.plan.ms)} [${s(r.plan.msRange[0])}–${s(r.plan.msRange[1])}] | ${s(r.floor.ms)} [${s(r.floor.msRange[0])}–${s(r.floor.msRange[1])}] | ${r.ratio.toFixed(2)}x [${r.ratioRange[0].toFixed(2)}–${r.ratioRange[1].toFixed(2)}] | ${mb(r.plan.rss)} (median ${mb(r.plan.rssMedian)}) | ${mb(r.floor.rss)} | ${r.plan.perJpd} | ${s(r.naive.ms)} | ${r.naive.perJpd} | ${r.fewerRequests.toFixed(0)}x |`,
  );
}
out.push('');
out.push(
  'apply (20 ms latency on the hub; floor = batch requests x latency / per-JPD concurrency; measured floor = the same batch requests sent by a bare script to a fresh estate)',
);
out.push(
  '| N | case | creates | fedctl apply | floor | ratio | measured floor | ratio | hub requests | sequential per-repository baseline | simulator CPU per hub request |',
);
out.push('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results.apply) {
  for (const c of r.cases) {
    out.push(
      `| ${r.n} | ${c.name} | ${c.creates} | ${s(c.ms)} | ${s(c.floorMs)} | ${(c.ms / c.floorMs).toFixed(2)}x | ${s(c.measuredFloorMs)} | ${(c.ms / c.measuredFloorMs).toFixed(2)}x | ${c.hubRequests} | ${s(c.sequential.ms)} (${c.sequential.note}) | ${c.simCpuPerRequestMs.toFixed(2)} ms |`,
    );
  }
}
out.push('');
out.push('verify (converged estate, every repository verified at once)');
out.push('| N | polls | requests on the hub | requests per JPD per poll | time |');
out.push('|---|---|---|---|---|');
for (const r of results.verify) {
  out.push(`| ${r.n} | ${r.polls} | ${r.hubRequests} | ${r.perJpdPerPoll} | ${s(r.ms)} |`);
}
process.stdout.write(`${out.join('\n')}\n`);
mkdirSync(`${here}../results`, { recursive: true });
writeFileSync(`${here}../results/scale.json`, `${JSON.stringify(results, null, 2)}\n`);
log(`done in ${results.totalSeconds.toFixed(0)} s; details in bench/results/scale.json`);

function machine() {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
  };
}
