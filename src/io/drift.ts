/**
 * The nightly check and the operator's status table, read-only: connect -> read every JPD (one
 * batch read each, io/pipeline.ts) -> plan -> read the federation status endpoints of the managed
 * repositories (io/verify/federation-states.ts) -> the pure results of core/drift/drift.ts and core/drift/status.ts.
 * Neither sends a write request.
 */
import {
  computeDrift,
  FINDING_KINDS,
  healthSpecs,
  type DriftResult,
  type FindingKind,
} from '../core/drift/drift.js';
import type { UnreadableJpd } from '../core/drift/unreadable.js';
import { commonCode, type FedctlErrorCode } from '../core/errors.js';
import type { HealthThresholds, RepoStates } from '../core/verify/federation-health.js';
import type { CliIO } from '../core/io-types.js';
import type { LiveState } from '../core/live/state.js';
import { narrowPlan } from '../core/plan/narrow.js';
import { computePlan } from '../core/plan/plan.js';
import { computeStatus, type StatusResult } from '../core/drift/status.js';
import type { Topology } from '../core/topology/model.js';
import { readFederationStates } from './verify/federation-states.js';
import { connectTopology, planLive, readEachJpd, type ConnectedTopology } from './pipeline.js';
import { createProgress } from './terminal/progress.js';
import type { TopologyInput } from './topology-loader.js';
import { writeFileAtomic } from './write-file.js';
import { scopeOf, type Scope } from '../core/plan/scope.js';

export interface HealthRequest extends Scope {
  readonly thresholds: HealthThresholds;
  /** The time of the read; defaults to the clock. */
  readonly now?: () => Date;
}

export interface DriftRequest extends HealthRequest {
  readonly failOn: readonly FindingKind[];
}

export async function runDrift(
  input: string | TopologyInput,
  request: DriftRequest,
  io: CliIO,
): Promise<{ result: DriftResult; topology: Topology }> {
  const connected = await connectTopology(input, planRequest(request), io);
  try {
    const readAt = (request.now ?? (() => new Date()))().toISOString();
    const { live, unreadable } = await readEachJpd(connected, io);
    const plan = planLive(connected.topology, live, connected.request);
    const health = await readHealth(connected, live, 'triage', request, io);
    const result = computeDrift({
      file: connected.loaded.file,
      topology: connected.topology,
      live,
      plan,
      states: health.states,
      thresholds: request.thresholds,
      failOn: request.failOn,
      readAt,
      unreadable: [...unreadable, ...health.unreadable],
      ...scopeOf(request),
    });
    return { result, topology: connected.topology };
  } finally {
    await connected.clients.close();
  }
}

/** What the status page shows: the status table, the drift and pending findings, the topology. */
export interface StatusReport {
  readonly status: StatusResult;
  readonly drift: DriftResult;
  readonly topology: Topology;
}

/**
 * `status` reads every JPD once (the live modes, and which members exist) and every managed
 * repository's connectionStates: the table shows each direction's state, lag and queue, which
 * stateList does not carry. The drift and pending findings of the same reading come along for
 * the status page; they are planned without refusing conflicts, so a conflict in the topology
 * hides neither the table nor the page.
 */
export async function runStatus(
  input: string | TopologyInput,
  request: HealthRequest,
  io: CliIO,
): Promise<StatusReport> {
  const connected = await connectTopology(input, planRequest(request), io);
  try {
    const readAt = (request.now ?? (() => new Date()))().toISOString();
    const { topology } = connected;
    const read = await readEachJpd(connected, io);
    const { live } = read;
    const health = await readHealth(connected, live, 'full', request, io);
    const scope = scopeOf(request);
    const plan = narrowPlan(computePlan(topology, live, { allowDelete: false }), scope);
    const common = {
      file: connected.loaded.file,
      topology,
      live,
      states: health.states,
      readAt,
      unreadable: [...read.unreadable, ...health.unreadable],
      ...scope,
    };
    return {
      status: computeStatus({ ...common, thresholds: request.thresholds }),
      drift: computeDrift({
        ...common,
        plan,
        thresholds: request.thresholds,
        failOn: FINDING_KINDS,
      }),
      topology,
    };
  } finally {
    await connected.clients.close();
  }
}

function planRequest(request: HealthRequest): ConnectedTopology['request'] {
  return { allowDelete: false, ...scopeOf(request) };
}

/**
 * The status readings of every managed repository in scope that exists on its source. One look,
 * no polling: a read that failed (other than 404/405) leaves that repository's health unknown and
 * makes its source JPD a finding of its own (one per JPD, with the first error).
 */
async function readHealth(
  run: Pick<ConnectedTopology, 'topology' | 'clients'>,
  live: LiveState,
  detail: 'triage' | 'full',
  request: HealthRequest,
  io: CliIO,
): Promise<{ states: RepoStates[]; unreadable: UnreadableJpd[] }> {
  const topology: Topology = run.topology;
  const specs = healthSpecs(topology, live, scopeOf(request));
  const progress = createProgress(io.stderr, io.stderr.isTTY === true);
  let reads = 0;
  progress.status(`Reading the federation status of ${specs.length} repositories...`);
  let states: RepoStates[];
  try {
    states = await readFederationStates(topology, specs, (n) => run.clients.get(n), {
      detail,
      onRequest: () => {
        reads += 1;
        progress.status(`Reading the federation status: ${reads} requests`);
      },
    });
  } finally {
    progress.end();
  }
  const failed = new Map<string, { error: string; code: FedctlErrorCode }[]>();
  for (const s of states) {
    if (s.kind !== 'error') continue;
    failed.set(s.source, [
      ...(failed.get(s.source) ?? []),
      { error: s.error, code: s.code ?? 'E_REMOTE' },
    ]);
  }
  const unreadable = [...failed].map(([jpd, errors]): UnreadableJpd => ({
    jpd,
    error:
      errors.length === 1
        ? (errors[0]?.error ?? '')
        : `${errors[0]?.error ?? ''} (and ${errors.length - 1} more repositories whose federation status could not be read)`,
    code: commonCode(errors, 'E_REMOTE'),
  }));
  return { states, unreadable };
}

/** A report file (JUnit) written whole (./write-file.ts). */
export async function writeReport(file: string, cwd: string, text: string): Promise<void> {
  await writeFileAtomic(file, cwd, text);
}
