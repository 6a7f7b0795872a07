/**
 * One step's writes: a pairing, a create, a delete, an adoption, a forget, a copy's project or
 * configSync, or a repository's members and record rewritten from the list as it is now. Every write first checks the repository is still
 * as the plan saw it, and reads back what it wrote.
 */
import { FedctlError, InternalError } from '../../core/errors.js';
import type { Outcome } from '../../core/apply/report.js';
import {
  changedDuringWriteMessage,
  changedSincePlanMessage,
  unchangedSincePlan,
  writeLanded,
} from '../../core/apply/concurrent-change.js';
import type { LiveIndex } from '../../core/live/state.js';
import type { Adopt, CreateRepository, RepoChange } from '../../core/plan/plan.js';
import {
  createdRepoNotes,
  isMemberAction,
  memberWires,
  nextRepoWrite,
} from '../../core/apply/repo-update.js';
import { findJpd, memberUrl, type Topology } from '../../core/topology/model.js';
import type {
  ArtifactoryClient,
  KeyedRepositoryBody,
  RepositoryConfig,
} from '../artifactory/types.js';
import { DEFAULT_HTTP_OPTIONS } from '../http/http.js';
import { toLiveRepo } from '../live-state.js';
import { configSyncWhereSupported, setProject, syncConfiguration } from './copy-steps.js';
import { forgetRepository } from './forget.js';
import { establishPairing } from './pairing.js';
import type { Step } from './steps.js';
import { writeWithReceivers } from './receiver-mode.js';
import type { ApplyEvent, ApplyOptions } from './types.js';

/** What a step's writes need: the topology, the clients, the plan's view, where events go. */
export interface StepContext {
  readonly topology: Topology;
  readonly client: (jpd: string) => ArtifactoryClient;
  readonly options: ApplyOptions;
  readonly view: PlanView;
  readonly emit: (event: ApplyEvent) => void;
  readonly now: () => number;
}

/** One step, inside its slots: write, then outcomes as values. */
export function createStepAttempt(
  ctx: StepContext,
): (step: Step, announce: boolean) => Promise<Outcome[]> {
  const { topology, client, options, view, emit, now } = ctx;
  return async (step, announce) => {
    const started = now();
    if (announce) emit({ type: 'start', step });
    try {
      await execute(step, view, topology, client, options, emit);
      emit({ type: 'end', step, status: 'applied', ms: now() - started });
      return step.actions.map((action) => ({ status: 'applied', action }));
    } catch (error) {
      // Known failures carry JPD, method, path and status; anything else is a bug.
      if (!(error instanceof FedctlError)) throw error;
      emit({ type: 'end', step, status: 'failed', detail: error.message, ms: now() - started });
      const { message, code } = error;
      return step.actions.map((action) => ({
        status: 'failed',
        action,
        error: message,
        errorCode: code,
      }));
    }
  };
}

/** What the plan saw: its member lists, and the live state it was computed from. */
export interface PlanView {
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
    case 'set-project':
      return setProject(first, client);
    case 'sync-configuration':
      return syncConfiguration(first, client);
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
      // Members are told of the new configuration (terraform-provider-artifactory#825 does the same).
      await configSyncWhereSupported(c, first.repoKey);
      return;
    }
    default:
      return updateRepository(step, view, topology, client);
  }
}

/** A create's request body, the same for a batch item and a single create. */
export function createBody(topology: Topology, action: CreateRepository): KeyedRepositoryBody {
  return {
    key: action.repoKey,
    rclass: 'federated',
    packageType: action.packageType,
    ...(action.description === undefined ? {} : { description: action.description }),
    ...(action.project === undefined ? {} : { projectKey: action.project }),
    ...(action.environments === undefined ? {} : { environments: action.environments }),
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
    throw new FedctlError(`${jpd}: repository ${repoKey} no longer exists; run fedctl plan again`, {
      code: 'E_PLAN_STALE',
    });
  }
  const before = planned?.repo(jpd, repoKey);
  if (before !== undefined && !unchangedSincePlan(before, toLiveRepo(current))) {
    throw new FedctlError(changedSincePlanMessage(jpd, repoKey), { code: 'E_PLAN_STALE' });
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
      throw new FedctlError(changedDuringWriteMessage(jpd, repoKey), {
        code: 'E_CONCURRENT_CHANGE',
      });
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
  await configSyncWhereSupported(c, repoKey);
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
