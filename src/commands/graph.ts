import { parseArgs } from 'node:util';
import { ExitCode, formatIssue, TopologyError, UsageError } from '../core/errors.js';
import { buildGraph } from '../core/graph/graph.js';
import { renderGraphDot } from '../core/graph/dot.js';
import { renderGraphMermaid } from '../core/graph/mermaid.js';
import { renderGraphSvg } from '../core/graph/svg.js';
import type { CliIO } from '../core/io-types.js';
import { loadTopology } from '../io/topology-loader.js';
import { TOPOLOGY_OPTIONS, topologyHelp, topologyInput } from './options.js';

export const HELP = `Usage: fedctl graph [-f PATH ...] [--format mermaid|dot|svg]

Draws the topology: one node per JPD, one edge per pair of JPDs and kind of data flow,
labelled with the repositories it carries (their keys when few, else their count).
One-way edges end at a receiver; two-way edges join bidirectional members. Edges over a
receiving-only pairing are marked enforced; edges to or from a disabled member are dashed.
Makes no network request. An unset token variable is a warning here.

Options:
${topologyHelp(22)}
      --format FMT    mermaid (default), dot (Graphviz) or svg (drawn by fedctl, standalone)
  -h, --help          show this help

Examples:
  fedctl graph > topology.mmd
  fedctl graph --format svg > topology.svg
  fedctl graph --format dot | dot -Tpng > topology.png

Exit codes: 0 drawn (warnings allowed), 1 invalid topology.
`;

const RENDERERS = { mermaid: renderGraphMermaid, dot: renderGraphDot, svg: renderGraphSvg };
type Format = keyof typeof RENDERERS;

function isFormat(value: string): value is Format {
  return Object.hasOwn(RENDERERS, value);
}

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values, tokens } = parseArgs({
    args: [...args],
    options: {
      ...TOPOLOGY_OPTIONS,
      format: { type: 'string', default: 'mermaid' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    tokens: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const format = values.format;
  if (!isFormat(format)) {
    throw new UsageError(`--format must be mermaid, dot or svg, not "${format}"`);
  }
  const loaded = await loadTopology(topologyInput(values, tokens), {
    cwd: io.cwd,
    env: io.env,
    unsetEnv: 'warning',
  });
  if (loaded.topology === undefined) throw new TopologyError(loaded.issues);
  for (const issue of loaded.issues) io.stderr.write(`${formatIssue(issue)}\n`);
  io.stdout.write(RENDERERS[format](buildGraph(loaded.topology)));
  return ExitCode.Success;
}
