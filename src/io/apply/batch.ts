/**
 * Batch creates: create steps on a JPD whose version has `PUT
 * /api/v2/repositories/batch` (Artifactory 7.84.3 and later, JFrog's "Create Multiple
 * Repositories") are written in chunks, one request per chunk instead of one per repository.
 *
 * - The version comes from `GET /api/system/version`, read once per JPD and only when that JPD has
 *   at least two creates to make. A JPD that cannot say (an error) is written per repository.
 * - A chunk holds creates of one JPD that wait for the same pairings, so it starts exactly when
 *   each of its repositories could have started alone.
 * - The batch is all or nothing (JFrog: "if one of the repository configurations is invalid, the
 *   entire batch request will fail"). Any failure (a 400, a 409 for a key that exists, a 404 from a
 *   JPD without the endpoint, config-lock after retries) falls back to per-repository writes for
 *   that chunk, one after another, so one bad repository fails alone and the others apply.
 * - Receiver read-back: whether a JPD keeps `mode: receiver` is a property of its
 *   version, not of a repository, so after a batch one repository with a receiver member is read
 *   back, once per JPD (chunks in flight at once share it); a JPD that dropped the mode fails
 *   every chunk, every repository in them having been written the same way.
 * - No `configSync` after a batch: it would be one request per repository, the cost the batch
 *   exists to avoid. A create propagates the configuration to the members by itself, which is
 *   what `configSync` repeats; the verification after apply polls every member and reports one
 *   that did not get it. `--batch-size 1` restores the per-repository path, `configSync` included.
 */
import { FedctlError } from '../../core/errors.js';
import type { Outcome } from '../../core/apply/report.js';
import type { CreateRepository } from '../../core/plan/plan.js';
import type { Step } from './steps.js';
import type { ApplyEvent } from './types.js';
import type { ArtifactoryClient, KeyedRepositoryBody } from '../artifactory/types.js';
import { writeWithReceivers } from './receiver-mode.js';
import { DEFAULTS } from '../../core/cli/defaults.js';
import { SINCE, versionAtLeast } from '../../core/doctor/version.js';

/** Repositories per batch request unless `--batch-size` says otherwise. */
export const DEFAULT_BATCH_SIZE = Number(DEFAULTS['batch-size']);

/** JFrog REST API, Create Multiple Repositories: "Since: 7.84.3". */
export const BATCH_CREATE_SINCE = SINCE.batchCreate;

/** A group of create steps written by one batch request. */
export interface Chunk {
  readonly id: string;
  readonly jpd: string;
  readonly steps: readonly Step[];
  /** The union of its steps' dependencies (they are equal by construction). */
  readonly dependsOn: readonly string[];
}

/** A step that is one create and nothing else. */
function createOf(step: Step): CreateRepository | undefined {
  const [first, ...rest] = step.actions;
  return rest.length === 0 && first?.type === 'create-repository' ? first : undefined;
}

export { versionAtLeast } from '../../core/doctor/version.js';

/**
 * The JPDs whose creates go in batches: those with at least two create steps whose version has
 * the endpoint. One version read per such JPD, all at once.
 */
export async function batchJpds(
  steps: readonly Step[],
  size: number,
  client: (jpd: string) => ArtifactoryClient,
  versionOf: (jpd: string) => Promise<string | undefined> = async (jpd) =>
    (await client(jpd).version()).version,
): Promise<ReadonlySet<string>> {
  if (size < 2) return new Set();
  const creates = new Map<string, number>();
  for (const s of steps)
    if (createOf(s) !== undefined) creates.set(s.jpd, (creates.get(s.jpd) ?? 0) + 1);
  const candidates = [...creates].filter(([, n]) => n >= 2).map(([jpd]) => jpd);
  const verdicts = await Promise.all(
    candidates.map(async (jpd) => {
      try {
        const version = await versionOf(jpd);
        return version !== undefined && versionAtLeast(version, BATCH_CREATE_SINCE);
      } catch (error) {
        // Unreachable or refused: the per-repository writes will say why, step by step.
        if (error instanceof FedctlError) return false;
        throw error;
      }
    }),
  );
  return new Set(candidates.filter((_, i) => verdicts[i] === true));
}

