/**
 * Typed views of the Artifactory REST API that fedctl uses. Response bodies are `unknown` until the
 * client has checked them; these types are what comes out of that check.
 */

/** Per-member transmission mode (seed: "Unidirectional Sync over Federated Repositories"). */
export type MemberMode = 'receiver' | 'bidirectional';

/** One entry of a federated repository's `members` array. */
export interface FederatedMember {
  /** `<platform base URL>/artifactory/<repoKey>` as the server returned it. */
  readonly url: string;
  /** Artifactory sends a boolean; some versions and docs use the strings "true"/"false". */
  readonly enabled: boolean;
  /** Absent on the wire means bidirectional (Artifactory's default). */
  readonly mode: MemberMode;
}

/** A repository configuration as `GET /api/repositories/{key}` or `/configurations` returns it. */
export interface RepositoryConfig {
  readonly key: string;
  /** Lower-case class: local | remote | virtual | federated | ... */
  readonly rclass: string;
  readonly packageType: string;
  readonly description?: string;
  /** Present for federated repositories. */
  readonly members?: readonly FederatedMember[];
  /**
   * Free text, where fedctl keeps its record (core/live/state.ts). The rest of the body is not kept: at
   * 10,000 repositories the whole parsed bodies held about 4.8 times the JSON.
   */
  readonly notes?: string;
  /**
   * The project the repository is assigned to (`projectKey` in the Repository Configuration JSON);
   * absent for none, and for `default`, which `/configurations` shows for a repository in no project.
   */
  readonly projectKey?: string;
  /** `environments`, as the JPD keeps them; absent when the body has none. */
  readonly environments?: readonly string[];
}

/** An item of `GET /api/repositories?type=...`. */
export interface RepositorySummary {
  readonly key: string;
  /** Upper-case in list responses, e.g. FEDERATED. */
  readonly type: string;
  readonly packageType: string;
  readonly url?: string;
  readonly description?: string;
}

/** Body of a create (PUT) or update (POST) of a federated repository. */
export interface FederatedRepositoryBody {
  readonly key?: string;
  readonly rclass: 'federated';
  readonly packageType?: string;
  readonly description?: string;
  /** Free text; fedctl keeps its last-applied record on the last line (see core/live/state.ts). */
  readonly notes?: string;
  /** Sent only when the topology declares a project: an absent field never strips one. */
  readonly projectKey?: string;
  readonly environments?: readonly string[];
  readonly members: readonly MemberWrite[];
}

/** A create body that names its repository, as a batch item must. */
export type KeyedRepositoryBody = FederatedRepositoryBody & { readonly key: string };

/**
 * A member as written. `mode` is optional: absent means bidirectional to Artifactory, and a JPD
 * without Transmission Mode may refuse the field (neither jfrog-client-go nor the Terraform
 * provider sends it), so callers send it only where it matters (see core/apply/repo-update.ts).
 */
export interface MemberWrite {
  readonly url: string;
  readonly enabled: boolean;
  readonly mode?: MemberMode;
}

/** RTFS connection states, plus Receiving_Only for receiver members and N/A when unsupported. */
export type ConnectionStatus =
  | 'HEALTHY'
  | 'NOT_AVAILABLE'
  | 'DELAYED'
  | 'PENDING_FS'
  | 'FULL_SYNC_RUNNING'
  | 'ERROR'
  | 'DISABLED'
  | 'Receiving_Only'
  | 'N/A';

/** One directed connection of `GET /api/federation/status/connectionStates/{repoKey}`. */
export interface MemberConnection {
  readonly localRepoKey: string;
  readonly localPlatformUrl: string;
  readonly remoteRepoKey: string;
  readonly remotePlatformUrl: string;
  /** Kept as a string: unknown future states must not break a read. */
  readonly status: string;
  readonly lagInMs: number;
  readonly queuedEvents: number;
  readonly disabled: boolean;
  readonly supported: boolean;
}

/** `GET /api/federation/status/stateSummary`: federations per aggregated state. */
export type StateSummary = Readonly<Record<string, number>>;

/** One federation of `GET /api/federation/status/stateList`. */
export interface FederationStateEntry {
  readonly localRepoKey: string;
  readonly priority?: string;
  readonly memberInfoList: readonly {
    readonly url: string;
    readonly repoKey: string;
    readonly aggregatedStatus: string;
    readonly supported: boolean;
    readonly disabled: boolean;
    readonly inLag: boolean;
  }[];
}

