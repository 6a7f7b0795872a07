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
  readonly repos: Map<string, RepoRecord>;
  readonly content: Map<string, RepoContent>;
  readonly outbound: Map<string, OutboundRecord>;
  readonly trust: Map<string, TrustRecord>;
  readonly pairingTokens: Map<string, IssuedPairingToken>;
  nextEventId: number;
}

export function outboundKey(localKey: string, remoteUrl: string): string {
  return `${localKey}\n${remoteUrl}`;
}

export function findRepoCaseInsensitive(
  repos: ReadonlyMap<string, RepoRecord>,
  key: string,
): RepoRecord | undefined {
  const lower = key.toLowerCase();
  for (const repo of repos.values()) if (repo.key.toLowerCase() === lower) return repo;
  return undefined;
}
