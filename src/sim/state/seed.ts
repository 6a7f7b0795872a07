/**
 * Seeding: writes federated repositories straight into the JPDs' state, in the state a converged
 * federation built through the API would have reached (every member holds the same member list,
 * every outbound connection has finished its full sync and has an empty queue). Benchmarks use it
 * to build 10,000-repository estates without 10,000 HTTP creates; connectionStates, stateList,
 * stateSummary and /configurations then answer as for an API-built estate.
 */
import type { JpdHost } from '../jpd-host.js';
import { outboundKey, type MemberMode, type MemberRecord, type RepoRecord } from './model.js';
import { buildNewRepo } from './repositories.js';
import { memberUrl } from './urls.js';

/** One repository as seeded on one JPD; the JPD's own member is added when missing. */
export interface SeedRepository {
  readonly key: string;
  readonly packageType?: string;
  readonly description?: string;
  /** The repository's `notes` (e.g. a client's own record), the same on every copy. */
  readonly notes?: string;
  readonly members: readonly {
    readonly url: string;
    readonly mode?: MemberMode;
    readonly enabled?: boolean;
  }[];
}

/** Writes `repos` on one JPD, converged; throws (and writes nothing) on any clash. */
export async function seedRepositories(
  jpd: JpdHost,
  repos: readonly SeedRepository[],
): Promise<void> {
  const built: RepoRecord[] = [];
  const seen = new Set<string>();
  for (const seed of repos) {
    const lower = seed.key.toLowerCase();
    if (seen.has(lower) || jpd.state.repos.findCaseInsensitive(seed.key) !== undefined) {
      throw new Error(`seed: repository '${seed.key}' already exists on ${jpd.name}`);
    }
    seen.add(lower);
    // A JPD without Transmission Mode stores every member as bidirectional, as its API would.
    const memberMode = jpd.settings.dialect.memberMode === 'supported' ? 'supported' : 'dropped';
    built.push(
      buildNewRepo(
        seed.key,
        {
          rclass: 'federated',
          packageType: seed.packageType ?? 'generic',
          ...(seed.description === undefined ? {} : { description: seed.description }),
          ...(seed.notes === undefined ? {} : { notes: seed.notes }),
          members: seed.members.map((m) => ({
            url: m.url,
            enabled: m.enabled ?? true,
            ...(m.mode === undefined ? {} : { mode: m.mode }),
          })),
        },
        jpd.baseUrl,
        memberMode,
      ),
    );
  }
  for (const repo of built) {
    jpd.state.repos.set(repo.key, repo);
    jpd.state.content.set(repo.key, { files: new Map(), folders: new Set() });
    for (const remoteUrl of jpd.connections.sendingTargets(repo)) {
      jpd.state.outbound.set(outboundKey(repo.key, remoteUrl), {
        localKey: repo.key,
        remoteUrl,
        queue: [],
        fullSync: 'done',
      });
    }
    jpd.connections.reconcile(repo.key);
  }
  await jpd.persist();
}

/** A repository of a seeded federation: its key, or a key with per-JPD keys and a description. */
export interface SeedFederationRepository {
  readonly key: string;
  readonly description?: string;
  /** Propagated verbatim to every copy, as a federation's configuration push does. */
  readonly notes?: string;
  /** A different key on some JPDs, by JPD name. */
  readonly memberKeys?: Readonly<Record<string, string>>;
}

export interface SeedFederationSpec {
  /** The JPD that owns the repositories (its member is bidirectional). */
  readonly source: string;
  readonly members: readonly {
    readonly jpd: string;
    /** Default receiver, as in a topology's defaults. */
    readonly mode?: MemberMode;
    readonly enabled?: boolean;
  }[];
  readonly repositories: readonly (string | SeedFederationRepository)[];
  /** Default generic. */
  readonly packageType?: string;
}

/** The simulator's JPD by name. */
export type JpdResolver = (name: string) => JpdHost;

/** Seeds one hub-and-spoke federation on every JPD it names, converged. */
export async function seedFederationOn(
  resolve: JpdResolver,
  spec: SeedFederationSpec,
): Promise<void> {
  const parts = [
    { jpd: resolve(spec.source), mode: 'bidirectional' as const, enabled: true },
    ...spec.members.map((m) => ({
      jpd: resolve(m.jpd),
      mode: m.mode ?? ('receiver' as const),
      enabled: m.enabled ?? true,
    })),
  ];
  if (new Set(parts.map((p) => p.jpd)).size !== parts.length) {
    throw new Error('seed: a JPD appears twice in the federation');
  }
  const perJpd: SeedRepository[][] = parts.map(() => []);
  for (const item of spec.repositories) {
    const repo: SeedFederationRepository = typeof item === 'string' ? { key: item } : item;
    const keys = parts.map((p) => repo.memberKeys?.[p.jpd.name] ?? repo.key);
    const members: MemberRecord[] = parts.map((p, i) => ({
      url: memberUrl(p.jpd.baseUrl, keys[i] ?? repo.key),
      enabled: p.enabled,
      mode: p.mode,
    }));
    parts.forEach((_, i) => {
      perJpd[i]?.push({
        key: keys[i] ?? repo.key,
        ...(spec.packageType === undefined ? {} : { packageType: spec.packageType }),
        ...(repo.description === undefined ? {} : { description: repo.description }),
        ...(repo.notes === undefined ? {} : { notes: repo.notes }),
        members,
      });
    });
  }
  for (const [i, part] of parts.entries()) await seedRepositories(part.jpd, perJpd[i] ?? []);
}
