/**
 * Executes a plan. Actions become steps (one per pairing, one per repository written), steps run
 * as soon as what they depend on has succeeded, under a global cap and a per-JPD cap (config
 * writes on one Artifactory contend for its config lock). Outcomes come back as values: a step
 * that fails marks its dependents skipped, independent work goes on, only bugs throw.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { FedctlError, InternalError } from '../../core/errors.js';
import type { Outcome } from '../../core/apply/report.js';
import {
  changedDuringWriteMessage,
  changedSincePlanMessage,
  unchangedSincePlan,
  writeLanded,
} from '../../core/apply/concurrent-change.js';
import { indexLive, type LiveIndex, type LiveState } from '../../core/live/state.js';
import type { Adopt, CreateRepository, Plan, RepoChange } from '../../core/plan/plan.js';
import {
  createdRepoNotes,
  isMemberAction,
  memberWires,
  nextRepoWrite,
} from '../../core/apply/repo-update.js';
import { findJpd, memberUrl, type Topology } from '../../core/topology/model.js';
import { batchJpds, createChunkWriter, planChunks, type Chunk } from './batch.js';
import type {
  ArtifactoryClient,
  KeyedRepositoryBody,
  RepositoryConfig,
} from '../artifactory/types.js';
import { DEFAULT_HTTP_OPTIONS, type RetryPolicy } from '../http/http.js';
import { toLiveRepo } from '../live-state.js';
import { forgetRepository } from './forget.js';
import { establishPairing } from './pairing.js';
import { planSteps, type Step } from './steps.js';
import { writeWithReceivers } from './receiver-mode.js';
export { planSteps, type Step, type StepKind } from './steps.js';

export type ApplyEvent =
  | { readonly type: 'start'; readonly step: Step }
  | { readonly type: 'retry'; readonly step: Step; readonly message: string }
  | {
      readonly type: 'end';
      readonly step: Step;
      readonly status: Outcome['status'];
      readonly detail?: string;
      readonly ms: number;
    };

export interface ApplyOptions {
  /** Steps in flight at once, across all JPDs. */
  readonly parallelism: number;
  /** Steps in flight at once on one JPD. */
  readonly perJpd: number;
  /** Backoff of a pairing exchange the peer was unavailable for; the HTTP layer's numbers. */
  readonly retry?: RetryPolicy;
  readonly onEvent?: (event: ApplyEvent) => void;
  readonly now?: () => number;
  /** Once aborted, no step starts; steps in flight finish (no request is cut off mid-write). */
  readonly signal?: AbortSignal;
  /**
   * The live state the plan was computed from. A write first re-reads its repository and fails
   * the step when it differs (someone else changed it since the plan).
   */
  readonly planned?: LiveState;
  /**
   * Creates per batch request on a JPD whose version has the batch endpoint (./apply-batch.ts);
   * 0 or 1 (the default here; the CLI's is DEFAULT_BATCH_SIZE) writes every repository alone.
   */
  readonly batchSize?: number;
}

export interface ApplyResult {
  readonly outcomes: readonly Outcome[];
  readonly steps: readonly Step[];
}

