/**
 * Semantic rules: what the schema cannot say. Runs on a schema-valid file, reports every problem
 * with its position, and builds the resolved `Topology` at the same time.
 */
import type { Issue, Severity } from './errors.js';
import type { MemberMode, PackageType, TopologyFile } from './topology-types.generated.js';
import {
  compareCodeUnits,
  type JpdSpec,
  type MemberSpec,
  type PairingSpec,
  type RepoSpec,
  type SourceRef,
  type Topology,
} from './topology.js';
import type { PathSegment } from './yaml-positions.js';

/** Artifactory's limit on JPDs taking part in one federation, the source included. */
export const MAX_FEDERATION_JPDS = 10;
const DEFAULT_CONCURRENCY = 4;

export interface RuleContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly unsetEnv: Severity;
  at(path: readonly PathSegment[], at?: 'key' | 'value'): SourceRef;
  issue(
    path: readonly PathSegment[],
    code: string,
    message: string,
    severity?: Severity,
    at?: 'key' | 'value',
  ): Issue;
}

export function checkTopologyRules(
  file: TopologyFile,
  ctx: RuleContext,
): { topology: Topology; issues: Issue[] } {
  const issues: Issue[] = [];
  const where = (ref: SourceRef): string => `${ref.line}:${ref.col}`;

  // --- JPDs --------------------------------------------------------------------------------
  const jpds: JpdSpec[] = [];
  const byUrl = new Map<string, string>();
  for (const [name, jpd] of Object.entries(file.jpds)) {
    if (jpd === undefined) continue;
    const path = ['jpds', name];
    const url = checkUrl(jpd.url, name, jpd.allowInsecureHttp === true);
    if (url.problem !== undefined) issues.push(ctx.issue([...path, 'url'], url.code, url.problem));
    const normalized = url.normalized ?? jpd.url;
    const other = byUrl.get(normalized.toLowerCase());
    if (other !== undefined) {
      issues.push(
        ctx.issue(
          [...path, 'url'],
          'duplicate-url',
          `JPD "${name}" has the same URL as JPD "${other}"; declare each JPD once`,
        ),
      );
    }
    byUrl.set(normalized.toLowerCase(), name);
    const tokenEnv = jpd.token.slice(2, -1);
    const value = ctx.env[tokenEnv];
    if (value === undefined || value === '') {
      issues.push(
        ctx.issue(
          [...path, 'token'],
          'unset-env',
          `environment variable ${tokenEnv} (the token of JPD "${name}") is not set`,
          ctx.unsetEnv,
        ),
      );
    }
    jpds.push({
      name,
      url: normalized,
      tokenEnv,
      allowInsecureHttp: jpd.allowInsecureHttp === true,
      ...(jpd.caFile === undefined ? {} : { caFile: jpd.caFile }),
      concurrency: jpd.concurrency ?? DEFAULT_CONCURRENCY,
      at: ctx.at(path, 'key'),
    });
  }
  const declared = new Set(jpds.map((j) => j.name));
  const undeclared = (path: readonly PathSegment[], name: string, role: string): boolean => {
    if (declared.has(name)) return false;
    const known = [...declared].sort(compareCodeUnits).join(', ');
    issues.push(
      ctx.issue(
        path,
        'undeclared-jpd',
        `${role} "${name}" is not declared under jpds (declared: ${known === '' ? 'none' : known})`,
      ),
    );
    return true;
  };

  // --- Trust pairings ----------------------------------------------------------------------
  const pairings: PairingSpec[] = [];
  const pairingAt = new Map<string, PairingSpec>();
  for (const [i, p] of (file.trust ?? []).entries()) {
    const path = ['trust', i];
    const bad =
      undeclared([...path, 'source'], p.source, 'trust source') ||
      undeclared([...path, 'target'], p.target, 'trust target');
    if (p.source === p.target) {
      issues.push(
        ctx.issue([...path, 'target'], 'self-pairing', `JPD "${p.source}" cannot pair with itself`),
      );
      continue;
    }
    const id = `${p.source}\u0000${p.target}`;
    const first = pairingAt.get(id);
    if (first !== undefined) {
      issues.push(
        ctx.issue(
          path,
          'duplicate-pairing',
          `pairing ${p.source} -> ${p.target} is declared twice (first at ${where(first.at)})`,
        ),
      );
      continue;
    }
    const spec = {
      source: p.source,
      target: p.target,
      receivingOnly: p.receivingOnly ?? true,
      at: ctx.at(path),
    };
    pairingAt.set(id, spec);
    if (!bad) pairings.push(spec);
  }
  const pairing = (source: string, target: string): PairingSpec | undefined =>
    pairingAt.get(`${source}\u0000${target}`);
  const usedPairings = new Set<PairingSpec>();

  // --- Federations -------------------------------------------------------------------------
  interface Slot {
    readonly jpd: string;
    readonly key: string;
    readonly role: 'source' | 'member';
    readonly federation: number;
    readonly source: string;
    readonly path: readonly PathSegment[];
    readonly at: SourceRef;
  }
  const slots = new Map<string, Slot>();
  const repos: RepoSpec[] = [];

  for (const [fi, fed] of file.federations.entries()) {
    const fpath = ['federations', fi];
    const sourceBad = undeclared([...fpath, 'source'], fed.source, 'federation source');
    const packageType = fed.packageType ?? file.defaults?.packageType;
    if (packageType === undefined) {
      issues.push(
        ctx.issue(
          fpath,
          'no-package-type',
          'federation has no packageType and defaults.packageType is not set',
        ),
      );
    }

    // Members
    const members: { jpd: string; mode: MemberMode; enabled: boolean; index: number }[] = [];
    const seen = new Map<string, number>();
    for (const [mi, m] of fed.members.entries()) {
      const mpath = [...fpath, 'members', mi];
      if (undeclared([...mpath, 'jpd'], m.jpd, 'member')) continue;
      if (m.jpd === fed.source) {
        issues.push(
          ctx.issue(
            [...mpath, 'jpd'],
            'self-federation',
            `JPD "${m.jpd}" is the source of this federation and cannot also be its member`,
          ),
        );
        continue;
      }
      const firstIndex = seen.get(m.jpd);
      if (firstIndex !== undefined) {
        issues.push(
          ctx.issue(
            [...mpath, 'jpd'],
            'duplicate-member',
            `member "${m.jpd}" is listed twice (first at ${where(ctx.at([...fpath, 'members', firstIndex]))})`,
          ),
        );
        continue;
      }
      seen.set(m.jpd, mi);
      const mode = m.mode ?? file.defaults?.mode;
      if (mode === undefined) {
        issues.push(
          ctx.issue(
            mpath,
            'no-mode',
            `member "${m.jpd}" has no mode (receiver or bidirectional) and defaults.mode is not set`,
          ),
        );
        continue;
      }
      members.push({ jpd: m.jpd, mode, enabled: m.enabled ?? true, index: mi });
      if (sourceBad) continue;

      const forward = pairing(fed.source, m.jpd);
      if (forward !== undefined) usedPairings.add(forward);
      const modePath = m.mode === undefined ? mpath : [...mpath, 'mode'];
      if (forward?.receivingOnly === true && mode === 'bidirectional') {
        issues.push(
          ctx.issue(
            modePath,
            'bidirectional-over-receiving-only',
            `member "${m.jpd}" is bidirectional, but the trust pairing ${fed.source} -> ${m.jpd} at ${where(forward.at)} is receivingOnly: its receiving-only token refuses any push from ${m.jpd}; make the member a receiver or set receivingOnly: false`,
          ),
        );
      }
      const reverse = pairing(m.jpd, fed.source);
      if (reverse?.receivingOnly === true) {
        issues.push(
          ctx.issue(
            [...fpath, 'source'],
            'send-over-receiving-only',
            `"${fed.source}" sends to "${m.jpd}" here, but the trust pairing ${m.jpd} -> ${fed.source} at ${where(reverse.at)} makes "${fed.source}" a receiving-only target of "${m.jpd}"`,
          ),
        );
      }
      if (mode === 'receiver' && forward === undefined) {
        issues.push(
          ctx.issue(
            modePath,
            'receiver-without-pairing',
            `member "${m.jpd}" is a receiver but no trust pairing ${fed.source} -> ${m.jpd} is declared: fedctl assumes trust already exists (Option B) and the receiver mode is enforced only by the repository configuration`,
            'warning',
          ),
        );
      }
    }
    if (fed.members.length + 1 > MAX_FEDERATION_JPDS) {
      issues.push(
        ctx.issue(
          [...fpath, 'members'],
          'too-many-members',
          `federation has ${fed.members.length + 1} JPDs (the source and ${fed.members.length} members); Artifactory allows at most ${MAX_FEDERATION_JPDS}`,
        ),
      );
    }
    const memberNames = new Set(members.map((m) => m.jpd));

    // Repositories
    for (const [ri, entry] of fed.repositories.entries()) {
      const rpath = [...fpath, 'repositories', ri];
      const repo = typeof entry === 'string' ? { key: entry } : entry;
      const keyPath = typeof entry === 'string' ? rpath : [...rpath, 'key'];
      const repoPackageType = repo.packageType ?? packageType;
      const keyProblem = repoKeyProblem(repo.key, repoPackageType);
      if (keyProblem !== undefined) {
        issues.push(
          ctx.issue(keyPath, 'invalid-repo-key', `repository key "${repo.key}" ${keyProblem}`),
        );
      }
      const memberKeys = repo.memberKeys ?? {};
      for (const [jpd, key] of Object.entries(memberKeys)) {
        if (key === undefined) continue;
        const mkPath = [...rpath, 'memberKeys', jpd];
        if (!memberNames.has(jpd)) {
          issues.push(
            ctx.issue(
              mkPath,
              'member-key-not-member',
              `memberKeys names "${jpd}", which is not a member of this federation`,
              'error',
              'key',
            ),
          );
          continue;
        }
        const problem = repoKeyProblem(key, repoPackageType);
        if (problem !== undefined) {
          issues.push(ctx.issue(mkPath, 'invalid-repo-key', `repository key "${key}" ${problem}`));
        }
      }

      // Each (JPD, key) belongs to one federation; keys compare case-insensitively as in Artifactory.
      const claim = (slot: Slot): boolean => {
        const id = `${slot.jpd}\u0000${slot.key.toLowerCase()}`;
        const prior = slots.get(id);
        if (prior === undefined) {
          slots.set(id, slot);
          return true;
        }
        issues.push(
          ctx.issue(slot.path, slotConflictCode(prior, slot), slotConflict(prior, slot, where)),
        );
        return false;
      };
      // When the repository itself conflicts, its members would only repeat the same conflict.
      const owned = claim({
        jpd: fed.source,
        key: repo.key,
        role: 'source',
        federation: fi,
        source: fed.source,
        path: keyPath,
        at: ctx.at(keyPath),
      });
      const repoMembers: MemberSpec[] = [];
      for (const m of members) {
        const key = memberKeys[m.jpd] ?? repo.key;
        const mkPath =
          memberKeys[m.jpd] === undefined
            ? [...fpath, 'members', m.index, 'jpd']
            : [...rpath, 'memberKeys', m.jpd];
        if (owned)
          claim({
            jpd: m.jpd,
            key,
            role: 'member',
            federation: fi,
            source: fed.source,
            path: mkPath,
            at: ctx.at(mkPath),
          });
        repoMembers.push({
          jpd: m.jpd,
          repoKey: key,
          mode: m.mode,
          enabled: m.enabled,
          at: ctx.at([...fpath, 'members', m.index]),
        });
      }
      if (packageType === undefined && repo.packageType === undefined) continue;
      repos.push({
        source: fed.source,
        key: repo.key,
        packageType: repoPackageType ?? 'generic',
        ...((repo.description ?? fed.description) === undefined
          ? {}
          : { description: repo.description ?? fed.description }),
        members: repoMembers.sort((a, b) => compareCodeUnits(a.jpd, b.jpd)),
        at: ctx.at(keyPath),
      });
    }
  }

  for (const p of pairings) {
    if (usedPairings.has(p)) continue;
    issues.push(
      ctx.issue(
        [
          'trust',
          (file.trust ?? []).findIndex((t) => t.source === p.source && t.target === p.target),
        ],
        'unused-pairing',
        `no federation sends from "${p.source}" to "${p.target}", so this pairing is never established (fedctl pairs two JPDs when a federation first needs it)`,
        'warning',
      ),
    );
  }

  return {
    issues,
    topology: {
      jpds: jpds.sort((a, b) => compareCodeUnits(a.name, b.name)),
      pairings: pairings.sort(
        (a, b) => compareCodeUnits(a.source, b.source) || compareCodeUnits(a.target, b.target),
      ),
      repos: repos.sort(
        (a, b) => compareCodeUnits(a.source, b.source) || compareCodeUnits(a.key, b.key),
      ),
    },
  };
}

