import { FedctlError } from '../core/errors.js';
import { parseNotes, type LiveJpd, type LiveRepo, type LiveState } from '../core/live.js';
import type { JpdSpec, Topology } from '../core/topology.js';
import { jpdsToRead } from '../core/topology-usage.js';
import type { ArtifactoryClient, RepositoryConfig } from './artifactory/types.js';

export type FetchEvent =
  | { readonly type: 'start'; readonly jpd: string }
  | { readonly type: 'done'; readonly jpd: string; readonly repos: number };

/**
 * Reads the JPDs the topology uses (`jpdsToRead`: a declared JPD nothing uses is not read) at once (each client enforces its own JPD's cap): the federated
 * repository configurations in one batch call. Only where the topology wants a repository that is
 * not federated there yet does it also list the JPD's repositories (keys and classes), so that a
 * create never runs into a local repository of the same name; a converged topology costs one
 * request per JPD. Fails with every unreachable JPD named, before anything is planned or changed.
 */
export async function fetchLiveState(
  topology: Topology,
  client: (name: string) => ArtifactoryClient,
  onEvent: (event: FetchEvent) => void = () => undefined,
  toRead: readonly JpdSpec[] = jpdsToRead(topology),
): Promise<LiveState> {
  const wanted = new Map<string, Set<string>>();
  const want = (jpd: string, key: string): void => {
    wanted.set(jpd, (wanted.get(jpd) ?? new Set()).add(key.toLowerCase()));
  };
  for (const repo of topology.repos) {
    want(repo.source, repo.key);
    for (const m of repo.members) want(m.jpd, m.repoKey);
  }
  const results = await Promise.allSettled(
    toRead.map(async (jpd): Promise<LiveJpd> => {
      onEvent({ type: 'start', jpd: jpd.name });
      const c = client(jpd.name);
      const federated = await c.getFederatedRepositories();
      const federatedKeys = new Set(federated.map((r) => r.key.toLowerCase()));
      const missing = [...(wanted.get(jpd.name) ?? [])].some((k) => !federatedKeys.has(k));
      const all = missing ? await c.listRepositories() : [];
      onEvent({ type: 'done', jpd: jpd.name, repos: federated.length });
      return {
        name: jpd.name,
        repos: federated.map(toLiveRepo),
        otherRepos: all
          .filter(
            (r) => !federatedKeys.has(r.key.toLowerCase()) && r.type.toUpperCase() !== 'FEDERATED',
          )
          .map((r) => ({
            key: r.key,
            rclass: r.type.toLowerCase(),
            packageType: r.packageType.toLowerCase(),
            ...(r.description === undefined ? {} : { description: r.description }),
          })),
      };
    }),
  );
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  // Known failures name their JPD, method and path; anything else is a bug and keeps its stack.
  const known = failures.filter((f): f is FedctlError => f instanceof FedctlError);
  if (known.length < failures.length) throw failures.find((f) => !(f instanceof FedctlError));
  if (known.length === 1 && known[0] !== undefined) throw known[0];
  if (known.length > 1) {
    throw new FedctlError(
      `cannot read ${known.length} JPDs:\n${known.map((f) => `  ${f.message}`).join('\n')}`,
    );
  }
  const jpds: Record<string, LiveJpd> = {};
  for (const r of results) if (r.status === 'fulfilled') jpds[r.value.name] = r.value;
  return { jpds };
}

export function toLiveRepo(config: RepositoryConfig): LiveRepo {
  const notes = typeof config.raw['notes'] === 'string' ? config.raw['notes'] : undefined;
  const { userNotes, lastApplied } = parseNotes(notes);
  return {
    key: config.key,
    packageType: config.packageType,
    ...(config.description === undefined ? {} : { description: config.description }),
    members: (config.members ?? []).map((m) => ({ url: m.url, enabled: m.enabled, mode: m.mode })),
    ...(userNotes === undefined ? {} : { userNotes }),
    ...(lastApplied === undefined ? {} : { lastApplied }),
  };
}
