/**
 * Reads the federation status endpoints for a set of repositories, with the fewest calls:
 *
 *   readFederationStates(topology, specs, client, { detail: 'triage' })
 *
 * - `triage` (drift, and the verifier's next poll): one `GET …/status/stateList` per source JPD
 *   decides which repositories still need a look (core/verify/connection-check.ts `judgeStateList`);
 *   `GET …/status/connectionStates/{key}` only for those that stateList does not show healthy and
 *   out of lag, or does not list, and for every repository of a JPD whose stateList failed
 *   (a version without it, a proxy refusing it). stateList carries no lag or queue numbers, only
 *   `inLag`: a repository it shows HEALTHY and not in lag is taken to be within the thresholds.
 * - `full` (the status table): `connectionStates` for every repository, no stateList.
 *
 * A 405 (JFrog's OpenAPI for these operations: "405 Method Not Allowed - RTFS is not enabled")
 * means the JPD runs the legacy engine, or none that reports: its other repositories are not asked
 * there, and the legacy endpoints are read instead (`readLegacy` below): one `GET
 * /api/federation/state`, then `status/repo` (v2, else v1) only for what it leaves undecided,
 * plus one `mirrorsLag` for `full`. Where those answer 404 (or 405) too, the JPD is marked
 * "federation service not enabled". What a JPD turned out to run is kept in `engines` across
 * polls, so the next poll goes straight to the endpoints that answer. A 404 from connectionStates means the Federation Service does not know the repository
 * (yet); that repository's health is unknown. Any other known failure of a repository's read is
 * returned as an `error` value, so a caller that polls (verify) can poll again and one that looks
 * once (drift) can stop; only a bug is thrown.
 *
 * `specs` are the repositories with the members to judge (for drift and status, the members as
 * they are live: core/verify/federation-health.ts `liveSpec`). Reads run concurrently across JPDs and at
 * most `concurrency` at a time per JPD (each client also caps its JPD). The result is in `specs`
 * order, one entry per spec, plain data (core/verify/federation-health.ts `RepoStates`).
 */
import pLimit from 'p-limit';
import {
  judgeStateList,
  type ConnectionReport,
  type StateListEntry,
} from '../../core/verify/connection-check.js';
import { FedctlError, RemoteError } from '../../core/errors.js';
import type { RepoStates } from '../../core/verify/federation-health.js';
import type { RepoSpec, Topology } from '../../core/topology/model.js';
import type { FederationStatusApi, LegacyFederationApi } from '../artifactory/types.js';
import { readLegacy, type StatusEndpoint } from './legacy-states.js';

export type { StatusEndpoint } from './legacy-states.js';

/** Which status endpoints a JPD answered, learnt on the first read and kept for the next polls. */
export type StatusEngines = Map<string, 'rtfs' | 'legacy' | 'none'>;

export interface FederationStatesOptions {
  readonly detail: 'triage' | 'full';
  /** connectionStates (or status/repo) reads in flight per source JPD (default 4). */
  readonly concurrency?: number;
  /** Called once per request, for counting. */
  readonly onRequest?: (jpd: string, endpoint: StatusEndpoint) => void;
  /** Kept across calls by a caller that polls; a fresh map otherwise. */
  readonly engines?: StatusEngines;
  /** The legacy `status/repo` version each JPD answers (`v2` until it answers 404). */
  readonly legacyApis?: Map<string, 'v1' | 'v2'>;
}

type StatusApi = FederationStatusApi & LegacyFederationApi;

const NO_SERVICE = (jpd: string): string => `federation service not enabled on JPD ${jpd}`;

export async function readFederationStates(
  topology: Topology,
  specs: readonly RepoSpec[],
  client: (jpd: string) => StatusApi,
  options: FederationStatesOptions,
): Promise<RepoStates[]> {
  const bySource = new Map<string, RepoSpec[]>();
  for (const s of specs) bySource.set(s.source, [...(bySource.get(s.source) ?? []), s]);
  const results = new Map<RepoSpec, RepoStates>();
  await Promise.all(
    [...bySource].map(async ([jpd, list]) => {
      const read = await readSource(topology, jpd, list, client(jpd), options);
      for (const [spec, states] of read) results.set(spec, states);
    }),
  );
  return specs.map((s) => {
    const r = results.get(s);
    // Every spec was read above, by construction.
    return r ?? { kind: 'error', source: s.source, repoKey: s.key, error: 'not read' };
  });
}

const unavailable = (
  s: RepoSpec,
  reason: string,
  cause: 'no-service' | 'no-status' = 'no-service',
): RepoStates => ({
  kind: 'unavailable',
  source: s.source,
  repoKey: s.key,
  reason,
  cause,
});

