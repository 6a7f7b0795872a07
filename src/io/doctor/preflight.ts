/**
 * The preflight of `plan` and `apply` (core/doctor/preflight.ts): reads, through the run's
 * per-JPD cache, the engines and versions the plan's writes depend on; prints the notes on stderr;
 * throws one FedctlError, one line per blocker, before anything is written.
 */
import { judgePreflight, preflightMessage, preflightReads } from '../../core/doctor/preflight.js';
import { FedctlError } from '../../core/errors.js';
import type { CliIO } from '../../core/io-types.js';
import type { Plan } from '../../core/plan/plan.js';
import type { JpdProfiles } from './profiles.js';

export async function preflight(
  run: { readonly plan: Pick<Plan, 'actions'>; readonly profiles: JpdProfiles },
  io: CliIO,
  batchSize: number,
): Promise<void> {
  const reads = preflightReads(run.plan, batchSize);
  const [engines, versions] = await Promise.all([
    Promise.all(reads.engines.map(async (jpd) => [jpd, await run.profiles.engine(jpd)] as const)),
    Promise.all(
      reads.versions.map(async (jpd) => {
        const read = await run.profiles.version(jpd);
        return 'ok' in read ? [[jpd, read.ok.version] as const] : [];
      }),
    ),
  ]);
  const { blockers, notes } = judgePreflight({
    plan: run.plan,
    batchSize,
    engines: new Map(engines),
    versions: new Map(versions.flat()),
  });
  if (blockers.length > 0) throw new FedctlError(preflightMessage(blockers));
  for (const note of notes) io.stderr.write(`note: ${note}\n`);
}
