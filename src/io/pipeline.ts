/**
 * The stages every remote command runs, one name each:
 *
 *   loadTopology -> createJpdClients -> fetchLiveState -> computePlan -> applyPlan -> verifyApply
 *
 * `planTopology` runs the first four for `plan` and `apply` (and the nightly commands that
 * follow); `replan` repeats the last two read-only stages with the same clients, which is how
 * verification confirms that nothing is left to do. See docs/architecture.md.
 */
import { formatIssue, TopologyError, UsageError, type Issue } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import type { UnreadableJpd } from '../core/drift/unreadable.js';
import type { LiveState } from '../core/live/state.js';
import { narrowPlan } from '../core/plan/narrow.js';
import { computePlan, type Plan } from '../core/plan/plan.js';
import { checkOnly, planScope, scopeLine, scopeOf, type Scope } from '../core/plan/scope.js';
import type { JpdSpec, Topology } from '../core/topology/model.js';
import { jpdsToRead } from '../core/topology/usage.js';
import { createJpdProfiles, type JpdProfiles } from './doctor/profiles.js';
import { annotateIssues } from './annotations.js';
import { requestLogFrom } from './http/request-log.js';
import { createJpdClients, type JpdClients } from './jpd-clients.js';
import { readLiveState, throwUnreadable } from './live-state.js';
import { createProgress } from './terminal/progress.js';
import {
  loadTopology,
  requireTopology,
  type LoadedTopology,
  type TopologyInput,
} from './topology-loader.js';

export interface PlanRequest extends Scope {
  readonly allowDelete: boolean;
}

/** A topology connected to its JPDs, their state read and planned. `close()` releases the pools. */
export interface PlanRun {
  readonly loaded: LoadedTopology;
  readonly topology: Topology;
  readonly clients: JpdClients;
  /** What each JPD can do, read at most once per run (io/doctor/profiles.ts). */
  readonly profiles: JpdProfiles;
  readonly request: PlanRequest;
  readonly live: LiveState;
  readonly plan: Plan;
  close(): Promise<void>;
}

/** A topology loaded and connected to its JPDs, nothing read yet. */
export type ConnectedTopology = Pick<
  PlanRun,
  'loaded' | 'topology' | 'clients' | 'profiles' | 'request'
>;

/** load -> connect. Warnings go to stderr; any error stops before a request is sent. */
export async function connectTopology(
  input: string | TopologyInput,
  request: PlanRequest,
  io: CliIO,
): Promise<ConnectedTopology> {
  const loaded = await loadTopology(input, { cwd: io.cwd, env: io.env, unsetEnv: 'error' });
  const warnings = loaded.issues.filter((i) => i.severity === 'warning');
  for (const issue of warnings) io.stderr.write(`${formatIssue(issue)}\n`);
  annotateIssues(warnings, io);
  const topology = requireTopology(loaded);
  if (request.jpd !== undefined && !topology.jpds.some((j) => j.name === request.jpd)) {
    throw new UsageError(`--jpd ${request.jpd}: no such JPD in ${loaded.file}`);
  }
  checkOnly(topology, request.only, loaded.file);
  const requestLog = requestLogFrom(io.env, io.cwd, io.stderr);
  const clients = createJpdClients(topology, {
    env: io.env,
    topologyPath: loaded.path,
    filePaths: new Map(loaded.files.map((f) => [f.file, f.path])),
    jpds: jpdsToRead(topology, request.jpd),
    ...(requestLog === undefined ? {} : { requestLog }),
  });
  const profiles = createJpdProfiles((name) => clients.get(name));
  return { loaded, topology, clients, profiles, request };
}

/**
 * Taken once connected and before anything is read (apply's lock, io/apply/lock.ts); returns its
 * release, which the run's `close()` calls before the clients close.
 */
export type LockHook = (connected: ConnectedTopology) => Promise<() => Promise<void>>;