/** The RTFS endpoints, then the legacy ones where the JPD turns out to run without RTFS. */
async function readSource(
  topology: Topology,
  jpd: string,
  specs: readonly RepoSpec[],
  api: StatusApi,
  options: FederationStatesOptions,
): Promise<Map<RepoSpec, RepoStates>> {
  const engines = options.engines;
  const known = engines?.get(jpd);
  if (known !== 'legacy' && known !== 'none') {
    const rtfs = await readRtfs(topology, jpd, specs, api, options);
    if (rtfs !== 'no-service') {
      engines?.set(jpd, 'rtfs');
      return rtfs;
    }
  }
  const legacy = known === 'none' ? 'none' : await readLegacy(topology, jpd, specs, api, options);
  if (legacy === 'none') {
    engines?.set(jpd, 'none');
    return new Map(specs.map((s) => [s, unavailable(s, NO_SERVICE(jpd))]));
  }
  engines?.set(jpd, 'legacy');
  return legacy;
}

/** The RTFS reads; `no-service` at the first 405 (stateList, or the probe's connectionStates). */
async function readRtfs(
  topology: Topology,
  jpd: string,
  specs: readonly RepoSpec[],
  api: FederationStatusApi,
  options: FederationStatesOptions,
): Promise<Map<RepoSpec, RepoStates> | 'no-service'> {
  const out = new Map<RepoSpec, RepoStates>();
  let toRead: { spec: RepoSpec; why?: string }[] = specs.map((spec) => ({ spec }));
  if (options.detail === 'triage' && specs.length > 0) {
    const listed = await stateList(jpd, api, options);
    if (listed === 'no-service') return 'no-service';
    if (listed !== 'failed') {
      toRead = [];
      for (const spec of specs) {
        const entry = listed.get(spec.key.toLowerCase());
        const verdict = judgeStateList(topology, spec, entry);
        if (verdict.healthy && entry !== undefined) {
          out.set(spec, { kind: 'state-list', source: jpd, repoKey: spec.key, entry });
        } else {
          toRead.push({ spec, ...(verdict.healthy ? {} : { why: verdict.why }) });
        }
      }
    }
  }
  const limit = pLimit(options.concurrency ?? 4);
  // An object, not a `let`: TypeScript does not see the read below assign it.
  const service = { off: false };
  const read = async ({ spec, why }: { spec: RepoSpec; why?: string }): Promise<void> => {
    if (service.off) {
      out.set(spec, unavailable(spec, NO_SERVICE(jpd)));
      return;
    }
    options.onRequest?.(jpd, 'connectionStates');
    try {
      const connections: readonly ConnectionReport[] = await api.connectionStates(spec.key);
      out.set(spec, {
        kind: 'connections',
        source: jpd,
        repoKey: spec.key,
        connections,
        ...(why === undefined ? {} : { why }),
      });
    } catch (error) {
      if (!(error instanceof FedctlError)) throw error;
      const status = error instanceof RemoteError ? error.status : undefined;
      if (status === 405) {
        service.off = true;
        out.set(spec, unavailable(spec, NO_SERVICE(jpd)));
      } else if (status === 404) {
        out.set(
          spec,
          unavailable(
            spec,
            `the federation service on ${jpd} reports no status for ${spec.key} (404)`,
            'no-status',
          ),
        );
      } else {
        out.set(spec, {
          kind: 'error',
          source: jpd,
          repoKey: spec.key,
          error: error.message,
          code: error.code,
        });
      }
    }
  };
  // Probe with one repository first, so a JPD without the service gets one request, not one each.
  const [first, ...rest] = toRead;
  if (first !== undefined) await read(first);
  if (service.off) return 'no-service';
  await Promise.all(rest.map((r) => limit(() => read(r))));
  return out;
}

/** The source's stateList by lower-case key, or why there is none. */
async function stateList(
  jpd: string,
  api: FederationStatusApi,
  options: FederationStatesOptions,
): Promise<ReadonlyMap<string, StateListEntry> | 'no-service' | 'failed'> {
  options.onRequest?.(jpd, 'stateList');
  try {
    const entries: readonly StateListEntry[] = await api.stateList();
    return new Map(entries.map((e) => [e.localRepoKey.toLowerCase(), e]));
  } catch (error) {
    if (!(error instanceof FedctlError)) throw error;
    if (error instanceof RemoteError && error.status === 405) return 'no-service';
    // Any other failure (404 before the endpoint existed, a proxy refusing it): read each.
    return 'failed';
  }
}
