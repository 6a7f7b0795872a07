/**
 * The live progress line counts what the summary counts: actions. A repository created with two
 * members and a pairing each are steps, but the summary says "3 applied" for three actions, so
 * the progress must end at 3/3, not 2/2.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySummaryLine } from '../../../src/core/apply/report.js';
import { applyWithProgress } from '../../../src/io/apply/progress.js';
import { planTopology } from '../../../src/io/pipeline.js';
import { simulateTopology, type SimWorld } from '../../support/sim-topology.js';

let w: SimWorld;
beforeAll(async () => {
  w = await simulateTopology('test/fixtures/topologies/three-jpds-option-b.yaml');
  const io = {
    stdout: { write: () => true },
    stderr: { write: () => true },
    env: w.env,
    cwd: w.dir,
  };
  const first = await planTopology(w.file, { allowDelete: false }, io);
  try {
    await applyWithProgress(first.plan, first, io, { parallelism: 4, perJpd: 2 });
  } finally {
    await first.close();
  }
  // Then two changes to one repository: one step, two actions.
  const doc = parseDocument(await readFile(w.file, 'utf8'));
  doc.setIn(
    ['federations', 0, 'members'],
    doc.createNode([
      { jpd: 'eu', mode: 'bidirectional' },
      { jpd: 'us', mode: 'bidirectional' },
    ]),
  );
  await writeFile(w.file, doc.toString());
});
afterAll(async () => {
  await w.stop();
});

describe('apply progress on a terminal', () => {
  it('ends at the number of actions the summary line counts', async () => {
    let written = '';
    const stderr = { write: (s: string) => (written += s), isTTY: true };
    const io = { stdout: stderr, stderr, env: w.env, cwd: w.dir };
    const run = await planTopology(w.file, { allowDelete: false }, io);
    try {
      const steps = new Set(run.plan.actions.map((a) => ('repoKey' in a ? a.repoKey : a.id)));
      // The point of the test: more actions than steps.
      expect(run.plan.actions.length).toBeGreaterThan(steps.size);
      const outcomes = await applyWithProgress(run.plan, run, io, { parallelism: 4, perJpd: 2 });
      const lines = [...written.matchAll(/Applying: (\d+)\/(\d+) actions done/g)];
      const last = lines.at(-1);
      expect(last?.[1]).toBe(String(run.plan.actions.length));
      expect(last?.[2]).toBe(String(run.plan.actions.length));
      expect(applySummaryLine(outcomes)).toBe(
        `Apply: ${run.plan.actions.length} applied, 0 failed, 0 skipped.`,
      );
    } finally {
      await run.close();
    }
  });
});
