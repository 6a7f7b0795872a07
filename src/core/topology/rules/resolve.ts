/**
 * Schema-valid file -> resolved `Topology` plus the model the rules read. Reports nothing: what
 * it drops (an undeclared member, a second pairing, ...) is recorded in the model, and the rules
 * turn that into issues. The parser returns the topology only when no rule reported an error.
 */
import type { Federation } from '../types.generated.js';
import {
  compareCodeUnits,
  type MemberSpec,
  type RepoSpec,
  type Topology,
  type TopologyDocument,
} from '../model.js';
import type {
  AcceptedMember,
  FederationEntry,
  JpdEntry,
  Locate,
  MemberEntry,
  PairingEntry,
  RepoEntry,
  TopologyModel,
  YamlPath,
} from './types.js';
import { checkUrl } from './url-check.js';

const DEFAULT_CONCURRENCY = 4;

export function resolveTopology(
  file: TopologyDocument,
  at: Locate,
): { topology: Topology; model: TopologyModel } {
  const jpds = resolveJpds(file, at);
  const declared = new Set(jpds.map((j) => j.spec.name));
  const pairings = resolvePairings(file, declared, at);
  const federations = file.federations.map((fed, index) =>
    resolveFederation(file, fed, index, declared),
  );
  const model: TopologyModel = {
    jpds,
    declared,
    pairing: (source, target) => pairings.get(pairingId(source, target)),
    federations,
  };
  const removed = (file.removed ?? [])
    .flatMap((entry, i) =>
      entry.repositories.map((key, k) => ({
        source: entry.source,
        key,
        at: at(['removed', i, 'repositories', k]),
      })),
    )
    .sort((a, b) => compareCodeUnits(a.source, b.source) || compareCodeUnits(a.key, b.key));
  return {
    model,
    topology: {
      ...(removed.length === 0 ? {} : { removed }),
      jpds: jpds.map((j) => j.spec).sort((a, b) => compareCodeUnits(a.name, b.name)),
      pairings: [...pairings.values()]
        .filter((p) => p.declared)
        .map((p) => p.spec)
        .sort(
          (a, b) => compareCodeUnits(a.source, b.source) || compareCodeUnits(a.target, b.target),
        ),
      repos: federations
        .flatMap((fed) => repoSpecs(fed, at))
        .sort((a, b) => compareCodeUnits(a.source, b.source) || compareCodeUnits(a.key, b.key)),
    },
  };
}

function resolveJpds(file: TopologyDocument, at: Locate): JpdEntry[] {
  const entries: JpdEntry[] = [];
  for (const [name, jpd] of Object.entries(file.jpds)) {
    if (jpd === undefined) continue;
    const path = ['jpds', name];
    const allowInsecureHttp = jpd.allowInsecureHttp === true;
    const url = checkUrl(jpd.url, name, allowInsecureHttp);
    entries.push({
      path,
      url,
      spec: {
        name,
        url: url.code === 'ok' ? url.normalized : jpd.url,
        // The schema allows only `${NAME}` here.
        tokenEnv: jpd.token.slice(2, -1),
        allowInsecureHttp,
        ...(jpd.caFile === undefined ? {} : { caFile: jpd.caFile }),
        concurrency: jpd.concurrency ?? DEFAULT_CONCURRENCY,
        at: at(path, 'key'),
      },
    });
  }
  return entries;
}

function pairingId(source: string, target: string): string {
  return `${source}\u0000${target}`;
}

/** The first declaration of each pairing, in file order; a self pairing is never one. */
function resolvePairings(
  file: TopologyDocument,
  declared: ReadonlySet<string>,
  at: Locate,
): Map<string, PairingEntry> {
  const first = new Map<string, PairingEntry>();
  for (const [index, p] of (file.trust ?? []).entries()) {
    const id = pairingId(p.source, p.target);
    if (p.source === p.target || first.has(id)) continue;
    first.set(id, {
      index,
      declared: declared.has(p.source) && declared.has(p.target),
      spec: {
        source: p.source,
        target: p.target,
        receivingOnly: p.receivingOnly ?? true,
        at: at(['trust', index]),
      },
    });
  }
  return first;
}

