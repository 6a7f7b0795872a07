/**
 * One connection's health, judged from what a status endpoint reported with the verifier's
 * tolerant rules plus the lag and queue thresholds; and how lag and load are said. Pure; a leaf of
 * core/verify/federation-health.ts, which re-exports it.
 */
import { isProgressState, type MemberCheck } from './connection-check.js';
import { DEFAULTS } from '../cli/defaults.js';
import { parseDuration } from '../cli/option-values.js';

export interface HealthThresholds {
  /** A connection whose oldest undelivered event is older than this is unhealthy (ms). */
  readonly maxLagMs: number;
  /** A connection with more queued events than this is unhealthy. */
  readonly maxQueued: number;
}

export const DEFAULT_MAX_LAG_MS = parseDuration('max-lag', DEFAULTS['max-lag'], 's');
export const DEFAULT_MAX_QUEUED = Number(DEFAULTS['max-queued']);

export type HealthVerdict = 'healthy' | 'unhealthy' | 'unknown';

/** One directed connection of a member, or both at once when stateList alone was read. */
export interface ConnectionHealth {
  readonly member: string;
  /** send: source -> member; receive: member -> source; both: stateList's aggregate of the two. */
  readonly direction: 'send' | 'receive' | 'both';
  readonly from: string;
  readonly to: string;
  /** The states accepted, for people. */
  readonly expected: string;
  /** As reported, verbatim; absent when the entry was not listed. */
  readonly state?: string;
  readonly lagInMs?: number;
  readonly queuedEvents?: number;
  readonly verdict: HealthVerdict;
  /** For unhealthy and unknown: one line with the state, lag and queued events. */
  readonly reason?: string;
}

export function judgeCheck(source: string, c: MemberCheck, t: HealthThresholds): ConnectionHealth {
  const [from, to] = c.direction === 'send' ? [source, c.member] : [c.member, source];
  const reading = {
    member: c.member,
    direction: c.direction,
    from,
    to,
    expected: c.expected,
    ...(c.actual === undefined ? {} : { state: c.actual }),
    ...(c.lagInMs === undefined ? {} : { lagInMs: c.lagInMs }),
    ...(c.queuedEvents === undefined ? {} : { queuedEvents: c.queuedEvents }),
  };
  const who = `member ${c.member} (${from} -> ${to})`;
  const load =
    c.actual === undefined ? '' : `, ${describeLoad(c.lagInMs ?? 0, c.queuedEvents ?? 0)}`;
  const over = overThresholds(c, t);
  if (over !== undefined) {
    return {
      ...reading,
      verdict: 'unhealthy',
      reason: `${who} is ${c.actual ?? 'not listed'}${load}: ${over}`,
    };
  }
  switch (c.verdict) {
    case 'converged':
      return { ...reading, verdict: 'healthy' };
    case 'failed':
      return {
        ...reading,
        verdict: 'unhealthy',
        reason: `${who} is ${c.actual ?? 'not listed'}${load}`,
      };
    case 'unverifiable':
      return {
        ...reading,
        verdict: 'unknown',
        reason: `${who} reports ${c.actual ?? 'N/A'}: no federation status for this connection`,
      };
    case 'unknown':
      return {
        ...reading,
        verdict: 'unknown',
        reason: `${who} reports ${c.actual ?? ''}, a state fedctl does not know${load}`,
      };
    case 'pending':
      if (c.actual !== undefined && isProgressState(c.actual))
        return { ...reading, verdict: 'healthy' };
      return {
        ...reading,
        verdict: 'unhealthy',
        reason: `${who} is ${c.actual ?? 'not listed'}${load}; want ${c.expected}`,
      };
  }
}

function overThresholds(c: MemberCheck, t: HealthThresholds): string | undefined {
  const over: string[] = [];
  if (c.lagInMs !== undefined && c.lagInMs > t.maxLagMs) {
    over.push(`lag over --max-lag ${formatDuration(t.maxLagMs)}`);
  }
  if (c.queuedEvents !== undefined && c.queuedEvents > t.maxQueued) {
    over.push(`queue over --max-queued ${t.maxQueued}`);
  }
  return over.length === 0 ? undefined : over.join(', ');
}

/** `lag 1m30s, 7 queued events` */
export function describeLoad(lagInMs: number, queuedEvents: number): string {
  return `lag ${formatDuration(lagInMs)}, ${queuedEvents} queued ${queuedEvents === 1 ? 'event' : 'events'}`;
}

/** `0s`, `850ms`, `42s`, `1m30s`, `2h05m`: short and exact enough for a lag. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 === 0 ? '' : `${String(s % 60).padStart(2, '0')}s`}`;
  const h = Math.floor(m / 60);
  return `${h}h${m % 60 === 0 ? '' : `${String(m % 60).padStart(2, '0')}m`}`;
}
