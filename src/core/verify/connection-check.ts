/**
 * Whether a repository's federation connections, as the status endpoints report them on its
 * source, show every declared member where it should be. Pure: the verifier polls, and hands the
 * answers, the time and what earlier polls saw to `checkConnections`.
 *
 * The documents leave the receiver's marker open (docs/compatibility.md): JFrog's unidirectional sync document says only that
 * "Receiver members surface as Receiving_Only", elsewhere "Receiving Only", and never which
 * directed entry carries it. So every reading consistent with them is accepted:
 *   - states compare case-insensitively, `_` and space alike (`Receiving Only` = `RECEIVING_ONLY`);
 *   - source -> receiver is HEALTHY or Receiving_Only;
 *   - receiver -> source is Receiving_Only, or absent, or HEALTHY when the marker is on the
 *     source -> receiver entry (the marker must show somewhere unless the entry is absent:
 *     HEALTHY both ways is how a bidirectional member looks, so that keeps polling);
 *   - a bidirectional member is HEALTHY both ways; a disabled one DISABLED (its return entry may
 *     be absent, and a receiver's may show the marker instead).
 * PENDING_FS, FULL_SYNC_RUNNING and DELAYED keep polling. ERROR fails at once; NOT_AVAILABLE fails
 * once it has been seen on consecutive polls for the grace period. N/A (a member without the
 * Federation Service, `supported: false`) cannot be verified. Any other string is kept verbatim
 * and keeps polling.
 */
import type { FedctlErrorCode } from '../errors.js';
import { normalizeMemberUrl } from '../live/state.js';
import { findJpd, type MemberSpec, type RepoSpec, type Topology } from '../topology/model.js';
import { classOf, type StateClass } from './states.js';

// The state vocabulary and the stateList reading have modules of their own; callers find them here.
export { isProgressState, normalizeState } from './states.js';
export {
  judgeStateList,
  type StateListEntry,
  type StateListMember,
  type StateListVerdict,
} from './state-list.js';

/** One directed connection as a status endpoint reports it. */
export interface ConnectionReport {
  readonly localPlatformUrl: string;
  readonly remotePlatformUrl: string;
  readonly status: string;
  readonly lagInMs: number;
  readonly queuedEvents: number;
}

/** What one directed entry means for its member. */
export type CheckVerdict = 'converged' | 'pending' | 'failed' | 'unknown' | 'unverifiable';

export interface MemberCheck {
  readonly member: string;
  /**
   * send: the source to the member; receive: the member back to the source; both: the member's
   * aggregated state in the source's stateList (both directions at once).
   */
  readonly direction: 'send' | 'receive' | 'both';
  /** The states accepted, for people: `HEALTHY or Receiving_Only`. */
  readonly expected: string;
  /** What the source reported, verbatim; absent when the entry was not listed. */
  readonly actual?: string;
  readonly lagInMs?: number;
  readonly queuedEvents?: number;
  readonly verdict: CheckVerdict;
}

/** One poll's judgement of a repository: pending keeps polling, the others are final. */
export type RepoCheckStatus = 'converged' | 'pending' | 'failed' | 'unverifiable';

export interface RepoCheck {
  readonly status: RepoCheckStatus;
  readonly checks: readonly MemberCheck[];
  /** For failed and unverifiable: one line naming the member, state, lag and queued events. */
  readonly reason?: string;
  /** When each entry (`member:direction`) was first seen NOT_AVAILABLE in the current streak. */
  readonly notAvailableSince: ReadonlyMap<string, number>;
}

export interface CheckContext {
  /** The time of this poll (ms). */
  readonly now: number;
  /** How long NOT_AVAILABLE may last before the repository fails. */
  readonly graceMs: number;
  /** The previous poll's `notAvailableSince` (empty on the first). */
  readonly notAvailableSince: ReadonlyMap<string, number>;
}

/** The final verdict on a repository, as the report shows it. */
export type VerificationStatus = 'converged' | 'failed' | 'unverifiable' | 'timed-out';

