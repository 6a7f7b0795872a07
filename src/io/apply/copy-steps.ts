/**
 * The steps that write one copy of a repository on its own JPD (core/plan/copies.ts): its
 * project and environments, and its configSync; and the configSync that follows every
 * repository write, where the JPD has it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FedctlError, RemoteError } from '../../core/errors.js';
import type { SetProject, SyncConfiguration } from '../../core/plan/plan.js';
import { compareCodeUnits } from '../../core/topology/model.js';
import type { ArtifactoryClient } from '../artifactory/types.js';

/** How long a copy that federation creates may take to appear on its JPD. */
export const COPY_WAIT_MS = 30_000;
const COPY_POLL_MS = 200;

/**
 * `POST /api/federation/configSync/{key}` (since 7.27.6). A JPD without it answers 404 or 405:
 * the write stands, members learn of it from the write itself, and `fedctl doctor` says so.
 */
export async function configSyncWhereSupported(
  c: ArtifactoryClient,
  repoKey: string,
): Promise<void> {
  try {
    await c.configSync(repoKey);
  } catch (error) {
    if (error instanceof RemoteError && (error.status === 404 || error.status === 405)) return;
    throw error;
  }
}

/** A listed inconsistency, repaired: configSync on the JPD that lists it (here it must work). */
export async function syncConfiguration(
  action: SyncConfiguration,
  client: (jpd: string) => ArtifactoryClient,
): Promise<void> {
  await client(action.jpd).configSync(action.repoKey);
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length &&
  [...a].sort(compareCodeUnits).every((v, i) => v === [...b].sort(compareCodeUnits)[i]);

/**
 * Sets a copy's project and environments with a partial update that carries nothing else (no
 * `members`: the list stays as it is), then reads it back. A copy this apply makes federation
 * create is waited for first.
 */
export async function setProject(
  action: SetProject,
  client: (jpd: string) => ArtifactoryClient,
  waitMs = COPY_WAIT_MS,
): Promise<void> {
  const c = client(action.jpd);
  const where = `${action.jpd}: ${action.repoKey}`;
  let current = await c.getRepository(action.repoKey);
  const deadline = Date.now() + waitMs;
  while (current === undefined && action.awaitCopy === true && Date.now() < deadline) {
    await sleep(COPY_POLL_MS);
    current = await c.getRepository(action.repoKey);
  }
  if (current === undefined) {
    const why =
      action.awaitCopy === true
        ? `federation did not create this copy of ${action.of.jpd}/${action.of.repoKey} within ${String(waitMs / 1000)}s`
        : 'it no longer exists';
    throw new FedctlError(`${where}: cannot set its project: ${why}; run fedctl apply again`);
  }
  await c.updateRepository(action.repoKey, {
    rclass: 'federated',
    ...(action.project === undefined ? {} : { projectKey: action.project.to }),
    ...(action.environments === undefined ? {} : { environments: action.environments.to }),
  });
  const after = await c.getRepository(action.repoKey);
  const kept: string[] = [];
  if (action.project !== undefined && after?.projectKey !== action.project.to) {
    kept.push(`projectKey reads ${after?.projectKey ?? 'none'}, wanted ${action.project.to}`);
  }
  if (
    action.environments !== undefined &&
    !sameSet(after?.environments ?? [], action.environments.to)
  ) {
    kept.push(
      `environments read [${(after?.environments ?? []).join(', ')}], wanted [${action.environments.to.join(', ')}]`,
    );
  }
  if (kept.length > 0) {
    throw new FedctlError(`${where}: the JPD did not keep what was written: ${kept.join('; ')}`);
  }
}
