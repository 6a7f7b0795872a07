import { parseArgs } from 'node:util';
import { failingKinds, FINDING_KINDS, type FindingKind } from '../core/drift/drift.js';
import { ExitCode, UsageError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { renderDriftJson } from '../core/render/drift-json.js';
import { renderDriftJunit } from '../core/render/drift-junit.js';
import { renderDriftMarkdown } from '../core/render/drift-markdown.js';
import { renderDriftText } from '../core/render/drift-text.js';
import { driftAnnotations, renderSarif } from '../core/render/annotations.js';
import { sarifOnTopologyError } from '../io/annotations.js';
import { runDrift, writeReport } from '../io/drift.js';
import { useColor } from '../io/terminal/progress.js';
import {
  HEALTH_OPTIONS,
  healthThresholds,
  parseFormat,
  reportUnreadable,
  topologyHelp,
  topologyInput,
} from './options.js';
import { scopeOf } from '../core/plan/scope.js';
import { DEFAULTS } from '../core/cli/defaults.js';

export const HELP = `Usage: fedctl drift [-f PATH ...] [--jpd NAME] [--only GLOB] [options]

The nightly check. Reads every JPD and the federation status, and reports three
findings apart:
  drift    live values that differ from what fedctl last applied (an edit on a JPD),
           a copy's project or environments changed, a copy the JPD lists as
           inconsistent with its members (inconsistentRepos)
  pending  topology values not applied yet (a change merged but not applied)
  health   managed connections that do not deliver: ERROR, NOT_AVAILABLE, lag over
           --max-lag, more queued events than --max-queued
On a JPD without the Federation Service (RTFS) the legacy status endpoints are read.
Read-only: sends no write request.

Options:
${topologyHelp(25)}
      --jpd NAME         only repositories whose source or a member is JPD NAME
      --only GLOB        only repositories whose key matches GLOB (* and ?)
      --format FMT       text (default), json, markdown (for a pull-request or issue comment)
                         or sarif (SARIF 2.1.0: each finding a warning on its repository's line)
      --junit FILE       also write a JUnit XML report: one testsuite per JPD, one testcase
                         per managed repository
      --fail-on KINDS    which findings make the exit code 2: any of drift,pending,health
                         (default: all three)
      --max-lag DUR      a connection lagging more is unhealthy (default ${DEFAULTS['max-lag']})
      --max-queued N     a connection with more queued events is unhealthy (default ${DEFAULTS['max-queued']})
      --no-color         no colours (also: NO_COLOR=1, or output not a terminal)
  -h, --help             show this help

Exit codes: 0 nothing found (of the --fail-on kinds), 1 error, 2 found.
A JPD that cannot be read (unreachable, 5xx after retries, 401, 403) is a finding of its
own in every report (an <error> testcase in JUnit); the other JPDs are reported in full,
the reports are still written, and the exit code is 1.
A JPD without the Federation Service gives "health unknown" with the reason, not a failure.
Tokens are read from the environment variables the topology names and never printed.
`;

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values, tokens } = parseArgs({
    args: [...args],
    options: {
      ...HEALTH_OPTIONS,
      format: { type: 'string', default: 'text' },
      junit: { type: 'string' },
      'fail-on': { type: 'string', default: FINDING_KINDS.join(',') },
    },
    allowPositionals: false,
    strict: true,
    tokens: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const format = parseFormat(values.format, ['text', 'json', 'markdown', 'sarif']);
  const { result, topology } = await sarifOnTopologyError(format === 'sarif', io, () =>
    runDrift(
      topologyInput(values, tokens),
      {
        thresholds: healthThresholds(values),
        failOn: parseFailOn(values['fail-on']),
        ...scopeOf(values),
      },
      io,
    ),
  );
  if (format === 'json') io.stdout.write(renderDriftJson(result));
  else if (format === 'sarif') io.stdout.write(renderSarif(driftAnnotations(result, topology)));
  else if (format === 'markdown') io.stdout.write(renderDriftMarkdown(result));
  else {
    const color = !values['no-color'] && useColor(io.stdout, io.env);
    io.stdout.write(renderDriftText(result, { color }));
  }
  if (values.junit !== undefined) {
    await writeReport(values.junit, io.cwd, renderDriftJunit(result));
    io.stderr.write(`Wrote the JUnit report to ${values.junit}.\n`);
  }
  if (result.unreadable.length > 0) return reportUnreadable(result.unreadable, io);
  return failingKinds(result).length > 0 ? ExitCode.Changes : ExitCode.Success;
}

function parseFailOn(value: string): FindingKind[] {
  const kinds = value.split(',').map((k) => k.trim());
  const known = FINDING_KINDS.filter((k) => kinds.includes(k));
  const unknown = kinds.filter((k) => !FINDING_KINDS.some((f) => f === k));
  if (unknown.length > 0 || known.length === 0) {
    throw new UsageError(
      `--fail-on takes a comma-separated list of ${FINDING_KINDS.join(', ')}, not "${value}"`,
    );
  }
  return known;
}
