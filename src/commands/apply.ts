import { parseArgs } from 'node:util';
import {
  renderApplyReport,
  renderOutcomes,
  renderVerification,
  verificationPassed,
  type ApplyReport,
} from '../core/apply/report.js';
import { ExitCode, UsageError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { renderPlanText } from '../core/render/plan-text.js';
import { confirmAndApply } from '../io/apply/session.js';
import { preflight } from '../io/doctor/preflight.js';
import { interruptExitCode } from '../io/terminal/interrupt.js';
import { acquireLocks } from '../io/apply/lock.js';
import { planTopology, type LockHook } from '../io/pipeline.js';
import { useColor } from '../io/terminal/progress.js';
import { loadSavedPlan } from '../io/saved-plan.js';
import { verifyApply } from '../io/verify/verify.js';
import { parseDuration, parseInteger } from '../core/cli/option-values.js';
import {
  parseFormat,
  PLAN_OPTIONS,
  planRequest,
  savedPlanArgument,
  topologyHelp,
  topologyInput,
  verifyMode,
} from './options.js';
import { DEFAULTS } from '../core/cli/defaults.js';

export const HELP = `Usage: fedctl apply [-f PATH ...] [--var NAME=VALUE ...] [--var-file FILE ...] [options]
       fedctl apply PLAN.json [options]

Plans, shows the plan, asks for "yes" (unless --auto-approve), then makes the changes:
pairings first, then repositories on their sources, independent work in parallel.
Then verifies through the federation status endpoints that every member reached its
state (full sync finished; a receiver shows Receiving_Only on either directed entry,
a bidirectional member HEALTHY both ways), and plans again to make sure nothing is left.

First checks what the plan's writes need of each JPD (as \`fedctl doctor\` does): a
receiver member where either end runs without the Federation Service fails before any
write. Every repository write is followed by configSync where the JPD has it; a copy
its JPD lists as inconsistent is repaired by a configSync of its own.

With PLAN.json (saved by \`fedctl plan --out\`), applies exactly that plan, without a
prompt, after checking that neither the topology files nor the JPDs changed since. It
reuses the variable values the plan recorded; --var and --var-file given here must
give the same values.

A plan that deletes repositories (planned with --allow-delete) also asks for the word
"delete" on a terminal; a saved plan that deletes needs --allow-delete here too.

Options:
${topologyHelp(29)}
      --auto-approve         do not ask for confirmation (CI)
      --parallelism N        steps in flight at once, all JPDs together (default ${DEFAULTS.parallelism})
      --jpd-parallelism N    steps in flight at once on one JPD (default ${DEFAULTS['jpd-parallelism']}: config writes
                             contend for Artifactory's config lock)
      --batch-size N         creates per request on a JPD of version 7.84.3 or later
                             (PUT /api/v2/repositories/batch; default ${DEFAULTS['batch-size']}); a refused batch
                             is written one repository at a time; 0 or 1: never batch
      --verify MODE          auto (default): a JPD without the Federation Service (its
                             status endpoints answer 405) is reported unverified and does
                             not fail the apply; strict: that is an error (exit 1)
      --no-verify            do not wait for the members to converge
      --verify-timeout DUR   how long to wait for them, e.g. 90s, 5m (default ${DEFAULTS['verify-timeout']})
      --verify-grace DUR     how long a connection may stay NOT_AVAILABLE before its
                             repository fails (default ${DEFAULTS['verify-grace']}); ERROR fails at once
      --format FMT           text (default) or json (a final report on stdout)
      --only GLOB, --jpd NAME
                             as for \`fedctl plan\` (not with a saved plan)
      --allow-delete         as for \`fedctl plan\`; with a saved plan: confirms its deletions
      --lock-timeout DUR     how long to wait when another apply holds the lock on a JPD
                             (default 0: exit 1 at once, naming the holder)
      --lock=false           take no lock (see docs/locking.md; \`fedctl unlock\` removes
                             the lock of an apply that died)
      --no-color             no colours
  -h, --help                 show this help

Before it reads anything, apply locks every JPD it connects to (a marker repository
fedctl-lock, created atomically), so that a second apply waits or stops and writes nothing.

Exit codes: 0 applied and verified (or nothing to do; under --verify auto, also when a
JPD could not report federation status), 1 error, failed or unverified apply, 130 or 143
stopped by SIGINT (Ctrl-C) or SIGTERM.
A failed step skips what depends on it; independent work still finishes. The first
Ctrl-C starts no new step and lets the steps in flight finish; a second one stops at
once. Running apply again continues from wherever the last run stopped.
`;

export const OPTIONS = {
  ...PLAN_OPTIONS,
  format: { type: 'string', default: 'text' },
  'auto-approve': { type: 'boolean', default: false },
  parallelism: { type: 'string', default: DEFAULTS.parallelism },
  'jpd-parallelism': { type: 'string', default: DEFAULTS['jpd-parallelism'] },
  'batch-size': { type: 'string', default: DEFAULTS['batch-size'] },
  'no-verify': { type: 'boolean', default: false },
  'verify-timeout': { type: 'string', default: DEFAULTS['verify-timeout'] },
  'verify-grace': { type: 'string', default: DEFAULTS['verify-grace'] },
  verify: { type: 'string' },
  lock: { type: 'string', default: 'true' },
  'lock-timeout': { type: 'string', default: '0s' },
} as const;

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals, tokens } = parseArgs({
    args: [...args],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const format = parseFormat(values.format, ['text', 'json']);
  const limits = {
    parallelism: parseInteger('parallelism', values.parallelism, 1, 256),
    perJpd: parseInteger('jpd-parallelism', values['jpd-parallelism'], 1, 64),
    batchSize: parseInteger('batch-size', values['batch-size'], 0, 10_000),
  };
  const timeoutMs = parseDuration('verify-timeout', values['verify-timeout'], 's');
  const graceMs = parseDuration('verify-grace', values['verify-grace'], 's');
  const mode = verifyMode(values.verify, values['no-verify']);
  const saved = savedPlanArgument(positionals, values);
  const lock = lockHook(values.lock, values['lock-timeout'], io);
  const run =
    saved === undefined
      ? await planTopology(topologyInput(values, tokens), planRequest(values), io, lock)
      : await loadSavedPlan(saved, topologyInput(values, tokens).variables ?? [], io, lock);
  const report = (r: Omit<ApplyReport, 'plan'>, passed = r.converged): ExitCode => {
    if (format === 'json') io.stdout.write(renderApplyReport({ plan: run.plan, ...r }));
    if (r.signal !== undefined) return interruptExitCode(r.signal);
    return passed ? ExitCode.Success : ExitCode.Error;
  };
  try {
    // Before the plan is shown or anything written: what the JPDs cannot do (core/doctor).
    await preflight(run, io, limits.batchSize);
    const { plan } = run;
    const color = !values['no-color'] && useColor(io.stdout, io.env);
    if (format === 'text') io.stdout.write(renderPlanText(plan, { color }));
    if (plan.actions.length === 0) {
      return report({ outcomes: [], verification: [], converged: true, remainingChanges: 0 });
    }
    const session = await confirmAndApply(run, io, {
      limits,
      approved: saved !== undefined || values['auto-approve'],
      ...(saved === undefined ? {} : { savedPlan: saved }),
      allowDelete: values['allow-delete'],
      text: format === 'text',
    });
    if (session.kind === 'cancelled') {
      io.stderr.write('Apply cancelled; nothing was changed.\n');
      return session.signal === undefined ? ExitCode.Error : interruptExitCode(session.signal);
    }
    const { outcomes, signal } = session;
    const done = renderOutcomes(outcomes, signal);
    io.stderr.write(done.text);
    if (!done.ok) {
      return report({
        outcomes,
        verification: [],
        converged: false,
        ...(signal === undefined ? {} : { signal }),
      });
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

/** `--lock` (true by default) and `--lock-timeout`: the lock every JPD of the run gets. */
function lockHook(value: string, timeout: string, io: CliIO): LockHook | undefined {
  if (value !== 'true' && value !== 'false') {
    throw new UsageError(`--lock must be true or false, not "${value}"`);
  }
  if (value === 'false') return undefined;
  const timeoutMs = parseDuration('lock-timeout', timeout, 's');
  return (connected) =>
    acquireLocks(
      [...connected.clients.byName.values()],
      { timeoutMs, topology: connected.loaded.file },
      io,
    );
}
