/**
 * Federation health on the legacy engine (federation inside Artifactory, without RTFS), judged
 * from its own status words. Pure; io/verify/federation-states.ts reads, this decides.
 *
 *   - `GET /api/federation/state` gives one status per repository: SYNCING (healthy),
 *     FULL_SYNC_RUNNING (on its way), OUT_OF_SYNC (unhealthy), DISABLED, and its members. A
 *     repository SYNCING with every declared member listed is decided healthy from that alone
 *     (as stateList does on RTFS): the request budget is one such read per JPD per poll.
 *   - `status/repo` (v2 where it exists, else v1) gives each outbound mirror's status and
 *     `lagInMS`: read only for what federation/state leaves undecided (JFrog: "a high impact on the
 *     database"). v1 says SYNC or OUT_OF_SYNC; v2 "a wider range" (HEALTHY in JFrog's sample), read
 *     with the RTFS words. An OUT_OF_SYNC mirror while its repository runs a full sync is on its
 *     way; otherwise it is treated as NOT_AVAILABLE (failing after the grace period), since JFrog
 *     also calls a mirror unsynchronised when it is first added.
 * The legacy engine has no Transmission Mode, so a receiver member cannot be verified there (and
 * the preflight refuses to write one); it only reports this JPD's outbound mirrors, so each
 * member is judged on its source -> member direction.
 */
import { normalizeMemberUrl } from '../live/state.js';
import { findJpd, type MemberSpec, type RepoSpec, type Topology } from '../topology/model.js';
import {
  normalizeState,
  type CheckContext,
  type CheckVerdict,
  type MemberCheck,
  type RepoCheck,
  type StateListVerdict,
} from './connection-check.js';

/** One repository of `GET /api/federation/state`. */
export interface LegacyStateEntry {
  readonly localRepoKey: string;
  readonly status: string;
  readonly members: readonly { readonly remoteUrl: string; readonly remoteRepoKey: string }[];
}

/** One outbound mirror of `status/repo`, or of `mirrorsLag` (whose status is the repository's). */
export interface LegacyMirror {
  readonly remoteUrl: string;
  readonly remoteRepoKey: string;
  readonly status: string;
  readonly lagInMs: number;
  /** Events not yet delivered (create, update, delete, property). */
  readonly pendingEvents: number;
}

type LegacyClass =
  'healthy' | 'progress' | 'out-of-sync' | 'error' | 'unavailable' | 'disabled' | 'unsupported';

const CLASS: ReadonlyMap<string, LegacyClass> = new Map<string, LegacyClass>([
  ['SYNCING', 'healthy'],
  ['SYNC', 'healthy'],
  ['HEALTHY', 'healthy'],
  ['FULL_SYNC_RUNNING', 'progress'],
  ['PENDING_FS', 'progress'],
  ['DELAYED', 'progress'],
  ['OUT_OF_SYNC', 'out-of-sync'],
  ['ERROR', 'error'],
  ['NOT_AVAILABLE', 'unavailable'],
  ['DISABLED', 'disabled'],
  ['N/A', 'unsupported'],
]);

const classOf = (status: string): LegacyClass | undefined => CLASS.get(normalizeState(status));

/** A mirror of `member`, matched by its platform (or member) URL and repository key. */
export function mirrorOf<T extends { readonly remoteUrl: string; readonly remoteRepoKey: string }>(
  topology: Topology,
  m: Pick<MemberSpec, 'jpd' | 'repoKey'>,
  mirrors: readonly T[],
): T | undefined {
  const platform = normalizeMemberUrl(`${findJpd(topology, m.jpd)?.url ?? m.jpd}/artifactory`);
  const key = m.repoKey.toLowerCase();
  return mirrors.find((x) => {
    const url = normalizeMemberUrl(x.remoteUrl);
    return (
      (url === platform || url === `${platform}/${key}`) && x.remoteRepoKey.toLowerCase() === key
    );
  });
}

/**
 * Whether federation/state alone shows a repository healthy: SYNCING with every declared member
 * enabled, bidirectional and listed, or DISABLED with every declared member disabled.
 */
