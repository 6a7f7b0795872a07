/**
 * Artifactory versions: comparing them, and the versions JFrog's documents give for what fedctl
 * uses (each with its source in docs/compatibility.md).
 */

/** `a >= b` for dotted versions ("7.117.5"); anything after the numbers is ignored. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (v: string): number[] =>
    (/^\d+(\.\d+)*/.exec(v.trim())?.[0] ?? '0').split('.').map(Number);
  const a = parts(version);
  const b = parts(minimum);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** "Since" versions from JFrog's REST API pages and guides (reference §2.1, §3, §4). */
export const SINCE = {
  /** Federated repositories ("Artifactory versions 7.18.3 or later"). */
  federation: '7.18.3',
  /** `POST /api/federation/configSync/{key}`. */
  configSync: '7.27.6',
  /** The legacy engine's monitoring REST APIs (ref §4: 7.49.3). */
  legacyMonitoring: '7.49.3',
  /** `GET /api/repositories/configurations`. */
  configurations: '7.61.3',
  /** `/api/v2/federation/status/repo/{key}` (ref §4.6: 7.82.2, on Cloud). */
  legacyRepoStatusV2: '7.82.2',
  /** `PUT /api/v2/repositories/batch` (Create Multiple Repositories). */
  batchCreate: '7.84.3',
  /** `POST /api/v2/repositories/batch` (jfrog-client-go README). */
  batchUpdate: '7.104.2',
  /** RTFS ("the standalone Artifactory Federation service that was released in version 7.104.2"). */
  rtfs: '7.104.2',
  /** `GET /api/federation/inconsistentRepos`. */
  inconsistentRepos: '7.108.3',
} as const;
