/**
 * What each JPD can do, read once per run: one request per JPD per check, each answer kept (as a
 * promise, so concurrent askers share the request) for `fedctl doctor`, the plan and apply
 * preflight, and apply itself. A check never throws a known failure: it comes back as a
 * `Reading` with the one-line message; only a bug is thrown.
 */
import type { EndpointAnswer, EngineReadings, Reading } from '../../core/doctor/engine.js';
import { judgeEngine } from '../../core/doctor/engine.js';
import type { EngineFact } from '../../core/doctor/needs.js';
import { FedctlError, RemoteError } from '../../core/errors.js';
import type { ArtifactoryClient, VersionInfo } from '../artifactory/types.js';

export interface JpdProfiles {
  /** `GET /api/system/version`: reachable, token accepted, which version. */
  version(jpd: string): Promise<Reading<VersionInfo>>;
  baseUrl(jpd: string): Promise<Reading<string | undefined>>;
  admin(jpd: string): Promise<Reading<boolean>>;
  migration(jpd: string): Promise<Reading<string | undefined>>;
  rtfsFlag(jpd: string): Promise<Reading<boolean | undefined>>;
  /** `GET /api/federation/status/stateSummary`: 200, or 405 without RTFS. */
  rtfsStatus(jpd: string): Promise<Reading<EndpointAnswer>>;
  /** `GET /api/federation/state`: 200, 405 under RTFS, 404 without legacy monitoring. */
  legacyStatus(jpd: string): Promise<Reading<EndpointAnswer>>;
  /** `GET /api/federation/inconsistentRepos`: 200, or 404/405 where it does not exist. */
  inconsistentRepos(jpd: string): Promise<Reading<EndpointAnswer>>;
  /**
   * The engine from as few reads as tell it: the RTFS status endpoint (what fedctl will talk
   * to), then the migration status, then the version (also read for the messages).
   */
  engine(jpd: string): Promise<EngineFact>;
}

async function reading<T>(read: () => Promise<T>): Promise<Reading<T>> {
  try {
    return { ok: await read() };
  } catch (error) {
    if (error instanceof FedctlError) return { error: error.message };
    throw error;
  }
}

async function endpoint(read: () => Promise<unknown>): Promise<Reading<EndpointAnswer>> {
  try {
    await read();
    return { ok: 200 };
  } catch (error) {
    if (error instanceof RemoteError && (error.status === 404 || error.status === 405)) {
      return { ok: error.status };
    }
    if (error instanceof FedctlError) return { error: error.message };
    throw error;
  }
}

export function createJpdProfiles(client: (jpd: string) => ArtifactoryClient): JpdProfiles {
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(jpd: string, check: string, read: () => Promise<T>): Promise<T> => {
    const id = `${jpd}\u0000${check}`;
    const known = cache.get(id);
    // `as`: each id is only ever stored by this function with the same check's type.
    if (known !== undefined) return known as Promise<T>;
    const promise = read();
    cache.set(id, promise);
    return promise;
  };
  const profiles: JpdProfiles = {
    version: (jpd) => once(jpd, 'version', () => reading(() => client(jpd).version())),
    baseUrl: (jpd) => once(jpd, 'baseUrl', () => reading(() => client(jpd).getBaseUrl())),
    admin: (jpd) => once(jpd, 'admin', () => reading(() => client(jpd).hasAdminToken())),
    migration: (jpd) => once(jpd, 'migration', () => reading(() => client(jpd).migrationStatus())),
    rtfsFlag: (jpd) => once(jpd, 'rtfsFlag', () => reading(() => client(jpd).rtfsEnabled())),
    rtfsStatus: (jpd) => once(jpd, 'rtfsStatus', () => endpoint(() => client(jpd).stateSummary())),
    legacyStatus: (jpd) =>
      once(jpd, 'legacyStatus', () => endpoint(() => client(jpd).federationSyncState())),
    inconsistentRepos: (jpd) =>
      once(jpd, 'inconsistentRepos', () =>
        endpoint(() => client(jpd).getInconsistentRepositories()),
      ),
    engine: (jpd) =>
      once(jpd, 'engine', async () => {
        const readings: { -readonly [K in keyof EngineReadings]: EngineReadings[K] } = {
          rtfsStatus: await profiles.rtfsStatus(jpd),
        };
        let verdict = judgeEngine(readings);
        if (verdict.engine !== 'rtfs') {
          readings.migration = await profiles.migration(jpd);
          const version = await profiles.version(jpd);
          if ('ok' in version) readings.version = version.ok.version;
          verdict = judgeEngine(readings);
        }
        return {
          ...verdict,
          ...(readings.version === undefined ? {} : { version: readings.version }),
        };
      }),
  };
  return profiles;
}