/** Create steps of the given JPDs in chunks of at most `size`, by JPD and dependencies. */
export function planChunks(
  steps: readonly Step[],
  size: number,
  jpds: ReadonlySet<string>,
): Chunk[] {
  const groups = new Map<string, Step[]>();
  for (const s of steps) {
    if (!jpds.has(s.jpd) || createOf(s) === undefined) continue;
    const id = `${s.jpd}\u0000${[...s.dependsOn].sort().join('\u0000')}`;
    groups.set(id, [...(groups.get(id) ?? []), s]);
  }
  const chunks: Chunk[] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += size) {
      const part = group.slice(i, i + size);
      const [first] = part;
      if (first === undefined || part.length < 2) continue;
      chunks.push({
        id: `batch:${first.jpd}/${chunks.length}`,
        jpd: first.jpd,
        steps: part,
        dependsOn: first.dependsOn,
      });
    }
  }
  return chunks;
}

export interface ChunkWriter {
  /** Writes a chunk (its steps already started); outcomes per step, in the chunk's order. */
  write(chunk: Chunk): Promise<Map<string, Outcome[]>>;
}

/**
 * `body` builds a create's request body (the same one the per-repository path sends); `single`
 * runs one step the per-repository way and reports its outcomes (the fallback).
 */
export function createChunkWriter(deps: {
  readonly client: (jpd: string) => ArtifactoryClient;
  readonly body: (action: CreateRepository) => KeyedRepositoryBody;
  readonly single: (step: Step) => Promise<Outcome[]>;
  readonly emit: (event: ApplyEvent) => void;
  readonly now: () => number;
}): ChunkWriter {
  // One read-back per JPD: chunks in flight at once wait for the same one.
  const modeChecks = new Map<string, Promise<void>>();
  const checkModes = (jpd: string, bodies: readonly KeyedRepositoryBody[]): Promise<void> => {
    const known = modeChecks.get(jpd);
    if (known !== undefined) return known;
    const sample = bodies.find((b) => b.members.some((m) => m.mode === 'receiver'));
    if (sample === undefined) return Promise.resolve();
    // The write is already done (the batch); writeWithReceivers reads back and checks the modes.
    const check = writeWithReceivers(deps.client(jpd), sample.key, sample.members, () =>
      Promise.resolve(),
    ).then(() => undefined);
    modeChecks.set(jpd, check);
    return check;
  };
  return {
    async write(chunk) {
      const started = deps.now();
      const out = new Map<string, Outcome[]>();
      const bodies = chunk.steps.flatMap((s) => {
        const create = createOf(s);
        return create === undefined ? [] : [deps.body(create)];
      });
      try {
        await deps.client(chunk.jpd).createRepositories(bodies);
      } catch (error) {
        if (!(error instanceof FedctlError)) throw error;
        for (const step of chunk.steps) {
          deps.emit({
            type: 'retry',
            step,
            message: `batch refused, written alone: ${error.message}`,
          });
          out.set(step.id, await deps.single(step));
        }
        return out;
      }
      let failure: FedctlError | undefined;
      try {
        await checkModes(chunk.jpd, bodies);
      } catch (error) {
        if (!(error instanceof FedctlError)) throw error;
        failure = error;
      }
      const ms = deps.now() - started;
      for (const step of chunk.steps) {
        if (failure === undefined) {
          deps.emit({ type: 'end', step, status: 'applied', ms });
          out.set(
            step.id,
            step.actions.map((action) => ({ status: 'applied', action })),
          );
        } else {
          const { message, code } = failure;
          deps.emit({ type: 'end', step, status: 'failed', detail: message, ms });
          out.set(
            step.id,
            step.actions.map((action) => ({
              status: 'failed',
              action,
              error: message,
              errorCode: code,
            })),
          );
        }
      }
      return out;
    },
  };
}
