import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ExitCode } from '../core/errors.js';
import type { CliIO, CommandContext } from '../core/io-types.js';
import { runDemo } from '../local/run-demo.js';
import { DEFAULT_TOPOLOGY_FILE } from '../io/topology-loader.js';

export const HELP = `Usage: fedctl demo [-f FILE]

The whole mission in one command, against simulated JPDs on loopback: starts one simulated
JPD per JPD of the topology (default ${DEFAULT_TOPOLOGY_FILE}, or the quick-start topology
shipped with fedctl when there is none here), then runs validate, plan,
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
  return runDemo(values.file ?? (await demoTopology(io)), io, context.runCommand);
}

/**
 * The topology in the current folder, or else the quick-start topology the package ships (its
 * `federation.yaml`, listed in package.json "files"), so that `fedctl demo` works from an
 * installed copy in any folder.
 */
async function demoTopology(io: CliIO): Promise<string> {
  const here = resolve(io.cwd, DEFAULT_TOPOLOGY_FILE);
  if (await exists(here)) return DEFAULT_TOPOLOGY_FILE;
  // dist/commands/demo.js and src/commands/demo.ts are both two folders below the package root.
  const shipped = fileURLToPath(new URL('../../federation.yaml', import.meta.url));
  io.stdout.write(
    `No ${DEFAULT_TOPOLOGY_FILE} here: using the quick-start topology shipped with fedctl (${shipped}).\n`,
  );
  return shipped;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
