import type { PackageType } from '../types.generated.js';
import type { Finding, TopologyRule } from './types.js';

export const invalidRepoKey: TopologyRule = {
  meta: [
    {
      code: 'invalid-repo-key',
      severity: 'error',
      description:
        "A repository key Artifactory would refuse: reserved, too long, '-cache', or upper case for Docker/OCI.",
    },
  ],
  check({ model }) {
    const findings: Finding[] = [];
    const report = (path: Finding['path'], key: string, type: PackageType | undefined): void => {
      const problem = repoKeyProblem(key, type);
      if (problem !== undefined)
        findings.push({ path, message: `repository key "${key}" ${problem}` });
    };
    for (const fed of model.federations) {
      const members = new Set(fed.accepted.map((m) => m.jpd));
      for (const repo of fed.repos) {
        report(repo.keyPath, repo.key, repo.packageType);
        // A key for a non-member is member-key-not-member's finding, not this rule's.
        for (const [jpd, key] of repo.memberKeys) {
          if (members.has(jpd)) report([...repo.path, 'memberKeys', jpd], key, repo.packageType);
        }
      }
    }
    return findings;
  },
};

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
