/**
 * One simulated JPD: its state, its HTTP server on loopback, and the services the request
 * handlers use (federation, connections, persistence, peer HTTP).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { setMaxListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Clock } from './state/clock.js';
import { ConnectionManager } from './state/connections.js';
import { Federation } from './peer/federation.js';
import type { Faults } from './state/faults.js';
import { OutboundTable, RepoTable, type ConnectionOverride, type JpdState } from './state/model.js';
import { PeerHttpError, PeerUnreachableError, peerRequest } from './peer/peer-client.js';
import { JpdStore, deserializeState, serializeState } from './state/persistence.js';
import { handleRequest } from './http/router.js';
import { outboundPeerToken } from './peer/trust.js';
import { normalizeBaseUrl } from './state/urls.js';
import type { JpdHost, JpdSettings, SimTimings } from './jpd-host.js';

export type { JpdHost, JpdSettings, SimTimings } from './jpd-host.js';

export const DEFAULT_TIMINGS: SimTimings = {
  eventDelayMs: 10,
  fullSyncPendingMs: 40,
  fullSyncRunningMs: 80,
  retryIntervalMs: 25,
  maxRetryIntervalMs: 400,
  delayedThresholdMs: 5_000,
  peerTimeoutMs: 2_000,
  errorAfterFailures: 3,
};

export interface JpdInit {
  readonly name: string;
  readonly port: number;
  /**
   * The JPD's own base URL, as its Custom Base URL setting would give it (e.g. with `localhost`);
   * defaults to `http://127.0.0.1:<port>`. Member URLs naming this JPD must use it.
   */
  readonly baseUrl: string | undefined;
  readonly token: string | undefined;
  readonly readOnlyToken: string | undefined;
  readonly settings: JpdSettings;
  readonly timings: SimTimings;
  readonly clock: Clock;
  readonly faults: Faults;
  readonly offline: boolean;
  readonly dataDir: string | undefined;
  /** Base URL of another JPD of the same simulator by name (controls accept names). */
  readonly peerByName: (name: string) => string | undefined;
}

function newToken(): string {
  // Shaped like a JFrog reference token: opaque, URL-safe.
  return `cmVmdGtu${randomBytes(30).toString('base64url')}`;
}

export class Jpd implements JpdHost {
  readonly name: string;
  readonly settings: JpdSettings;
  readonly timings: SimTimings;
  readonly clock: Clock;
  readonly state: JpdState;
  readonly blobs: Map<string, Buffer>;
  readonly connections: ConnectionManager;
  readonly federation: Federation;
  readonly createdAt: number;
  /** Node id sent in X-Artifactory-Node-Id. */
  readonly nodeId: string;
  /** Sent in X-Artifactory-Id (a hash of the service id, as real instances send). */
  readonly artifactoryId: string;
  faults: Faults;
  offline: boolean;
  baseUrl = '';
  closing = false;
  /** Repository writes so far (the `config-lock` dialect refuses some of them). */
  configWrites = 0;
  /** Forced states of this JPD's outbound directed connections (`/_sim/connection-overrides`). */
  readonly overrides = new Map<string, ConnectionOverride>();
  readonly peerByName: (name: string) => string | undefined;

  private readonly server: http.Server;
  private readonly store: JpdStore | undefined;
  // One shutdown signal is shared by every peer request in flight, often more than Node's default
  // of 10 listeners; each request removes its listener when it ends, so lift the warning limit.
  private readonly closer = (() => {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  })();
  private readonly configuredBaseUrl: string | undefined;