interface SlotLike {
  readonly jpd: string;
  readonly key: string;
  readonly role: 'source' | 'member';
  readonly source: string;
  readonly at: SourceRef;
}

function slotConflictCode(prior: SlotLike, next: SlotLike): string {
  if (prior.role === 'source' && next.role === 'source') return 'duplicate-repository';
  if (prior.role === 'member' && next.role === 'member') return 'repository-two-sources';
  return 'federation-loop';
}

function slotConflict(prior: SlotLike, next: SlotLike, where: (ref: SourceRef) => string): string {
  const repo = `repository "${next.key}" on "${next.jpd}"`;
  if (prior.role === 'source' && next.role === 'source') {
    return `${repo} is declared twice (first at ${where(prior.at)})`;
  }
  if (prior.role === 'member' && next.role === 'member') {
    return `${repo} is owned by two sources: "${prior.source}" (at ${where(prior.at)}) and "${next.source}"; a repository belongs to one federation`;
  }
  if (next.role === 'source') {
    return `${repo} is already a member of "${prior.source}"'s federation (at ${where(prior.at)}) and cannot also be the source of one: a spoke must not feed its hub's repository back`;
  }
  return `${repo} is the source of a federation (at ${where(prior.at)}) and cannot also be a member of "${next.source}"'s federation: a spoke must not feed its hub's repository back`;
}