export function judgeLegacyState(
  topology: Topology,
  spec: RepoSpec,
  entry: LegacyStateEntry | undefined,
): StateListVerdict {
  if (entry === undefined) return { healthy: false, why: 'not in federation/state' };
  const state = classOf(entry.status);
  if (state === 'disabled' && spec.members.every((m) => !m.enabled)) return { healthy: true };
  if (state !== 'healthy') return { healthy: false, why: `is ${entry.status}` };
  for (const m of spec.members) {
    if (m.mode === 'receiver') return { healthy: false, why: `member ${m.jpd} is a receiver` };
    if (!m.enabled) return { healthy: false, why: `member ${m.jpd} is disabled` };
    if (mirrorOf(topology, m, entry.members) === undefined) {
      return { healthy: false, why: `member ${m.jpd} is not listed` };
    }
  }
  return { healthy: true };
}

interface Judged {
  readonly verdict: CheckVerdict;
  readonly why?: string;
  readonly notAvailableSince?: number;
}

function judgeMirror(
  m: MemberSpec,
  mirror: LegacyMirror | undefined,
  repoState: LegacyClass | undefined,
  key: string,
  context: CheckContext,
): Judged {
  if (m.mode === 'receiver') {
    return { verdict: 'unverifiable', why: 'is a receiver, which the legacy engine cannot hold' };
  }
  if (mirror === undefined) return { verdict: m.enabled ? 'pending' : 'converged' };
  const state = classOf(mirror.status);
  const load = `lag ${String(mirror.lagInMs)} ms, ${String(mirror.pendingEvents)} pending events`;
  if (!m.enabled) return { verdict: state === 'disabled' ? 'converged' : 'pending' };
  switch (state) {
    case 'healthy':
      return { verdict: 'converged' };
    case 'progress':
    case 'disabled':
      return { verdict: 'pending' };
    case 'error':
      return { verdict: 'failed', why: `is ${mirror.status}, ${load}` };
    case 'unsupported':
      return { verdict: 'unverifiable', why: `reports ${mirror.status}: no federation status` };
    case 'out-of-sync':
    case 'unavailable': {
      if (state === 'out-of-sync' && repoState === 'progress') return { verdict: 'pending' };
      const since = context.notAvailableSince.get(key) ?? context.now;
      const lasted = context.now - since;
      if (lasted < context.graceMs) return { verdict: 'pending', notAvailableSince: since };
      return {
        verdict: 'failed',
        why: `is ${mirror.status} for ${String(Math.round(lasted / 100) / 10)}s, past the ${String(Math.round(context.graceMs / 100) / 10)}s grace period, ${load}`,
        notAvailableSince: since,
      };
    }
    case undefined:
      return { verdict: 'unknown' };
  }
}

/** A repository's mirrors as `status/repo` reported them, judged like connectionStates. */
export function checkLegacyMirrors(
  topology: Topology,
  spec: RepoSpec,
  repoStatus: string | undefined,
  mirrors: readonly LegacyMirror[],
  context: CheckContext,
): RepoCheck {
  const repoState = repoStatus === undefined ? undefined : classOf(repoStatus);
  const checks: MemberCheck[] = [];
  const notAvailableSince = new Map<string, number>();
  let failed: string | undefined;
  let unverifiable: string | undefined;
  for (const m of spec.members) {
    const mirror = mirrorOf(topology, m, mirrors);
    const key = `${m.jpd}:send`;
    const judged = judgeMirror(m, mirror, repoState, key, context);
    if (judged.notAvailableSince !== undefined)
      notAvailableSince.set(key, judged.notAvailableSince);
    checks.push({
      member: m.jpd,
      direction: 'send',
      expected: m.enabled ? 'SYNC, SYNCING or HEALTHY' : 'DISABLED (or not listed)',
      ...(mirror === undefined
        ? {}
        : { actual: mirror.status, lagInMs: mirror.lagInMs, queuedEvents: mirror.pendingEvents }),
      verdict: judged.verdict,
    });
    const why =
      judged.why === undefined
        ? undefined
        : `member ${m.jpd} (${spec.source} -> ${m.jpd}) ${judged.why}`;
    if (judged.verdict === 'failed') failed ??= why;
    if (judged.verdict === 'unverifiable') unverifiable ??= why;
  }
  const pending = checks.some((c) => c.verdict === 'pending' || c.verdict === 'unknown');
  const status =
    failed !== undefined
      ? 'failed'
      : pending
        ? 'pending'
        : unverifiable !== undefined
          ? 'unverifiable'
          : 'converged';
  const reason =
    status === 'failed' ? failed : status === 'unverifiable' ? unverifiable : undefined;
  return { status, checks, notAvailableSince, ...(reason === undefined ? {} : { reason }) };
}
