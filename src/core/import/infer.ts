/**
 * `fedctl import`, the pure part: the federated repositories read from several JPDs -> the
 * federations, pairings and JPDs of a topology that plans to zero changes against them.
 *
 * Every member of a federation holds a copy of the same configuration (Artifactory propagates
 * it), so each federation is seen once per JPD given. Only the source's own copy is imported,
 * because it is the one the planner reads and writes; a member's copy is accounted for by its
 * source listing it. The source is, in this order:
 *   1. the member fedctl's record (`notes`) names as the source, when it sends (bidirectional);
 *   2. the only member that sends: receivers are fed from it;
 *   3. a choice, when several members send: `--prefer-source` if it is one of them, else the
 *      first of them in the order the JPDs were given. The written file says so.
 * What cannot be written as a valid topology is skipped, with the reason.
 */
import { globToRegExp } from '../plan/narrow.js';
import { normalizeMemberUrl, type LiveMember, type LiveRepo } from '../live/state.js';
import { repoKeyProblem } from '../topology/rules/invalid-repo-key.js';
import { compareCodeUnits, memberUrl, type PackageType } from '../topology/model.js';
import type {
  ImportJpd,
  ImportOptions,
  ImportedFederation,
  ImportedMember,
  ImportedRepo,
  ImportedTopology,
  SourceBasis,
  Skipped,
} from './model.js';

// What import takes and produces lives in the leaf ./model.ts; re-exported where callers look.
export type * from './model.js';

/** One source copy, imported. */
interface Imported {
  readonly repo: ImportedRepo;
  readonly source: string;
  readonly basis: SourceBasis;
  readonly members: readonly ImportedMember[];
}

interface Located extends LiveMember {
  /** The given JPD the member is on, and its key there; undefined for any other JPD. */
  readonly on?: { readonly jpd: string; readonly key: string };
}

interface Copy {
  readonly jpd: ImportJpd;
  readonly repo: LiveRepo;
  readonly members: readonly Located[];
}

type Inference =
  | { readonly ok: true; readonly source: Located; readonly basis: SourceBasis }
  | { readonly ok: false; readonly reason: string };

export function importTopology(
  given: readonly ImportJpd[],
  options: ImportOptions,
): ImportedTopology {
  const locate = locator(given);
  const only = options.only === undefined ? undefined : globToRegExp(options.only);
  const order = new Map(given.map((j, i) => [j.name, i]));
  const skipped: Skipped[] = [];
  const imported: Imported[] = [];
  const claimed = new Set<string>();
  const copies: { copy: Copy; inference: Inference }[] = [];
  for (const jpd of [...given].sort((a, b) => compareCodeUnits(a.name, b.name))) {
    for (const repo of [...jpd.repos].sort((a, b) => compareCodeUnits(a.key, b.key))) {
      const copy: Copy = {
        jpd,
        repo,
        members: repo.members.map((m) => ({ ...m, ...locate(m.url) })),
      };
      copies.push({ copy, inference: inferSource(copy, options.preferSource, order) });
    }
  }
  // Sources first, so that every member copy can be checked against the source that lists it.
  for (const { copy, inference } of copies) {
    if (!inference.ok || inference.source.on?.jpd !== copy.jpd.name) continue;
    if (only !== undefined && !only.test(copy.repo.key)) continue;
    const result = importSourceCopy(copy, inference, options, claimed);
    skipped.push(...result.skipped);
    if (result.imported !== undefined) imported.push(result.imported);
  }
  for (const { copy, inference } of copies) {
    const self = slot(copy.jpd.name, copy.repo.key);
    if (claimed.has(self)) continue;
    const sourceKey = inference.ok ? (inference.source.on?.key ?? copy.repo.key) : copy.repo.key;
    if (only !== undefined && !only.test(sourceKey) && !only.test(copy.repo.key)) continue;
    if (inference.ok && inference.source.on?.jpd === copy.jpd.name) continue;
    skipped.push({
      jpd: copy.jpd.name,
      repoKey: copy.repo.key,
      reason: inference.ok ? unclaimedReason(inference.source) : inference.reason,
    });
  }
  return {
    jpds: [...given]
      .map(({ repos: _repos, ...jpd }) => jpd)
      .sort((a, b) => compareCodeUnits(a.name, b.name)),
    pairings: pairingsOf(imported),
    federations: group(imported),
    skipped: skipped.sort(
      (a, b) =>
        compareCodeUnits(a.jpd, b.jpd) ||
        compareCodeUnits(a.repoKey, b.repoKey) ||
        compareCodeUnits(a.memberUrl ?? '', b.memberUrl ?? ''),
    ),
  };
}