// --- URLs ------------------------------------------------------------------------------------

interface UrlCheck {
  readonly normalized?: string;
  readonly problem?: string;
  readonly code: string;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

function checkUrl(raw: string, name: string, allowInsecureHttp: boolean): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { code: 'invalid-url', problem: `URL of JPD "${name}" is not a valid URL: "${raw}"` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      code: 'invalid-url',
      problem: `URL of JPD "${name}" must start with https:// (or http://), not ${url.protocol}//`,
    };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      code: 'url-credentials',
      problem: `URL of JPD "${name}" must not contain credentials; give the token through the token field`,
    };
  }
  if (url.search !== '' || url.hash !== '') {
    return {
      code: 'invalid-url',
      problem: `URL of JPD "${name}" must not have a query or fragment`,
    };
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/artifactory$/i.test(path)) {
    return {
      code: 'url-artifactory-suffix',
      problem: `URL of JPD "${name}" must be the platform base URL without /artifactory (write ${url.origin}${path.replace(/\/artifactory$/i, '')})`,
    };
  }
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    return {
      code: 'insecure-http',
      problem: `JPD "${name}" uses plain http:// to a non-loopback host, which would send its token unencrypted; use https://, or set allowInsecureHttp: true on this JPD`,
    };
  }
  return { code: 'ok', normalized: `${url.origin}${path}` };
}

