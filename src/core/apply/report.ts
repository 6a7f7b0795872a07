/**
 * What apply did, as data and as text: outcomes per action (applied, failed or skipped, as
 * values), the verification per repository, and the JSON report `apply --format json` prints
 * (described by schemas/apply-report.schema.json).
 */
import { describeVerification, type RepoVerification } from '../verify/connection-check.js';
import type { FedctlErrorCode } from '../errors.js';
import type { InterruptSignal } from '../io-types.js';
import type { Action, Plan } from '../plan/plan.js';
import { describeAction, renderPlanText } from '../render/plan-text.js';
import { safeText } from '../safe-text.js';

export const APPLY_REPORT_FORMAT_VERSION = 1;

export type Outcome =
  | { readonly status: 'applied'; readonly action: Action }
  | {
      readonly status: 'failed';
      readonly action: Action;
      readonly error: string;
      /** The failure's code (docs/errors.md). */
      readonly errorCode?: FedctlErrorCode;
    }
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

/** `auto`: a repository whose JPD cannot report federation status passes, unverified. */
export type VerifyMode = 'auto' | 'strict';

/** What verification found: one verdict per repository, and the plan made afterwards. */
export interface VerificationSummary {
  readonly repos: readonly RepoVerification[];
  /** The plan made after apply; only whether it has actions matters here. */
  readonly remaining: { readonly actions: readonly unknown[] };
}

/**
 * Whether apply succeeds: nothing left to plan, and every repository converged, or (under `auto`)
 * could not be verified because its JPD has no way to report it.
 */
export function verificationPassed(v: VerificationSummary, mode: VerifyMode): boolean {
  return (
    v.remaining.actions.length === 0 &&
    v.repos.every(
      (r) => r.status === 'converged' || (mode === 'auto' && r.status === 'unverifiable'),
    )
  );
}

/** `Apply: 3 applied, 1 failed, 2 skipped.`, with `, 4 interrupted` when a signal stopped it. */
export function applySummaryLine(outcomes: readonly Outcome[]): string {
  const count = (s: Outcome['status']): number => outcomes.filter((o) => o.status === s).length;
  const interrupted = count('interrupted');
  return `Apply: ${count('applied')} applied, ${count('failed')} failed, ${count('skipped')} skipped${interrupted > 0 ? `, ${interrupted} interrupted` : ''}.`;
}

/** How many keys of a JPD the interrupt summary names before it counts the rest. */
const NOT_STARTED_KEYS = 3;

/**
 * What an interrupt left unstarted, one line per JPD: how many actions and the first few
 * repositories. Ctrl-C on 200 repositories is a few lines, not two per step.
 */
function notStarted(outcomes: readonly Outcome[]): string[] {
  const byJpd = new Map<string, { count: number; keys: Set<string> }>();
  for (const o of outcomes) {
    if (o.status !== 'interrupted') continue;
    const a = o.action;
    const jpd = a.type === 'establish-pairing' ? a.source : a.jpd;
    const key = a.type === 'establish-pairing' ? `pairing ${a.source} -> ${a.target}` : a.repoKey;
    const entry = byJpd.get(jpd) ?? { count: 0, keys: new Set<string>() };
    entry.count += 1;
    entry.keys.add(key);
    byJpd.set(jpd, entry);
  }
  return [...byJpd.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([jpd, { count, keys }]) => {
      const list = [...keys];
      const shown = list.slice(0, NOT_STARTED_KEYS).join(', ');
      const more =
        list.length > NOT_STARTED_KEYS ? `, and ${list.length - NOT_STARTED_KEYS} more` : '';
      return safeText(
        `  not started on ${jpd}: ${count} ${count === 1 ? 'action' : 'actions'} (${shown}${more})`,
      );
    });
}

/** One line per action that did not apply, for the summary; errors quote JPDs, so made safe. */
export function describeOutcome(o: Outcome): string {
  return safeText(outcomeLine(o));
}

function outcomeLine(o: Outcome): string {
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
        ...(o.status === 'failed' && o.errorCode !== undefined ? { errorCode: o.errorCode } : {}),
        ...(o.status === 'skipped' ? { reason: o.reason } : {}),
      })),
      verification: report.verification,
      converged: report.converged,
      unverified: report.verification.filter((r) => r.status === 'unverifiable').length,
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
  v: VerificationSummary & { readonly remaining: Plan },
  options: { readonly mode: VerifyMode; readonly timeout: string },
): string {
  const { repos, remaining } = v;
  const lines = repos.map((r) => `  ${safeText(describeVerification(r))}\n`);
  const left = remaining.actions.length;
  if (left > 0) {
    lines.push(
      `After apply, fedctl plan still finds ${left} ${left === 1 ? 'change' : 'changes'}:\n${renderPlanText(remaining, { color: false })}`,
    );
  }
  const count = (status: RepoVerification['status']): number =>
    repos.filter((r) => r.status === status).length;
  const repositories = (n: number): string => `${n} ${n === 1 ? 'repository' : 'repositories'}`;
  const [converged, unverified, failed, timedOut] = [
    count('converged'),
    count('unverifiable'),
    count('failed'),
    count('timed-out'),
  ];
  if (verificationPassed(v, options.mode)) {
    lines.push(
      unverified === 0
        ? `Verified: ${repositories(converged)} converged; plan shows no changes.\n`
        : `Applied: ${repositories(converged)} converged, ${unverified} unverified (see above; --verify strict makes that an error); plan shows no changes.\n`,
    );
    return lines.join('');
  }
  const why = [
    failed > 0 ? `${repositories(failed)} failed (marked FAILED above)` : '',
    timedOut > 0 ? `${repositories(timedOut)} did not converge (marked NOT CONVERGED above)` : '',
    unverified > 0 && options.mode === 'strict'
      ? `${repositories(unverified)} could not be verified (--verify strict)`
      : '',
    left > 0 ? `plan still finds ${left} ${left === 1 ? 'change' : 'changes'}` : '',
  ].filter((s) => s !== '');
  const within = timedOut > 0 ? ` within ${options.timeout}` : '';
  lines.push(`Not verified${within}: ${why.join('; ')}.\n`);
  return lines.join('');
}

/**
 * What apply says when its steps are done: the summary line, every action that did not apply, and
 * what to do next. `ok` is false when any action did not apply or a signal stopped the run.
 */
export function renderOutcomes(
  outcomes: readonly Outcome[],
  signal: string | undefined,
): { readonly text: string; readonly ok: boolean } {
  const failed = outcomes.filter((o) => o.status !== 'applied');
  const lines = [
    applySummaryLine(outcomes),
    ...failed.filter((o) => o.status !== 'interrupted').map((o) => `  ${describeOutcome(o)}`),
    ...notStarted(outcomes),
  ];
  if (signal !== undefined) {
    lines.push(
      `Interrupted by ${signal}: the steps in flight finished; the rest did not start. Run fedctl apply again to continue from where this run stopped.`,
    );
  } else if (failed.length > 0) {
    lines.push(
      'Fix the cause and run fedctl apply again: it continues from where this run stopped.',
    );
  }
  return { text: `${lines.join('\n')}\n`, ok: signal === undefined && failed.length === 0 };
}
