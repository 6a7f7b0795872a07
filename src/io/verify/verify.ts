/**
 * Verification after apply, whole: poll the federation status endpoints on each touched
 * repository's source until each repository is decided (judged by core/verify/connection-check.ts:
 * converged, failed or unverifiable) or time runs out, then read every JPD again and plan through
 * the same `computePlan`. A repository is polled no more once it is decided, and a JPD no more
 * once its status endpoint answers 405 (no Federation Service: JFrog's OpenAPI for these
 * operations, "405 Method Not Allowed - RTFS is not enabled").
 */
import {
  checkConnections,
  type MemberCheck,
  type RepoCheck,
  type RepoVerification,
} from '../../core/verify/connection-check.js';
import { InternalError, type FedctlErrorCode } from '../../core/errors.js';
import { checkLegacyMirrors } from '../../core/verify/legacy.js';
import type { RepoStates } from '../../core/verify/federation-health.js';
import type { CliIO } from '../../core/io-types.js';
import { assertNever, type Plan } from '../../core/plan/plan.js';
import type { RepoSpec, Topology } from '../../core/topology/model.js';
import type { ArtifactoryClient } from '../artifactory/types.js';
import {
  readFederationStates,
  type FederationStatesOptions,
  type StatusEngines,
} from './federation-states.js';
import { replan, type ConnectedTopology } from '../pipeline.js';
import { createProgress } from '../terminal/progress.js';
import { DEFAULTS } from '../../core/cli/defaults.js';
import { parseDuration } from '../../core/cli/option-values.js';

/** NOT_AVAILABLE may last this long before the repository fails. */
export const DEFAULT_VERIFY_GRACE_MS = parseDuration('verify-grace', DEFAULTS['verify-grace'], 's');

export interface VerifyOptions {
  readonly timeoutMs: number;
  /** How long a connection may stay NOT_AVAILABLE; default DEFAULT_VERIFY_GRACE_MS. */
  readonly graceMs?: number;
  /** First poll interval; doubles up to maxIntervalMs. */
  readonly intervalMs?: number;
  readonly maxIntervalMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called once per status request (for counting them: benchmarks and tests). */
  readonly onRequest?: FederationStatesOptions['onRequest'];
}

export interface VerifyResult {
  /** One per repository the plan changed, in plan order. */
  readonly repos: readonly RepoVerification[];
  /** The plan of the JPDs as they are after apply: empty when nothing is left to do. */
  readonly remaining: Plan;
  /** Every repository converged and nothing is left to do. */
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
          `Verifying: ${total - pending} of ${total} repositories decided, ${Math.round(elapsed / 1000)}s`,
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
    converged: repos.every((r) => r.status === 'converged') && remaining.actions.length === 0,
  };
}

/** Where one repository stands between polls. */
interface Tracked {
  readonly spec: RepoSpec;
  last?: RepoCheck;
  error?: string;
  errorCode?: FedctlErrorCode;
  final?: RepoVerification;
}

/** Polls the source of each repository until each is decided, or time runs out. */
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
  const tracked: Tracked[] = specsOf(topology, repos).map((spec) => ({ spec }));
  const poller = createPoller(
    topology,
    client,
    options.graceMs ?? DEFAULT_VERIFY_GRACE_MS,
    now,
    options.onRequest,
  );
  let interval = options.intervalMs ?? 250;
  for (;;) {
    await poller.round(tracked.filter((t) => t.final === undefined));
    const pending = tracked.filter((t) => t.final === undefined).length;
    const elapsed = now() - started;
    onPoll(pending, elapsed);
    if (pending === 0 || elapsed >= options.timeoutMs) break;
    await sleep(Math.min(interval, Math.max(0, options.timeoutMs - elapsed)));
    interval = Math.min(interval * 2, options.maxIntervalMs ?? 5_000);
  }
  return tracked.map((t) => t.final ?? timedOut(t));
}

/**
 * One poll of every pending repository, with the fewest calls (io/verify/federation-states.ts):
 * one stateList per source JPD decides every repository it shows healthy and out of lag;
 * connectionStates only for the rest, judged by core/verify/connection-check.ts. A JPD without the
 * Federation Service (405) gets one request and its repositories are unverifiable; a repository
 * the service does not know yet (404) or a failed read is polled again.
 */
