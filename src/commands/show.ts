import { parseArgs } from 'node:util';
import { ExitCode, UsageError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { renderPlanJson } from '../core/render/plan-json.js';
import { renderPlanMarkdown } from '../core/render/plan-markdown.js';
import { renderPlanText } from '../core/render/plan-text.js';
import { scopeLine, scopeOf } from '../core/plan/scope.js';
import { useColor } from '../io/terminal/progress.js';
import { readSavedPlan, savedPlanActions, savedPlanTopology } from '../io/saved-plan.js';
import { parseFormat } from './options.js';

export const HELP = `Usage: fedctl show PLAN [--format text|json|markdown]

Prints a plan saved with \`fedctl plan --out PLAN\`, as \`fedctl plan\` printed it.
Reads only the file: no JPD is contacted and no token is needed. To check that the
plan still matches the JPDs, apply it: \`fedctl apply PLAN\` refuses a stale plan.

Options:
      --format FMT   text (default), json or markdown (for a pull-request comment)
      --no-color     no colours
  -h, --help         show this help

Exit codes: 0 shown, 1 not a readable fedctl plan.
`;

export const OPTIONS = {
  format: { type: 'string', default: 'text' },
  'no-color': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
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
  const format = parseFormat(values.format, ['text', 'json', 'markdown']);
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    throw new UsageError('give one saved plan: fedctl show PLAN');
  }
  const doc = await readSavedPlan(file, io.cwd);
  const plan = savedPlanActions(doc);
  if (format === 'json') {
    io.stdout.write(
      renderPlanJson(plan, {
        topology: doc.topology,
        fingerprints: doc.fingerprints,
        options: doc.options,
      }),
    );
    return ExitCode.Success;
  }
  const markdown = async (): Promise<string> => {
    const topology = await savedPlanTopology(doc, io);
    return renderPlanMarkdown(plan, {
      file: doc.topology.file,
      // A saved plan names each JPD it read as a fingerprint id without a slash.
      jpds: Object.keys(doc.fingerprints).filter((id) => !id.includes('/')),
      ...(topology === undefined ? {} : { topology }),
      ...scopeOf(doc.options),
    });
  };
  if (plan.scope !== undefined) io.stderr.write(`${scopeLine(plan.scope)}\n`);
  io.stdout.write(
    format === 'markdown'
      ? await markdown()
      : renderPlanText(plan, { color: !values['no-color'] && useColor(io.stdout, io.env) }),
  );
  return ExitCode.Success;
}