/**
 * One repository of the legacy engine's `GET /api/federation/state`. JFrog's schema names the
 * fields `key` and `members[].remoteKey`, its sample `localRepoKey` and `remoteRepoKey`; both are
 * read (docs/compatibility.md, row 34).
 */
export interface LegacySyncState {
  readonly localRepoKey: string;
  /** FULL_SYNC_RUNNING, SYNCING, OUT_OF_SYNC or DISABLED; kept verbatim. */
  readonly status: string;
  readonly members: readonly { readonly remoteUrl: string; readonly remoteRepoKey: string }[];
}

/** One mirror of `GET /api[/v2]/federation/status/repo/{key}` (`mirrorEventsStatusInfo`). */
export interface LegacyMirrorStatus {
  readonly remoteUrl: string;
  readonly remoteRepoKey: string;
  /** v1: SYNC or OUT_OF_SYNC; v2: "a wider range" (HEALTHY in JFrog's sample); verbatim. */
  readonly status: string;
  /** `lagInMS` on the wire (capital S, unlike RTFS's `lagInMs`); 0 when absent. */
  readonly lagInMs: number;
  /** Events waiting: create + update + delete + props (the legacy engine has no queue count). */
  readonly pendingEvents: number;
}

export interface LegacyRepoStatus {
  readonly localKey: string;
  readonly mirrors: readonly LegacyMirrorStatus[];
}

/** `GET /api/federation/status/mirrorsLag`: one entry per mirror of every repository. */
export interface LegacyMirrorLag {
  readonly localRepoKey: string;
  readonly remoteUrl: string;
  readonly remoteRepoKey: string;
  readonly lagInMs: number;
}

export interface VersionInfo {
  readonly version: string;
  readonly revision?: string;
  readonly addons: readonly string[];
}

/** Pairing use case: `r` issues a read (receiving-only) token; `*` a full-permission one. */
export type PairingUseCase = 'r' | '*';

export interface PairingToken {
  /** A secret: never printed, logged or saved. */
  readonly pairingToken: string;
  readonly expiresInSeconds?: number;
}

/** Which JPD a client talks to. */
export interface JpdIdentity {
  /** The JPD's name in the topology, used in every error message. */
  readonly jpd: string;
  /** Platform base URL without a trailing slash (Artifactory is under `/artifactory`). */
  readonly baseUrl: string;
}

/** The repository classes `GET /api/repositories?type=` filters on. */
export type RepositoryType = 'local' | 'remote' | 'virtual' | 'federated';

/** Repository configurations: reads for plan, writes for apply (./repositories.ts). */
export interface RepositoriesApi {
  listRepositories(type?: RepositoryType): Promise<RepositorySummary[]>;
  /** Every federated repository's config: `/configurations` in one call, or list + GETs on 404/405. */
  /**
   * With `reduce`, each configuration is handed to it as soon as it is parsed and only the results
   * are kept: at 10,000 repositories the parsed configurations of one JPD are over 100 MB
   *, what planning keeps of them a fraction of that.
   */
  getFederatedRepositories<T = RepositoryConfig>(
    reduce?: (config: RepositoryConfig) => T,
  ): Promise<T[]>;
  /** undefined when the repository does not exist (400 or 404, as versions differ). */
  getRepository(repoKey: string): Promise<RepositoryConfig | undefined>;
  createRepository(repoKey: string, body: FederatedRepositoryBody): Promise<void>;
  /**
   * `PUT /api/v2/repositories/batch` (since 7.84.3): all created, or none (JFrog: "if one of the
   * repository configurations is invalid, the entire batch request will fail").
   */
  createRepositories(bodies: readonly KeyedRepositoryBody[]): Promise<void>;
  updateRepository(repoKey: string, body: Partial<FederatedRepositoryBody>): Promise<void>;
  deleteRepository(repoKey: string): Promise<void>;
}

/** The RTFS status endpoints: what verify reads (./federation.ts). */
export interface FederationStatusApi {
  connectionStates(repoKey: string): Promise<MemberConnection[]>;
  /** Issues 14 and 18 name it for health reporting. */
  stateSummary(): Promise<StateSummary>;
  /** Issues 14 and 18 name it for health reporting. */
  stateList(statuses?: readonly string[]): Promise<FederationStateEntry[]>;
}

