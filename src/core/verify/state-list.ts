/**
 * The cheap reading: whether the source's `stateList` alone shows a repository healthy, before
 * any `connectionStates` is read.
 */
import { normalizeMemberUrl } from '../live/state.js';
import { findJpd, type MemberSpec, type RepoSpec, type Topology } from '../topology/model.js';
import { classOf, type StateClass } from './states.js';

/** One federation of `GET /api/federation/status/stateList`, as the source reports it. */
export interface StateListEntry {
  readonly localRepoKey: string;
  readonly memberInfoList: readonly StateListMember[];
}

export interface StateListMember {
  /** The member's platform URL, `<base>/artifactory` (the stateList sample of JFrog's documentation). */
  readonly url: string;
  readonly repoKey: string;
  /** The most severe state of the member's connections with the source (verbatim). */
  readonly aggregatedStatus: string;
  readonly supported: boolean;
  readonly disabled: boolean;
  readonly inLag: boolean;
}

export type StateListVerdict =
  { readonly healthy: true } | { readonly healthy: false; readonly why: string };

/**
 * Whether the source's stateList alone shows a repository healthy, so that its connectionStates
 * need not be read. stateList carries no lag or queue numbers, only `inLag`: a member reported
 * HEALTHY (or with the receiving-only marker) and not in lag is taken to be within any lag and
 * queue threshold. A disabled member is healthy as DISABLED (a receiver may show the marker).
 * Anything else (not listed, not supported, in lag, another state, a flag that contradicts the
 * member) needs the repository's connectionStates. The member list is the caller's: the members
 * as they are live, or as declared.
 */
export function judgeStateList(
  topology: Topology,
  spec: RepoSpec,
  entry: StateListEntry | undefined,
): StateListVerdict {
  if (entry === undefined) return { healthy: false, why: 'not in the stateList' };
  for (const m of spec.members) {
    const platform = normalizeMemberUrl(`${findJpd(topology, m.jpd)?.url ?? m.jpd}/artifactory`);
    const key = m.repoKey.toLowerCase();
    const listed = entry.memberInfoList.find((i) => {
      const url = normalizeMemberUrl(i.url);
      // The sample shows the platform URL; a member URL (with the key) is accepted as well.
      return (url === platform || url === `${platform}/${key}`) && i.repoKey.toLowerCase() === key;
    });
    const why = listedWhy(m, listed);
    if (why !== undefined) return { healthy: false, why: `member ${m.jpd} ${why}` };
  }
  return { healthy: true };
}

function listedWhy(
  m: Pick<MemberSpec, 'mode' | 'enabled'>,
  listed: StateListMember | undefined,
): string | undefined {
  if (listed === undefined) return 'is not listed';
  if (!listed.supported) return `is not supported (${listed.aggregatedStatus})`;
  if (listed.inLag) return `is in lag (${listed.aggregatedStatus})`;
  const state = classOf(listed.aggregatedStatus);
  const ok: readonly (StateClass | undefined)[] = !m.enabled
    ? m.mode === 'receiver'
      ? ['disabled', 'marker']
      : ['disabled']
    : ['healthy', 'marker'];
  if (listed.disabled !== !m.enabled || !ok.includes(state)) {
    return `is ${listed.aggregatedStatus}${listed.disabled ? ' (disabled)' : ''}`;
  }
  return undefined;
}
