/**
 * The state of one simulated JPD. Everything here is plain data so it can be dumped
 * (`GET /_sim/state`) and persisted as JSON; runtime-only bits (timers, failure counters) live in
 * the modules that own them.
 */

export type MemberMode = 'receiver' | 'bidirectional';

export interface MemberRecord {
  /** Normalised `<base>/artifactory/<key>`. */
  readonly url: string;
  readonly enabled: boolean;
  readonly mode: MemberMode;
}

export type RepoClass = 'local' | 'federated';

export interface RepoRecord {
  readonly key: string;
  readonly rclass: RepoClass;
  readonly packageType: string;
  /** Every other configuration field, defaults filled in, in the order GET returns them. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Federated only; always contains this JPD's own member. */
  readonly members: readonly MemberRecord[];
  /**
   * Members whose last configuration push failed (Artifactory's "inconsistent" members). A
   * connection to such a member re-pushes the configuration when it finds the repository missing;
   * configSync retries every member.
   */
  readonly inconsistentMembers: readonly string[];
}

export interface ArtifactRecord {
  /** Without a leading slash. */
  readonly path: string;
  readonly size: number;
  readonly sha1: string;
  readonly sha256: string;
  readonly md5: string;
  readonly mimeType: string;
  readonly created: number;
  readonly createdBy: string;
  readonly lastModified: number;
  readonly modifiedBy: string;
  readonly lastUpdated: number;
}

export interface RepoContent {
  readonly files: Map<string, ArtifactRecord>;
  /** Folders created explicitly (a PUT of a path ending in `/`); parents of files are implied. */
  readonly folders: Set<string>;
}

export interface QueuedEvent {
  readonly id: number;
  readonly type: 'deploy';
  readonly path: string;
  readonly registeredAt: number;
}

export type FullSyncPhase = 'pending' | 'running' | 'done';

/** One outbound directed connection: this JPD's repo -> a remote member. */
export interface OutboundRecord {
  readonly localKey: string;
  readonly remoteUrl: string;
  readonly queue: QueuedEvent[];
  fullSync: FullSyncPhase;
}

/** What `/_sim/connection-overrides` forces one outbound directed connection to report. */
export interface ConnectionOverride {
  readonly repoKey: string;
  /** Normalised member URL of the receiving side. */
  readonly target: string;
  readonly status: string;
  readonly lagInMs: number;
  readonly queuedEvents: number;
}

/** `r`: receiving-only (read) pairing; `*`: full permissions. */
export type TrustScope = 'r' | '*';

export interface TrustRecord {
  readonly peerBaseUrl: string;
  readonly peerServiceId: string;
  readonly scope: TrustScope;
  /** `source`: this JPD issued the pairing token; `target`: this JPD exchanged it. */
  readonly role: 'source' | 'target';
  /** What the peer presents to this JPD. */
  readonly inboundToken: string;
  /** What this JPD presents to the peer. */
  readonly outboundToken: string;
  readonly establishedAt: number;
}

export interface IssuedPairingToken {
  readonly jti: string;
  readonly scope: TrustScope;
  readonly expiresAt: number;
  used: boolean;
}

export interface JpdState {
  readonly serviceId: string;
  /** Signs this JPD's pairing tokens (never leaves the JPD). */
  readonly signingKey: string;
  readonly adminToken: string;
  readonly readOnlyToken: string;
  readonly repos: RepoTable;
  readonly content: Map<string, RepoContent>;
  readonly outbound: OutboundTable;
  readonly trust: Map<string, TrustRecord>;
  readonly pairingTokens: Map<string, IssuedPairingToken>;
  nextEventId: number;
}

export function outboundKey(localKey: string, remoteUrl: string): string {
  return `${localKey}\n${remoteUrl}`;
}

/**
 * Repositories by key, with a lower-case index: Artifactory keys are unique case-insensitively,
 * and every create checks that, so the check must not scan 10,000 repositories.
 */
export class RepoTable extends Map<string, RepoRecord> {
  private readonly byLowerKey = new Map<string, string>();

  override set(key: string, repo: RepoRecord): this {
    super.set(key, repo);
    // Map's constructor calls set() before this subclass's fields exist.
    (this.byLowerKey as Map<string, string> | undefined)?.set(key.toLowerCase(), key);
    return this;
  }

  override delete(key: string): boolean {
    const existed = super.delete(key);
    if (existed) this.byLowerKey.delete(key.toLowerCase());
    return existed;
  }

  override clear(): void {
    super.clear();
    this.byLowerKey.clear();
  }

  /** The repository whose key equals `key` ignoring case, in O(1). */
  findCaseInsensitive(key: string): RepoRecord | undefined {
    const actual = this.byLowerKey.get(key.toLowerCase());
    return actual === undefined ? undefined : this.get(actual);
  }
}

/** Outbound connections by `outboundKey`, indexed by local repository for per-repo lookups. */
export class OutboundTable extends Map<string, OutboundRecord> {
  private readonly byRepo = new Map<string, Map<string, OutboundRecord>>();

  override set(key: string, record: OutboundRecord): this {
    super.set(key, record);
    // Map's constructor calls set() before this subclass's fields exist.
    const index = this.byRepo as Map<string, Map<string, OutboundRecord>> | undefined;
    if (index !== undefined) {
      let forRepo = index.get(record.localKey);
      if (forRepo === undefined) {
        forRepo = new Map();
        index.set(record.localKey, forRepo);
      }
      forRepo.set(key, record);
    }
    return this;
  }

  override delete(key: string): boolean {
    const record = this.get(key);
    if (record === undefined) return false;
    super.delete(key);
    const forRepo = this.byRepo.get(record.localKey);
    forRepo?.delete(key);
    if (forRepo?.size === 0) this.byRepo.delete(record.localKey);
    return true;
  }

  override clear(): void {
    super.clear();
    this.byRepo.clear();
  }

  /** The outbound connections of one local repository, keyed by `outboundKey`. */
  ofRepo(localKey: string): ReadonlyMap<string, OutboundRecord> {
    return this.byRepo.get(localKey) ?? EMPTY_OUTBOUND;
  }
}

const EMPTY_OUTBOUND: ReadonlyMap<string, OutboundRecord> = new Map();

export function findRepoCaseInsensitive(repos: RepoTable, key: string): RepoRecord | undefined {
  return repos.findCaseInsensitive(key);
}
