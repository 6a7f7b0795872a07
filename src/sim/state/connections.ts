/**
 * Outbound directed connections (this JPD's federated repo -> one remote member): an event queue
 * per connection, delivered asynchronously over HTTP, and the automatic full sync that opens each
 * connection (PENDING_FS -> FULL_SYNC_RUNNING -> streaming). Only a bidirectional member has
 * outbound connections: a receiver neither streams events nor initiates a full sync.
 *
 * An event that cannot be delivered stays at the head of its queue and is retried with backoff
 * (honouring Retry-After), so no event is lost while a peer is offline or failing.
 */
import type { ConnectionState, ConnectionStatus, Connections, JpdHost } from '../jpd-host.js';

export type { ConnectionState, ConnectionStatus } from '../jpd-host.js';
import { outboundKey, type OutboundRecord, type RepoRecord } from './model.js';
import { PeerHttpError, PeerUnreachableError } from '../peer/peer-client.js';
import { EVENT_BATCH, copyMissing, sendEvents } from '../peer/send-events.js';
import { selfMember } from './repositories.js';

export type { PeerEvent } from '../peer/send-events.js';

interface Runtime {
  timer: NodeJS.Timeout | undefined;
  busy: boolean;
  consecutiveFailures: number;
  lastFailure: { readonly kind: 'unreachable' | 'error'; readonly message: string } | undefined;
  /** performance.now() when the current full-sync phase began (timers run on real time). */
  phaseStartedAt: number;
  /** The next batch has already waited the configured delivery delay. */
  deliveryDelayed: boolean;
  /** The running full sync has copied what the remote lacked; only its duration is left. */
  fullSyncCopied: boolean;
}

export class ConnectionManager implements Connections {
  private readonly runtime = new Map<string, Runtime>();
  private readonly jpd: JpdHost;

  constructor(jpd: JpdHost) {
    this.jpd = jpd;
  }

  /** Brings outbound records in line with a repository's membership after any config change. */
  reconcile(repoKey: string): void {
    const repo = this.jpd.state.repos.get(repoKey);
    const wanted = new Set(repo === undefined ? [] : this.sendingTargets(repo));
    for (const [key, record] of [...this.jpd.state.outbound.ofRepo(repoKey)]) {
      if (!wanted.has(record.remoteUrl)) {
        // A member removed, or this member turned receiver: its unsent events have nowhere to go.
        this.jpd.state.outbound.delete(key);
        this.dropRuntime(key);
      }
    }
    for (const remoteUrl of wanted) {
      const key = outboundKey(repoKey, remoteUrl);
      if (!this.jpd.state.outbound.has(key)) {
        this.jpd.state.outbound.set(key, {
          localKey: repoKey,
          remoteUrl,
          queue: [],
          fullSync: 'pending',
        });
        this.runtimeOf(key).phaseStartedAt = performance.now();
      }
      this.pump(key);
    }
  }

  reconcileAll(): void {
    for (const repoKey of this.jpd.state.repos.keys()) this.reconcile(repoKey);
  }

  /** Remote members this JPD streams to: none unless its own member is bidirectional. */
  sendingTargets(repo: RepoRecord): string[] {
    if (repo.rclass !== 'federated') return [];
    const self = selfMember(repo, this.jpd.baseUrl);
    if (self === undefined || self.mode !== 'bidirectional') return [];
    return repo.members.filter((m) => m.url !== self.url).map((m) => m.url);
  }

  enqueueDeploy(repoKey: string, path: string): void {
    for (const [key, record] of this.jpd.state.outbound.ofRepo(repoKey)) {
      record.queue.push({
        id: this.jpd.state.nextEventId++,
        type: 'deploy',
        path,
        registeredAt: this.jpd.clock.now(),
      });
      this.pump(key);
    }
  }

  /** `POST /api/federation/fullSync`: restart the full sync of one or every outbound connection. */
  restartFullSync(repoKey: string, remoteUrl: string | undefined): number {
    let count = 0;
    for (const [key, record] of this.jpd.state.outbound.ofRepo(repoKey)) {
      if (remoteUrl !== undefined && record.remoteUrl !== remoteUrl) continue;
      const rt = this.runtimeOf(key);
      if (rt.busy) continue;
      this.clearTimer(rt);
      record.fullSync = 'pending';
      rt.fullSyncCopied = false;
      rt.phaseStartedAt = performance.now();
      count++;
      this.pump(key);
    }
    return count;
  }

  /** Retries every failing connection now instead of after its backoff (e.g. back online). */
  kick(): void {
    for (const key of this.jpd.state.outbound.keys()) {
      const rt = this.runtime.get(key);
      if (rt?.lastFailure !== undefined) this.clearTimer(rt);
      this.pump(key);
    }
  }

  stateOf(record: OutboundRecord): ConnectionState {
    const rt = this.runtime.get(outboundKey(record.localKey, record.remoteUrl));
    const oldest = record.queue[0];
    const lagInMs =
      oldest === undefined ? 0 : Math.max(0, this.jpd.clock.now() - oldest.registeredAt);
    const base = { lagInMs, queuedEvents: record.queue.length };
    const t = this.jpd.timings;
    let status: ConnectionStatus;
    if (rt?.lastFailure?.kind === 'unreachable') status = 'NOT_AVAILABLE';
    else if (rt?.lastFailure?.kind === 'error' && rt.consecutiveFailures >= t.errorAfterFailures)
      status = 'ERROR';
    else if (record.fullSync === 'pending') status = 'PENDING_FS';
    else if (record.fullSync === 'running') status = 'FULL_SYNC_RUNNING';
    else if (lagInMs > t.delayedThresholdMs) status = 'DELAYED';
    else status = 'HEALTHY';
    return { status, ...base };
  }