function createPoller(
  topology: Topology,
  client: (jpd: string) => ArtifactoryClient,
  graceMs: number,
  now: () => number,
  onRequest?: FederationStatesOptions['onRequest'],
): { round(pending: readonly Tracked[]): Promise<void> } {
  // What each JPD answers (RTFS, legacy v2/v1, nothing), learnt on the first poll.
  const engines: StatusEngines = new Map();
  const legacyApis = new Map<string, 'v1' | 'v2'>();
  return {
    async round(pending) {
      const states = await readFederationStates(
        topology,
        pending.map((t) => t.spec),
        client,
        {
          detail: 'triage',
          engines,
          legacyApis,
          ...(onRequest === undefined ? {} : { onRequest }),
        },
      );
      pending.forEach((t, i) => {
        const read = states[i];
        if (read === undefined) throw new InternalError(`${t.spec.key} was not read`);
        judge(t, read);
      });
    },
  };

  function judge(t: Tracked, read: RepoStates): void {
    switch (read.kind) {
      case 'state-list':
        delete t.error;
        delete t.errorCode;
        t.final = { ...decided(t, 'converged', undefined), checks: stateListChecks(t.spec, read) };
        return;
      case 'connections':
        delete t.error;
        delete t.errorCode;
        t.last = checkConnections(topology, t.spec, read.connections, {
          now: now(),
          graceMs,
          notAvailableSince: t.last?.notAvailableSince ?? new Map(),
        });
        if (t.last.status !== 'pending') t.final = decided(t, t.last.status, t.last.reason);
        return;
      case 'unavailable':
        if (read.cause === 'no-service') t.final = decided(t, 'unverifiable', read.reason);
        else {
          t.error = read.reason;
          delete t.errorCode;
        }
        return;
      case 'error':
        // A JPD that is briefly unreachable is polled again; only a bug is thrown.
        t.error = read.error;
        if (read.code === undefined) delete t.errorCode;
        else t.errorCode = read.code;
        return;
      case 'legacy-state':
        delete t.error;
        delete t.errorCode;
        t.final = {
          ...decided(t, 'converged', undefined),
          checks: legacyStateChecks(t.spec, read),
        };
        return;
      case 'legacy-repo':
        delete t.error;
        delete t.errorCode;
        t.last = checkLegacyMirrors(topology, t.spec, read.state, read.mirrors, {
          now: now(),
          graceMs,
          notAvailableSince: t.last?.notAvailableSince ?? new Map(),
        });
        if (t.last.status !== 'pending') t.final = decided(t, t.last.status, t.last.reason);
        return;
      default:
        assertNever(read);
    }
  }
}

/** What stateList showed for each declared member: its aggregated state, both ways in one. */
function stateListChecks(
  spec: RepoSpec,
  read: Extract<RepoStates, { kind: 'state-list' }>,
): MemberCheck[] {
  return spec.members.map((m) => {
    const listed = read.entry.memberInfoList.find(
      (i) => i.repoKey.toLowerCase() === m.repoKey.toLowerCase(),
    );
    return {
      member: m.jpd,
      direction: 'both',
      expected: m.enabled ? 'HEALTHY' : 'DISABLED',
      ...(listed === undefined ? {} : { actual: listed.aggregatedStatus }),
      verdict: 'converged',
    };
  });
}

/** federation/state showed the repository SYNCING with every member: each member, as sent. */
function legacyStateChecks(
  spec: RepoSpec,
  read: Extract<RepoStates, { kind: 'legacy-state' }>,
): MemberCheck[] {
  return spec.members.map((m) => ({
    member: m.jpd,
    direction: 'send',
    expected: m.enabled ? 'SYNCING' : 'DISABLED',
    actual: read.entry.status,
    verdict: 'converged',
  }));
}

function decided(
  t: Tracked,
  status: RepoVerification['status'],
  reason: string | undefined,
): RepoVerification {
  return {
    jpd: t.spec.source,
    repoKey: t.spec.key,
    status,
    converged: status === 'converged',
    checks: t.last?.checks ?? [],
    ...(reason === undefined ? {} : { reason }),
    ...(t.error === undefined ? {} : { error: t.error }),
    ...(t.errorCode === undefined ? {} : { errorCode: t.errorCode }),
  };
}

function timedOut(t: Tracked): RepoVerification {
  return decided(t, 'timed-out', undefined);
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