/**
 * The legacy (in-Artifactory) federation engine's monitoring, which RTFS answers with 405 "RTFS
 * is enabled" (./federation.ts). JFrog deprecates it and warns that `status/repo` "has a high
 * impact on the database": read it only for what `federation/state` leaves undecided.
 */
export interface LegacyFederationApi {
  federationSyncState(): Promise<LegacySyncState[]>;
  legacyRepositoryStatus(repoKey: string, api: 'v1' | 'v2'): Promise<LegacyRepoStatus>;
  mirrorsLag(): Promise<LegacyMirrorLag[]>;
}

/** Which federation engine a JPD runs (./federation.ts); what `fedctl doctor` reads. */
export interface FederationEngineApi {
  /**
   * `GET /api/federation/migration/status` as the JPD words it: MIGRATION_STARTED,
   * MIGRATING_EVENTS_TO_RTFS, MIGRATION_COMPLETED or `Status not configured` (RTFS not enabled);
   * undefined when the endpoint does not exist (404 or 405: a version before RTFS).
   */
  migrationStatus(): Promise<string | undefined>;
  /** `GET {platform}/federation/rtfs`: true once migration completed; undefined when absent. */
  rtfsEnabled(): Promise<boolean | undefined>;
  /**
   * `GET /api/federation/inconsistentRepos` (7.108.3): the keys of repositories whose
   * configuration differs from a member's. A JPD without it answers 404 (a RemoteError).
   */
  getInconsistentRepositories(): Promise<string[]>;
}

/** The RTFS operations that push configuration or content to members (./federation.ts). */
export interface FederationSyncApi {
  configSync(repoKey: string): Promise<void>;
  /**
   * `POST /api/federation/migrate/{key}`: a local repository becomes federated, its artifacts
   * kept, with itself as the only member (jfrog-client-go `ConvertLocalToFederated`).
   */
  convertToFederated(repoKey: string): Promise<void>;
}

/** Service trust pairing between two JPDs (./trust.ts). */
export interface TrustApi {
  createPairingToken(useCase: PairingUseCase): Promise<PairingToken>;
  /** Exchange on the target; `path` chooses `/federated-repo/r` (default for r tokens) or `/*`. */
  exchangePairingToken(useCase: PairingUseCase, pairingToken: string): Promise<void>;
}

/** The JPD itself (./platform.ts). */
export interface PlatformApi {
  /** Batch writes are chosen by version, and error messages name it. */
  version(): Promise<VersionInfo>;
  /**
   * The JPD's own Custom Base URL (`urlBase` of its configuration descriptor, `GET
   * /api/system/configuration`, admin); undefined when none is configured.
   */
  getBaseUrl(): Promise<string | undefined>;
  /** Whether the token is an admin token: `GET /api/system` (System Info) needs one. */
  hasAdminToken(): Promise<boolean>;
}

/**
 * Everything fedctl asks of one JPD. One instance per JPD; it owns that JPD's concurrency cap.
 * A consumer that needs one area can depend on that area's interface alone.
 */
export interface ArtifactoryClient
  extends
    JpdIdentity,
    PlatformApi,
    RepositoriesApi,
    TrustApi,
    FederationStatusApi,
    FederationSyncApi,
    LegacyFederationApi,
    FederationEngineApi {}

// The request core's vocabulary (./request.ts): one call, its answer, the JPD it goes to.

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface Call {
  readonly method: Method;
  /** Path and query under the base URL, starting with /artifactory/. */
  readonly path: string;
  readonly body?: unknown;
  /** What fedctl was doing, for 401/403 hints: "creating repository libs-fed". */
  readonly step: string;
  /** The permission the step needs: "an admin token on jpd-a". */
  readonly needs: string;
  /** The response carries a secret: never quote its body. */
  readonly sensitive?: boolean;
}

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly location?: string;
  readonly text: string;
}

/** The JPD a client talks to, checked before any connection is made. */
export interface Target {
  readonly jpd: string;
  /** Origin plus path prefix, without a trailing slash. */
  readonly url: string;
  /** The path prefix alone ('' or '/jfrog'), which error paths keep. */
  readonly path: string;
  readonly token: string;
}
