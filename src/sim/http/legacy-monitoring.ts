/**
 * The legacy federation engine's monitoring and the engine endpoints (`dialects.ts`
 * `federationEngine`): what a JPD without RTFS answers, and what tells the engines apart.
 *
 *   GET /api/federation/state                       [{key, status, members: [{remoteKey, remoteUrl}]}]
 *   GET /api/federation/status/repo/{key}           v1: mirror status SYNC | OUT_OF_SYNC
 *   GET /api/v2/federation/status/repo/{key}        v2 (from 7.82.2): RTFS-like words (HEALTHY ...)
 *   GET /api/federation/status/mirrorsLag           [{localRepoKey, remoteUrl, remoteRepoKey, lagInMS}]
 *   GET /api/federation/status/unavailableMirrors   [{localRepoKey, remoteUrl, remoteRepoKey, status}]
 *   GET /api/federation/migration/status            MIGRATION_COMPLETED | MIGRATING_EVENTS_TO_RTFS | Status not configured
 *   GET /federation/rtfs                            true | false (outside /artifactory)
 *
 * Under RTFS the legacy endpoints answer 405 "RTFS is enabled" (JFrog's OpenAPI); without legacy
 * monitoring (`no-federation-service`, or a version before 7.49.3) they are absent (404).
 *
 * The legacy engine reports only this JPD's outbound mirrors (no peer is asked). A mirror's state
 * is its connection's (connections.ts), in RTFS words for v2; v1 knows SYNC (HEALTHY or DELAYED)
 * and OUT_OF_SYNC (anything else), and DISABLED for a disabled member (the simulator's choice:
 * JFrog lists only SYNC and OUT_OF_SYNC). A repository's `federation/state` status is DISABLED
 * when no member is enabled, FULL_SYNC_RUNNING while a mirror waits for or runs its full sync,
 * OUT_OF_SYNC when a mirror is in ERROR or NOT_AVAILABLE, else SYNCING. A connection override
 * forces a mirror verbatim; an override in a legacy repository word (SYNCING, OUT_OF_SYNC,
 * FULL_SYNC_RUNNING, DISABLED) forces the repository's status too.
 */
import {
  compareVersions,
  federationEngine,
  SINCE,
  servesLegacyMonitoring,
} from '../state/dialects.js';
import type { JpdHost } from '../jpd-host.js';
import { outboundKey, type RepoRecord } from '../state/model.js';
import { overrideOf } from '../state/overrides.js';
import { selfMember } from '../state/repositories.js';
import { parseMemberUrl } from '../state/urls.js';
import { ArtifactoryHttpError } from './http-util.js';

const LEGACY_REPO_WORDS = new Set(['SYNCING', 'OUT_OF_SYNC', 'FULL_SYNC_RUNNING', 'DISABLED']);

interface Mirror {
  readonly remoteUrl: string;
  readonly remoteRepoKey: string;
  readonly baseUrl: string;
  /** RTFS words, or an override's verbatim. */
  readonly status: string;
  readonly forced: boolean;
  readonly lagInMs: number;
  readonly queuedEvents: number;
  readonly oldest: number;
}

/** 405 under RTFS, 404 where the legacy monitoring does not exist. */
export function requireLegacyMonitoring(jpd: JpdHost, v2 = false): void {
  const { dialect, version } = jpd.settings;
  if (federationEngine(dialect, version) === 'rtfs') {
    throw new ArtifactoryHttpError(405, 'RTFS is enabled');
  }
  if (!servesLegacyMonitoring(dialect, version)) throw new ArtifactoryHttpError(404, 'Not Found');
  if (v2 && compareVersions(version, SINCE.legacyRepoStatusV2) < 0) {
    throw new ArtifactoryHttpError(404, 'Not Found');
  }
}

function mirrorsOf(jpd: JpdHost, repo: RepoRecord): Mirror[] {
  const self = selfMember(repo, jpd.baseUrl);
  const out: Mirror[] = [];
  for (const m of repo.members) {
    if (m.url === self?.url) continue;
    const remote = parseMemberUrl(m.url);
    const base = { remoteUrl: m.url, remoteRepoKey: remote.repoKey, baseUrl: remote.baseUrl };
    const override = overrideOf(jpd, repo.key, m.url);
    if (override !== undefined) {
      out.push({ ...base, ...override, forced: true, oldest: 0 });
      continue;
    }
    const idle = { forced: false, lagInMs: 0, queuedEvents: 0, oldest: 0 };
    if (self?.enabled !== true || !m.enabled) {
      out.push({ ...base, ...idle, status: 'DISABLED' });
      continue;
    }
    const record = jpd.state.outbound.get(outboundKey(repo.key, m.url));
    if (record === undefined) {
      out.push({ ...base, ...idle, status: 'PENDING_FS' });
      continue;
    }
    const state = jpd.connections.stateOf(record);
    out.push({ ...base, ...state, forced: false, oldest: record.queue[0]?.registeredAt ?? 0 });
  }
  return out;
}

function repoStatus(mirrors: readonly Mirror[]): string {
  const forced = mirrors.find((m) => m.forced && LEGACY_REPO_WORDS.has(m.status));
  if (forced !== undefined) return forced.status;
  const live = mirrors.filter((m) => m.status !== 'DISABLED');
  if (live.length === 0) return 'DISABLED';
  const has = (...states: string[]) => live.some((m) => states.includes(m.status));
  if (has('PENDING_FS', 'FULL_SYNC_RUNNING')) return 'FULL_SYNC_RUNNING';
  if (live.some((m) => !['HEALTHY', 'DELAYED', 'SYNCING', 'SYNC'].includes(m.status))) {
    return 'OUT_OF_SYNC';
  }
  return 'SYNCING';
}

