/**
 * The JPD simulator: one real HTTP server per JFrog Platform Deployment on loopback, behaving like
 * Artifactory federation as documented (see docs/simulator.md). The embedded peer of the demo, of
 * every end-to-end test and of the benchmarks. Never imported by src/core.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from './state/clock.js';
import { NO_FAULTS, parseFaults, type Faults } from './state/faults.js';
import { dumpState } from './http/controls.js';
import { isRecord } from './http/http-util.js';
import { resolveDialect, resolveVersion, type DialectName } from './state/dialects.js';
import { ArtifactoryHttpError } from './http/http-util.js';
import { DEFAULT_TIMINGS, Jpd, type JpdSettings, type SimTimings } from './jpd.js';
import type { ConnectionOverride } from './state/model.js';
import {
  clearOverrides,
  makeInconsistent,
  parseInconsistencyRequest,
  parseOverrideRequest,
  setOverride,
  type ConnectionOverrideRequest,
  type InconsistencyRequest,
} from './state/overrides.js';
import {
  seedFederationOn,
  seedRepositories,
  type SeedFederationSpec,
  type SeedRepository,
} from './state/seed.js';
import { writeFileAtomic } from './state/persistence.js';

export { manualClock, systemClock, type Clock, type ManualClock } from './state/clock.js';
export type { ErrorFault, DropFault, Faults } from './state/faults.js';
export { DEFAULT_TIMINGS, type SimTimings } from './jpd.js';
export { DIALECT_DESCRIPTIONS, DIALECT_NAMES, type DialectName } from './state/dialects.js';
export type { ConnectionOverride } from './state/model.js';
export type { ConnectionOverrideRequest, InconsistencyRequest } from './state/overrides.js';
export type { SeedFederationRepository, SeedFederationSpec, SeedRepository } from './state/seed.js';

export interface SimJpdSpec {
  readonly name: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /**
   * The JPD's own platform URL (its Custom Base URL), e.g. `http://localhost:18081`, when member
   * URLs will use a name other than 127.0.0.1. It must point at this JPD's port.
   */
  readonly baseUrl?: string;
  /** Admin token; generated when absent. */
  readonly token?: string;
  /** Non-admin token; generated when absent. */
  readonly readOnlyToken?: string;
  readonly missingRepoStatus?: 400 | 404;
  /** false: `/api/repositories/configurations` answers 404, like a JPD before 7.61.3. */
  readonly configurationsApi?: boolean;
  readonly faults?: Partial<Faults>;
  readonly offline?: boolean;
  readonly version?: string;
  /** Dialects of this JPD; replaces the simulator-wide list (see ./state/dialects.ts). */
  readonly dialects?: readonly string[];
}

export interface SimulatorOptions {
  /** The JPDs to start, or how many (named jpd1..jpdN). Default 2. */
  readonly jpds?: readonly SimJpdSpec[] | number;
  /** With a count: port of jpd1, the others follow (0 = ephemeral ports). */
  readonly basePort?: number;
  readonly timings?: Partial<SimTimings>;
  /** Lifetime of pairing tokens, seconds. Default 300, as Artifactory. */
  readonly pairingTtlSeconds?: number;
  /** Wall clock for timestamps, lag and token expiry (timers always use real time). */
  readonly clock?: Clock;
  /** Default for every JPD; Artifactory versions answer 400 or 404. Default 400. */
  readonly missingRepoStatus?: 400 | 404;
  /** Default for every JPD. Default true. */
  readonly configurationsApi?: boolean;
  /** Persist each JPD under `<dataDir>/<name>/`; state survives a restart with the same ports. */
  readonly dataDir?: string;
  /** Faults applied to every JPD (a JPD's own `faults` override them). */
  readonly faults?: Partial<Faults>;
  /**
   * false (default): the JPDs share a circle of trust and federate without pairing (Option B).
   * true: a JPD federates only with JPDs it has paired with over the Service Trust API.
   */
  readonly requirePairing?: boolean;
  /** Artifactory version reported. Default 7.117.5. */
  readonly version?: string;
  /** Dialects every JPD plays unless its own spec lists others (names in DIALECT_NAMES). */
  readonly dialects?: readonly string[];
  /** Fraction of repository writes refused as config-lock contention; default 0.3 with `config-lock`. */
  readonly configLockRate?: number;
  /** Status of a config-lock refusal. Default 500. */
  readonly configLockStatus?: 400 | 500;
}

