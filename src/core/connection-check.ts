/**
 * Whether a repository's federation connections, as the status endpoints report them on its
 * source, show every declared member in the state it should be in. Pure: the verifier polls and
 * hands the answers here.
 *
 * Expected states, per member M of a repository on source S (connectionStates on S lists each
 * directed connection; `localPlatformUrl` is the sending side):
 *   S -> M  HEALTHY (full sync finished; DISABLED when M is declared disabled)
 *   M -> S  Receiving_Only when M is a receiver, HEALTHY when bidirectional (DISABLED if disabled)
 */
import { normalizeMemberUrl } from './live.js';
import { findJpd, type RepoSpec, type Topology } from './topology.js';

/** One directed connection as a status endpoint reports it. */
export interface ConnectionReport {
  readonly localPlatformUrl: string;
  readonly remotePlatformUrl: string;
  readonly status: string;
}

export interface MemberCheck {
  readonly member: string;
  readonly direction: 'send' | 'receive';
  readonly expected: string;
  /** What the source reported last; undefined when the connection was not listed yet. */
  readonly actual?: string;
}

export interface RepoVerification {
  readonly jpd: string;
  readonly repoKey: string;
  readonly converged: boolean;
  readonly checks: readonly MemberCheck[];
  /** Set when the status endpoint itself failed on the last poll. */
  readonly error?: string;
}

export function checkConnections(
  topology: Topology,
  spec: RepoSpec,
  connections: readonly ConnectionReport[],
): RepoVerification {
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
  for (const m of spec.members) {
    const send = find(spec.source, m.jpd);
    const receive = find(m.jpd, spec.source);
    const disabled = !m.enabled;
    checks.push({
      member: m.jpd,
      direction: 'send',
      expected: disabled ? 'DISABLED' : 'HEALTHY',
      ...(send === undefined ? {} : { actual: send.status }),
    });
    checks.push({
      member: m.jpd,
      direction: 'receive',
      expected: disabled ? 'DISABLED' : m.mode === 'receiver' ? 'Receiving_Only' : 'HEALTHY',
      ...(receive === undefined ? {} : { actual: receive.status }),
    });
  }
  return {
    jpd: spec.source,
    repoKey: spec.key,
    converged: checks.every((c) => c.actual === c.expected),
    checks,
  };
}

/** `eu HEALTHY, back Receiving_Only` per member, for the per-repository report. */
export function describeVerification(r: RepoVerification): string {
  const members = [...new Set(r.checks.map((c) => c.member))].map((m) => {
    const send = r.checks.find((c) => c.member === m && c.direction === 'send');
    const receive = r.checks.find((c) => c.member === m && c.direction === 'receive');
    const show = (c: MemberCheck | undefined): string =>
      c === undefined
        ? '?'
        : c.actual === c.expected
          ? c.expected
          : `${c.actual ?? 'not listed'} (want ${c.expected})`;
    return `${m} ${show(send)}, back ${show(receive)}`;
  });
  const state = r.converged ? 'ok' : 'NOT CONVERGED';
  return `${r.jpd}/${r.repoKey}: ${state}${r.error === undefined ? '' : ` (${r.error})`}${members.length > 0 ? `: ${members.join('; ')}` : ''}`;
}