function resolveFederation(
  file: TopologyDocument,
  fed: Federation,
  index: number,
  declared: ReadonlySet<string>,
): FederationEntry {
  const path = ['federations', index];
  const packageType = fed.packageType ?? file.defaults?.packageType;
  const members = resolveMembers(file, fed, path, declared);
  const accepted = members.filter((m): m is AcceptedMember => m.status === 'accepted');
  const repos = fed.repositories.map((entry, ri): RepoEntry => {
    const rpath = [...path, 'repositories', ri];
    const repo = typeof entry === 'string' ? { key: entry } : entry;
    // Own properties only: a member named like an Object.prototype member ("constructor") must
    // not pick up an inherited function as its key.
    const memberKeys = new Map<string, string>();
    for (const [jpd, key] of Object.entries(repo.memberKeys ?? {})) {
      if (key !== undefined) memberKeys.set(jpd, key);
    }
    return {
      index: ri,
      path: rpath,
      keyPath: typeof entry === 'string' ? rpath : [...rpath, 'key'],
      key: repo.key,
      packageType: repo.packageType ?? packageType,
      description: repo.description ?? fed.description,
      project: repo.project ?? fed.project ?? file.defaults?.project,
      environments: repo.environments ?? fed.environments ?? file.defaults?.environments,
      convert: typeof entry === 'string' ? undefined : entry.convert,
      memberKeys: [...memberKeys],
      copies: accepted.map((member) => {
        const key = memberKeys.get(member.jpd);
        return key === undefined
          ? { member, key: repo.key, path: [...member.path, 'jpd'] }
          : { member, key, path: [...rpath, 'memberKeys', member.jpd] };
      }),
    };
  });
  return {
    index,
    path,
    source: fed.source,
    sourceDeclared: declared.has(fed.source),
    packageType,
    members,
    accepted,
    repos,
  };
}

function resolveMembers(
  file: TopologyDocument,
  fed: Federation,
  fpath: YamlPath,
  declared: ReadonlySet<string>,
): MemberEntry[] {
  const firstIndex = new Map<string, number>();
  return fed.members.map((m, index): MemberEntry => {
    const base = { index, path: [...fpath, 'members', index], jpd: m.jpd };
    if (!declared.has(m.jpd)) return { ...base, status: 'undeclared' };
    if (m.jpd === fed.source) return { ...base, status: 'self' };
    const first = firstIndex.get(m.jpd);
    if (first !== undefined) return { ...base, status: 'duplicate', firstIndex: first };
    firstIndex.set(m.jpd, index);
    const mode = m.mode ?? file.defaults?.mode;
    if (mode === undefined) return { ...base, status: 'no-mode' };
    return {
      ...base,
      status: 'accepted',
      mode,
      enabled: m.enabled ?? true,
      modePath: m.mode === undefined ? base.path : [...base.path, 'mode'],
    };
  });
}

/** A repository joins the topology once it has a package type; no-package-type reports the rest. */
function repoSpecs(fed: FederationEntry, at: Locate): RepoSpec[] {
  return fed.repos.flatMap((repo) => {
    if (repo.packageType === undefined) return [];
    const members = repo.copies.map(({ member, key }): MemberSpec => ({
      jpd: member.jpd,
      repoKey: key,
      mode: member.mode,
      enabled: member.enabled,
      at: at(member.path),
    }));
    return [
      {
        source: fed.source,
        key: repo.key,
        packageType: repo.packageType,
        ...(repo.description === undefined ? {} : { description: repo.description }),
        ...(repo.convert === undefined ? {} : { convert: repo.convert }),
        ...(repo.project === undefined ? {} : { project: repo.project }),
        ...(repo.environments === undefined
          ? {}
          : { environments: [...repo.environments].sort(compareCodeUnits) }),
        members: members.sort((a, b) => compareCodeUnits(a.jpd, b.jpd)),
        at: at(repo.keyPath),
      },
    ];
  });
}
