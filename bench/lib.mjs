/**
 * Measurement helpers. Every result is a pair: the thing measured (the subject) and a baseline
 * measured in the same run, on the same inputs, interleaved with it (subject and baseline take
 * turns, and swap who goes first each round), so that a slow machine, a noisy neighbour or a CPU
 * frequency change moves both. Only the ratio is meant to be compared across runs and machines;
 * the raw numbers are there to show what the ratio is made of.
 */
import { performance } from 'node:perf_hooks';

/** Set by run.mjs: `global.gc` when the process runs with --expose-gc, else undefined. */
let collect;
export function setGc(gc) {
  collect = gc;
}
export function hasGc() {
  return collect !== undefined;
}
function fullGc() {
  if (collect === undefined) return;
  // Two passes: the first can leave objects that only become unreachable after finalisation.
  collect();
  collect();
}

/** The last result is kept here so the optimiser can never drop the work being timed. */
let sink;
export function keep(value) {
  sink = value;
}
/** The value last kept (for tests of the harness; reading it also keeps linters quiet). */
export function lastKept() {
  return sink;
}

export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => {
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  };
  return {
    n: sorted.length,
    median: at(0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    p25: at(0.25),
    p75: at(0.75),
    samples: values,
  };
}

async function timeOnce(fn, inner) {
  fullGc();
  const start = performance.now();
  for (let i = 0; i < inner; i++) keep(await fn());
  return (performance.now() - start) / inner;
}

/**
 * Times `subject` and `baseline` (each a sync or async function) `samples` times each, after
 * `warmup` untimed rounds, alternating which runs first. `inner` repeats a call inside one sample
 * when a single call is too short to time well; the sample is then the mean per call. With
 * --expose-gc a full GC runs before every sample, so one side's garbage is never collected on the
 * other side's clock.
 *
 * `setup` (optional, untimed) runs before every call of either side, e.g. to start a fresh
 * simulator; it receives which side is next and returns the argument for the call. `teardown`
 * (optional, untimed) gets that argument back after the call, whether it succeeded or not.
 */
export async function timePair({
  subject,
  baseline,
  samples,
  warmup = 1,
  inner = 1,
  setup,
  teardown,
}) {
  const call = async (fn, side) => {
    if (setup === undefined) return timeOnce(fn, inner);
    const arg = await setup(side);
    try {
      return await timeOnce(() => fn(arg), 1);
    } finally {
      await teardown?.(arg);
    }
  };
  for (let i = 0; i < warmup; i++) {
    await call(baseline, 'baseline');
    await call(subject, 'subject');
  }
  const s = [];
  const b = [];
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      b.push(await call(baseline, 'baseline'));
      s.push(await call(subject, 'subject'));
    } else {
      s.push(await call(subject, 'subject'));
      b.push(await call(baseline, 'baseline'));
    }
  }
  return pairResult(s, b, 'ms');
}

/**
 * Retained heap: bytes still in use after a full GC while the built value is held, minus before
 * it was built. Needs --expose-gc (without it the numbers would be mostly garbage, so none are given).
 */
export function retainedBytes(build) {
  if (!hasGc()) throw new Error('needs --expose-gc');
  fullGc();
  const before = process.memoryUsage().heapUsed;
  let held = build();
  fullGc();
  const after = process.memoryUsage().heapUsed;
  keep(held);
  held = undefined;
  keep(undefined);
  return after - before;
}

export function memoryPair({ subject, baseline, samples }) {
  const s = [];
  const b = [];
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      b.push(retainedBytes(baseline));
      s.push(retainedBytes(subject));
    } else {
      s.push(retainedBytes(subject));
      b.push(retainedBytes(baseline));
    }
  }
  return pairResult(s, b, 'bytes');
}

function pairResult(s, b, unit) {
  const subject = stats(s);
  const baseline = stats(b);
  // Ratio of medians, plus the range of the per-round ratios (subject_i / baseline_i).
  const rounds = s.map((v, i) => v / b[i]);
  return {
    unit,
    subject,
    baseline,
    ratio: subject.median / baseline.median,
    ratioRange: { min: Math.min(...rounds), max: Math.max(...rounds) },
  };
}

// --- Output ----------------------------------------------------------------------------------

export function formatValue(value, unit) {
  if (unit === 'bytes') {
    const abs = Math.abs(value);
    if (abs >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(2)} MiB`;
    if (abs >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
    return `${Math.round(value)} B`;
  }
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  if (value >= 1) return `${value.toFixed(2)} ms`;
  return `${(value * 1000).toFixed(0)} µs`;
}

function spread(st, unit) {
  return `${formatValue(st.median, unit)} [${formatValue(st.min, unit)}–${formatValue(st.max, unit)}]`;
}

function ratioText(r) {
  const f = (x) => (x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toFixed(3));
  return `${f(r.ratio)}x [${f(r.ratioRange.min)}–${f(r.ratioRange.max)}]`;
}

/** A fixed-width table: one row per result, failures included. */
export function renderTable(rows) {
  const header = [
    'benchmark',
    'subject median [min–max]',
    'baseline median [min–max]',
    'ratio [per-round range]',
    'n',
  ];
  const body = rows.map((r) =>
    r.error !== undefined
      ? [r.id, `FAILED: ${r.error}`, '', '', '']
      : r.skipped !== undefined
        ? [r.id, `skipped: ${r.skipped}`, '', '', '']
        : [
            r.id,
            spread(r.result.subject, r.result.unit),
            spread(r.result.baseline, r.result.unit),
            ratioText(r.result),
            String(r.result.subject.n),
          ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
