/**
 * fedctl benchmarks: `npm run bench` (builds, then runs this file).
 *
 * Every line is a ratio against a baseline measured in the same run on the same inputs, plus the
 * raw medians and spreads it comes from (see bench/README.md for what each line means). Inputs are
 * generated deterministically (bench/fixtures.mjs). The process exits non-zero only when a
 * benchmark fails to run, never because of a number: there are no thresholds.
 *
 * Memory measurements need `global.gc`, so without --expose-gc this file runs itself again with
 * it; if that is impossible (FEDCTL_BENCH_NO_RESPAWN=1, or the flag is refused) the memory lines
 * are reported as skipped and everything else still runs.
 *
 * Options (environment): FEDCTL_BENCH_ONLY=<substring> runs only the matching sections
 * (planner, validation, live-read, apply, memory); FEDCTL_BENCH_SAMPLES=<n> overrides the
 * number of samples of every line.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

if (typeof globalThis.gc !== 'function' && process.env.FEDCTL_BENCH_NO_RESPAWN !== '1') {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, FEDCTL_BENCH_NO_RESPAWN: '1' },
  });
  if (child.error === undefined && child.status !== null) process.exit(child.status);
  console.error(
    `could not re-run with --expose-gc (${child.error?.message ?? `signal ${child.signal}`}); running without it`,
  );
}

const { setGc, hasGc, renderTable } = await import('./lib.mjs');
const { plannerBenchmarks, plannerInputs } = await import('./planner.mjs');
const { validationBenchmarks } = await import('./validation.mjs');
const { liveReadBenchmarks } = await import('./live-read.mjs');
const { applyBenchmarks } = await import('./apply.mjs');
const { memoryBenchmarks } = await import('./memory.mjs');

if (typeof globalThis.gc === 'function') setGc(globalThis.gc);

const only = process.env.FEDCTL_BENCH_ONLY;
const samplesOverride =
  process.env.FEDCTL_BENCH_SAMPLES === undefined
    ? undefined
    : Number(process.env.FEDCTL_BENCH_SAMPLES);
const samples = (n) => samplesOverride ?? n;

const rows = [];
const simulators = new Set();
/** Every simulator a benchmark starts goes through here, so that all are stopped at the end. */
const track = (sim) => {
  simulators.add(sim);
  return sim;
};

/** Runs one measurement; a failure is recorded and reported, and the run goes on. */
async function record(meta, measure) {
  const started = performance.now();
  process.stderr.write(`  ${meta.id} ...`);
  try {
    const result = await measure();
    rows.push({ ...meta, result });
    process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    rows.push({ ...meta, error: error instanceof Error ? error.message : String(error) });
    process.stderr.write(` FAILED\n${error instanceof Error ? error.stack : String(error)}\n`);
  }
}

/** A section that fails before its first measurement (e.g. in setup) is a failed row too. */
async function section(name, run) {
  if (only !== undefined && !name.includes(only)) return;
  process.stderr.write(`${name}\n`);
  const before = rows.length;
  try {
    await run();
  } catch (error) {
    rows.push({
      id: `${name} (setup)`,
      error: error instanceof Error ? error.message : String(error),
    });
    process.stderr.write(`  FAILED\n${error instanceof Error ? error.stack : String(error)}\n`);
  }
  if (rows.length === before) process.stderr.write('  (nothing measured)\n');
}

const t0 = performance.now();
let inputs;
const getInputs = () => (inputs ??= plannerInputs(500));

try {
  await section('planner', async () => {
    inputs = await plannerBenchmarks(record, { samples: samples(9) });
  });
  await section('validation', () =>
    validationBenchmarks(record, { samples: samples(9), inputs: getInputs() }),
  );
  await section('live-read', () => liveReadBenchmarks(record, { samples: samples(11), track }));
  await section('apply', () => applyBenchmarks(record, { samples: samples(5), track }));
  await section('memory', async () => {
    if (!hasGc()) {
      rows.push({ id: 'memory', skipped: 'needs --expose-gc' });
      return;
    }
    await memoryBenchmarks(record, { samples: samples(5), inputs: getInputs() });
  });
} finally {
  await Promise.all([...simulators].map((s) => s.stop()));
}

const seconds = (performance.now() - t0) / 1000;
const machine = {
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
  exposeGc: hasGc(),
};

process.stdout.write(
  `\nfedctl benchmarks — ratio = subject / baseline (both measured in this run); times per call\n` +
    `node ${machine.node}, ${machine.cpus} CPUs (${machine.cpuModel}), gc exposed: ${machine.exposeGc}\n\n`,
);
process.stdout.write(`${renderTable(rows)}\n\n`);
for (const r of rows) {
  if (r.subject === undefined) continue;
  process.stdout.write(
    `${r.id}: ${r.subject}\n    vs ${r.baseline}\n    ${r.size}\n    ${r.meaning}\n`,
  );
}
process.stdout.write(`\nbench: ${seconds.toFixed(1)} s (excluding the build)\n`);

mkdirSync(`${here}results`, { recursive: true });
const file = `${here}results/latest.json`;
writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), seconds, machine, results: rows }, null, 2)}\n`,
);
process.stdout.write(`written: ${file}\n`);

const failed = rows.filter((r) => r.error !== undefined);
if (failed.length > 0) {
  process.stderr.write(
    `${failed.length} benchmark(s) failed to run: ${failed.map((r) => r.id).join(', ')}\n`,
  );
}
process.exitCode = failed.length > 0 ? 1 : 0;
// Nothing should be left running; if something is (a socket kept alive), do not hang on it.
setTimeout(() => process.exit(process.exitCode), 5_000).unref();
