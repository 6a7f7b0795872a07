/**
 * What the request handlers and a JPD's own services (connections, federation, trust) see of one
 * simulated JPD. A leaf: `Jpd` (./jpd.ts) implements it and wires the handlers in, and the
 * handlers name only this interface, so no module needs the class that imports it back.
 */
import type { Clock } from './state/clock.js';
import type { Dialect } from './state/dialects.js';
import type { Faults } from './state/faults.js';
import type {
  ConnectionOverride,
  JpdState,
  MemberRecord,
  OutboundRecord,
  RepoRecord,
} from './state/model.js';

/** Real-time durations (ms) of the asynchronous machinery. */
export interface SimTimings {
  /** Wait before a queued batch of events is sent. */
  readonly eventDelayMs: number;
  /** How long a new connection stays PENDING_FS. */
  readonly fullSyncPendingMs: number;
  /** Minimum time a full sync stays FULL_SYNC_RUNNING. */
  readonly fullSyncRunningMs: number;
  /** First retry delay after a failed delivery; doubles up to maxRetryIntervalMs. */
  readonly retryIntervalMs: number;
  readonly maxRetryIntervalMs: number;
  /** A connection whose oldest queued event is older than this shows DELAYED. */
  readonly delayedThresholdMs: number;
  /** Timeout of one request to a peer JPD. */
  readonly peerTimeoutMs: number;
  /** Consecutive refused deliveries after which a connection shows ERROR. */
  readonly errorAfterFailures: number;
}

export interface JpdSettings {
  /** Status of GET on a missing repository: older versions answer 400, newer 404. */
  readonly missingRepoStatus: 400 | 404;
  /** false: `/api/repositories/configurations` answers 404, like JPDs before 7.61.3. */
  readonly configurationsApi: boolean;
  readonly version: string;
  readonly revision: string;
  readonly pairingTtlSeconds: number;
  /** Shared by the JPDs of one simulator (circle of trust); undefined when pairing is required. */
  readonly circleKey: Buffer | undefined;
  readonly dialect: Dialect;
}

export type ConnectionStatus =
  | 'HEALTHY'
  | 'NOT_AVAILABLE'
  | 'DELAYED'
  | 'PENDING_FS'
  | 'FULL_SYNC_RUNNING'
  | 'ERROR'
  | 'DISABLED'
  | 'Receiving_Only';

export interface ConnectionState {
  readonly status: ConnectionStatus;
  readonly lagInMs: number;
  readonly queuedEvents: number;
}

/** The outbound connections of one JPD (./state/connections.ts). */
export interface Connections {
  reconcile(repoKey: string): void;
  reconcileAll(): void;
  sendingTargets(repo: RepoRecord): string[];
  enqueueDeploy(repoKey: string, path: string): void;
  restartFullSync(repoKey: string, remoteUrl: string | undefined): number;
  kick(): void;
  stateOf(record: OutboundRecord): ConnectionState;
  lastFailure(key: string): string | undefined;
  stop(): void;
}

/** Repository configuration across the members of a federation (./peer/federation.ts). */
export interface FederationService {
  prepareCreate(key: string, body: unknown, taken?: ReadonlySet<string>): RepoRecord;
  prepareUpdate(key: string, body: unknown): { repo: RepoRecord; previous: RepoRecord };
  create(key: string, body: unknown): Promise<void>;
  update(key: string, body: unknown): Promise<void>;
  migrate(key: string): Promise<void>;
  delete(key: string): Promise<void>;
  configSync(key: string): Promise<void>;
  requireFederated(key: string): RepoRecord;
  commit(repo: RepoRecord, previousMembers: readonly MemberRecord[]): Promise<void>;
  pushConfigTo(repo: RepoRecord, targetUrl: string): Promise<boolean>;
  applyPeerConfig(key: string, senderBaseUrl: string, body: unknown): Promise<{ created: boolean }>;
}

export interface JpdHost {
  readonly name: string;
  readonly settings: JpdSettings;
  readonly timings: SimTimings;
  readonly clock: Clock;
  readonly state: JpdState;
  readonly blobs: Map<string, Buffer>;
  readonly connections: Connections;
  readonly federation: FederationService;
  readonly createdAt: number;
  /** Node id sent in X-Artifactory-Node-Id. */
  readonly nodeId: string;
  /** Sent in X-Artifactory-Id (a hash of the service id, as real instances send). */
  readonly artifactoryId: string;
  faults: Faults;
  readonly offline: boolean;
  readonly baseUrl: string;
  readonly closing: boolean;
  /** Repository writes so far (the `config-lock` dialect refuses some of them). */
  configWrites: number;
  /** Forced states of this JPD's outbound directed connections (`/_sim/connection-overrides`). */
  readonly overrides: Map<string, ConnectionOverride>;
  /** Base URL of another JPD of the same simulator by name (controls accept names). */
  readonly peerByName: (name: string) => string | undefined;
  readonly artifactoryUrl: string;
  readonly closingSignal: AbortSignal;
  persist(): Promise<void>;
  putBlob(sha256: string, data: Buffer): Promise<void>;
  /** An authenticated request to another JPD's peer API (or any path there). */
  peer(method: string, baseUrl: string, path: string, body?: unknown): Promise<unknown>;
  setOffline(offline: boolean): void;
}
