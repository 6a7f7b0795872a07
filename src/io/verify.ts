/**
 * Verification after apply, whole: poll the federation status endpoints on each touched
 * repository's source until every member reaches its state (judged by core/connection-check.ts),
 * then read every JPD again and plan through the same `computePlan`; converged means both hold.
 */
import { checkConnections, type RepoVerification } from '../core/connection-check.js';
import { FedctlError, InternalError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import type { Plan } from '../core/plan.js';
import type { RepoSpec, Topology } from '../core/topology.js';
import type { ArtifactoryClient } from './artifactory/types.js';
import { replan, type ConnectedTopology } from './pipeline.js';
import { createProgress } from './progress.js';

export interface VerifyOptions {
  readonly timeoutMs: number;
  /** First poll interval; doubles up to maxIntervalMs. */
  readonly intervalMs?: number;
  readonly maxIntervalMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface VerifyResult {
  readonly repos: readonly RepoVerification[];
  /** The plan of the JPDs as they are after apply: empty when nothing is left to do. */
  readonly remaining: Plan;
  readonly converged: boolean;
}

/** Waits for the connections of every repository the plan changed, then plans again. */
export async function verifyApply(
  plan: Pick<Plan, 'changes'>,
  run: ConnectedTopology,
  io: CliIO,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const progress = createProgress(io.stderr, io.stderr.isTTY === true);
  const total = plan.changes.length;
  let repos: RepoVerification[];
  try {
    repos = await waitForConnections(
      run.topology,
      plan.changes,
      (n) => run.clients.get(n),
      options,
      (pending, elapsed) => {
        progress.status(
          `Verifying: ${total - pending} of ${total} repositories converged, ${Math.round(elapsed / 1000)}s`,
        );
      },
    );
  } finally {
    progress.end();
  }
  const { plan: remaining } = await replan(run, io);
  return {
    repos,
    remaining,
    converged: repos.every((r) => r.converged) && remaining.actions.length === 0,
  };
}

/** Polls the source of each repository until all expected states hold, or time runs out. */
export async function waitForConnections(
  topology: Topology,
  repos: readonly { readonly jpd: string; readonly repoKey: string }[],
  client: (jpd: string) => ArtifactoryClient,
  options: VerifyOptions,
  onPoll: (pending: number, elapsedMs: number) => void = () => undefined,
): Promise<RepoVerification[]> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  const specs = specsOf(topology, repos);
  const results = new Map<RepoSpec, RepoVerification>();
  let interval = options.intervalMs ?? 250;
  for (;;) {
    const pending = specs.filter((s) => results.get(s)?.converged !== true);
    const checked = await Promise.all(
      pending.map(async (s) => [s, await checkRepo(topology, s, client(s.source))] as const),
    );
    for (const [spec, result] of checked) results.set(spec, result);
    const stillPending = checked.filter(([, r]) => !r.converged).length;
    const elapsed = now() - started;
    onPoll(stillPending, elapsed);
    if (stillPending === 0 || elapsed >= options.timeoutMs) break;
    await sleep(Math.min(interval, Math.max(0, options.timeoutMs - elapsed)));
    interval = Math.min(interval * 2, options.maxIntervalMs ?? 5_000);
  }
  return specs.map((s) => {
    const result = results.get(s);
    if (result === undefined) throw new InternalError(`${s.source}/${s.key} was never checked`);
    return result;
  });
}

/** The declared repository of each (source, key) the plan touched: every one must exist. */
function specsOf(
  topology: Topology,
  repos: readonly { readonly jpd: string; readonly repoKey: string }[],
): RepoSpec[] {
  const byId = new Map(topology.repos.map((r) => [`${r.source}/${r.key}`, r]));
  return repos.map((r) => {
    const spec = byId.get(`${r.jpd}/${r.repoKey}`);
    if (spec === undefined) {
      throw new InternalError(`the plan changed ${r.jpd}/${r.repoKey}, which the topology lacks`);
    }
    return spec;
  });
}

async function checkRepo(
  topology: Topology,
  spec: RepoSpec,
  source: ArtifactoryClient,
): Promise<RepoVerification> {
  try {
    return checkConnections(topology, spec, await source.connectionStates(spec.key));
  } catch (error) {
    // A JPD that is briefly unreachable is polled again; only a bug is thrown.
    if (!(error instanceof FedctlError)) throw error;
    return {
      jpd: spec.source,
      repoKey: spec.key,
      converged: false,
      checks: [],
      error: error.message,
    };
  }
}