export interface RepoVerification {
  readonly jpd: string;
  readonly repoKey: string;
  readonly status: VerificationStatus;
  /** status === 'converged', kept for readers of the first report format. */
  readonly converged: boolean;
  readonly checks: readonly MemberCheck[];
  /** Why it failed or could not be verified. */
  readonly reason?: string;
  /** Set when the status endpoint itself failed on the last poll. */
  readonly error?: string;
  /** The code of that failure (docs/errors.md), when it was one. */
  readonly errorCode?: FedctlErrorCode;
}

/** What a member's two entries may show once it has converged. */
interface Accepts {
  readonly send: readonly StateClass[];
  readonly receive: readonly StateClass[];
  readonly receiveMayBeAbsent: boolean;
  readonly expected: { readonly send: string; readonly receive: string };
}

function accepts(m: Pick<MemberSpec, 'mode' | 'enabled'>): Accepts {
  const receiver = m.mode === 'receiver';
  if (!m.enabled) {
    const states: StateClass[] = receiver ? ['disabled', 'marker'] : ['disabled'];
    return {
      send: states,
      receive: states,
      receiveMayBeAbsent: true,
      expected: { send: 'DISABLED', receive: 'DISABLED (or not listed)' },
    };
  }
  if (receiver) {
    return {
      send: ['healthy', 'marker'],
      // HEALTHY back is accepted only with the marker on send; see acceptReceive.
      receive: ['marker', 'healthy'],
      receiveMayBeAbsent: true,
      expected: { send: 'HEALTHY or Receiving_Only', receive: 'Receiving_Only (or not listed)' },
    };
  }
  return {
    send: ['healthy'],
    receive: ['healthy'],
    receiveMayBeAbsent: false,
    expected: { send: 'HEALTHY', receive: 'HEALTHY' },
  };
}

export function checkConnections(
  topology: Topology,
  spec: RepoSpec,
  connections: readonly ConnectionReport[],
  context: CheckContext,
): RepoCheck {
  const platform = (jpd: string): string =>
    normalizeMemberUrl(`${findJpd(topology, jpd)?.url ?? jpd}/artifactory`);
  const byDirection = new Map(
    connections.map((c) => [
      `${normalizeMemberUrl(c.localPlatformUrl)}\u0000${normalizeMemberUrl(c.remotePlatformUrl)}`,
      c,
    ]),
  );
  const find = (from: string, to: string): ConnectionReport | undefined =>
    byDirection.get(`${platform(from)}\u0000${platform(to)}`);
  const checks: MemberCheck[] = [];
  const notAvailableSince = new Map<string, number>();
  const reasons = new Map<MemberCheck, string>();
  for (const m of spec.members) {
    const rule = accepts(m);
    const send = find(spec.source, m.jpd);
    const receive = find(m.jpd, spec.source);
    const sendMarked = send !== undefined && classOf(send.status) === 'marker';
    const entries = [
      { direction: 'send' as const, report: send, ok: rule.send, optional: false },
      {
        direction: 'receive' as const,
        report: receive,
        // A receiver that is HEALTHY both ways looks bidirectional: wait for the marker.
        ok:
          m.enabled && m.mode === 'receiver' && !sendMarked
            ? rule.receive.filter((c) => c !== 'healthy')
            : rule.receive,
        optional: rule.receiveMayBeAbsent,
      },
    ];
    for (const e of entries) {
      const key = `${m.jpd}:${e.direction}`;
      const judged = judgeEntry(e.report, e.ok, e.optional, key, context);
      if (judged.notAvailableSince !== undefined) {
        notAvailableSince.set(key, judged.notAvailableSince);
      }
      const check: MemberCheck = {
        member: m.jpd,
        direction: e.direction,
        expected: rule.expected[e.direction],
        ...(e.report === undefined
          ? {}
          : {
              actual: e.report.status,
              lagInMs: e.report.lagInMs,
              queuedEvents: e.report.queuedEvents,
            }),
        verdict: judged.verdict,
      };
      checks.push(check);
      if (judged.why !== undefined) {
        const [from, to] = e.direction === 'send' ? [spec.source, m.jpd] : [m.jpd, spec.source];
        reasons.set(check, `member ${m.jpd} (${from} -> ${to}) ${judged.why}`);
      }
    }
  }
  return { ...repoStatus(checks, reasons), checks, notAvailableSince };
}