// --- Repository keys -------------------------------------------------------------------------

// From JFrog's "Repository Naming Rules and Limitations" and the KB on reserved reverse-proxy names.
const RESERVED_KEYS = new Set([
  '.',
  '..',
  '&',
  'jfrog-usage-logs',
  'jfrog-billing-logs',
  'jfrog-logs',
  'artifactory-build-info',
  'artifactory-pipe-info',
  'auto-trashcan',
  'jfrog-support-bundle',
  '_intransit',
  'artifactory-edge-uploads',
  'release-bundles',
  'nginx',
  'apache',
  'direct',
]);
const RESERVED_PREFIXES = ['jfrog-system-reserved', 'jfrog-artifactory-system'];
const OCI_LIKE = new Set<string>(['docker', 'oci', 'helmoci']);

/** Why Artifactory would refuse this key, or undefined when it is fine. */
export function repoKeyProblem(
  key: string,
  packageType: PackageType | undefined,
): string | undefined {
  const lower = key.toLowerCase();
  const ociLike = packageType !== undefined && OCI_LIKE.has(packageType);
  const max = ociLike ? 63 : 64;
  if (key.length === 0) return 'must not be empty';
  if (key.length > max)
    return `is ${key.length} characters long; the limit is ${max}${ociLike ? ` for ${packageType} repositories` : ''}`;
  const bad = /[/\\:|?*"<>\s]/.exec(key);
  if (bad !== null) return `must not contain ${JSON.stringify(bad[0])}`;
  if (RESERVED_KEYS.has(lower)) return 'is reserved by Artifactory';
  const prefix = RESERVED_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix !== undefined) return `must not start with "${prefix}" (reserved by Artifactory)`;
  if (lower.endsWith('-cache'))
    return 'must not end with "-cache" (reserved for remote repository caches)';
  if (ociLike && /[A-Z_]/.test(key))
    return `must not contain upper-case letters or "_" in a ${packageType} repository`;
  return undefined;
}
