/**
 * What fedctl read from the JPDs, reduced to what it manages and normalised so that comparing it
 * with the topology is exact: an applied topology must plan to zero changes, every time.
 */
import type { MemberMode } from '../topology/model.js';

export interface LiveMember {
  /** As the server returned it (for display). */
  readonly url: string;
  readonly enabled: boolean;
  readonly mode: MemberMode;
}

export interface LiveRepo {
  readonly key: string;
  readonly packageType: string;
  readonly description?: string;
  readonly members: readonly LiveMember[];
  /** What fedctl last wrote to this repository (from its `notes`), if it ever did. */
  readonly lastApplied?: LastApplied;
  /** The user's own notes, without fedctl's record, so a write keeps them. */
  readonly userNotes?: string;
  /** The project this copy is assigned to (absent: none). */
  readonly projectKey?: string;
  /** Its environments, when the JPD returned them. */
  readonly environments?: readonly string[];
}

/** A repository that is not federated, by key: fedctl must not try to create one over it. */
export interface LiveOtherRepo {
  readonly key: string;
  readonly rclass: string;
  /** From the repository list, for a `convert: local` conversion (lower case). */
  readonly packageType?: string;
  readonly description?: string;
}

export interface LiveJpd {
  readonly name: string;
  /** Federated repositories on this JPD. */
  readonly repos: readonly LiveRepo[];
  readonly otherRepos: readonly LiveOtherRepo[];
  /**
   * Keys `GET /api/federation/inconsistentRepos` listed: repositories whose configuration differs
   * from a member's. Absent where the JPD has no such endpoint (before 7.108.3).
   */
  readonly inconsistent?: readonly string[];
}

export interface LiveState {
  /** Every JPD of the topology that was read, by name. */
  readonly jpds: Readonly<Record<string, LiveJpd>>;
}

/**
 * fedctl's record of what it last applied to a repository, kept in the repository's `notes` like
 * kubectl's last-applied-configuration annotation: the only way to tell drift (someone changed a
 * JPD) from a pending change (someone changed the topology) without a state file.
 */
export interface LastApplied {
  /** Normalised URL of the source copy: only that copy is the federation's owner. */
  readonly source: string;
  /** Normalised member URL -> what fedctl set. */
  readonly members: Readonly<
    Record<string, { readonly mode: MemberMode; readonly enabled: boolean }>
  >;
  /**
   * The topology said `protect: true` when fedctl last wrote the repository. Recorded here, not
   * only in the topology, so that the protection outlives the repository's removal from the
   * file (Terraform's prevent_destroy does not: hashicorp/terraform#17599).
   */
  readonly protect?: true;
}

const RECORD_PREFIX = 'fedctl:last-applied ';

/** Member URLs compare case-insensitively (hosts and Artifactory repo keys are) and without trailing slashes. */
export function normalizeMemberUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').toLowerCase();
}

/** Splits `notes` into the user's text and fedctl's record. Unknown or broken records are ignored. */
export function parseNotes(notes: string | undefined): {
  userNotes?: string;
  lastApplied?: LastApplied;
} {
  if (notes === undefined || notes === '') return {};
  const lines = notes.split('\n');
  const index = lines.findIndex((l) => l.startsWith(RECORD_PREFIX));
  if (index === -1) return { userNotes: notes };
  const rest = lines.filter((_, i) => i !== index).join('\n');
  const parsed = parseRecord(lines[index]?.slice(RECORD_PREFIX.length) ?? '');
  return {
    ...(rest === '' ? {} : { userNotes: rest }),
    ...(parsed === undefined ? {} : { lastApplied: parsed }),
  };
}

function parseRecord(json: string): LastApplied | undefined {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || !('m' in data) || !('s' in data))
    return undefined;
  const m: unknown = data.m;
  const source: unknown = data.s;
  if (typeof source !== 'string') return undefined;
  if (typeof m !== 'object' || m === null) return undefined;
  const members: Record<string, { mode: MemberMode; enabled: boolean }> = {};
  for (const [url, value] of Object.entries(m)) {
    if (typeof value !== 'string') return undefined;
    // Compact form: "r" / "b" for the mode, with "-" appended when disabled.
    const mode = value.startsWith('r')
      ? 'receiver'
      : value.startsWith('b')
        ? 'bidirectional'
        : undefined;
    if (mode === undefined) return undefined;
    members[url] = { mode, enabled: !value.endsWith('-') };
  }
  // `p` appeared with protection; records written before it have none and read as unprotected.
  const protect = 'p' in data && data.p === 1;
  return protect ? { source, members, protect } : { source, members };
}

/** The `notes` value to write: the user's text kept, fedctl's record on its own last line. */
export function formatNotes(userNotes: string | undefined, record: LastApplied): string {
  const m: Record<string, string> = {};
  for (const url of Object.keys(record.members).sort()) {
    const member = record.members[url];
    if (member === undefined) continue;
    m[url] = `${member.mode === 'receiver' ? 'r' : 'b'}${member.enabled ? '' : '-'}`;
  }
  const line = `${RECORD_PREFIX}${JSON.stringify({ s: record.source, m, ...(record.protect === true ? { p: 1 } : {}) })}`;
  return userNotes === undefined || userNotes === '' ? line : `${userNotes}\n${line}`;
}

/** Lookups by JPD and case-insensitive key, built once per plan (a scan per lookup is quadratic). */
export interface LiveIndex {
  repo(jpd: string, key: string): LiveRepo | undefined;
  other(jpd: string, key: string): LiveOtherRepo | undefined;
  /** Listed by that JPD's `inconsistentRepos`. */
  inconsistent(jpd: string, key: string): boolean;
  /** Normalised source URLs that fedctl records on any JPD name as theirs. */
  readonly recordedSources: ReadonlySet<string>;
}

export function indexLive(live: LiveState): LiveIndex {
  const repos = new Map<string, LiveRepo>();
  const others = new Map<string, LiveOtherRepo>();
  const recordedSources = new Set<string>();
  const inconsistent = new Set<string>();
  const id = (jpd: string, key: string): string => `${jpd}\u0000${key.toLowerCase()}`;
  for (const jpd of Object.values(live.jpds)) {
    for (const r of jpd.repos) {
      repos.set(id(jpd.name, r.key), r);
      if (r.lastApplied !== undefined) recordedSources.add(r.lastApplied.source);
    }
    for (const r of jpd.otherRepos) others.set(id(jpd.name, r.key), r);
    for (const key of jpd.inconsistent ?? []) inconsistent.add(id(jpd.name, key));
  }
  return {
    repo: (jpd, key) => repos.get(id(jpd, key)),
    other: (jpd, key) => others.get(id(jpd, key)),
    inconsistent: (jpd, key) => inconsistent.has(id(jpd, key)),
    recordedSources,
  };
}