/** load -> connect -> (lock) -> read -> plan. */
export async function planTopology(
  input: string | TopologyInput,
  request: PlanRequest,
  io: CliIO,
  lock?: LockHook,
): Promise<PlanRun> {
  const connected = await connectTopology(input, request, io);
  return announceScope(await withReplan(connected, io, await takeLock(connected, lock)), io);
}

/** Runs the lock hook; the clients are closed if it fails. */
export async function takeLock(
  connected: ConnectedTopology,
  lock: LockHook | undefined,
): Promise<() => Promise<void>> {
  if (lock === undefined) return () => Promise.resolve();
  try {
    return await lock(connected);
  } catch (error) {
    await connected.clients.close();
    throw error;
  }
}

/** One line on stderr when --only or --jpd narrow the plan; JSON carries `scope` as well. */
export function announceScope(run: PlanRun, io: CliIO): PlanRun {
  if (run.plan.scope !== undefined) io.stderr.write(`${scopeLine(run.plan.scope)}\n`);
  return run;
}

/**
 * read -> plan on a connected topology; `release` (a lock) and the clients are closed when the
 * run closes, or at once if reading fails.
 */
export async function withReplan(
  connected: ConnectedTopology,
  io: CliIO,
  release: () => Promise<void> = () => Promise.resolve(),
): Promise<PlanRun> {
  const close = async (): Promise<void> => {
    try {
      await release();
    } finally {
      await connected.clients.close();
    }
  };
  try {
    const { live, plan } = await replan(connected, io);
    return { ...connected, live, plan, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** fetchLiveState -> computePlan again, with the clients of a run (verification, saved plans). */
export async function replan(
  run: ConnectedTopology,
  io: CliIO,
): Promise<{ live: LiveState; plan: Plan }> {
  const { live, unreadable } = await readEachJpd(run, io);
  throwUnreadable(unreadable);
  return { live, plan: planLive(run.topology, live, run.request) };
}

/** Every JPD of a run read on its own, with progress: the readable ones, and the others' errors. */
export async function readEachJpd(
  run: ConnectedTopology,
  io: CliIO,
): Promise<{ live: LiveState; unreadable: UnreadableJpd[] }> {
  return readWithProgress(run.topology, jpdsToRead(run.topology, run.request.jpd), run.clients, io);
}

/** The pure stage: plan, refuse conflicts (positioned in the topology file), narrow to the request. */
export function planLive(topology: Topology, live: LiveState, request: PlanRequest): Plan {
  const full = computePlan(topology, live, { allowDelete: request.allowDelete });
  if (full.conflicts.length > 0) {
    const issues: Issue[] = full.conflicts.map((c) => ({
      file: c.at.file,
      line: c.at.line,
      col: c.at.col,
      severity: 'error',
      code: 'live-conflict',
      message: `${c.jpd}: ${c.message}`,
    }));
    throw new TopologyError(issues, { code: 'E_LIVE_CONFLICT' });
  }
  const narrow = scopeOf(request);
  const scope = planScope(topology, narrow);
  const plan = narrowPlan(full, narrow);
  return scope === undefined ? plan : { ...plan, scope };
}

async function readWithProgress(
  topology: Topology,
  jpds: readonly JpdSpec[],
  clients: JpdClients,
  io: CliIO,
): Promise<{ live: LiveState; unreadable: UnreadableJpd[] }> {
  const progress = createProgress(io.stderr, io.stderr.isTTY === true);
  let done = 0;
  const total = jpds.length;
  progress.status(`Reading ${total} JPDs...`);
  try {
    return await readLiveState(
      topology,
      (name) => clients.get(name),
      (event) => {
        if (event.type !== 'done') return;
        done += 1;
        progress.status(
          `Reading JPDs: ${done}/${total} (${event.jpd}: ${event.repos} federated repositories)`,
        );
      },
      jpds,
    );
  } finally {
    progress.end();
  }
}
