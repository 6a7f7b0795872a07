/**
 * What apply did, as data and as text: outcomes per action (applied, failed or skipped, as
 * values), the verification per repository, and the JSON report `apply --format json` prints
 * (described by schemas/apply-report.schema.json).
 */
import { describeVerification, type RepoVerification } from './connection-check.js';
import type { InterruptSignal } from './io-types.js';
import type { Action, Plan } from './plan.js';
import { describeAction, renderPlanText } from './render-text.js';

export const APPLY_REPORT_FORMAT_VERSION = 1;

export type Outcome =
  | { readonly status: 'applied'; readonly action: Action }
  | { readonly status: 'failed'; readonly action: Action; readonly error: string }
  | { readonly status: 'skipped'; readonly action: Action; readonly reason: string }
  /** Not started: SIGINT or SIGTERM came first. Running apply again picks it up. */
  | { readonly status: 'interrupted'; readonly action: Action };

export interface ApplyReport {
  readonly plan: Pick<Plan, 'actions'>;
  readonly outcomes: readonly Outcome[];
  readonly verification: readonly RepoVerification[];
  readonly converged: boolean;
  /** Changes a plan after apply still found; absent when apply did not plan again. */
  readonly remainingChanges?: number;
  /** The signal that stopped apply, if one did. */
  readonly signal?: InterruptSignal;
}

/** `Apply: 3 applied, 1 failed, 2 skipped.`, with `, 4 interrupted` when a signal stopped it. */
export function applySummaryLine(outcomes: readonly Outcome[]): string {
  const count = (s: Outcome['status']): number => outcomes.filter((o) => o.status === s).length;
  const interrupted = count('interrupted');
  return `Apply: ${count('applied')} applied, ${count('failed')} failed, ${count('skipped')} skipped${interrupted > 0 ? `, ${interrupted} interrupted` : ''}.`;
}

/** One line per action that did not apply, for the summary. */
export function describeOutcome(o: Outcome): string {
  const what = `${o.action.type === 'establish-pairing' ? '' : `${o.action.jpd}/${o.action.repoKey}: `}${describeAction(o.action)}`;
  switch (o.status) {
    case 'applied':
      return `applied: ${what}`;
    case 'failed':
      return `failed:  ${what}: ${o.error}`;
    case 'skipped':
      return `skipped: ${what}: ${o.reason}`;
    case 'interrupted':
      return `interrupted: ${what}: not started`;
  }
}

export function renderApplyReport(report: ApplyReport): string {
  const { outcomes } = report;
  const count = (s: Outcome['status']): number => outcomes.filter((o) => o.status === s).length;
  return `${JSON.stringify(
    {
      formatVersion: APPLY_REPORT_FORMAT_VERSION,
      summary: {
        planned: report.plan.actions.length,
        applied: count('applied'),
        failed: count('failed'),
        skipped: count('skipped'),
        interrupted: count('interrupted'),
      },
      outcomes: outcomes.map((o) => ({
        id: o.action.id,
        type: o.action.type,
        status: o.status,
        ...(o.status === 'failed' ? { error: o.error } : {}),
        ...(o.status === 'skipped' ? { reason: o.reason } : {}),
      })),
      verification: report.verification,
      converged: report.converged,
      ...(report.signal === undefined ? {} : { signal: report.signal }),
      ...(report.remainingChanges === undefined
        ? {}
        : { remainingChanges: report.remainingChanges }),
    },
    null,
    2,
  )}\n`;
}

/** What verification found, for stderr: one line per repository, what is left, the verdict. */
export function renderVerification(
  repos: readonly RepoVerification[],
  remaining: Plan,
  converged: boolean,
  timeout: string,
): string {
  const lines = repos.map((r) => `  ${describeVerification(r)}\n`);
  const left = remaining.actions.length;
  if (left > 0) {
    lines.push(
      `After apply, fedctl plan still finds ${left} ${left === 1 ? 'change' : 'changes'}:\n${renderPlanText(remaining, { color: false })}`,
    );
  }
  lines.push(
    converged
      ? `Verified: ${repos.length} ${repos.length === 1 ? 'repository' : 'repositories'} converged; plan shows no changes.\n`
      : `Not verified within ${timeout}: see the repositories marked NOT CONVERGED above.\n`,
  );
  return lines.join('');
}
