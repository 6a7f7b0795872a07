import pLimit from 'p-limit';
import { FedctlError, RemoteError, commonCode } from '../core/errors.js';
import {
  parseNotes,
  type LiveJpd,
  type LiveMember,
  type LiveRepo,
  type LiveState,
} from '../core/live/state.js';
import type { UnreadableJpd } from '../core/drift/unreadable.js';
import type { JpdSpec, Topology } from '../core/topology/model.js';
import { jpdsToRead } from '../core/topology/usage.js';
import { LOCK_KEY } from './artifactory/marker.js';
import type { ArtifactoryClient, RepositoryConfig } from './artifactory/types.js';

export type FetchEvent =
  | { readonly type: 'start'; readonly jpd: string }
  | { readonly type: 'done'; readonly jpd: string; readonly repos: number };

/**
 * Configuration lists read at once, all JPDs together. Each configuration is reduced to the live
 * model as soon as it is parsed (the client's `getFederatedRepositories(reduce)`), and only the
 * body text and the reduced repositories of a read are ever held: at 10,000 repositories one
 * answer is 23 MB of JSON and about 110 MB parsed, so ten whole answers at once held over 1 GB
 *. Three keep a slow JPD from holding up the others while the memory stays bounded
 * whatever the JPD count.
 */
export const DEFAULT_CONFIGURATION_READS = 3;

/**
 * Reads the JPDs the topology uses (`jpdsToRead`: a declared JPD nothing uses is not read), at
 * most `DEFAULT_CONFIGURATION_READS` at once (each client also enforces its own JPD's cap): the
 * federated repository configurations in one batch call. Only where the topology wants a repository that is
 * not federated there yet does it also list the JPD's repositories (keys and classes), so that a
 * create never runs into a local repository of the same name; a converged topology costs one
 * request per JPD, plus its `inconsistentRepos` where it has one. Each JPD on its own: one that
 * cannot be read (unreachable, 5xx after retries, 401, 403, its inconsistentRepos included) is
 * returned with its one-line error, and the others in full (the read-only reports).
 */
