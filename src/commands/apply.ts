import { parseArgs } from 'node:util';
import { ExitCode, StalePlanError, UsageError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import type { Plan } from '../core/plan.js';
import { renderPlanText } from '../core/render-text.js';
import {
  applyPlan,
  describeOutcome,
  planSteps,
  type ApplyEvent,
  type Outcome,
} from '../io/apply.js';
import { readPlanFile } from '../io/plan-file.js';
import {
  loadTopologyForRemote,
  planFromTopology,
  planLive,
  readLive,
  sha256,
  type PlanRequest,
  type PlanRun,
} from '../io/planning.js';
import { createProgress, useColor } from '../io/progress.js';
import { DEFAULT_TOPOLOGY_FILE } from '../io/topology-loader.js';
import { describeVerification, verifyConnections, type RepoVerification } from '../io/verify.js';
import { parseDuration, parseInteger } from './args.js';
import { planFromOptions, planOptions } from './plan.js';

export const HELP = `Usage: fedctl apply [-f FILE] [options]
       fedctl apply PLAN.json [options]

Plans, shows the plan, asks for "yes" (unless --auto-approve), then makes the changes:
pairings first, then repositories on their sources, independent work in parallel.
Then verifies through the federation status endpoints that every member reached its
state (receiver: Receiving_Only, bidirectional: HEALTHY, full sync finished), and
plans again to make sure nothing is left.

With PLAN.json (saved by \`fedctl plan --out\`), applies exactly that plan, without a
prompt, after checking that neither the topology file nor the JPDs changed since.

Options:
  -f, --file FILE            topology file (default: ${DEFAULT_TOPOLOGY_FILE})
      --auto-approve         do not ask for confirmation (CI)
      --parallelism N        steps in flight at once, all JPDs together (default 8)
      --jpd-parallelism N    steps in flight at once on one JPD (default 2: config writes
                             contend for Artifactory's config lock)
      --no-verify            do not wait for the members to converge
      --verify-timeout DUR   how long to wait for them, e.g. 90s, 5m (default 5m)
      --format FMT           text (default) or json (a final report on stdout)
      --only GLOB, --jpd NAME, --allow-delete
                             as for \`fedctl plan\` (not with a saved plan)
      --no-color             no colours
  -h, --help                 show this help

Exit codes: 0 applied and verified (or nothing to do), 1 error, failed or unverified apply.
A failed step skips what depends on it; independent work still finishes. Running apply
again continues from wherever the last run stopped.
`;

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      ...planOptions,
      format: { type: 'string', default: 'text' },
      'auto-approve': { type: 'boolean', default: false },
      parallelism: { type: 'string', default: '8' },
      'jpd-parallelism': { type: 'string', default: '2' },
      'no-verify': { type: 'boolean', default: false },
      'verify-timeout': { type: 'string', default: '5m' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--format must be text or json, not "${format}"`);
  }
  const parallelism = parseInteger('parallelism', values.parallelism, 1, 256);
  const perJpd = parseInteger('jpd-parallelism', values['jpd-parallelism'], 1, 64);
  const verifyTimeoutMs = parseDuration('verify-timeout', values['verify-timeout'], 's');
  if (positionals.length > 1) throw new UsageError('give at most one saved plan file');
  const [savedPlan] = positionals;
  if (
    savedPlan !== undefined &&
    (values.file !== undefined ||
      values.only !== undefined ||
      values.jpd !== undefined ||
      values['allow-delete'])
  ) {
    throw new UsageError(
      'a saved plan carries its own topology and options; do not combine it with -f, --only, --jpd or --allow-delete',
    );
  }
  const color = !values['no-color'] && useColor(io.stdout, io.env);
  const text = (s: string): void => {
    if (format === 'text') io.stdout.write(s);
  };

  const { planned, request } =
    savedPlan === undefined
      ? await planFromOptions(values, io)
      : await checkSavedPlan(savedPlan, io);

  const { plan, clients, topology } = planned;
  try {
    text(renderPlanText(plan, { color }));
    if (plan.actions.length === 0) {
      if (format === 'json') io.stdout.write(report(plan, [], [], true, 0));
      return ExitCode.Success;
    }
    if (savedPlan === undefined && !values['auto-approve'] && !(await approved(io))) {
      io.stderr.write('Apply cancelled; nothing was changed.\n');
      return ExitCode.Error;
    }

    if (format === 'text') io.stderr.write('\n');
    const outcomes = await execute(plan, planned, io, parallelism, perJpd);
    const failed = outcomes.filter((o) => o.status !== 'applied');
    const applied = outcomes.length - failed.length;
    const skipped = outcomes.filter((o) => o.status === 'skipped').length;
    io.stderr.write(
      `Apply: ${applied} applied, ${failed.length - skipped} failed, ${skipped} skipped.\n`,
    );
    for (const o of failed) io.stderr.write(`  ${describeOutcome(o)}\n`);
    if (failed.length > 0) {
      io.stderr.write(
        'Fix the cause and run fedctl apply again: it continues from where this run stopped.\n',
      );
      if (format === 'json') io.stdout.write(report(plan, outcomes, [], false, undefined));
      return ExitCode.Error;
    }
    if (values['no-verify']) {
      if (format === 'json') io.stdout.write(report(plan, outcomes, [], true, undefined));
      return ExitCode.Success;
    }

    // Verify: members reach their states, then the same planner finds nothing left to do.
    const touched = plan.changes.map((c) => ({ jpd: c.jpd, repoKey: c.repoKey }));
    const progress = createProgress(io.stderr, io.stderr.isTTY === true);
    const verification = await verifyConnections(topology, touched, (n) => clients.get(n), {
      timeoutMs: verifyTimeoutMs,
      onPoll: (pending, elapsed) => {
        progress.status(
          `Verifying: ${touched.length - pending.length}/${touched.length} repositories converged, ${Math.round(elapsed / 1000)}s`,
        );
      },
    });
    progress.end();
    for (const v of verification) io.stderr.write(`  ${describeVerification(v)}\n`);
    const live = await readLive(topology, clients, io);
    const again = planLive(planned.loaded, topology, live, request).plan;
    const converged = verification.every((v) => v.converged) && again.actions.length === 0;
    if (again.actions.length > 0) {
      io.stderr.write(
        `After apply, fedctl plan still finds ${again.actions.length} ${again.actions.length === 1 ? 'change' : 'changes'}:\n${renderPlanText(again, { color: false })}`,
      );
    }
    io.stderr.write(
      converged
        ? `Verified: ${verification.length} ${verification.length === 1 ? 'repository' : 'repositories'} converged; plan shows no changes.\n`
        : `Not verified within ${values['verify-timeout']}: see the repositories marked NOT CONVERGED above.\n`,
    );
    if (format === 'json') {
      io.stdout.write(report(plan, outcomes, verification, converged, again.actions.length));
    }
    return converged ? ExitCode.Success : ExitCode.Error;
  } finally {
    await clients.close();
  }
}

async function execute(
  plan: Plan,
  planned: PlanRun,
  io: CliIO,
  parallelism: number,
  perJpd: number,
): Promise<Outcome[]> {
  const live = io.stderr.isTTY === true;
  const progress = createProgress(io.stderr, live);
  const started = Date.now();
  const total = planSteps(plan).length;
  let done = 0;
  const inFlight = new Map<string, string>();
  const show = (): void => {
    const phases = [...new Set(inFlight.values())].join(', ');
    progress.status(
      `Applying: ${done}/${total} done, ${inFlight.size} in flight${phases === '' ? '' : ` (${phases})`}, ${Math.round((Date.now() - started) / 1000)}s`,
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
      done += 1;
      const detail = e.detail === undefined ? '' : `: ${e.detail}`;
      progress.log(`  ${e.step.title}: ${e.status} (${(e.ms / 1000).toFixed(1)}s)${detail}`);
    }
    show();
  };
  try {
    const result = await applyPlan(plan, planned.topology, (n) => planned.clients.get(n), {
      parallelism,
      perJpd,
      onEvent,
    });
    return [...result.outcomes];
  } finally {
    if (timer !== undefined) clearInterval(timer);
    progress.end();
  }
}

/** A saved plan runs only against the topology and live state it was computed from. */
async function checkSavedPlan(
  file: string,
  io: CliIO,
): Promise<{ planned: PlanRun; request: PlanRequest }> {
  const doc = await readPlanFile(file, io.cwd);
  const { topology: source, fingerprints, options } = doc;
  const loaded = await loadTopologyForRemote(source.file, io);
  if (sha256(loaded.text) !== source.sha256) {
    throw new StalePlanError(
      `${source.file} changed since ${file} was made; run fedctl plan again (nothing was changed)`,
    );
  }
  const request: PlanRequest = {
    allowDelete: options.allowDelete,
    ...(options.only === undefined ? {} : { only: options.only }),
    ...(options.jpd === undefined ? {} : { jpd: options.jpd }),
  };
  // Re-read and re-plan exactly as `plan` did, to compare fingerprints; the saved actions run.
  const fresh = await planFromTopology(loaded, request, io);
  const now = fresh.sources.fingerprints;
  const ids = [...new Set([...Object.keys(fingerprints), ...Object.keys(now)])];
  const changed = ids.filter((id) => fingerprints[id] !== now[id]).sort();
  if (changed.length > 0) {
    await fresh.clients.close();
    throw new StalePlanError(
      `the JPDs changed since ${file} was made (${changed.join(', ')}); run fedctl plan again (nothing was changed)`,
    );
  }
  const plan: Plan = {
    formatVersion: doc.formatVersion,
    actions: doc.actions,
    changes: doc.changes,
    unmanaged: doc.unmanaged,
    conflicts: doc.conflicts,
  };
  return { planned: { ...fresh, plan }, request };
}

async function approved(io: CliIO): Promise<boolean> {
  if (io.stdin?.isTTY !== true || io.stdin.readLine === undefined) {
    throw new UsageError(
      'apply asks for confirmation on a terminal; in CI pass --auto-approve (or apply a saved plan)',
    );
  }
  io.stderr.write("\nApply these changes? Only 'yes' will be accepted: ");
  const answer = await io.stdin.readLine();
  return answer?.trim() === 'yes';
}

function report(
  plan: Plan,
  outcomes: readonly Outcome[],
  verification: readonly RepoVerification[],
  converged: boolean,
  remaining: number | undefined,
): string {
  return `${JSON.stringify(
    {
      formatVersion: 1,
      summary: {
        planned: plan.actions.length,
        applied: outcomes.filter((o) => o.status === 'applied').length,
        failed: outcomes.filter((o) => o.status === 'failed').length,
        skipped: outcomes.filter((o) => o.status === 'skipped').length,
      },
      outcomes: outcomes.map((o) => ({
        id: o.action.id,
        type: o.action.type,
        status: o.status,
        ...(o.status === 'failed' ? { error: o.error } : {}),
        ...(o.status === 'skipped' ? { reason: o.reason } : {}),
      })),
      verification,
      converged,
      ...(remaining === undefined ? {} : { remainingChanges: remaining }),
    },
    null,
    2,
  )}\n`;
}
