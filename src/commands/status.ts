import { parseArgs } from 'node:util';
import { ExitCode } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { renderStatusJson, renderStatusText } from '../core/render/status-text.js';
import { renderStatusHtml } from '../core/render/status-html.js';
import { runStatus } from '../io/drift.js';
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

export const HELP = `Usage: fedctl status [-f PATH ...] [--format text|json|html] [options]

Shows every member of every managed repository: its mode, the state of each direction
(source -> member, member -> source), lag and queued events, and whether it is healthy
by the rules of \`fedctl drift\`. What to run when the nightly drift job goes red.
Read-only: one configuration and one inconsistentRepos read per JPD, and one connectionStates
read per repository (on a JPD without RTFS: one federation/state and one mirrorsLag, and
status/repo only where federation/state does not show a repository in sync).

Options:
${topologyHelp(25)}
      --format FMT       text (default), json, or html: one self-contained page (graph with
                         health colours, a table per federation, drift and pending marked),
                         e.g. fedctl status --format html > status.html
      --jpd NAME         only repositories whose source or a member is JPD NAME
      --only GLOB        only repositories whose key matches GLOB (* and ?)
      --max-lag DUR      a connection lagging more is unhealthy (default ${DEFAULTS['max-lag']})
      --max-queued N     a connection with more queued events is unhealthy (default ${DEFAULTS['max-queued']})
  -h, --help             show this help

Exit codes: 0 shown (healthy or not; \`fedctl drift --fail-on health\` fails on health), 1 error.
A JPD that cannot be read is shown as such (the other JPDs in full) and the exit code is 1.
`;

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values, tokens } = parseArgs({
    args: [...args],
    options: { ...HEALTH_OPTIONS, format: { type: 'string', default: 'text' } },
    allowPositionals: false,
    strict: true,
    tokens: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const format = parseFormat(values.format, ['text', 'json', 'html']);
  const request = {
    thresholds: healthThresholds(values),
    ...scopeOf(values),
  };
  const report = await runStatus(topologyInput(values, tokens), request, io);
  io.stdout.write(
    format === 'html'
      ? renderStatusHtml({
          status: report.status,
          findings: report.drift,
          topology: report.topology,
        })
      : format === 'json'
        ? renderStatusJson(report.status)
        : renderStatusText(report.status),
  );
  if (report.status.unreadable.length > 0) return reportUnreadable(report.status.unreadable, io);
  return ExitCode.Success;
}
