/**
 * The part of `fedctl apply` between showing the plan and verifying it: the questions (`yes`, and
 * `delete` when the plan deletes repositories), then the executor with progress, with the first
 * SIGINT/SIGTERM turned into "start no new step" (Terraform's behaviour) for as long as anything
 * is written. Verification only reads, so after it a signal ends the process at once again.
 */
import type { Outcome } from '../../core/apply/report.js';
import { UsageError } from '../../core/errors.js';
import type { CliIO, InterruptSignal } from '../../core/io-types.js';
import type { Plan } from '../../core/plan/plan.js';
import { applyWithProgress, type ApplyLimits } from './progress.js';
import { confirmApply, confirmDeletions } from '../terminal/confirm.js';
import { trapInterrupts } from '../terminal/interrupt.js';
import type { PlanRun } from '../pipeline.js';

export interface ApplySessionOptions {
  readonly limits: ApplyLimits;
  /** No questions: CI's --auto-approve, or a saved plan (reviewed when it was saved). */
  readonly approved: boolean;
  /** A saved plan's file: its deletions need `allowDelete` here as well. */
  readonly savedPlan?: string;
  readonly allowDelete: boolean;
  /** Text output: a blank line before the progress, after the plan. */
  readonly text: boolean;
}

export type ApplySession =
  | { readonly kind: 'cancelled'; readonly signal?: InterruptSignal }
  | { readonly kind: 'applied'; readonly outcomes: Outcome[]; readonly signal?: InterruptSignal };

export async function confirmAndApply(
  run: PlanRun,
  io: CliIO,
  options: ApplySessionOptions,
): Promise<ApplySession> {
  const { plan } = run;
  const deletions = deletedRepositories(plan);
  if (options.savedPlan !== undefined && deletions.length > 0 && !options.allowDelete) {
    throw new UsageError(
      `${options.savedPlan} deletes ${deletions.join(', ')} with all their artifacts; apply it with --allow-delete to confirm (nothing was changed)`,
    );
  }
  // From the prompt on, a first Ctrl-C stops cleanly instead of killing the process.
  const interruption = trapInterrupts(io);
  try {
    if (!options.approved && !(await approved(io, deletions, interruption.signal))) {
      const signal = interruption.received();
      return { kind: 'cancelled', ...(signal === undefined ? {} : { signal }) };
    }
    if (options.text) io.stderr.write('\n');
    const outcomes = await applyWithProgress(plan, run, io, options.limits, interruption.signal);
    const signal = interruption.received();
    return { kind: 'applied', outcomes, ...(signal === undefined ? {} : { signal }) };
  } finally {
    interruption.release();
  }
}

function deletedRepositories(plan: Plan): string[] {
  return plan.actions.flatMap((a) =>
    a.type === 'delete-repository' ? [`${a.jpd}/${a.repoKey}`] : [],
  );
}

/** `yes` on a terminal, and then `delete` when the plan deletes repositories. */
async function approved(
  io: CliIO,
  deletions: readonly string[],
  signal: AbortSignal,
): Promise<boolean> {
  if (!(await confirmApply(io, signal))) return false;
  return deletions.length === 0 || (await confirmDeletions(io, deletions, signal));
}