export interface SimJpdInfo {
  readonly name: string;
  /** Platform base URL, e.g. http://127.0.0.1:18081 (Artifactory under /artifactory). */
  readonly url: string;
  readonly token: string;
  readonly readOnlyToken: string;
}

/** In-process handle on one JPD: the same controls as `/_sim/`. */
export interface SimJpd extends SimJpdInfo {
  readonly port: number;
  /** The dialects this JPD plays. */
  readonly dialects: readonly DialectName[];
  setFaults(faults: Partial<Faults>): void;
  clearFaults(): void;
  setOffline(offline: boolean): void;
  dumpState(): Record<string, unknown>;
  /** Holds one outbound directed connection in a state (see ./state/overrides.ts); throws when invalid. */
  setConnectionOverride(request: ConnectionOverrideRequest): ConnectionOverride;
  /** Clears the overrides of one connection, one repository, or all; returns how many. */
  clearConnectionOverrides(repoKey?: string, target?: string): number;
  /** A lost configuration push to one member (`/_sim/inconsistent`); rejects when invalid. */
  makeInconsistent(request: InconsistencyRequest): Promise<void>;
  /** Writes converged federated repositories directly (see ./state/seed.ts). */
  seed(repos: readonly SeedRepository[]): Promise<void>;
}

export interface Simulator {
  readonly jpds: readonly SimJpdInfo[];
  jpd(name: string): SimJpd;
  /** Stops every JPD: servers closed, timers cleared, pending state written. */
  stop(): Promise<void>;
  /**
   * Writes a converged hub-and-spoke federation on every JPD it names, without HTTP (./state/seed.ts):
   * for benchmarks that need thousands of repositories.
   */
  seedFederation(spec: SeedFederationSpec): Promise<void>;
}

const DEFAULT_VERSION = '7.117.5';
/** Lifetime of pairing tokens, as Artifactory's. */
export const DEFAULT_PAIRING_TTL_SECONDS = 300;

function revisionOf(version: string): string {
  const [major = '7', minor = '0', patch = '0'] = version.split('.');
  return `${major}${minor.padStart(2, '0')}${patch.padStart(2, '0')}900`;
}

function specsOf(options: SimulatorOptions): SimJpdSpec[] {
  const jpds = options.jpds ?? 2;
  if (typeof jpds !== 'number') return [...jpds];
  const base = options.basePort ?? 0;
  return Array.from({ length: jpds }, (_, i) => ({
    name: `jpd${i + 1}`,
    port: base === 0 ? 0 : base + i,
  }));
}

