import { parseArgs } from 'node:util';
import {
  applySummaryLine,
  describeOutcome,
  renderApplyReport,
  renderVerification,
  verificationPassed,
  type ApplyReport,
  type VerifyMode,
} from '../core/apply-report.js';
import { ExitCode, UsageError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { renderPlanText } from '../core/render-text.js';
import { applyWithProgress } from '../io/apply-progress.js';
import { confirmApply } from '../io/confirm.js';
import { planTopology } from '../io/pipeline.js';
import { useColor } from '../io/progress.js';
import { loadSavedPlan } from '../io/saved-plan.js';
import { DEFAULT_TOPOLOGY_FILE } from '../io/topology-loader.js';
import { verifyApply } from '../io/verify.js';
import { parseDuration, parseInteger } from '../core/option-values.js';
import { parseFormat, PLAN_OPTIONS, planRequest } from './options.js';

export const HELP = `Usage: fedctl apply [-f FILE] [options]
       fedctl apply PLAN.json [options]

Plans, shows the plan, asks for "yes" (unless --auto-approve), then makes the changes:
pairings first, then repositories on their sources, independent work in parallel.
Then verifies through the federation status endpoints that every member reached its
state (full sync finished; a receiver shows Receiving_Only on either directed entry,
a bidirectional member HEALTHY both ways), and plans again to make sure nothing is left.

With PLAN.json (saved by \`fedctl plan --out\`), applies exactly that plan, without a
prompt, after checking that neither the topology file nor the JPDs changed since.

Options:
  -f, --file FILE            topology file (default: ${DEFAULT_TOPOLOGY_FILE})
      --auto-approve         do not ask for confirmation (CI)
      --parallelism N        steps in flight at once, all JPDs together (default 8)
      --jpd-parallelism N    steps in flight at once on one JPD (default 2: config writes
                             contend for Artifactory's config lock)
      --verify MODE          auto (default): a JPD without the Federation Service (its
                             status endpoints answer 405) is reported unverified and does
                             not fail the apply; strict: that is an error (exit 1)
      --no-verify            do not wait for the members to converge
      --verify-timeout DUR   how long to wait for them, e.g. 90s, 5m (default 5m)
      --verify-grace DUR     how long a connection may stay NOT_AVAILABLE before its
                             repository fails (default 60s); ERROR fails at once
      --format FMT           text (default) or json (a final report on stdout)
      --only GLOB, --jpd NAME, --allow-delete
                             as for \`fedctl plan\` (not with a saved plan)
      --no-color             no colours
  -h, --help                 show this help

Exit codes: 0 applied and verified (or nothing to do; under --verify auto, also when a
JPD could not report federation status), 1 error, failed or unverified apply.
A failed step skips what depends on it; independent work still finishes. Running apply
again continues from wherever the last run stopped.
`;

const OPTIONS = {
  ...PLAN_OPTIONS,
  format: { type: 'string', default: 'text' },
  'auto-approve': { type: 'boolean', default: false },
  parallelism: { type: 'string', default: '8' },
  'jpd-parallelism': { type: 'string', default: '2' },
  'no-verify': { type: 'boolean', default: false },
  'verify-timeout': { type: 'string', default: '5m' },
  'verify-grace': { type: 'string', default: '60s' },
  verify: { type: 'string' },
} as const;

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const format = parseFormat(values.format, ['text', 'json']);
  const limits = {
    parallelism: parseInteger('parallelism', values.parallelism, 1, 256),
    perJpd: parseInteger('jpd-parallelism', values['jpd-parallelism'], 1, 64),
  };
  const timeoutMs = parseDuration('verify-timeout', values['verify-timeout'], 's');
  const graceMs = parseDuration('verify-grace', values['verify-grace'], 's');
  const mode = verifyMode(values.verify, values['no-verify']);
  const saved = savedPlanArgument(positionals, values);
  const run =
    saved === undefined
      ? await planTopology(values.file ?? DEFAULT_TOPOLOGY_FILE, planRequest(values), io)
      : await loadSavedPlan(saved, io);
  const report = (r: Omit<ApplyReport, 'plan'>, passed = r.converged): ExitCode => {
    if (format === 'json') io.stdout.write(renderApplyReport({ plan: run.plan, ...r }));
    return passed ? ExitCode.Success : ExitCode.Error;
  };
  try {
    const { plan } = run;
    const color = !values['no-color'] && useColor(io.stdout, io.env);
    if (format === 'text') io.stdout.write(renderPlanText(plan, { color }));
    if (plan.actions.length === 0) {
      return report({ outcomes: [], verification: [], converged: true, remainingChanges: 0 });
    }
    if (saved === undefined && !values['auto-approve'] && !(await confirmApply(io))) {
      io.stderr.write('Apply cancelled; nothing was changed.\n');
      return ExitCode.Error;
    }
    if (format === 'text') io.stderr.write('\n');
    const outcomes = await applyWithProgress(plan, run, io, limits);
    io.stderr.write(`${applySummaryLine(outcomes)}\n`);
    const failed = outcomes.filter((o) => o.status !== 'applied');
    for (const o of failed) io.stderr.write(`  ${describeOutcome(o)}\n`);
    if (failed.length > 0) {
      io.stderr.write(
        'Fix the cause and run fedctl apply again: it continues from where this run stopped.\n',
      );
      return report({ outcomes, verification: [], converged: false });
    }
    if (values['no-verify']) return report({ outcomes, verification: [], converged: true });
    const result = await verifyApply(plan, run, io, { timeoutMs, graceMs });
    io.stderr.write(renderVerification(result, { mode, timeout: values['verify-timeout'] }));
    return report(
      {
        outcomes,
        verification: result.repos,
        converged: result.converged,
        remainingChanges: result.remaining.actions.length,
      },
      verificationPassed(result, mode),
    );
  } finally {
    await run.close();
  }
}

function verifyMode(value: string | undefined, noVerify: boolean): VerifyMode {
  if (value !== undefined && noVerify) {
    throw new UsageError('--verify and --no-verify exclude each other');
  }
  if (value === undefined || value === 'auto') return 'auto';
  if (value === 'strict') return 'strict';
  throw new UsageError(`--verify must be auto or strict, not "${value}"`);
}

/** The saved plan given as an argument, which carries its own topology and options. */
function savedPlanArgument(
  positionals: readonly string[],
  values: {
    file?: string | undefined;
    only?: string | undefined;
    jpd?: string | undefined;
    'allow-delete': boolean;
  },
): string | undefined {
  if (positionals.length > 1) throw new UsageError('give at most one saved plan file');
  const [saved] = positionals;
  const narrowed =
    values.file !== undefined || values.only !== undefined || values.jpd !== undefined;
  if (saved !== undefined && (narrowed || values['allow-delete'])) {
    throw new UsageError(
      'a saved plan carries its own topology and options; do not combine it with -f, --only, --jpd or --allow-delete',
    );
  }
  return saved;
}
