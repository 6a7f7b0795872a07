import { parseArgs } from 'node:util';
import { ExitCode } from '../core/errors.js';
import type { CliIO, CommandContext } from '../core/io-types.js';
import { runDemo } from '../local/run-demo.js';
import { DEFAULT_TOPOLOGY_FILE } from '../io/topology-loader.js';

export const HELP = `Usage: fedctl demo [-f FILE]

The whole mission in one command, against simulated JPDs on loopback: starts one simulated
JPD per JPD of the topology (default ${DEFAULT_TOPOLOGY_FILE}), then runs validate, plan,
apply and verification; deploys an artifact on the hub and shows it arriving on the spokes;
deploys one on a spoke and shows it staying there; shows the spoke's admin unable to push back.
Nothing outside this process is touched; the simulated JPDs stop at the end.

Options:
  -f, --file FILE   topology file (default: ${DEFAULT_TOPOLOGY_FILE})
  -h, --help        show this help
`;

export const OPTIONS = {
  file: { type: 'string', short: 'f' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(
  args: readonly string[],
  io: CliIO,
  context: CommandContext,
): Promise<ExitCode> {
  const { values } = parseArgs({
    args: [...args],
    options: OPTIONS,
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  return runDemo(values.file ?? DEFAULT_TOPOLOGY_FILE, io, context.runCommand);
}
