/**
 * What decides whether a step may start: the interrupt signal and its dependencies' outcomes;
 * and the per-JPD concurrency caps. Used by the executor (./apply.ts).
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Outcome } from '../../core/apply/report.js';
import type { ApplyEvent, Step } from './steps.js';

/**
 * `interrupted`: the outcomes of a step that will not start. `gate`: those of a step that must not
 * run (interrupted, or a dependency did not succeed), else undefined.
 */
export function createGate(
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
export function jpdLimiter(perJpd: number): (jpd: string) => LimitFunction {
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
