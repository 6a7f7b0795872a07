import { parseArgs } from 'node:util';
import { ExitCode, FedctlError, formatIssue, TopologyError } from '../core/errors.js';
import { hasDifferences } from '../core/plan/plan.js';
import type { CliIO } from '../core/io-types.js';
import { renderPlanJson } from '../core/render/plan-json.js';
import { renderPlanFailureMarkdown, renderPlanMarkdown } from '../core/render/plan-markdown.js';
import { writeReport } from '../io/drift.js';
import { renderPlanText } from '../core/render/plan-text.js';
import { planTopology } from '../io/pipeline.js';
import { useColor } from '../io/terminal/progress.js';
import { savePlan } from '../io/saved-plan.js';
import { DEFAULT_TOPOLOGY_FILE } from '../io/topology-loader.js';
import { parseFormat, PLAN_OPTIONS, planRequest } from './options.js';

export const HELP = `Usage: fedctl plan [-f FILE] [options]

Reads the topology and every JPD it names, and shows what apply would change:
trust pairings, federated repositories, members and their transmission modes.
Changes nothing. What differs because someone changed a JPD is marked [drift].

Options:
  -f, --file FILE          topology file (default: ${DEFAULT_TOPOLOGY_FILE})
      --format FMT         text (default), json or markdown (for a pull-request comment)
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

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values } = parseArgs({
    args: [...args],
    options: OPTIONS,
    allowPositionals: false,
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const format = parseFormat(values.format, ['text', 'json', 'markdown']);
  const file = values.file ?? DEFAULT_TOPOLOGY_FILE;
  try {
    return await planAndRender(values, format, io);
  } catch (error) {
    const comment = renderPlanFailureMarkdown({
      file,
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
  format: 'text' | 'json' | 'markdown',
  io: CliIO,
): Promise<ExitCode> {
  const run = await planTopology(values.file ?? DEFAULT_TOPOLOGY_FILE, planRequest(values), io);
  try {
    const { plan } = run;
    const markdown = (): string =>
      renderPlanMarkdown(plan, {
        file: run.loaded.file,
        jpds: run.topology.jpds.map((j) => j.name),
        topology: run.topology,
        ...(run.request.only === undefined ? {} : { only: run.request.only }),
        ...(run.request.jpd === undefined ? {} : { jpd: run.request.jpd }),
      });
    if (format === 'json') io.stdout.write(renderPlanJson(plan));
    else if (format === 'markdown') io.stdout.write(markdown());
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
