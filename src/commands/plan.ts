import { parseArgs } from 'node:util';
import { ExitCode, UsageError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { renderPlanJson } from '../core/render-json.js';
import { renderPlanMarkdown } from '../core/render-markdown.js';
import { renderPlanText } from '../core/render-text.js';
import { writePlanFile } from '../io/plan-file.js';
import {
  loadTopologyForRemote,
  planFromTopology,
  type PlanRequest,
  type PlanRun,
} from '../io/planning.js';
import { useColor } from '../io/progress.js';
import { DEFAULT_TOPOLOGY_FILE } from '../io/topology-loader.js';

export const HELP = `Usage: fedctl plan [-f FILE] [options]

Reads the topology and every JPD it names, and shows what apply would change:
trust pairings, federated repositories, members and their transmission modes.
Changes nothing. What differs because someone changed a JPD is marked [drift].

Options:
  -f, --file FILE          topology file (default: ${DEFAULT_TOPOLOGY_FILE})
      --format FMT         text (default), json or markdown (for a pull-request comment)
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

export const planOptions = {
  file: { type: 'string', short: 'f' },
  only: { type: 'string' },
  jpd: { type: 'string' },
  'allow-delete': { type: 'boolean', default: false },
  'no-color': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The options plan and apply share: load the topology, check --jpd, read the JPDs, plan. */
export async function planFromOptions(
  values: { file?: string; only?: string; jpd?: string; 'allow-delete': boolean },
  io: CliIO,
): Promise<{ planned: PlanRun; request: PlanRequest }> {
  const loaded = await loadTopologyForRemote(values.file ?? DEFAULT_TOPOLOGY_FILE, io);
  if (values.jpd !== undefined && !loaded.topology?.jpds.some((j) => j.name === values.jpd)) {
    throw new UsageError(`--jpd ${values.jpd}: no such JPD in ${loaded.file}`);
  }
  const request: PlanRequest = {
    allowDelete: values['allow-delete'],
    ...(values.only === undefined ? {} : { only: values.only }),
    ...(values.jpd === undefined ? {} : { jpd: values.jpd }),
  };
  return { planned: await planFromTopology(loaded, request, io), request };
}

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...planOptions,
      format: { type: 'string', default: 'text' },
      out: { type: 'string' },
      'detailed-exitcode': { type: 'boolean', default: false },
    },
    allowPositionals: false,
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json' && format !== 'markdown') {
    throw new UsageError(`--format must be text, json or markdown, not "${format}"`);
  }
  const { planned: run } = await planFromOptions(values, io);
  try {
    const { plan, sources } = run;
    if (format === 'json') io.stdout.write(renderPlanJson(plan));
    else if (format === 'markdown') io.stdout.write(renderPlanMarkdown(plan));
    else {
      io.stdout.write(
        renderPlanText(plan, { color: !values['no-color'] && useColor(io.stdout, io.env) }),
      );
    }
    if (values.out !== undefined) {
      await writePlanFile(values.out, io.cwd, renderPlanJson(plan, sources));
      io.stderr.write(
        `Saved the plan to ${values.out}; run \`fedctl apply ${values.out}\` to apply exactly it.\n`,
      );
    }
    return values['detailed-exitcode'] && plan.actions.length > 0
      ? ExitCode.Changes
      : ExitCode.Success;
  } finally {
    await run.clients.close();
  }
}
