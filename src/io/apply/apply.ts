/**
 * Executes a plan. Actions become steps (one per pairing, one per repository written), steps run
 * as soon as what they depend on has succeeded, under a global cap and a per-JPD cap (config
 * writes on one Artifactory contend for its config lock). Outcomes come back as values: a step
 * that fails marks its dependents skipped, independent work goes on, only bugs throw.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { InternalError } from '../../core/errors.js';
import type { Outcome } from '../../core/apply/report.js';
import { indexLive } from '../../core/live/state.js';
import type { Plan } from '../../core/plan/plan.js';
import type { Topology } from '../../core/topology/model.js';
import { batchJpds, createChunkWriter, planChunks, type Chunk } from './batch.js';
import type { ArtifactoryClient } from '../artifactory/types.js';
import { planSteps, type Step } from './steps.js';
import type { ApplyEvent, ApplyOptions, ApplyResult } from './types.js';
import { createBody, createStepAttempt } from './writes.js';

export { planSteps, type Step, type StepKind } from './steps.js';
export type { ApplyEvent, ApplyOptions, ApplyResult } from './types.js';

export async function applyPlan(
  plan: Pick<Plan, 'actions' | 'changes'>,
  topology: Topology,
  client: (jpd: string) => ArtifactoryClient,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => undefined);
  const steps = planSteps(plan);
  const global = pLimit(options.parallelism);
  const jpdLimit = jpdLimiter(options.perJpd);
  const done = new Map<string, Promise<Outcome[]>>();
  const byId = new Map(steps.map((s) => [s.id, s]));
  const changes = new Map(plan.changes.map((c) => [`${c.jpd}/${c.repoKey}`, c]));
  const planned = options.planned === undefined ? undefined : indexLive(options.planned);
  const batchSize = options.batchSize ?? 1;
  const chunks = planChunks(
    steps,
    batchSize,
    await batchJpds(steps, batchSize, client, options.versionOf),
  );
  const chunkOf = new Map(chunks.flatMap((c) => c.steps.map((s) => [s.id, c] as const)));
  const chunkDone = new Map<string, Promise<Map<string, Outcome[]>>>();

  const { interrupted, gate } = createGate(byId, emit, options.signal);

  const dependencies = (from: string, ids: readonly string[]): Promise<Outcome[][]> =>
    Promise.all(
      ids.map((d) => {
        const dep = byId.get(d);
        if (dep === undefined) throw new InternalError(`step ${from} needs unknown ${d}`);
        return run(dep);
      }),
    );

  const view = { changes, planned };
  const attempt = createStepAttempt({ topology, client, options, view, emit, now });

  const writer = createChunkWriter({
    client,
    body: (action) => createBody(topology, action),
    single: (step) => attempt(step, false),
    emit,
    now,
  });

  const runChunk = (chunk: Chunk): Promise<Map<string, Outcome[]>> => {
    const existing = chunkDone.get(chunk.id);
    if (existing !== undefined) return existing;
    const promise = (async (): Promise<Map<string, Outcome[]>> => {
      const deps = await dependencies(chunk.id, chunk.dependsOn);
      const blocked = chunk.steps.map((s) => [s, gate(s, deps)] as const);
      if (blocked.some(([, o]) => o !== undefined)) {
        return new Map(blocked.map(([s, o]) => [s.id, o ?? interrupted(s)]));
      }
      return global(() =>
        jpdLimit(chunk.jpd)(async () => {
          if (options.signal?.aborted === true) {
            return new Map(chunk.steps.map((s) => [s.id, interrupted(s)]));
          }
          for (const step of chunk.steps) emit({ type: 'start', step });
          return writer.write(chunk);
        }),
      );
    })();
    chunkDone.set(chunk.id, promise);
    return promise;
  };

  const run = (step: Step): Promise<Outcome[]> => {
    const existing = done.get(step.id);
    if (existing !== undefined) return existing;
    const chunk = chunkOf.get(step.id);
    const promise =
      chunk !== undefined
        ? runChunk(chunk).then((outcomes) => {
            const mine = outcomes.get(step.id);
            if (mine === undefined) throw new InternalError(`chunk ${chunk.id} lost ${step.id}`);
            return mine;
          })
        : (async (): Promise<Outcome[]> => {
            const blocked = gate(step, await dependencies(step.id, step.dependsOn));
            if (blocked !== undefined) return blocked;
            return global(() =>
              jpdLimit(step.jpd)(() =>
                // Checked again here: the step may have waited in the queue while the signal came.
                options.signal?.aborted === true
                  ? Promise.resolve(interrupted(step))
                  : attempt(step, true),
              ),
            );
          })();
    done.set(step.id, promise);
    return promise;
  };

  const outcomes = (await Promise.all(steps.map(run))).flat();
  return { outcomes: inPlanOrder(outcomes, plan.actions), steps };
}

/** Outcomes in plan order, whatever order the steps finished in. */
function inPlanOrder(outcomes: Outcome[], actions: Plan['actions']): Outcome[] {
  const order = new Map(actions.map((a, i) => [a.id, i]));
  return outcomes.sort((a, b) => (order.get(a.action.id) ?? 0) - (order.get(b.action.id) ?? 0));
}

/**
 * `interrupted`: the outcomes of a step that will not start. `gate`: those of a step that must not
 * run (interrupted, or a dependency did not succeed), else undefined.
 */
function createGate(
  byId: ReadonlyMap<string, Step>,
  emit: (event: ApplyEvent) => void,
  signal: AbortSignal | undefined,
): {
  interrupted: (step: Step) => Outcome[];
  gate: (step: Step, deps: readonly Outcome[][]) => Outcome[] | undefined;
} {
  const interrupted = (step: Step): Outcome[] => {
    emit({ type: 'end', step, status: 'interrupted', ms: 0 });
    return step.actions.map((action) => ({ status: 'interrupted', action }));
  };
  const gate = (step: Step, deps: readonly Outcome[][]): Outcome[] | undefined => {
    if (signal?.aborted === true) return interrupted(step);
    const failedDep = step.dependsOn.find((_, i) => deps[i]?.some((o) => o.status !== 'applied'));
    if (failedDep === undefined) return undefined;
    const reason = `needs ${byId.get(failedDep)?.title ?? failedDep}, which did not succeed`;
    emit({ type: 'end', step, status: 'skipped', detail: reason, ms: 0 });
    return step.actions.map((action) => ({ status: 'skipped', action, reason }));
  };
  return { interrupted, gate };
}

/** One concurrency cap per JPD, made on first use. */
function jpdLimiter(perJpd: number): (jpd: string) => LimitFunction {
  const limits = new Map<string, LimitFunction>();
  return (jpd) => {
    let limit = limits.get(jpd);
    if (limit === undefined) {
      limit = pLimit(perJpd);
      limits.set(jpd, limit);
    }
    return limit;
  };
}