  private constructor(
    init: JpdInit,
    state: JpdState,
    blobs: Map<string, Buffer>,
    createdAt: number,
    store: JpdStore | undefined,
  ) {
    this.name = init.name;
    this.settings = init.settings;
    this.timings = init.timings;
    this.clock = init.clock;
    this.state = state;
    this.blobs = blobs;
    this.createdAt = createdAt;
    this.faults = init.faults;
    this.offline = init.offline;
    this.store = store;
    this.configuredBaseUrl = init.baseUrl;
    this.peerByName = init.peerByName;
    this.nodeId = `${init.name}-node-1`;
    this.artifactoryId = createHash('sha1').update(state.serviceId).digest('hex');
    this.connections = new ConnectionManager(this);
    this.federation = new Federation(this);
    this.server = http.createServer((req, res) => {
      handleRequest(this, req, res).catch((error: unknown) => {
        // handleRequest answers every known failure; this is a bug in the simulator itself.
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ status: 500, message: String(error) }] }));
        } else {
          res.destroy();
        }
      });
    });
  }

  static async start(init: JpdInit): Promise<Jpd> {
    let store: JpdStore | undefined;
    let restored: { state: JpdState; createdAt: number } | undefined;
    let blobs = new Map<string, Buffer>();
    // The store serialises the JPD created below; it saves only once that JPD exists.
    const holder: { jpd?: Jpd } = {};
    if (init.dataDir !== undefined) {
      store = new JpdStore(join(init.dataDir, init.name), () => {
        const jpd = holder.jpd;
        if (jpd === undefined) throw new Error('JPD not started');
        return JSON.stringify(serializeState(jpd.state, jpd.baseUrl, jpd.createdAt));
      });
      await store.init();
      const raw = await store.loadState();
      if (raw !== undefined) restored = deserializeState(raw);
      blobs = await store.loadBlobs();
    }
    const state: JpdState = restored?.state ?? {
      serviceId: `jfrt@${randomUUID().replace(/-/g, '').slice(0, 26)}`,
      signingKey: randomBytes(32).toString('base64url'),
      adminToken: init.token ?? newToken(),
      readOnlyToken: init.readOnlyToken ?? newToken(),
      repos: new RepoTable(),
      content: new Map(),
      outbound: new OutboundTable(),
      trust: new Map(),
      pairingTokens: new Map(),
      nextEventId: 1,
    };
    // A token given explicitly wins over the persisted one (the env var is the source of truth).
    const finalState: JpdState = {
      ...state,
      adminToken: init.token ?? state.adminToken,
      readOnlyToken: init.readOnlyToken ?? state.readOnlyToken,
    };
    const jpd = new Jpd(init, finalState, blobs, restored?.createdAt ?? init.clock.now(), store);
    holder.jpd = jpd;
    await jpd.listen(init.port);
    jpd.connections.reconcileAll();
    await jpd.persist();
    return jpd;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        const address = this.server.address() as AddressInfo; // listen() on a TCP port gives AddressInfo
        this.baseUrl =
          this.configuredBaseUrl === undefined
            ? `http://127.0.0.1:${address.port}`
            : normalizeBaseUrl(this.configuredBaseUrl);
        resolve();
      });
    });
  }

  get artifactoryUrl(): string {
    return `${this.baseUrl}/artifactory`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port; // listening on a TCP port
  }

  get closingSignal(): AbortSignal {
    return this.closer.signal;
  }

  async persist(): Promise<void> {
    if (this.store === undefined || this.closing) return;
    await this.store.save();
  }

  async putBlob(sha256: string, data: Buffer): Promise<void> {
    if (this.blobs.has(sha256)) return;
    this.blobs.set(sha256, data);
    if (this.store !== undefined) await this.store.putBlob(sha256, data);
  }

  /** An authenticated request to another JPD's peer API (or any path there). */
  async peer(method: string, baseUrl: string, path: string, body?: unknown): Promise<unknown> {
    if (this.offline) throw new PeerUnreachableError(`${this.name} is offline`);
    if (this.closing) throw new PeerUnreachableError(`${this.name} is stopping`);
    const token = outboundPeerToken(this, baseUrl);
    if (token === undefined) {
      throw new PeerHttpError(401, `no trust established with ${baseUrl}`, undefined);
    }
    return peerRequest({
      method,
      url: `${baseUrl}${path}`,
      token,
      body,
      timeoutMs: this.timings.peerTimeoutMs,
      signal: this.closer.signal,
    });
  }

  setOffline(offline: boolean): void {
    this.offline = offline;
    if (offline) this.server.closeIdleConnections();
    // Coming back: wake every connection so queued events resume without waiting out backoff.
    else this.connections.kick();
  }

  async stop(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.connections.stop();
    this.closer.abort();
    if (this.store !== undefined) {
      try {
        await this.store.flush();
      } catch {
        // the last good state.json stays on disk
      }
    }
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
    this.server.closeAllConnections();
    await closed;
  }
}