function federated(jpd: JpdHost): RepoRecord[] {
  return [...jpd.state.repos.values()]
    .filter((r) => r.rclass === 'federated')
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** `GET /api/federation/state`, in the schema's spelling unless `legacy-doc-fields`. */
export function legacyState(jpd: JpdHost): unknown[] {
  requireLegacyMonitoring(jpd);
  const doc = jpd.settings.dialect.legacyDocFields;
  return federated(jpd).map((repo) => {
    const mirrors = mirrorsOf(jpd, repo);
    const status = repoStatus(mirrors);
    const members = mirrors
      .filter((m) => m.status !== 'DISABLED' || m.forced)
      .map((m) =>
        doc
          ? { remoteUrl: `${m.baseUrl}/artifactory/`, remoteRepoKey: m.remoteRepoKey }
          : { remoteKey: m.remoteRepoKey, remoteUrl: `${m.baseUrl}/artifactory` },
      );
    return doc
      ? { localRepoKey: repo.key, status, members: status === 'DISABLED' ? [] : members }
      : { key: repo.key, status, members: status === 'DISABLED' ? [] : members };
  });
}

function v1Word(status: string, forced: boolean): string {
  if (forced) return status;
  if (status === 'HEALTHY' || status === 'DELAYED') return 'SYNC';
  return status === 'DISABLED' ? 'DISABLED' : 'OUT_OF_SYNC';
}

/** `GET /api[/v2]/federation/status/repo/{key}`. */
export function legacyRepoStatus(jpd: JpdHost, key: string, v2: boolean): Record<string, unknown> {
  requireLegacyMonitoring(jpd, v2);
  const repo = jpd.state.repos.get(key);
  if (repo === undefined) throw new ArtifactoryHttpError(404, 'Repository not found');
  if (repo.rclass !== 'federated') {
    throw new ArtifactoryHttpError(400, `Repository '${key}' is not a federated repository`);
  }
  const files = jpd.state.content.get(key)?.files.size ?? 0;
  return {
    localKey: repo.key,
    binariesTasksInfo: { inProgressTasks: 0, failingTasks: 0 },
    mirrorEventsStatusInfo: mirrorsOf(jpd, repo).map((m) => ({
      remoteUrl: `${m.baseUrl}/artifactory/`,
      remoteRepoKey: m.remoteRepoKey,
      status: v2 ? m.status : v1Word(m.status, m.forced),
      createEvents: m.queuedEvents,
      updateEvents: 0,
      deleteEvents: 0,
      propsEvents: 0,
      errorEvents: 0,
      lagInMS: m.lagInMs,
      eventRegistrationTimeStamp: m.oldest,
    })),
    federatedArtifactStatus: {
      countFullyReplicateArtifacts: files,
      countArtificiallyReplicatedArtifacts: 0,
    },
  };
}

/** `GET /api/federation/status/mirrorsLag[?thresholdTimeInMs=]`. */
export function mirrorsLag(jpd: JpdHost, threshold: string | null): unknown[] {
  requireLegacyMonitoring(jpd);
  const min = threshold === null || threshold === '' ? -1 : Number(threshold);
  if (!Number.isFinite(min)) throw new ArtifactoryHttpError(400, 'Invalid thresholdTimeInMs');
  return federated(jpd).flatMap((repo) =>
    mirrorsOf(jpd, repo)
      .filter((m) => m.lagInMs > min)
      .map((m) => ({
        localRepoKey: repo.key,
        remoteUrl: `${m.baseUrl}/artifactory/`,
        remoteRepoKey: m.remoteRepoKey,
        lagInMS: m.lagInMs,
        eventRegistrationTimeStamp: m.oldest,
      })),
  );
}

/** `GET /api/federation/status/unavailableMirrors`: mirrors not in sync (statuses undocumented). */
export function unavailableMirrors(jpd: JpdHost): unknown[] {
  requireLegacyMonitoring(jpd);
  return federated(jpd).flatMap((repo) =>
    mirrorsOf(jpd, repo)
      .filter((m) => !['HEALTHY', 'DELAYED', 'DISABLED'].includes(m.status))
      .map((m) => ({
        localRepoKey: repo.key,
        remoteUrl: `${m.baseUrl}/artifactory/`,
        remoteRepoKey: m.remoteRepoKey,
        status: m.status,
      })),
  );
}

/**
 * `GET /api/federation/migration/status`: text, as JFrog's migration guide shows it. Absent
 * before RTFS existed. A JPD that runs RTFS says MIGRATION_COMPLETED (the simulator's reading for
 * one that never ran the legacy engine: the guide does not say).
 */
export function migrationStatus(jpd: JpdHost): string {
  const { dialect, version } = jpd.settings;
  if (compareVersions(version, SINCE.rtfs) < 0) throw new ArtifactoryHttpError(404, 'Not Found');
  const engine = federationEngine(dialect, version);
  if (engine === 'migrating') return 'MIGRATING_EVENTS_TO_RTFS';
  return engine === 'rtfs' ? 'MIGRATION_COMPLETED' : 'Status not configured';
}

/** `GET /federation/rtfs`: "true if migration has completed successfully". */
export function rtfsFlag(jpd: JpdHost): string {
  const { dialect, version } = jpd.settings;
  if (compareVersions(version, SINCE.rtfs) < 0) throw new ArtifactoryHttpError(404, 'Not Found');
  return federationEngine(dialect, version) === 'rtfs' ? 'true' : 'false';
}
