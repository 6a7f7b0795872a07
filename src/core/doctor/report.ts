/**
 * `fedctl doctor` as data: what each JPD in use answered (`JpdFacts`, read by io/doctor) judged
 * into reachability, TLS, base URL, token, engine and capabilities, plus the blockers that keep
 * the topology from being applied as written and the warnings that do not. Pure; the text and
 * JSON reports are functions of the result.
 */
import type { Topology } from '../topology/model.js';
import { compareCodeUnits } from '../topology/model.js';
import { capabilities, type Capability } from './capabilities.js';
import {
  judgeEngine,
  statusFlavour,
  type EndpointAnswer,
  type Engine,
  type EngineReadings,
  type Reading,
  type StatusFlavour,
} from './engine.js';
import { receiverBlockers, topologyReceivers, type Blocker } from './needs.js';
import { SINCE, versionAtLeast } from './version.js';

export const DOCTOR_FORMAT_VERSION = 1;

/**
 * JFrog's own words, from "Install the Artifactory Federation Service" and "Migrate to the
 * Artifactory Federation Service".
 */
export const RTFS_CA_SENTENCE =
  'Please note that the current version of the Artifactory Federation Service does not support the use of self-signed certificates or certificates signed by a custom Certificate Authority (CA). Self-hosted customers must use certificates signed by a trusted CA when setting up their Federation.';

export interface Certificate {
  readonly subject: string;
  readonly issuer: string;
  /** As the TLS stack prints it, e.g. `Jan  1 00:00:00 2030 GMT`. */
  readonly validTo: string;
  readonly selfSigned: boolean;
}

export interface TlsFacts {
  readonly scheme: 'https' | 'http';
  /** Where extra CA certificates come from: `caFile ca.pem`, `NODE_EXTRA_CA_CERTS`. */
  readonly customCa?: string;
  readonly certificate?: Certificate;
  /** Why the certificate could not be read. */
  readonly error?: string;
}

export interface JpdFacts {
  readonly name: string;
  /** As the topology declares it. */
  readonly url: string;
  readonly reach: Reading<{ readonly version: string; readonly revision?: string }>;
  readonly tls: TlsFacts;
  readonly baseUrl?: Reading<string | undefined>;
  readonly admin?: Reading<boolean>;
  readonly engine: EngineReadings;
  readonly inconsistentRepos?: Reading<EndpointAnswer>;
}

export type BaseUrlStatus = 'matches' | 'differs' | 'unset' | 'unknown';

export interface DoctorJpd {
  readonly name: string;
  readonly url: string;
  /** How the topology uses it: repositories it is the source of, and a member of. */
  readonly sourceOf: number;
  readonly memberOf: number;
  readonly reachable: boolean;
  readonly error?: string;
  readonly version?: string;
  readonly revision?: string;
  readonly tls: TlsFacts;
  readonly baseUrl: {
    readonly status: BaseUrlStatus;
    readonly value?: string;
    readonly error?: string;
  };
  readonly token: 'admin' | 'not-admin' | 'unknown';
  readonly engine: Engine;
  readonly engineBecause: string;
  readonly statusApi: StatusFlavour;
  readonly capabilities: readonly Capability[];
}

export interface Warning {
  readonly code: string;
  readonly jpd: string;
  readonly message: string;
}

export interface DoctorReport {
  readonly formatVersion: typeof DOCTOR_FORMAT_VERSION;
  readonly topology: string;
  /** No blocker: the topology can be applied as written. */
  readonly ready: boolean;
  readonly jpds: readonly DoctorJpd[];
  readonly blockers: readonly Blocker[];
  readonly warnings: readonly Warning[];
}

/** Scheme and host compare case-insensitively; a trailing `/` or `/artifactory` is not part of it. */
export function sameBaseUrl(a: string, b: string): boolean {
  const norm = (u: string): string =>
    u
      .trim()
      .toLowerCase()
      .replace(/\/+$/, '')
      .replace(/\/artifactory$/, '');
  return norm(a) === norm(b);
}

function judgeJpd(topology: Topology, f: JpdFacts): DoctorJpd {
  const reached = 'ok' in f.reach ? f.reach.ok : undefined;
  const readings = { ...f.engine, ...(reached === undefined ? {} : { version: reached.version }) };
  const verdict = reached === undefined ? undefined : judgeEngine(readings);
  const engine = verdict?.engine ?? 'unknown';
  const flavour = statusFlavour(engine, readings);
  const baseUrl: DoctorJpd['baseUrl'] =
    f.baseUrl === undefined
      ? { status: 'unknown' }
      : 'error' in f.baseUrl
        ? { status: 'unknown', error: f.baseUrl.error }
        : f.baseUrl.ok === undefined
          ? { status: 'unset' }
          : {
              status: sameBaseUrl(f.baseUrl.ok, f.url) ? 'matches' : 'differs',
              value: f.baseUrl.ok,
            };
  return {
    name: f.name,
    url: f.url,
    sourceOf: topology.repos.filter((r) => r.source === f.name).length,
    memberOf: topology.repos.filter((r) => r.members.some((m) => m.jpd === f.name)).length,
    reachable: reached !== undefined,
    ...('error' in f.reach ? { error: f.reach.error } : {}),
    ...(reached === undefined ? {} : { version: reached.version }),
    ...(reached?.revision === undefined ? {} : { revision: reached.revision }),
    tls: f.tls,
    baseUrl,
    token:
      f.admin === undefined || 'error' in f.admin ? 'unknown' : f.admin.ok ? 'admin' : 'not-admin',
    engine,
    engineBecause: verdict?.because ?? 'not reached',
    statusApi: flavour,
    capabilities: capabilities({
      ...(reached === undefined ? {} : { version: reached.version }),
      engine,
      flavour,
      ...(f.inconsistentRepos === undefined ? {} : { inconsistentRepos: f.inconsistentRepos }),
    }),
  };
}