export async function applyPlan(
  plan: Pick<Plan, 'actions' | 'changes'>,
  topology: Topology,
  client: (jpd: string) => ArtifactoryClient,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => undefined);
  const steps = planSteps(plan);
  const global = pLimit(options.parallelism);
  const jpdLimit = jpdLimiter(options.perJpd);
  const done = new Map<string, Promise<Outcome[]>>();
  const byId = new Map(steps.map((s) => [s.id, s]));
  const changes = new Map(plan.changes.map((c) => [`${c.jpd}/${c.repoKey}`, c]));
  const planned = options.planned === undefined ? undefined : indexLive(options.planned);
  const batchSize = options.batchSize ?? 1;
  const chunks = planChunks(steps, batchSize, await batchJpds(steps, batchSize, client));
  const chunkOf = new Map(chunks.flatMap((c) => c.steps.map((s) => [s.id, c] as const)));
  const chunkDone = new Map<string, Promise<Map<string, Outcome[]>>>();

  const { interrupted, gate } = createGate(byId, emit, options.signal);

  const dependencies = (from: string, ids: readonly string[]): Promise<Outcome[][]> =>
    Promise.all(
      ids.map((d) => {
        const dep = byId.get(d);
        if (dep === undefined) throw new InternalError(`step ${from} needs unknown ${d}`);
        return run(dep);
      }),
    );

  /** One step, inside its slots: write, then outcomes as values. */
  const attempt = async (step: Step, announce: boolean): Promise<Outcome[]> => {
    const started = now();
    if (announce) emit({ type: 'start', step });
    try {
      await execute(step, { changes, planned }, topology, client, options, emit);
      emit({ type: 'end', step, status: 'applied', ms: now() - started });
      return step.actions.map((action) => ({ status: 'applied', action }));
    } catch (error) {
      // Known failures carry JPD, method, path and status; anything else is a bug.
      if (!(error instanceof FedctlError)) throw error;
      emit({ type: 'end', step, status: 'failed', detail: error.message, ms: now() - started });
      return step.actions.map((action) => ({ status: 'failed', action, error: error.message }));
    }
  };

  const writer = createChunkWriter({
    client,
    body: (action) => createBody(topology, action),
    single: (step) => attempt(step, false),
    emit,
    now,
  });

  const runChunk = (chunk: Chunk): Promise<Map<string, Outcome[]>> => {
    const existing = chunkDone.get(chunk.id);
    if (existing !== undefined) return existing;
    const promise = (async (): Promise<Map<string, Outcome[]>> => {
      const deps = await dependencies(chunk.id, chunk.dependsOn);
      const blocked = chunk.steps.map((s) => [s, gate(s, deps)] as const);
      if (blocked.some(([, o]) => o !== undefined)) {
        return new Map(blocked.map(([s, o]) => [s.id, o ?? interrupted(s)]));
      }
      return global(() =>
        jpdLimit(chunk.jpd)(async () => {
          if (options.signal?.aborted === true) {
            return new Map(chunk.steps.map((s) => [s.id, interrupted(s)]));
          }
          for (const step of chunk.steps) emit({ type: 'start', step });
          return writer.write(chunk);
        }),
      );
    })();
    chunkDone.set(chunk.id, promise);
    return promise;
  };

  const run = (step: Step): Promise<Outcome[]> => {
    const existing = done.get(step.id);
    if (existing !== undefined) return existing;
    const chunk = chunkOf.get(step.id);
    const promise =
      chunk !== undefined
        ? runChunk(chunk).then((outcomes) => {
            const mine = outcomes.get(step.id);
            if (mine === undefined) throw new InternalError(`chunk ${chunk.id} lost ${step.id}`);
            return mine;
          })
        : (async (): Promise<Outcome[]> => {
            const blocked = gate(step, await dependencies(step.id, step.dependsOn));
            if (blocked !== undefined) return blocked;
            return global(() =>
              jpdLimit(step.jpd)(() =>
                // Checked again here: the step may have waited in the queue while the signal came.
                options.signal?.aborted === true
                  ? Promise.resolve(interrupted(step))
                  : attempt(step, true),
              ),
            );
          })();
    done.set(step.id, promise);
    return promise;
  };

  const outcomes = (await Promise.all(steps.map(run))).flat();
  // Report in plan order, whatever order the steps finished in.
  const order = new Map(plan.actions.map((a, i) => [a.id, i]));
  outcomes.sort((a, b) => (order.get(a.action.id) ?? 0) - (order.get(b.action.id) ?? 0));
  return { outcomes, steps };
}

/**
 * `interrupted`: the outcomes of a step that will not start. `gate`: those of a step that must not
 * run (interrupted, or a dependency did not succeed), else undefined.
 */
function createGate(
  byId: ReadonlyMap<string, Step>,
  emit: (event: ApplyEvent) => void,
  signal: AbortSignal | undefined,
): {
  interrupted: (step: Step) => Outcome[];
  gate: (step: Step, deps: readonly Outcome[][]) => Outcome[] | undefined;
} {
  const interrupted = (step: Step): Outcome[] => {
    emit({ type: 'end', step, status: 'interrupted', ms: 0 });
    return step.actions.map((action) => ({ status: 'interrupted', action }));
  };
  const gate = (step: Step, deps: readonly Outcome[][]): Outcome[] | undefined => {
    if (signal?.aborted === true) return interrupted(step);
    const failedDep = step.dependsOn.find((_, i) => deps[i]?.some((o) => o.status !== 'applied'));
    if (failedDep === undefined) return undefined;
    const reason = `needs ${byId.get(failedDep)?.title ?? failedDep}, which did not succeed`;
    emit({ type: 'end', step, status: 'skipped', detail: reason, ms: 0 });
    return step.actions.map((action) => ({ status: 'skipped', action, reason }));
  };
  return { interrupted, gate };
}

/** One concurrency cap per JPD, made on first use. */
function jpdLimiter(perJpd: number): (jpd: string) => LimitFunction {
  const limits = new Map<string, LimitFunction>();
  return (jpd) => {
    let limit = limits.get(jpd);
    if (limit === undefined) {
      limit = pLimit(perJpd);
      limits.set(jpd, limit);
    }
    return limit;
  };
}

/** What the plan saw: its member lists, and the live state it was computed from. */
interface PlanView {
  readonly changes: ReadonlyMap<string, RepoChange>;
  readonly planned: LiveIndex | undefined;
}

