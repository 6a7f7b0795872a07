/**
 * What apply writes to one repository: the member list after the plan's member actions, applied
 * to the configuration read just before the write (a `members` array replaces the whole list, so
 * members the topology does not know must be carried over), and fedctl's last-applied record.
 */
import { formatNotes, normalizeMemberUrl, type LastApplied, type LiveRepo } from '../live/state.js';
import type { Action, MemberTarget, RepoChange } from '../plan/plan.js';
import { compareCodeUnits, type MemberMode } from '../topology/model.js';

type MemberActionType =
  'add-member' | 'set-member-mode' | 'enable-member' | 'disable-member' | 'remove-member';
export type MemberAction = Extract<Action, { type: MemberActionType }>;

export function isMemberAction(a: Action): a is MemberAction {
  return (
    a.type === 'add-member' ||
    a.type === 'set-member-mode' ||
    a.type === 'enable-member' ||
    a.type === 'disable-member' ||
    a.type === 'remove-member'
  );
}

export interface RepoWrite {
  readonly members: readonly MemberTarget[];
  readonly notes: string;
}

/**
 * @param current the repository as read just now
 * @param actions the member actions to apply (all for this repository)
 * @param change the plan's view of the repository: `after` names the members the topology manages
 * @param sourceUrl the repository's own member URL on its source JPD
 * @param protect the topology's `protect` for the repository, recorded with the members
 */
export function nextRepoWrite(
  current: LiveRepo,
  actions: readonly MemberAction[],
  change: Pick<RepoChange, 'after'> | undefined,
  sourceUrl: string,
  protect = false,
): RepoWrite {
  const members = new Map<string, MemberTarget>();
  for (const m of current.members) {
    members.set(normalizeMemberUrl(m.url), { url: m.url, mode: m.mode, enabled: m.enabled });
  }
  for (const a of actions) {
    const url = normalizeMemberUrl(a.member.url);
    if (a.type === 'remove-member') {
      members.delete(url);
      continue;
    }
    const had = members.get(url);
    members.set(url, {
      ...(a.member.jpd === undefined ? {} : { jpd: a.member.jpd }),
      url: had?.url ?? a.member.url,
      mode:
        a.type === 'enable-member' || a.type === 'disable-member'
          ? (had?.mode ?? a.member.mode)
          : a.member.mode,
      enabled: a.type === 'set-member-mode' ? (had?.enabled ?? a.member.enabled) : a.member.enabled,
    });
  }
  const managed = new Set([
    normalizeMemberUrl(sourceUrl),
    ...(change?.after ?? [])
      .filter((m) => m.jpd !== undefined)
      .map((m) => normalizeMemberUrl(m.url)),
    ...Object.keys(current.lastApplied?.members ?? {}),
  ]);
  const record: LastApplied = {
    source: normalizeMemberUrl(sourceUrl),
    members: Object.fromEntries(
      [...members]
        .filter(([url]) => managed.has(url))
        .map(([url, m]) => [url, { mode: m.mode, enabled: m.enabled }]),
    ),
    ...(protect ? { protect } : {}),
  };
  return {
    members: [...members.values()].sort((a, b) =>
      compareCodeUnits(normalizeMemberUrl(a.url), normalizeMemberUrl(b.url)),
    ),
    notes: formatNotes(current.userNotes, record),
  };
}

/** The record for a repository fedctl creates: every member it is created with. */
export function createdRepoNotes(
  members: readonly MemberTarget[],
  sourceUrl: string,
  protect = false,
): string {
  return formatNotes(undefined, {
    source: normalizeMemberUrl(sourceUrl),
    members: Object.fromEntries(
      members.map((m) => [normalizeMemberUrl(m.url), { mode: m.mode, enabled: m.enabled }]),
    ),
    ...(protect ? { protect } : {}),
  });
}

/** A member as it goes on the wire: `mode` only where it must be said. */
export interface MemberWire {
  readonly url: string;
  readonly enabled: boolean;
  readonly mode?: MemberMode;
}

/**
 * The members of a write, with `mode` sent only for a receiver, and `bidirectional` only for a
 * member that changes away from receiver. Absent means bidirectional (JFrog's unidirectional sync document: "bidirectional
 * (default)"), and a JPD without Transmission Mode may refuse or drop the field; neither
 * jfrog-client-go nor the Terraform provider sends it (docs/compatibility.md).
 *
 * @param before the members as read just before the write (none for a create)
 */
export function memberWires(
  members: readonly MemberTarget[],
  before: readonly Pick<MemberTarget, 'url' | 'mode'>[] = [],
): MemberWire[] {
  const wasReceiver = new Set(
    before.filter((m) => m.mode === 'receiver').map((m) => normalizeMemberUrl(m.url)),
  );
  return members.map((m) => ({
    url: m.url,
    enabled: m.enabled,
    ...(m.mode === 'receiver' || wasReceiver.has(normalizeMemberUrl(m.url))
      ? { mode: m.mode }
      : {}),
  }));
}
