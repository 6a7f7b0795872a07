/**
 * The compatibility matrix (docs/compatibility.md): every example under every dialect
 * the simulator plays, apply -> verify -> re-plan, each ending in its documented outcome. A row
 * passes because the verifier decides early, never because a timeout ran out: every apply must
 * end well inside its verify timeout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { DIALECT_NAMES } from '../../src/sim/index.js';
import { runCli } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

const validReport = new Ajv({ strict: true, allErrors: true }).compile(
  JSON.parse(readFileSync('schemas/apply-report.schema.json', 'utf8')) as object,
);

/** What the apply of a row ends in (docs/compatibility.md, "The matrix"). */
type Outcome =
  'converged' | 'unverified' | 'unverified-strict' | 'mode-unsupported' | 'refused-at-plan';

interface Row {
  readonly example: string;
  readonly dialects: readonly string[];
  readonly outcome: Outcome;
}

const EXAMPLES = readdirSync('examples')
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Each dialect alone, plus the combinations docs/simulator.md names. */
const DIALECT_SETS: readonly (readonly string[])[] = [
  ...DIALECT_NAMES.map((n) => [n]),
  ['ro-on-send', 'no-return-entry'],
  ['ro-on-both', 'ro-spaced'],
  ['legacy-engine', 'legacy-doc-fields'],
];

/** Dialects whose JPDs run without RTFS: the legacy engine, mid-migration, or too old for it. */
const WITHOUT_RTFS = ['no-federation-service', 'legacy-engine', 'migrating', 'pre-7.61.3'];

const hasReceivers = (example: string): boolean =>
  /mode:\s*receiver/.test(readFileSync(join('examples', example), 'utf8'));

function outcomeOf(example: string, dialects: readonly string[]): Outcome[] {
  // Receivers need RTFS on both ends: the preflight refuses them before any write.
  if (hasReceivers(example) && dialects.some((d) => WITHOUT_RTFS.includes(d))) {
    return ['refused-at-plan'];
  }
  if (dialects.includes('no-federation-service')) return ['unverified', 'unverified-strict'];
  if (
    hasReceivers(example) &&
    (dialects.includes('mode-dropped') || dialects.includes('mode-rejected'))
  ) {
    return ['mode-unsupported'];
  }
  return ['converged'];
}

const ROWS: Row[] = EXAMPLES.flatMap((example) =>
  DIALECT_SETS.flatMap((dialects) =>
    outcomeOf(example, dialects).map((outcome) => ({ example, dialects, outcome })),
  ),
);

const RECEIVER_NEEDS_RTFS =
  /^fedctl: (the topology needs what \d+ JPDs cannot do \(nothing was changed\):\n {2})?[a-z-]+: runs Artifactory 7\.\d+\.\d+ with (the legacy federation engine|its migration to RTFS in progress) \([^\n]+\), but a receiver member needs the Federation Service \(RTFS\) on both ends: /;

/** Generous next to the seconds an apply takes; an apply that needs it has failed the row. */
const VERIFY_TIMEOUT_S = 60;
const FAST_MS = 20_000;

const cli = (w: SimWorld, ...argv: string[]) =>
  runCli(argv, {
    env: { ...w.env, FEDCTL_HTTP_RETRIES: '4', FEDCTL_HTTP_RETRY_DELAY_MS: '20' },
    cwd: w.dir,
  });

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

interface Report {
  converged: boolean;
  unverified: number;
  remainingChanges?: number;
  summary: { failed: number; skipped: number };
  outcomes: { status: string; error?: string }[];
  verification: { jpd: string; status: string; reason?: string }[];
}

function report(stdout: string): Report {
  const data = JSON.parse(stdout) as unknown;
  validReport(data);
  expect(validReport.errors ?? []).toEqual([]);
  return data as Report; // checked against the published schema just above
}