async function circleKeyOf(options: SimulatorOptions): Promise<Buffer | undefined> {
  if (options.requirePairing === true) return undefined;
  if (options.dataDir === undefined) return randomBytes(32);
  // Persisted so that JPDs restarted from the same data dir stay in one circle of trust.
  const file = join(options.dataDir, 'circle-of-trust.key');
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
  } catch (error) {
    if (!isRecord(error) || error['code'] !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, key.toString('base64url'), 0o600);
  return key;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const specs = specsOf(options);
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) throw new Error(`duplicate JPD name '${spec.name}'`);
    names.add(spec.name);
  }
  const timings: SimTimings = { ...DEFAULT_TIMINGS, ...options.timings };
  const clock = options.clock ?? systemClock;
  const circleKey = await circleKeyOf(options);
  const sharedFaults = parseFaults(options.faults ?? {}, NO_FAULTS);
  const started: Jpd[] = [];
  const byName = new Map<string, Jpd>();
  try {
    for (const spec of specs) {
      const dialect = resolveDialect(spec.dialects ?? options.dialects ?? [], {
        ...(options.configLockRate === undefined ? {} : { configLockRate: options.configLockRate }),
        ...(options.configLockStatus === undefined
          ? {}
          : { configLockStatus: options.configLockStatus }),
      });
      const version = resolveVersion(dialect, spec.version ?? options.version, DEFAULT_VERSION);
      const settings: JpdSettings = {
        missingRepoStatus: spec.missingRepoStatus ?? options.missingRepoStatus ?? 400,
        configurationsApi: spec.configurationsApi ?? options.configurationsApi ?? true,
        version,
        revision: revisionOf(version),
        pairingTtlSeconds: options.pairingTtlSeconds ?? DEFAULT_PAIRING_TTL_SECONDS,
        circleKey,
        dialect,
      };
      const jpd = await Jpd.start({
        name: spec.name,
        port: spec.port ?? 0,
        baseUrl: spec.baseUrl,
        token: spec.token,
        readOnlyToken: spec.readOnlyToken,
        settings,
        timings,
        clock,
        faults: parseFaults(spec.faults ?? {}, sharedFaults),
        offline: spec.offline ?? false,
        dataDir: options.dataDir,
        peerByName: (name) => byName.get(name)?.baseUrl,
      });
      started.push(jpd);
      byName.set(jpd.name, jpd);
    }
  } catch (error) {
    await Promise.all(started.map((j) => j.stop()));
    throw error;
  }
  const handles = new Map<string, SimJpd>();
  for (const jpd of started) handles.set(jpd.name, handleOf(jpd));
  let stopped: Promise<void> | undefined;
  return {
    jpds: started.map((j) => ({
      name: j.name,
      url: j.baseUrl,
      token: j.state.adminToken,
      readOnlyToken: j.state.readOnlyToken,
    })),
    jpd(name) {
      const handle = handles.get(name);
      if (handle === undefined) throw new Error(`no simulated JPD named '${name}'`);
      return handle;
    },
    stop() {
      stopped ??= Promise.all(started.map((j) => j.stop())).then(() => undefined);
      return stopped;
    },
    seedFederation(spec) {
      return seedFederationOn((name) => {
        const jpd = byName.get(name);
        if (jpd === undefined) throw new Error(`no simulated JPD named '${name}'`);
        return jpd;
      }, spec);
    },
  };
}

/** An HTTP-shaped validation error becomes a plain Error for in-process callers. */
function plain<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ArtifactoryHttpError) throw new Error(error.message, { cause: error });
    throw error;
  }
}

function handleOf(jpd: Jpd): SimJpd {
  return {
    name: jpd.name,
    url: jpd.baseUrl,
    token: jpd.state.adminToken,
    readOnlyToken: jpd.state.readOnlyToken,
    port: jpd.port,
    dialects: jpd.settings.dialect.names,
    setFaults: (faults) => {
      jpd.faults = parseFaults(faults, jpd.faults);
    },
    clearFaults: () => {
      jpd.faults = NO_FAULTS;
    },
    setOffline: (offline) => {
      jpd.setOffline(offline);
    },
    dumpState: () => dumpState(jpd),
    setConnectionOverride: (request) =>
      plain(() => setOverride(jpd, parseOverrideRequest(request))),
    clearConnectionOverrides: (repoKey, target) =>
      plain(() => clearOverrides(jpd, repoKey, target)),
    makeInconsistent: async (request) => {
      try {
        await makeInconsistent(jpd, parseInconsistencyRequest(request));
      } catch (error) {
        if (error instanceof ArtifactoryHttpError) throw new Error(error.message, { cause: error });
        throw error;
      }
    },
    seed: (repos) => seedRepositories(jpd, repos),
  };
}
