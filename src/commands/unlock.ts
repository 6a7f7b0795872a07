import { parseArgs } from 'node:util';
import { ExitCode, FedctlError, UsageError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { describeHolder, readLock, releaseIfOurs } from '../io/apply/lock.js';
import { connectTopology } from '../io/pipeline.js';
import { DEFAULT_TOPOLOGY_FILE } from '../io/topology-loader.js';

export const HELP = `Usage: fedctl unlock [LOCK_ID] [-f FILE] [--jpd NAME]

Removes the apply lock that an apply which died left on the JPDs (the marker repository
fedctl-lock; see docs/locking.md). Without LOCK_ID, shows who holds a lock on each JPD.
With it, removes that lock, and only that one, from every JPD that holds it.
Only for a lock whose apply is gone: a running apply loses its protection.

Options:
  -f, --file FILE    topology file (default: ${DEFAULT_TOPOLOGY_FILE})
      --jpd NAME     only this JPD
  -h, --help         show this help

Exit codes: 0 removed (or, without LOCK_ID, no lock held), 1 error or a lock is held.
`;

export const OPTIONS = {
  file: { type: 'string', short: 'f' },
  jpd: { type: 'string' },
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
  if (positionals.length > 1) throw new UsageError('give at most one lock id');
  const [id] = positionals;
  const connected = await connectTopology(
    values.file ?? DEFAULT_TOPOLOGY_FILE,
    { allowDelete: false, ...(values.jpd === undefined ? {} : { jpd: values.jpd }) },
    io,
  );
  try {
    const clients = [...connected.clients.byName.values()];
    if (id === undefined) {
      let held = 0;
      for (const client of clients) {
        const lock = await readLock(client);
        if (lock.kind === 'held') {
          held += 1;
          io.stdout.write(`${describeHolder(client.jpd, lock.record)}\n`);
        } else if (lock.kind === 'foreign') {
          held += 1;
          io.stdout.write(`${client.jpd}: a repository fedctl-lock that is not fedctl's lock\n`);
        }
      }
      if (held === 0) io.stdout.write('No lock held.\n');
      else io.stderr.write('To remove a lock whose apply died: fedctl unlock LOCK_ID\n');
      return held === 0 ? ExitCode.Success : ExitCode.Error;
    }
    const removed: string[] = [];
    for (const client of clients) {
      const lock = await readLock(client);
      if (lock.kind === 'held' && lock.record.id === id && (await releaseIfOurs(client, id))) {
        removed.push(client.jpd);
        io.stdout.write(`Removed ${describeHolder(client.jpd, lock.record)}\n`);
      }
    }
    if (removed.length === 0) {
      throw new FedctlError(`no JPD holds lock ${id}; run fedctl unlock to see the locks held`);
    }
    return ExitCode.Success;
  } finally {
    await connected.clients.close();
  }
}
