import { parseArgs } from 'node:util';
import { ExitCode } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { renderPlanJson } from '../core/render/plan-json.js';
import { renderPlanMarkdown } from '../core/render/plan-markdown.js';
import { renderPlanText } from '../core/render/plan-text.js';
import { issueAnnotations, planAnnotations, renderSarif } from '../core/render/annotations.js';
import { sarifOnTopologyError } from '../io/annotations.js';
import { planTopology } from '../io/pipeline.js';
import { useColor } from '../io/terminal/progress.js';
import { savePlan } from '../io/saved-plan.js';
import { parseFormat, PLAN_OPTIONS, planRequest, topologyHelp, topologyInput } from './options.js';
import { scopeOf } from '../core/plan/scope.js';

export const HELP = `Usage: fedctl plan [-f PATH ...] [--var NAME=VALUE ...] [--var-file FILE ...] [options]

Reads the topology and every JPD it names, and shows what apply would change:
trust pairings, federated repositories, members and their transmission modes.
Changes nothing. What differs because someone changed a JPD is marked [drift].

Options:
${topologyHelp(27)}
      --format FMT         text (default), json, markdown (for a pull-request comment) or
                           sarif (SARIF 2.1.0: each action a note on its repository's line;
                           an invalid topology, its problems)
      --out PLAN           also save the plan, with fingerprints, for \`fedctl apply PLAN\`
      --detailed-exitcode  exit 2 when there are changes, 0 when there are none
      --only GLOB          only repositories whose key matches GLOB (* and ?)
      --jpd NAME           only actions that touch JPD NAME
      --allow-delete       plan removal of members and repositories fedctl manages
                           that the topology no longer declares
      --no-color           no colours (also: NO_COLOR=1, or output not a terminal)
  -h, --help               show this help

Exit codes: 0 success (with --detailed-exitcode: no changes), 1 error, 2 changes present.
Tokens are read from the environment variables the topology names and never printed.
`;

export const OPTIONS = {
  ...PLAN_OPTIONS,
  format: { type: 'string', default: 'text' },
  out: { type: 'string' },
  'detailed-exitcode': { type: 'boolean', default: false },
} as const;

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
  const run = await sarifOnTopologyError(format === 'sarif', io, () =>
    planTopology(topologyInput(values, tokens), planRequest(values), io),
  );
  try {
    const { plan } = run;
    if (format === 'json') io.stdout.write(renderPlanJson(plan));
    else if (format === 'sarif') {
      const warnings = run.loaded.issues.filter((i) => i.severity === 'warning');
      io.stdout.write(
        renderSarif([...issueAnnotations(warnings), ...planAnnotations(plan, run.topology)]),
      );
    } else if (format === 'markdown') {
      io.stdout.write(
        renderPlanMarkdown(plan, {
          file: run.loaded.file,
          jpds: run.topology.jpds.map((j) => j.name),
          topology: run.topology,
          ...scopeOf(run.request),
        }),
      );
    } else {
      const color = !values['no-color'] && useColor(io.stdout, io.env);
      io.stdout.write(renderPlanText(plan, { color }));
    }
    if (values.out !== undefined) {
      await savePlan(values.out, io.cwd, run);
      io.stderr.write(
        `Saved the plan to ${values.out}; run \`fedctl apply ${values.out}\` to apply exactly it.\n`,
      );
    }
    return values['detailed-exitcode'] && plan.actions.length > 0
      ? ExitCode.Changes
      : ExitCode.Success;
  } finally {
    await run.close();
  }
}
