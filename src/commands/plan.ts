import { parseArgs } from 'node:util';
import { ExitCode, FedctlError, formatIssue, TopologyError } from '../core/errors.js';
import { hasDifferences } from '../core/plan/plan.js';
import type { CliIO } from '../core/io-types.js';
import { renderPlanJson } from '../core/render/plan-json.js';
import { renderPlanFailureMarkdown, renderPlanMarkdown } from '../core/render/plan-markdown.js';
import { renderPlanText } from '../core/render/plan-text.js';
import { DEFAULT_BATCH_SIZE } from '../io/apply/batch.js';
import { preflight } from '../io/doctor/preflight.js';
import { issueAnnotations, planAnnotations, renderSarif } from '../core/render/annotations.js';
import { scopeOf } from '../core/plan/scope.js';
import { sarifOnTopologyError } from '../io/annotations.js';
import { writeReport } from '../io/drift.js';
import { planTopology } from '../io/pipeline.js';
import { useColor } from '../io/terminal/progress.js';
import { savePlan } from '../io/saved-plan.js';
import type { TopologyInput } from '../io/topology-loader.js';
import { DEFAULTS } from '../core/cli/defaults.js';
import { parseFormat, PLAN_OPTIONS, planRequest, topologyHelp, topologyInput } from './options.js';

export const HELP = `Usage: fedctl plan [-f PATH ...] [--var NAME=VALUE ...] [--var-file FILE ...] [options]

Reads the topology and every JPD it names, and shows what apply would change:
trust pairings, federated repositories, members and their transmission modes.
Changes nothing. What differs because someone changed a JPD is marked [drift].
A change a JPD cannot make (a receiver member where either end runs without the
Federation Service) fails here, one line per JPD; \`fedctl doctor\` shows every JPD.

Options:
${topologyHelp(27)}
      --format FMT         text (default), json, markdown (for a pull-request comment) or
                           sarif (SARIF 2.1.0: each action a note on its repository's line;
                           an invalid topology, its problems)
      --out PLAN           also save the plan, with fingerprints, for \`fedctl apply PLAN\`
      --markdown-out FILE  also write the pull-request comment to FILE: the plan, or, when
                           the plan fails, a comment that says what failed (same marker)
      --detailed-exitcode  exit 2 when the JPDs differ from the file (changes to apply, or
                           repositories removed from it and kept), 0 when they do not
      --only GLOB          only repositories whose key matches GLOB (* and ?)
      --jpd NAME           only actions that touch JPD NAME
      --allow-delete       plan removal of members and repositories fedctl manages
                           that the topology no longer declares
      --no-color           no colours (also: NO_COLOR=1, or output not a terminal)
  -h, --help               show this help

Exit codes: 0 success (with --detailed-exitcode: no changes), 1 error, 2 changes present.
With --format markdown (or --markdown-out) a failed plan still writes its comment: what
failed and the error lines, under the plan's marker, so it replaces the last plan comment.
Tokens are read from the environment variables the topology names and never printed.
`;

export const OPTIONS = {
  ...PLAN_OPTIONS,
  format: { type: 'string', default: 'text' },
  out: { type: 'string' },
  'detailed-exitcode': { type: 'boolean', default: false },
  'markdown-out': { type: 'string' },
} as const;

type Format = 'text' | 'json' | 'markdown' | 'sarif';

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values, tokens } = parseArgs({
    args: [...args],
    options: OPTIONS,
    allowPositionals: false,
    strict: true,
    tokens: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const format = parseFormat(values.format, ['text', 'json', 'markdown', 'sarif']);
  const input = topologyInput(values, tokens);
  try {
    return await planAndRender(values, input, format, io);
  } catch (error) {
    const comment = renderPlanFailureMarkdown({
      // The marker of the plan's own comment, so this one replaces it.
      file: input.paths.length === 0 ? DEFAULTS.file : input.paths.join(', '),
      command: `fedctl plan ${args.join(' ')}`.trim(),
      lines: errorLines(error),
    });
    if (format === 'markdown') io.stdout.write(comment);
    if (values['markdown-out'] !== undefined) {
      await writeReport(values['markdown-out'], io.cwd, comment);
    }
    throw error;
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

async function planAndRender(
  values: Values,
  input: TopologyInput,
  format: Format,
  io: CliIO,
): Promise<ExitCode> {
  const run = await sarifOnTopologyError(format === 'sarif', io, () =>
    planTopology(input, planRequest(values), io),
  );
  try {
    // What the plan would write, checked against what each JPD can do (as apply does).
    await preflight(run, io, DEFAULT_BATCH_SIZE);
    const { plan } = run;
    const markdown = (): string =>
      renderPlanMarkdown(plan, {
        file: run.loaded.file,
        jpds: run.topology.jpds.map((j) => j.name),
        topology: run.topology,
        ...scopeOf(run.request),
      });
    if (format === 'json') io.stdout.write(renderPlanJson(plan));
    else if (format === 'sarif') {
      const warnings = run.loaded.issues.filter((i) => i.severity === 'warning');
      io.stdout.write(
        renderSarif([...issueAnnotations(warnings), ...planAnnotations(plan, run.topology)]),
      );
    } else if (format === 'markdown') io.stdout.write(markdown());
    else {
      const color = !values['no-color'] && useColor(io.stdout, io.env);
      io.stdout.write(renderPlanText(plan, { color }));
    }
    if (values['markdown-out'] !== undefined) {
      await writeReport(values['markdown-out'], io.cwd, markdown());
    }
    if (values.out !== undefined) {
      await savePlan(values.out, io.cwd, run);
      io.stderr.write(
        `Saved the plan to ${values.out}; run \`fedctl apply ${values.out}\` to apply exactly it.\n`,
      );
    }
    // Kept removals count: the file and the JPDs differ, and a later --allow-delete acts on them.
    return values['detailed-exitcode'] && hasDifferences(plan)
      ? ExitCode.Changes
      : ExitCode.Success;
  } finally {
    await run.close();
  }
}

/** The lines cli.ts prints for an error (one per topology issue), for the failure comment. */
function errorLines(error: unknown): string[] {
  if (error instanceof TopologyError) return error.issues.map(formatIssue);
  if (error instanceof FedctlError) return error.message.split('\n');
  return [`internal error (a bug): ${error instanceof Error ? error.message : String(error)}`];
}