function jpdBlockers(j: DoctorJpd): Blocker[] {
  const out: Blocker[] = [];
  const b = (code: string, message: string): void => {
    out.push({ code, jpd: j.name, message });
  };
  if (!j.reachable) {
    b('unreachable', `${j.name}: not usable: ${j.error ?? 'no answer'}`);
    return out;
  }
  if (j.version !== undefined && !versionAtLeast(j.version, SINCE.federation)) {
    b(
      'no-federation',
      `${j.name}: Artifactory ${j.version} has no federated repositories (${SINCE.federation} or later)`,
    );
  }
  if (j.token === 'not-admin') {
    b(
      'not-admin',
      `${j.name}: the token is not an admin token (GET /artifactory/api/system answered 403); repository writes and the federation endpoints need one`,
    );
  }
  if (j.baseUrl.status === 'differs') {
    b(
      'base-url-mismatch',
      `${j.name}: it knows itself as ${j.baseUrl.value ?? ''} (its Custom Base URL), but the topology says ${j.url}; member URLs built from the topology would not name it`,
    );
  }
  return out;
}

function jpdWarnings(j: DoctorJpd): Warning[] {
  const out: Warning[] = [];
  const w = (code: string, message: string): void => {
    out.push({ code, jpd: j.name, message });
  };
  if (!j.reachable) return out;
  const rtfs = j.engine === 'rtfs' || j.engine === 'migrating';
  if (rtfs && (j.tls.customCa !== undefined || j.tls.certificate?.selfSigned === true)) {
    const why =
      j.tls.certificate?.selfSigned === true
        ? 'its certificate is self-signed'
        : `a custom CA is configured (${j.tls.customCa ?? ''})`;
    w('custom-ca-rtfs', `${j.name}: ${why} and it runs RTFS. JFrog: "${RTFS_CA_SENTENCE}"`);
  }
  if (j.engine === 'migrating') {
    w(
      'migrating',
      `${j.name}: a migration to RTFS is in progress (${j.engineBecause}); receiver members wait for MIGRATION_COMPLETED, and JFrog asks that no full sync run meanwhile (a new member starts one)`,
    );
  }
  if (j.baseUrl.status === 'unset') {
    w(
      'base-url-unset',
      `${j.name}: no Custom Base URL is configured; a self-hosted JPD needs one to federate`,
    );
  }
  if (j.baseUrl.status === 'unknown' && j.token !== 'not-admin') {
    w('base-url-unknown', `${j.name}: its base URL could not be read: ${j.baseUrl.error ?? ''}`);
  }
  if (j.token === 'unknown') {
    w('token-unknown', `${j.name}: could not tell whether the token is an admin token`);
  }
  return out;
}

export interface DoctorInput {
  readonly file: string;
  readonly topology: Topology;
  readonly facts: readonly JpdFacts[];
}

export function judgeDoctor(input: DoctorInput): DoctorReport {
  const jpds = input.facts
    .map((f) => judgeJpd(input.topology, f))
    .sort((a, b) => compareCodeUnits(a.name, b.name));
  const byName = new Map(jpds.map((j) => [j.name, j]));
  const receivers = topologyReceivers(input.topology);
  const blockers = [
    ...jpds.flatMap(jpdBlockers),
    ...receiverBlockers(receivers, (name) => {
      const j = byName.get(name);
      return j?.reachable !== true
        ? undefined
        : {
            engine: j.engine,
            because: j.engineBecause,
            ...(j.version === undefined ? {} : { version: j.version }),
          };
    }),
  ];
  const warnings = jpds.flatMap(jpdWarnings);
  for (const edge of receivers) {
    for (const name of [edge.source, edge.member]) {
      if (byName.get(name)?.engine !== 'unknown' || byName.get(name)?.reachable !== true) continue;
      if (warnings.some((w) => w.code === 'engine-unknown' && w.jpd === name)) continue;
      warnings.push({
        code: 'engine-unknown',
        jpd: name,
        message: `${name}: could not tell whether it runs RTFS, which its receiver members need`,
      });
    }
  }
  return {
    formatVersion: DOCTOR_FORMAT_VERSION,
    topology: input.file,
    ready: blockers.length === 0,
    jpds,
    blockers,
    warnings,
  };
}