interface EntryJudgement {
  readonly verdict: CheckVerdict;
  /** For failed and unverifiable: what is wrong, with the state, lag and queued events. */
  readonly why?: string;
  readonly notAvailableSince?: number;
}

function judgeEntry(
  report: ConnectionReport | undefined,
  ok: readonly StateClass[],
  optional: boolean,
  key: string,
  context: CheckContext,
): EntryJudgement {
  if (report === undefined) return { verdict: optional ? 'converged' : 'pending' };
  const state = classOf(report.status);
  const load = `lag ${String(report.lagInMs)} ms, ${String(report.queuedEvents)} queued ${report.queuedEvents === 1 ? 'event' : 'events'}`;
  if (state === undefined) return { verdict: 'unknown' };
  if (ok.includes(state)) return { verdict: 'converged' };
  switch (state) {
    case 'error':
      return { verdict: 'failed', why: `is ${report.status}, ${load}` };
    case 'unavailable': {
      const since = context.notAvailableSince.get(key) ?? context.now;
      const lasted = context.now - since;
      if (lasted < context.graceMs) return { verdict: 'pending', notAvailableSince: since };
      return {
        verdict: 'failed',
        why: `is ${report.status} for ${seconds(lasted)}, past the ${seconds(context.graceMs)} grace period, ${load}`,
        notAvailableSince: since,
      };
    }
    case 'unsupported':
      return {
        verdict: 'unverifiable',
        why: `reports ${report.status}: no federation status for this connection (not supported)`,
      };
    default:
      return { verdict: 'pending' };
  }
}

function repoStatus(
  checks: readonly MemberCheck[],
  reasons: ReadonlyMap<MemberCheck, string>,
): Pick<RepoCheck, 'status' | 'reason'> {
  const first = (verdict: CheckVerdict): MemberCheck | undefined =>
    checks.find((c) => c.verdict === verdict);
  const failed = first('failed');
  if (failed !== undefined) return { status: 'failed', reason: reasons.get(failed) ?? '' };
  if (checks.some((c) => c.verdict === 'pending' || c.verdict === 'unknown')) {
    return { status: 'pending' };
  }
  const unverifiable = first('unverifiable');
  if (unverifiable !== undefined) {
    return { status: 'unverifiable', reason: reasons.get(unverifiable) ?? '' };
  }
  return { status: 'converged' };
}

function seconds(ms: number): string {
  return `${String(Math.round(ms / 100) / 10)}s`;
}

/** One line per repository: `hub/libs: ok: eu HEALTHY, back Receiving_Only`. */
export function describeVerification(r: RepoVerification): string {
  const members = [...new Set(r.checks.map((c) => c.member))].map((m) => {
    const send = r.checks.find((c) => c.member === m && c.direction === 'send');
    const receive = r.checks.find((c) => c.member === m && c.direction === 'receive');
    const show = (c: MemberCheck | undefined): string =>
      c === undefined
        ? '?'
        : c.verdict === 'converged'
          ? (c.actual ?? 'not listed')
          : `${c.actual ?? 'not listed'} (want ${c.expected})`;
    const both = r.checks.find((c) => c.member === m && c.direction === 'both');
    // The legacy engine reports the source's outbound mirrors only: no "back".
    if (both === undefined && receive === undefined) return `${m} ${show(send)}`;
    return both === undefined
      ? `${m} ${show(send)}, back ${show(receive)}`
      : `${m} ${show(both)} (stateList)`;
  });
  const head = `${r.jpd}/${r.repoKey}`;
  const error = r.error === undefined ? '' : ` (${r.error})`;
  switch (r.status) {
    case 'converged':
      return `${head}: ok: ${members.join('; ')}`;
    case 'failed':
      return `${head}: FAILED: ${r.reason ?? 'no reason given'}`;
    case 'unverifiable':
      return `${head}: unverified: ${r.reason ?? 'no reason given'}`;
    case 'timed-out':
      return `${head}: NOT CONVERGED${error}${members.length > 0 ? `: ${members.join('; ')}` : ''}`;
  }
}