/** Which given JPD a member URL is on (the longest base URL that prefixes it), and its key. */
function locator(given: readonly ImportJpd[]): (url: string) => Pick<Located, 'on'> {
  const prefixes = given
    .map((j) => ({ jpd: j.name, prefix: `${normalizeMemberUrl(j.url)}/artifactory/` }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  return (url) => {
    const trimmed = url.trim().replace(/\/+$/, '');
    const lower = trimmed.toLowerCase();
    const hit = prefixes.find((p) => lower.startsWith(p.prefix));
    if (hit === undefined) return {};
    // The key keeps its letter case: only the scheme and host are case-insensitive in a URL.
    const key = trimmed.slice(hit.prefix.length);
    return key === '' || key.includes('/') ? {} : { on: { jpd: hit.jpd, key } };
  };
}

function inferSource(
  copy: Copy,
  preferSource: string | undefined,
  order: ReadonlyMap<string, number>,
): Inference {
  const senders = copy.members.filter((m) => m.mode === 'bidirectional');
  const recorded = copy.repo.lastApplied?.source;
  const byRecord = senders.find((m) => normalizeMemberUrl(m.url) === recorded);
  if (byRecord?.on !== undefined) return { ok: true, source: byRecord, basis: 'inferred' };
  const [only, ...others] = senders;
  if (only === undefined) {
    return {
      ok: false,
      reason: 'no member sends (every member is a receiver), so it has no source',
    };
  }
  if (others.length === 0) {
    return only.on === undefined
      ? {
          ok: false,
          reason: `its source ${JSON.stringify(only.url)} is not on a JPD given with --jpd`,
        }
      : { ok: true, source: only, basis: 'inferred' };
  }
  const candidates = senders
    .filter((m) => m.on !== undefined)
    .sort((a, b) => (order.get(a.on?.jpd ?? '') ?? 0) - (order.get(b.on?.jpd ?? '') ?? 0));
  const preferred = candidates.find((m) => m.on?.jpd === preferSource);
  if (preferred !== undefined) return { ok: true, source: preferred, basis: 'prefer-source' };
  const first = candidates[0];
  if (first === undefined) {
    return { ok: false, reason: 'none of the members that send is on a JPD given with --jpd' };
  }
  return { ok: true, source: first, basis: 'first-jpd' };
}

function unclaimedReason(source: Located): string {
  return source.on === undefined
    ? `its source ${JSON.stringify(source.url)} is not on a JPD given with --jpd`
    : `member copy of ${source.on.jpd}/${JSON.stringify(source.on.key)}, which was not imported or does not list it`;
}

const slot = (jpd: string, key: string): string => `${jpd}\u0000${key.toLowerCase()}`;

/** A source's copy -> one imported repository, or the reasons it cannot be written. */
function importSourceCopy(
  copy: Copy,
  inference: Extract<Inference, { ok: true }>,
  options: ImportOptions,
  claimed: Set<string>,
): { imported?: Imported; skipped: Skipped[] } {
  const { jpd, repo } = copy;
  const skip = (reason: string): { skipped: Skipped[] } => ({
    skipped: [{ jpd: jpd.name, repoKey: repo.key, reason }],
  });
  if (
    normalizeMemberUrl(inference.source.url) !== normalizeMemberUrl(memberUrl(jpd.url, repo.key))
  ) {
    return skip(
      `its source member ${JSON.stringify(inference.source.url)} is another repository on ${jpd.name}`,
    );
  }
  const packageType = repo.packageType.toLowerCase();
  if (!isPackageType(packageType, options.packageTypes)) {
    return skip(
      `package type ${JSON.stringify(repo.packageType)} is not one the topology schema accepts`,
    );
  }
  const keyProblem = repoKeyProblem(repo.key, packageType);
  if (keyProblem !== undefined)
    return skip(`repository key ${JSON.stringify(repo.key)} ${keyProblem}`);
  const skipped: Skipped[] = [];
  const members: ImportedMember[] = [];
  const memberKeys: [string, string][] = [];
  const slots = [slot(jpd.name, repo.key)];
  for (const m of copy.members) {
    if (m === inference.source) continue;
    const reason = memberProblem(m, jpd.name, members, packageType);
    if (reason !== undefined) {
      if (reason.fatal) return skip(reason.text);
      skipped.push({ jpd: jpd.name, repoKey: repo.key, memberUrl: m.url, reason: reason.text });
      continue;
    }
    const on = m.on;
    if (on === undefined) continue;
    members.push({ jpd: on.jpd, mode: m.mode, enabled: m.enabled });
    if (on.key !== repo.key) memberKeys.push([on.jpd, on.key]);
    slots.push(slot(on.jpd, on.key));
  }
  if (members.length === 0) {
    return {
      skipped: [...skip('no other member is on a JPD given with --jpd').skipped, ...skipped],
    };
  }
  const taken = slots.find((s) => claimed.has(s));
  if (taken !== undefined) {
    return skip(
      `another imported federation already names ${taken.replace('\u0000', '/')}; the JPDs disagree on their member lists (run configSync)`,
    );
  }
  for (const s of slots) claimed.add(s);
  const description =
    repo.description === undefined || repo.description === ''
      ? {}
      : { description: repo.description };
  return {
    imported: {
      repo: {
        key: repo.key,
        packageType,
        ...description,
        memberKeys: memberKeys.sort((a, b) => compareCodeUnits(a[0], b[0])),
        // fedctl's record says the topology protected it: keep it protected.
        ...(repo.lastApplied?.protect === true ? { protect: true as const } : {}),
      },
      source: jpd.name,
      basis: inference.basis,
      members: members.sort((a, b) => compareCodeUnits(a.jpd, b.jpd)),
    },
    skipped,
  };
}

/** Why a member cannot be written: `fatal` when the whole repository cannot be. */
function memberProblem(
  m: Located,
  source: string,
  kept: readonly ImportedMember[],
  packageType: PackageType,
): { text: string; fatal: boolean } | undefined {
  const on = m.on;
  if (on === undefined) {
    return {
      text: 'member is not on a JPD given with --jpd; not imported (plan lists it under "Left alone")',
      fatal: false,
    };
  }
  if (on.jpd === source || kept.some((k) => k.jpd === on.jpd)) {
    return {
      text: `a second member on ${on.jpd}; a topology names one member per JPD`,
      fatal: false,
    };
  }
  const problem = repoKeyProblem(on.key, packageType);
  return problem === undefined
    ? undefined
    : { text: `its key on ${on.jpd}, ${JSON.stringify(on.key)}, ${problem}`, fatal: true };
}

function isPackageType(value: string, accepted: ReadonlySet<string>): value is PackageType {
  return accepted.has(value);
}

function pairingsOf(imported: readonly Imported[]): { source: string; target: string }[] {
  const seen = new Map<string, { source: string; target: string }>();
  for (const r of imported) {
    for (const m of r.members)
      seen.set(`${r.source}\u0000${m.jpd}`, { source: r.source, target: m.jpd });
  }
  return [...seen.values()].sort(
    (a, b) => compareCodeUnits(a.source, b.source) || compareCodeUnits(a.target, b.target),
  );
}

/** Repositories with the same source, basis and members share one federation entry. */
function group(imported: readonly Imported[]): ImportedFederation[] {
  const groups = new Map<string, Omit<Imported, 'repo'> & { repos: ImportedRepo[] }>();
  for (const r of imported) {
    const id = [
      r.source,
      r.basis,
      ...r.members.map((m) => `${m.jpd}:${m.mode}:${String(m.enabled)}`),
    ].join('\u0000');
    const entry = groups.get(id) ?? {
      source: r.source,
      basis: r.basis,
      members: r.members,
      repos: [],
    };
    entry.repos.push(r.repo);
    groups.set(id, entry);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, repos: g.repos.sort((a, b) => compareCodeUnits(a.key, b.key)) }))
    .sort(
      (a, b) =>
        compareCodeUnits(a.source, b.source) ||
        compareCodeUnits(a.repos[0]?.key ?? '', b.repos[0]?.key ?? ''),
    );
}