async function execute(
  step: Step,
  view: PlanView,
  topology: Topology,
  client: (jpd: string) => ArtifactoryClient,
  options: ApplyOptions,
  emit: (event: ApplyEvent) => void,
): Promise<void> {
  const first = step.actions[0];
  if (first === undefined) throw new InternalError(`step ${step.id} has no actions`);
  switch (first.type) {
    case 'establish-pairing':
      return establishPairing(first, {
        client,
        retry: options.retry ?? DEFAULT_HTTP_OPTIONS.retry,
        onRetry: (message) => {
          emit({ type: 'retry', step, message });
        },
      });
    case 'delete-repository':
      await readUnchanged(client(first.jpd), first.jpd, first.repoKey, view.planned);
      return client(first.jpd).deleteRepository(first.repoKey);
    case 'adopt':
      return adoptRepository(first, view, topology, client);
    case 'forget-repository':
      return forgetRepository(client(first.jpd), first.repoKey);
    case 'convert-to-federated':
      // First in its step (ACTION_TYPES order): the member write below needs a federated repo.
      await client(first.jpd).convertToFederated(first.repoKey);
      return updateRepository(step, view, topology, client);
    case 'create-repository': {
      const c = client(first.jpd);
      const body = createBody(topology, first);
      await writeWithReceivers(c, first.repoKey, body.members, () =>
        c.createRepository(first.repoKey, body),
      );
      // Members are told of the new configuration (the Terraform provider does the same, #825).
      await c.configSync(first.repoKey);
      return;
    }
    default:
      return updateRepository(step, view, topology, client);
  }
}

/** A create's request body, the same for a batch item and a single create. */
function createBody(topology: Topology, action: CreateRepository): KeyedRepositoryBody {
  return {
    key: action.repoKey,
    rclass: 'federated',
    packageType: action.packageType,
    ...(action.description === undefined ? {} : { description: action.description }),
    members: memberWires(action.members),
    notes: createdRepoNotes(
      action.members,
      selfUrl(topology, action.jpd, action.repoKey),
      isProtected(topology, action),
    ),
  };
}

/** The repository as it is now, refused when it is not as the plan saw it. */
async function readUnchanged(
  c: ArtifactoryClient,
  jpd: string,
  repoKey: string,
  planned: LiveIndex | undefined,
): Promise<RepositoryConfig> {
  const current = await c.getRepository(repoKey);
  if (current === undefined) {
    throw new FedctlError(`${jpd}: repository ${repoKey} no longer exists; run fedctl plan again`);
  }
  const before = planned?.repo(jpd, repoKey);
  if (before !== undefined && !unchangedSincePlan(before, toLiveRepo(current))) {
    throw new FedctlError(changedSincePlanMessage(jpd, repoKey));
  }
  return current;
}

async function updateRepository(
  step: Step,
  { changes, planned }: PlanView,
  topology: Topology,
  client: (jpd: string) => ArtifactoryClient,
): Promise<void> {
  const first = step.actions[0];
  if (first === undefined || first.type === 'establish-pairing') {
    throw new InternalError(`step ${step.id} is not a repository update`);
  }
  const { jpd, repoKey } = first;
  const c = client(jpd);
  // A `members` array replaces the whole list, so the write starts from the list as it is now,
  // and only when that is still the list the plan was computed from.
  const current = await readUnchanged(c, jpd, repoKey, planned);
  const change = changes.get(`${jpd}/${repoKey}`);
  const write = nextRepoWrite(
    toLiveRepo(current),
    step.actions.filter(isMemberAction),
    change,
    selfUrl(topology, jpd, repoKey),
    isProtected(topology, first),
  );
  const update = step.actions.find((a) => a.type === 'update-repository');
  const description =
    update?.description === undefined ? {} : { description: update.description.to };
  const members = memberWires(write.members, current.members ?? []);
  // Read back: a write by someone else between our read and our write would have replaced ours.
  const landed = (live: RepositoryConfig | undefined): void => {
    const written = { members: write.members, notes: write.notes, ...description };
    if (live === undefined || !writeLanded(written, toLiveRepo(live))) {
      throw new FedctlError(changedDuringWriteMessage(jpd, repoKey));
    }
  };
  const checked = await writeWithReceivers(
    c,
    repoKey,
    members,
    () =>
      c.updateRepository(repoKey, {
        rclass: 'federated',
        members,
        notes: write.notes,
        ...description,
      }),
    landed,
  );
  // The receiver check reads the repository back only when a member is a receiver.
  if (checked === undefined) landed(await c.getRepository(repoKey));
  await c.configSync(repoKey);
}

/**
 * Writes fedctl's record and nothing else: no `members` field (it would replace the whole list),
 * no configSync. The record names the declared members as they are live right now.
 */
async function adoptRepository(
  action: Adopt,
  { planned }: PlanView,
  topology: Topology,
  client: (jpd: string) => ArtifactoryClient,
): Promise<void> {
  const c = client(action.jpd);
  const current = await readUnchanged(c, action.jpd, action.repoKey, planned);
  const { notes } = nextRepoWrite(
    toLiveRepo(current),
    [],
    { after: action.members },
    selfUrl(topology, action.jpd, action.repoKey),
    isProtected(topology, action),
  );
  await c.updateRepository(action.repoKey, { notes });
}

/** The topology's `protect` for a repository: recorded with every write (see LastApplied). */
function isProtected(topology: Topology, at: { jpd: string; repoKey: string }): boolean {
  return topology.repos.some(
    (r) => r.source === at.jpd && r.key === at.repoKey && r.protect === true,
  );
}

function selfUrl(topology: Topology, jpd: string, repoKey: string): string {
  const spec = findJpd(topology, jpd);
  if (spec === undefined) throw new InternalError(`JPD "${jpd}" is not in the topology`);
  return memberUrl(spec.url, repoKey);
}