const MODE_UNSUPPORTED =
  /^[a-z-]+: Artifactory 7\.117\.5 did not keep "mode": "receiver" for member http:\/\/127\.0\.0\.1:\d+\/artifactory\/[a-z-]+ of [a-z-]+; this version does not support receiver \(Transmission Mode\) members \(a version with Transmission Mode and the Federation Service is needed\)(; it answered 400: [^\n]*mode[^\n]*)?$/;

describe.concurrent('compatibility matrix: apply -> verify -> re-plan', () => {
  it.each(ROWS)('$example under $dialects: $outcome', async ({ example, dialects, outcome }) => {
    const world = await simulateTopology(join('examples', example), { dialects });
    try {
      const verify = outcome === 'unverified-strict' ? ['--verify', 'strict'] : [];
      const [apply, ms] = await timed(() =>
        cli(
          world,
          'apply',
          '--auto-approve',
          '--format',
          'json',
          '--verify-timeout',
          `${VERIFY_TIMEOUT_S}s`,
          '--verify-grace',
          '5s',
          ...verify,
        ),
      );
      expect(ms).toBeLessThan(FAST_MS);
      const replan = await cli(world, 'plan', '--detailed-exitcode');
      if (outcome === 'refused-at-plan') {
        expect(apply.code).toBe(1);
        expect(apply.stdout).toBe('');
        expect(apply.stderr).toMatch(RECEIVER_NEEDS_RTFS);
        expect(replan.code).toBe(1);
        expect(replan.stderr).toBe(apply.stderr);
        // Before any write: no JPD holds a repository.
        for (const { name } of world.sim.jpds) {
          expect(world.sim.jpd(name).dumpState()['repositories']).toEqual([]);
        }
        return;
      }
      const r = report(apply.stdout);
      switch (outcome) {
        case 'converged':
          expect(apply.code, apply.stderr).toBe(0);
          expect(r).toMatchObject({ converged: true, remainingChanges: 0, unverified: 0 });
          expect(r.verification.length).toBeGreaterThan(0);
          expect(r.verification.every((v) => v.status === 'converged')).toBe(true);
          expect(replan.code, replan.stdout).toBe(0);
          break;
        case 'unverified':
        case 'unverified-strict':
          expect(apply.code, apply.stderr).toBe(outcome === 'unverified' ? 0 : 1);
          expect(r).toMatchObject({ converged: false, remainingChanges: 0 });
          expect(r.unverified).toBe(r.verification.length);
          for (const v of r.verification) {
            expect(v).toMatchObject({
              status: 'unverifiable',
              reason: `federation service not enabled on JPD ${v.jpd}`,
            });
          }
          expect(apply.stderr).toMatch(/: unverified: federation service not enabled on JPD /);
          expect(replan.code, replan.stdout).toBe(0);
          break;
        case 'mode-unsupported': {
          expect(apply.code).toBe(1);
          expect(r.converged).toBe(false);
          expect(r.verification).toEqual([]);
          const errors = r.outcomes.flatMap((o) => (o.status === 'failed' ? [o.error] : []));
          expect(errors.length).toBeGreaterThan(0);
          for (const e of errors) {
            expect(e).toMatch(MODE_UNSUPPORTED);
            if (dialects.includes('mode-rejected')) {
              expect(e).toContain('; it answered 400: Unrecognized field "mode"');
            } else if (example.startsWith('mixed-modes')) {
              // Option B: the write is accepted with the member bidirectional; the read-back finds it.
              expect(e).not.toContain('it answered');
            }
          }
          // The JPD kept the members bidirectional: the plan still wants receivers, and the next
          // apply fails the same way at once instead of re-planning the same update for ever.
          expect(replan.code).toBe(2);
          const [again, againMs] = await timed(() => cli(world, 'apply', '--auto-approve'));
          expect(again.code).toBe(1);
          expect(again.stderr).toMatch(/did not keep "mode": "receiver"/);
          expect(againMs).toBeLessThan(FAST_MS);
          break;
        }
      }
    } finally {
      await world.stop();
    }
  });
});
