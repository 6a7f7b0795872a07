/**
 * `applyPlan` with what a person or a CI log sees while it runs: on a terminal a live line
 * (done/total, in flight, phase, elapsed), elsewhere one line per step start and end.
 */
import type { Outcome } from '../../core/apply/report.js';
import type { CliIO } from '../../core/io-types.js';
import type { Plan } from '../../core/plan/plan.js';
import { applyPlan, planSteps, type ApplyEvent } from './apply.js';
import { resolveHttpOptions } from '../http/http.js';
import { retryFromEnv } from '../jpd-clients.js';
import type { PlanRun } from '../pipeline.js';
import { createProgress } from '../terminal/progress.js';

export interface ApplyLimits {
  readonly parallelism: number;
  readonly perJpd: number;
  /** Creates per batch request (./batch.ts); 0 or 1: one request per repository. */
  readonly batchSize?: number;
}

export async function applyWithProgress(
  plan: Plan,
  run: PlanRun,
  io: CliIO,
  limits: ApplyLimits,
  signal?: AbortSignal,
): Promise<Outcome[]> {
  const live = io.stderr.isTTY === true;
  const progress = createProgress(io.stderr, live);
  const started = Date.now();
  // Counted in actions, as the summary line counts them ("Apply: 3 applied"), not in steps.
  const total = planSteps(plan).reduce((n, s) => n + s.actions.length, 0);
  let done = 0;
  const inFlight = new Map<string, string>();
  const show = (): void => {
    const phases = [...new Set(inFlight.values())].join(', ');
    progress.status(
      `Applying: ${done}/${total} actions done, ${inFlight.size} in flight${phases === '' ? '' : ` (${phases})`}, ${Math.round((Date.now() - started) / 1000)}s`,
    );
  };
  const timer = live ? setInterval(show, 1000) : undefined;
  const onEvent = (e: ApplyEvent): void => {
    if (e.type === 'start') {
      inFlight.set(e.step.id, e.step.kind === 'pairing' ? 'pairing' : 'repositories');
      if (!live) progress.log(`  ${e.step.title}: started`);
    } else if (e.type === 'retry') {
      progress.log(`  ${e.step.title}: ${e.message}`);
    } else {
      inFlight.delete(e.step.id);
      done += e.step.actions.length;
      // A step that never started is counted in the summary, one line per JPD, not here.
      if (e.status !== 'interrupted') {
        const detail = e.detail === undefined ? '' : `: ${e.detail}`;
        progress.log(`  ${e.step.title}: ${e.status} (${(e.ms / 1000).toFixed(1)}s)${detail}`);
      }
    }
    show();
  };
  try {
    const result = await applyPlan(plan, run.topology, (n) => run.clients.get(n), {
      ...limits,
      // Pairing retries follow the same policy as the HTTP layer's (io/apply/pairing.ts).
      retry: resolveHttpOptions({ retry: retryFromEnv(io.env) }).retry,
      onEvent,
      planned: run.live,
      // The version the preflight read, if it did: one read per JPD per run.
      versionOf: async (jpd) => {
        const read = await run.profiles.version(jpd);
        return 'ok' in read ? read.ok.version : undefined;
      },
      ...(signal === undefined ? {} : { signal }),
    });
    return [...result.outcomes];
  } finally {
    if (timer !== undefined) clearInterval(timer);
    progress.end();
  }
}
