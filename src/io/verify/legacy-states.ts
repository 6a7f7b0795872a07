/**
 * The legacy engine's status reads for one source JPD (core/verify/legacy.ts judges them), with
 * the request budget JFrog's warning asks for ("a high impact on the database"):
 *   - one `GET /api/federation/state` per call (per poll);
 *   - `status/repo` only for the repositories it leaves undecided: v2, and v1 from the first v2
 *     that answers 404 while v1 answers (kept in `legacyApis` for the next polls);
 *   - for `full`, one `GET /api/federation/status/mirrorsLag` for the lag of every mirror.
 * `none` when federation/state answers 404 or 405: the JPD reports through neither engine.
 */
import pLimit from 'p-limit';
import { FedctlError, RemoteError, type FedctlErrorCode } from '../../core/errors.js';
import type { RepoStates } from '../../core/verify/federation-health.js';
import {
  judgeLegacyState,
  type LegacyMirror,
  type LegacyStateEntry,
} from '../../core/verify/legacy.js';
import type { RepoSpec, Topology } from '../../core/topology/model.js';
import type { LegacyFederationApi, LegacyRepoStatus } from '../artifactory/types.js';

/** The status endpoints fedctl reads, for counting requests. */
export type StatusEndpoint =
  'stateList' | 'connectionStates' | 'federationState' | 'repoStatus' | 'mirrorsLag';

/** What the legacy reads take of readFederationStates' options. */
export interface LegacyReadOptions {
  readonly detail: 'triage' | 'full';
  readonly concurrency?: number;
  readonly onRequest?: (jpd: string, endpoint: StatusEndpoint) => void;
  /** The legacy `status/repo` version each JPD answers (`v2` until it answers 404). */
  readonly legacyApis?: Map<string, 'v1' | 'v2'>;
}

const statusOf = (error: unknown): number | undefined =>
  error instanceof RemoteError ? error.status : undefined;

export async function readLegacy(
  topology: Topology,
  jpd: string,
  specs: readonly RepoSpec[],
  api: LegacyFederationApi,
  options: LegacyReadOptions,
): Promise<Map<RepoSpec, RepoStates> | 'none'> {
  const out = new Map<RepoSpec, RepoStates>();
  options.onRequest?.(jpd, 'federationState');
  let entries: LegacyStateEntry[];
  try {
    entries = await api.federationSyncState();
  } catch (error) {
    if (!(error instanceof FedctlError)) throw error;
    const status = statusOf(error);
    if (status === 404 || status === 405) return 'none';
    for (const s of specs) {
      out.set(s, {
        kind: 'error',
        source: jpd,
        repoKey: s.key,
        error: error.message,
        code: error.code,
      });
    }
    return out;
  }
  const byKey = new Map(entries.map((e) => [e.localRepoKey.toLowerCase(), e]));
  const lags = options.detail === 'full' ? await mirrorsLag(jpd, api, options) : undefined;
  const undecided: { spec: RepoSpec; entry?: LegacyStateEntry; why: string }[] = [];
  for (const spec of specs) {
    const entry = byKey.get(spec.key.toLowerCase());
    const verdict = judgeLegacyState(topology, spec, entry);
    if (verdict.healthy && entry !== undefined) {
      const mine = lags?.filter((l) => l.localRepoKey.toLowerCase() === spec.key.toLowerCase());
      out.set(spec, {
        kind: 'legacy-state',
        source: jpd,
        repoKey: spec.key,
        entry,
        ...(mine === undefined
          ? {}
          : { lags: mine.map((l) => ({ ...l, status: entry.status, pendingEvents: 0 })) }),
      });
    } else {
      undecided.push({
        spec,
        ...(entry === undefined ? {} : { entry }),
        why: verdict.healthy ? '' : verdict.why,
      });
    }
  }
  const limit = pLimit(options.concurrency ?? 4);
  await Promise.all(
    undecided.map(({ spec, entry, why }) =>
      limit(async () => {
        const read = await repoStatus(jpd, spec.key, api, options);
        if (read.kind === 'unknown') {
          out.set(spec, {
            kind: 'unavailable',
            source: jpd,
            repoKey: spec.key,
            reason: `the legacy federation status on ${jpd} knows no repository ${spec.key} (404)`,
            cause: 'no-status',
          });
        } else if (read.kind === 'error') {
          out.set(spec, {
            kind: 'error',
            source: jpd,
            repoKey: spec.key,
            error: read.message,
            code: read.code,
          });
        } else {
          out.set(spec, {
            kind: 'legacy-repo',
            source: jpd,
            repoKey: spec.key,
            ...(entry === undefined ? {} : { state: entry.status }),
            mirrors: read.status.mirrors,
            ...(why === '' ? {} : { why }),
          });
        }
      }),
    ),
  );
  return out;
}

/** v2 until this JPD answers 404 for it where v1 answers; `unknown` when both say 404. */
async function repoStatus(
  jpd: string,
  key: string,
  api: LegacyFederationApi,
  options: LegacyReadOptions,
): Promise<
  | { kind: 'ok'; status: LegacyRepoStatus }
  | { kind: 'unknown' }
  | { kind: 'error'; message: string; code: FedctlErrorCode }
> {
  const apis = options.legacyApis;
  const first = apis?.get(jpd) ?? 'v2';
  for (const version of first === 'v2' ? (['v2', 'v1'] as const) : (['v1'] as const)) {
    options.onRequest?.(jpd, 'repoStatus');
    try {
      const status = await api.legacyRepositoryStatus(key, version);
      apis?.set(jpd, version);
      return { kind: 'ok', status };
    } catch (error) {
      if (!(error instanceof FedctlError)) throw error;
      if (statusOf(error) !== 404) {
        return { kind: 'error', message: error.message, code: error.code };
      }
    }
  }
  return { kind: 'unknown' };
}

async function mirrorsLag(
  jpd: string,
  api: LegacyFederationApi,
  options: LegacyReadOptions,
): Promise<
  (Omit<LegacyMirror, 'status' | 'pendingEvents'> & { localRepoKey: string })[] | undefined
> {
  options.onRequest?.(jpd, 'mirrorsLag');
  try {
    return await api.mirrorsLag();
  } catch (error) {
    // The numbers are a bonus: without them the state alone is judged.
    if (error instanceof FedctlError) return undefined;
    throw error;
  }
}
