/**
 * Telling apart "the JPD is as the plan saw it" from "someone changed it since". Artifactory's
 * repository API documents no conditional write (no ETag or If-Match on
 * `POST /api/repositories/{key}`; see docs/api-endpoints.md), so fedctl re-reads a repository
 * just before writing it and compares with what the plan was computed from, then reads it back
 * after the write to catch a write that landed in between. A window of one request remains.
 */
import { canonicalRepo } from '../plan/fingerprint.js';
import { normalizeMemberUrl, parseNotes, type LiveRepo } from '../live/state.js';
import type { MemberTarget } from '../plan/plan.js';
import { compareCodeUnits } from '../topology/model.js';

/** True when nothing fedctl reads of the repository differs between the plan and now. */
export function unchangedSincePlan(planned: LiveRepo, now: LiveRepo): boolean {
  return canonicalRepo(planned) === canonicalRepo(now);
}

export interface WrittenRepo {
  readonly members: readonly MemberTarget[];
  readonly notes: string;
  readonly description?: string;
}

/**
 * True when the repository, read back, shows what fedctl just wrote (nobody wrote after it):
 * the same members, enabled or not, and fedctl's record and the user's notes as written. Member
 * modes are left to the receiver check (io/apply/receiver-mode.ts): a JPD without Transmission Mode
 * drops `mode` from a write that did land, and must be reported as such.
 */
export function writeLanded(written: WrittenRepo, now: LiveRepo): boolean {
  const members = (list: readonly { url: string; enabled: boolean }[]): string =>
    list
      .map((m) => `${normalizeMemberUrl(m.url)} ${String(m.enabled)}`)
      .sort(compareCodeUnits)
      .join('\n');
  const notes = parseNotes(written.notes);
  return (
    members(written.members) === members(now.members) &&
    JSON.stringify(notes.lastApplied ?? null) === JSON.stringify(now.lastApplied ?? null) &&
    (notes.userNotes ?? '') === (now.userNotes ?? '') &&
    (written.description === undefined || written.description === (now.description ?? ''))
  );
}

export function changedSincePlanMessage(jpd: string, repoKey: string): string {
  return `${jpd}/${repoKey} changed on JPD ${jpd} since the plan (by someone else?); nothing was written to it. Run fedctl plan again`;
}

export function changedDuringWriteMessage(jpd: string, repoKey: string): string {
  return `${jpd}/${repoKey} changed on JPD ${jpd} while fedctl was writing it (by someone else?); the JPD now shows the other write. Run fedctl plan again`;
}
