/**
 * Which federation engine a JPD runs, judged from what it answered. JFrog documents four signals,
 * none of them enough alone (docs/compatibility.md):
 *   - `GET /api/federation/migration/status`: MIGRATION_STARTED, MIGRATING_EVENTS_TO_RTFS,
 *     MIGRATION_COMPLETED, or `Status not configured` when RTFS is not enabled (migration guide);
 *   - `GET {platform}/federation/rtfs`: true "if migration has completed successfully";
 *   - the RTFS status endpoints: 405 "RTFS is not enabled" without RTFS (OpenAPI);
 *   - the legacy status endpoints: 405 "RTFS is enabled" with it (OpenAPI).
 * A migration in progress wins; then an RTFS status endpoint that answers or refuses with 405,
 * which is what fedctl will actually talk to; then the migration status and the flag; then the
 * legacy endpoints; then the version (RTFS came with 7.104.2). Pure.
 */
import { SINCE, versionAtLeast } from './version.js';

export type Engine = 'rtfs' | 'legacy' | 'migrating' | 'unknown';

/** A read that answered (`ok`) or failed (`error`, one line naming the JPD and request). */
export type Reading<T> = { readonly ok: T } | { readonly error: string };

/** The status an endpoint answered: 200, or 404/405 (absent, or the other engine's). */
export type EndpointAnswer = 200 | 404 | 405;

export interface EngineReadings {
  readonly version?: string;
  /** The migration status as worded; `ok: undefined` when the endpoint is absent. */
  readonly migration?: Reading<string | undefined>;
  /** `ok: undefined` when the endpoint is absent. */
  readonly rtfsFlag?: Reading<boolean | undefined>;
  /** `GET /api/federation/status/stateSummary`. */
  readonly rtfsStatus?: Reading<EndpointAnswer>;
  /** `GET /api/federation/state`. */
  readonly legacyStatus?: Reading<EndpointAnswer>;
}

export interface EngineVerdict {
  readonly engine: Engine;
  /** What decided it, for people: `migration status MIGRATION_COMPLETED`. */
  readonly because: string;
}

const MIGRATING = new Set(['MIGRATION_STARTED', 'MIGRATING_EVENTS_TO_RTFS']);

const ok = <T>(r: Reading<T> | undefined): r is { readonly ok: T } => r !== undefined && 'ok' in r;

export function judgeEngine(r: EngineReadings): EngineVerdict {
  const migration = ok(r.migration) ? r.migration.ok?.trim() : undefined;
  const word = migration?.toUpperCase();
  if (word !== undefined && MIGRATING.has(word)) {
    return { engine: 'migrating', because: `migration status ${migration ?? ''}` };
  }
  if (ok(r.rtfsStatus) && r.rtfsStatus.ok === 200) {
    return { engine: 'rtfs', because: 'its RTFS status endpoints answer' };
  }
  if (ok(r.rtfsStatus) && r.rtfsStatus.ok === 405) {
    return { engine: 'legacy', because: 'its RTFS status endpoints answer 405, RTFS not enabled' };
  }
  if (word === 'MIGRATION_COMPLETED') {
    return { engine: 'rtfs', because: 'migration status MIGRATION_COMPLETED' };
  }
  if (ok(r.rtfsFlag) && r.rtfsFlag.ok === true) {
    return { engine: 'rtfs', because: 'federation/rtfs is true' };
  }
  if (word !== undefined && /NOT CONFIGURED/.test(word)) {
    return {
      engine: 'legacy',
      because: `migration status "${migration ?? ''}", RTFS not enabled`,
    };
  }
  if (ok(r.rtfsFlag) && r.rtfsFlag.ok === false) {
    return { engine: 'legacy', because: 'federation/rtfs is false' };
  }
  if (ok(r.legacyStatus) && r.legacyStatus.ok === 200) {
    return { engine: 'legacy', because: 'its legacy status endpoints answer' };
  }
  if (ok(r.legacyStatus) && r.legacyStatus.ok === 405) {
    return { engine: 'rtfs', because: 'its legacy status endpoints answer 405, RTFS enabled' };
  }
  if (r.version !== undefined && !versionAtLeast(r.version, SINCE.rtfs)) {
    return { engine: 'legacy', because: `version ${r.version} is older than RTFS (${SINCE.rtfs})` };
  }
  return { engine: 'unknown', because: 'no engine read answered' };
}

/** How fedctl reads federation health on a JPD. */
export type StatusFlavour = 'rtfs' | 'legacy-v2' | 'legacy-v1' | 'none' | 'unknown';

export function statusFlavour(engine: Engine, r: EngineReadings): StatusFlavour {
  if (engine === 'unknown') return 'unknown';
  if (engine === 'rtfs') return ok(r.rtfsStatus) || r.rtfsStatus === undefined ? 'rtfs' : 'unknown';
  if (r.legacyStatus !== undefined && !ok(r.legacyStatus)) return 'unknown';
  if (ok(r.legacyStatus) && r.legacyStatus.ok !== 200) return 'none';
  if (r.version === undefined) return 'unknown';
  return versionAtLeast(r.version, SINCE.legacyRepoStatusV2) ? 'legacy-v2' : 'legacy-v1';
}

export const ENGINE_NAMES: Readonly<Record<Engine, string>> = {
  rtfs: 'RTFS (the Artifactory Federation Service)',
  legacy: 'legacy (federation inside Artifactory)',
  migrating: 'migrating to RTFS',
  unknown: 'unknown',
};
