import { createHash } from 'node:crypto';
import { formatIssue, TopologyError, type Issue } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { fingerprintInputs } from '../core/fingerprint.js';
import type { LiveState } from '../core/live.js';
import { narrowPlan } from '../core/narrow.js';
import { computePlan, type Plan } from '../core/plan.js';
import type { PlanSources } from '../core/render-json.js';
import type { Topology } from '../core/topology.js';
import { createJpdClients, type JpdClients } from './jpd-clients.js';
import { fetchLiveState } from './live-state.js';
import { createProgress } from './progress.js';
import { loadTopology, requireTopology, type LoadedTopology } from './topology-loader.js';

export interface PlanRequest {
  readonly allowDelete: boolean;
  readonly only?: string;
  readonly jpd?: string;
}

export interface PlanRun {
  readonly loaded: LoadedTopology;
  readonly topology: Topology;
  readonly clients: JpdClients;
  readonly live: LiveState;
  readonly plan: Plan;
  readonly sources: PlanSources;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Loads the topology (an unset token is an error here), reads every JPD, computes the plan. */
export async function loadTopologyForRemote(file: string, io: CliIO): Promise<LoadedTopology> {
  const loaded = await loadTopology(file, { cwd: io.cwd, env: io.env, unsetEnv: 'error' });
  for (const issue of loaded.issues) {
    if (issue.severity === 'warning') io.stderr.write(`${formatIssue(issue)}\n`);
  }
  requireTopology(loaded);
  return loaded;
}

export async function planFromTopology(
  loaded: LoadedTopology,
  request: PlanRequest,
  io: CliIO,
): Promise<PlanRun> {
  const topology = requireTopology(loaded);
  const clients = createJpdClients(topology, {
    env: io.env,
    topologyPath: loaded.path,
  });
  try {
    const live = await readLive(topology, clients, io);
    return { ...planLive(loaded, topology, live, request), clients };
  } catch (error) {
    await clients.close();
    throw error;
  }
}

export async function readLive(
  topology: Topology,
  clients: JpdClients,
  io: CliIO,
): Promise<LiveState> {
  const progress = createProgress(io.stderr, io.stderr.isTTY === true);
  let done = 0;
  const total = topology.jpds.length;
  progress.status(`Reading ${total} JPDs...`);
  try {
    return await fetchLiveState(
      topology,
      (name) => clients.get(name),
      (event) => {
        if (event.type === 'done') {
          done += 1;
          progress.status(
            `Reading JPDs: ${done}/${total} (${event.jpd}: ${event.repos} federated repositories)`,
          );
        }
      },
    );
  } finally {
    progress.end();
  }
}

/** The pure part, once the live state is in hand: plan, refuse conflicts, narrow, fingerprint. */
export function planLive(
  loaded: LoadedTopology,
  topology: Topology,
  live: LiveState,
  request: PlanRequest,
): {
  loaded: LoadedTopology;
  topology: Topology;
  live: LiveState;
  plan: Plan;
  sources: PlanSources;
} {
  const full = computePlan(topology, live, { allowDelete: request.allowDelete });
  if (full.conflicts.length > 0) {
    const issues: Issue[] = full.conflicts.map((c) => ({
      file: loaded.file,
      line: c.at.line,
      col: c.at.col,
      severity: 'error',
      code: 'live-conflict',
      message: `${c.jpd}: ${c.message}`,
    }));
    throw new TopologyError(issues);
  }
  const plan = narrowPlan(full, {
    ...(request.only === undefined ? {} : { only: request.only }),
    ...(request.jpd === undefined ? {} : { jpd: request.jpd }),
  });
  const fingerprints = Object.fromEntries(
    Object.entries(fingerprintInputs(topology, live)).map(([id, text]) => [id, sha256(text)]),
  );
  const sources: PlanSources = {
    topology: { file: loaded.file, sha256: sha256(loaded.text) },
    fingerprints,
    options: {
      allowDelete: request.allowDelete,
      ...(request.only === undefined ? {} : { only: request.only }),
      ...(request.jpd === undefined ? {} : { jpd: request.jpd }),
    },
  };
  return { loaded, topology, live, plan, sources };
}