  /** The last failure message of a connection, for the state dump. */
  lastFailure(key: string): string | undefined {
    return this.runtime.get(key)?.lastFailure?.message;
  }

  stop(): void {
    for (const rt of this.runtime.values()) this.clearTimer(rt);
  }

  private runtimeOf(key: string): Runtime {
    let rt = this.runtime.get(key);
    if (rt === undefined) {
      rt = {
        timer: undefined,
        busy: false,
        consecutiveFailures: 0,
        lastFailure: undefined,
        phaseStartedAt: performance.now(),
        deliveryDelayed: false,
        fullSyncCopied: false,
      };
      this.runtime.set(key, rt);
    }
    return rt;
  }

  private dropRuntime(key: string): void {
    const rt = this.runtime.get(key);
    if (rt !== undefined) this.clearTimer(rt);
    this.runtime.delete(key);
  }

  private clearTimer(rt: Runtime): void {
    clearTimeout(rt.timer);
    rt.timer = undefined;
  }

  private schedule(key: string, delayMs: number): void {
    const rt = this.runtimeOf(key);
    if (rt.timer !== undefined || this.jpd.closing) return;
    rt.timer = setTimeout(
      () => {
        rt.timer = undefined;
        this.pump(key);
      },
      Math.max(0, delayMs),
    );
  }

  private isDisabled(record: OutboundRecord): boolean {
    const repo = this.jpd.state.repos.get(record.localKey);
    if (repo === undefined) return true;
    const self = selfMember(repo, this.jpd.baseUrl);
    const remote = repo.members.find((m) => m.url === record.remoteUrl);
    return self?.enabled !== true || remote?.enabled !== true;
  }

  /** Advances one connection's state machine; at most one step in flight per connection. */
  private pump(key: string): void {
    const record = this.jpd.state.outbound.get(key);
    if (record === undefined || this.jpd.closing) return;
    const rt = this.runtimeOf(key);
    if (rt.busy || rt.timer !== undefined || this.isDisabled(record)) return;
    const t = this.jpd.timings;
    const elapsed = performance.now() - rt.phaseStartedAt;
    switch (record.fullSync) {
      case 'pending':
        if (elapsed < t.fullSyncPendingMs) {
          this.schedule(key, t.fullSyncPendingMs - elapsed);
          return;
        }
        record.fullSync = 'running';
        rt.phaseStartedAt = performance.now();
        void this.jpd.persist();
        this.run(key, rt, () => this.fullSync(record));
        return;
      case 'running':
        this.run(key, rt, () => this.fullSync(record));
        return;
      case 'done':
        if (record.queue.length === 0) return;
        this.run(key, rt, () => this.deliver(record));
        return;
    }
  }

  private run(key: string, rt: Runtime, step: () => Promise<number>): void {
    rt.busy = true;
    step().then(
      (nextDelayMs) => {
        rt.busy = false;
        rt.consecutiveFailures = 0;
        rt.lastFailure = undefined;
        if (nextDelayMs > 0) this.schedule(key, nextDelayMs);
        else this.pump(key);
      },
      (error: unknown) => {
        rt.busy = false;
        if (this.jpd.closing) return;
        rt.consecutiveFailures++;
        const unreachable = error instanceof PeerUnreachableError;
        rt.lastFailure = {
          kind: unreachable ? 'unreachable' : 'error',
          message: error instanceof Error ? error.message : String(error),
        };
        const t = this.jpd.timings;
        const backoff = Math.min(
          t.maxRetryIntervalMs,
          t.retryIntervalMs * 2 ** Math.min(rt.consecutiveFailures - 1, 16),
        );
        const retryAfter = error instanceof PeerHttpError ? (error.retryAfterMs ?? 0) : 0;
        this.schedule(key, Math.max(backoff, Math.min(retryAfter, 30_000)));
      },
    );
  }

  /** Copies what the remote lacks, then waits out the configured full-sync duration. */
  private async fullSync(record: OutboundRecord): Promise<number> {
    const rt = this.runtimeOf(outboundKey(record.localKey, record.remoteUrl));
    if (!rt.fullSyncCopied) {
      await copyMissing(this.jpd, record);
      rt.fullSyncCopied = true;
    }
    const remaining = this.jpd.timings.fullSyncRunningMs - (performance.now() - rt.phaseStartedAt);
    if (remaining > 0) return remaining;
    record.fullSync = 'done';
    rt.fullSyncCopied = false;
    rt.phaseStartedAt = performance.now();
    await this.jpd.persist();
    return 0;
  }

  private async deliver(record: OutboundRecord): Promise<number> {
    const oldest = record.queue[0];
    if (oldest === undefined) return 0;
    // Each batch waits the configured delivery delay first (retries do not wait twice).
    const rt = this.runtimeOf(outboundKey(record.localKey, record.remoteUrl));
    if (!rt.deliveryDelayed && rt.consecutiveFailures === 0 && this.jpd.timings.eventDelayMs > 0) {
      rt.deliveryDelayed = true;
      return this.jpd.timings.eventDelayMs;
    }
    rt.deliveryDelayed = false;
    const batch = record.queue.slice(0, EVENT_BATCH);
    await sendEvents(this.jpd, record, batch);
    record.queue.splice(0, batch.length);
    await this.jpd.persist();
    return 0;
  }
}