export async function readLiveState(
  topology: Topology,
  client: (name: string) => ArtifactoryClient,
  onEvent: (event: FetchEvent) => void = () => undefined,
  toRead: readonly JpdSpec[] = jpdsToRead(topology),
  configurationReads = DEFAULT_CONFIGURATION_READS,
): Promise<{ live: LiveState; unreadable: UnreadableJpd[] }> {
  const wanted = new Map<string, Set<string>>();
  const want = (jpd: string, key: string): void => {
    wanted.set(jpd, (wanted.get(jpd) ?? new Set()).add(key.toLowerCase()));
  };
  for (const repo of topology.repos) {
    want(repo.source, repo.key);
    for (const m of repo.members) want(m.jpd, m.repoKey);
  }
  const reads = pLimit(configurationReads);
  const reduce = createLiveReducer();
  const results = await Promise.allSettled(
    toRead.map(async (jpd): Promise<LiveJpd> => {
      const c = client(jpd.name);
      // Reduced inside the limit: the parsed answer is garbage before the next read starts.
      const repos = await reads(async () => {
        onEvent({ type: 'start', jpd: jpd.name });
        return c.getFederatedRepositories(reduce);
      });
      const federatedKeys = new Set(repos.map((r) => r.key.toLowerCase()));
      const missing = [...(wanted.get(jpd.name) ?? [])].some((k) => !federatedKeys.has(k));
      const [all, inconsistent] = await Promise.all([
        missing ? c.listRepositories() : Promise.resolve([]),
        readInconsistent(c),
      ]);
      onEvent({ type: 'done', jpd: jpd.name, repos: repos.length });
      return {
        name: jpd.name,
        repos,
        ...(inconsistent === undefined ? {} : { inconsistent }),
        otherRepos: all
          .filter(
            (r) =>
              !federatedKeys.has(r.key.toLowerCase()) &&
              r.type.toUpperCase() !== 'FEDERATED' &&
              r.key !== LOCK_KEY,
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
  const bug = failures.find((f) => !(f instanceof FedctlError));
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrown as it came: a bug keeps its stack
  if (bug !== undefined) throw bug;
  const jpds: Record<string, LiveJpd> = {};
  const unreadable: UnreadableJpd[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') jpds[r.value.name] = r.value;
    else if (r.reason instanceof FedctlError) {
      unreadable.push({
        jpd: toRead[i]?.name ?? '',
        error: r.reason.message,
        code: r.reason.code,
      });
    }
  });
  return { live: { jpds }, unreadable };
}

/**
 * `readLiveState` for the commands that plan and write: all or nothing, as Terraform's plan is.
 * Fails with every unreadable JPD named, before anything is planned or changed.
 */
export async function fetchLiveState(
  topology: Topology,
  client: (name: string) => ArtifactoryClient,
  onEvent: (event: FetchEvent) => void = () => undefined,
  toRead: readonly JpdSpec[] = jpdsToRead(topology),
  configurationReads = DEFAULT_CONFIGURATION_READS,
): Promise<LiveState> {
  const { live, unreadable } = await readLiveState(
    topology,
    client,
    onEvent,
    toRead,
    configurationReads,
  );
  throwUnreadable(unreadable);
  return live;
}

/** Plan and apply need every JPD: one error naming each that could not be read. */
export function throwUnreadable(unreadable: readonly UnreadableJpd[]): void {
  const [first] = unreadable;
  if (first !== undefined && unreadable.length === 1) {
    throw new FedctlError(first.error, { code: first.code ?? 'E_REMOTE' });
  }
  if (unreadable.length > 1) {
    throw new FedctlError(
      `cannot read ${unreadable.length} JPDs:\n${unreadable.map((f) => `  ${f.error}`).join('\n')}`,
      {
        code: commonCode(
          unreadable.map((u) => ({ code: u.code ?? 'E_REMOTE' })),
          'E_REMOTE',
        ),
      },
    );
  }
}

/**
 * `GET /api/federation/inconsistentRepos` (7.108.3): undefined where the JPD has no such endpoint
 * (404, 405, or 400 from a version that reads `inconsistentRepos` as something else).
 */
async function readInconsistent(c: ArtifactoryClient): Promise<string[] | undefined> {
  try {
    return await c.getInconsistentRepositories();
  } catch (error) {
    const status = error instanceof RemoteError ? error.status : undefined;
    if (status === 400 || status === 404 || status === 405) return undefined;
    throw error;
  }
}

/** One repository configuration reduced to what planning needs. */
export function toLiveRepo(config: RepositoryConfig): LiveRepo {
  return createLiveReducer()(config);
}

/**
 * `toLiveRepo` for one read of many JPDs, with two caches. fedctl's record is parsed once per
 * distinct `notes` text: member copies carry the source's notes verbatim after propagation, so
 * 90,000 spoke copies share 10,000 records (parsing each copy cost 3.8 s at that size). Equal member lists are one array, for the same reason. Both are read-only values.
 */
export function createLiveReducer(): (config: RepositoryConfig) => LiveRepo {
  const notesCache = new Map<string, ReturnType<typeof parseNotes>>();
  const memberCache = new Map<string, readonly LiveMember[]>();
  const membersOf = (config: RepositoryConfig): readonly LiveMember[] => {
    const list = config.members ?? [];
    let id = '';
    for (const m of list) id += `${m.url}\u0000${m.enabled ? 'e' : 'd'}${m.mode}\u0001`;
    const known = memberCache.get(id);
    if (known !== undefined) return known;
    const members = list.map((m) => ({ url: m.url, enabled: m.enabled, mode: m.mode }));
    memberCache.set(id, members);
    return members;
  };
  return (config) => {
    const { notes } = config;
    let parsed = notes === undefined ? {} : notesCache.get(notes);
    if (parsed === undefined && notes !== undefined) {
      parsed = parseNotes(notes);
      notesCache.set(notes, parsed);
    }
    const { userNotes, lastApplied } = parsed ?? {};
    return {
      key: config.key,
      packageType: config.packageType,
      ...(config.description === undefined ? {} : { description: config.description }),
      members: membersOf(config),
      ...(userNotes === undefined ? {} : { userNotes }),
      ...(lastApplied === undefined ? {} : { lastApplied }),
      ...(config.projectKey === undefined ? {} : { projectKey: config.projectKey }),
      ...(config.environments === undefined ? {} : { environments: config.environments }),
    };
  };
}
