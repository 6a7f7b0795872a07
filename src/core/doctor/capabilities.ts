/**
 * Each capability fedctl would use on a JPD, whether the JPD has it, and what fedctl does instead
 * where it does not. Judged from the version, the engine and two reads; pure.
 */
import type { EndpointAnswer, Engine, Reading, StatusFlavour } from './engine.js';
import { SINCE, versionAtLeast } from './version.js';

export const CAPABILITY_IDS = [
  'configurations',
  'batch-create',
  'batch-update',
  'receiver-mode',
  'config-sync',
  'inconsistent-repos',
  'status-api',
] as const;
export type CapabilityId = (typeof CAPABILITY_IDS)[number];

export type Availability = 'yes' | 'no' | 'unknown';

export interface Capability {
  readonly id: CapabilityId;
  readonly title: string;
  /** The version JFrog gives for it, where it is a matter of version. */
  readonly since?: string;
  readonly available: Availability;
  /** What it is on this JPD (the status API's flavour, why receivers cannot be). */
  readonly detail?: string;
  /** What fedctl does instead; present when it is not available (or cannot be told). */
  readonly fallback?: string;
}

export interface CapabilityInput {
  readonly version?: string;
  readonly engine: Engine;
  readonly flavour: StatusFlavour;
  /** `GET /api/federation/inconsistentRepos`, when it was read. */
  readonly inconsistentRepos?: Reading<EndpointAnswer>;
}

const FLAVOUR_DETAIL: Readonly<Record<StatusFlavour, string>> = {
  rtfs: 'RTFS: status/stateList, then status/connectionStates for what it leaves undecided',
  'legacy-v2': 'legacy: federation/state, then v2 status/repo for what it leaves undecided',
  'legacy-v1': 'legacy: federation/state, then v1 status/repo for what it leaves undecided',
  none: 'none: neither the RTFS nor the legacy status endpoints answer',
  unknown: 'could not be told',
};

export function capabilities(input: CapabilityInput): Capability[] {
  const byVersion = (
    id: CapabilityId,
    title: string,
    since: string,
    fallback: string,
  ): Capability => {
    const available: Availability =
      input.version === undefined ? 'unknown' : versionAtLeast(input.version, since) ? 'yes' : 'no';
    return { id, title, since, available, ...(available === 'yes' ? {} : { fallback }) };
  };
  return [
    byVersion(
      'configurations',
      'all configurations in one read (/api/repositories/configurations)',
      SINCE.configurations,
      'reads the repository list, then one GET per federated repository',
    ),
    byVersion(
      'batch-create',
      'batch create (PUT /api/v2/repositories/batch)',
      SINCE.batchCreate,
      'creates one repository per request',
    ),
    byVersion(
      'batch-update',
      'batch update (POST /api/v2/repositories/batch)',
      SINCE.batchUpdate,
      'updates one repository per request (as it does everywhere for now)',
    ),
    receiverMode(input.engine),
    byVersion(
      'config-sync',
      'configSync after every repository write (POST /api/federation/configSync/{key})',
      SINCE.configSync,
      'skips configSync; members learn a change only from the write itself',
    ),
    inconsistentRepos(input),
    statusApi(input.flavour),
  ];
}

function receiverMode(engine: Engine): Capability {
  const base = {
    id: 'receiver-mode' as const,
    title: 'receiver (one-way) members: RTFS on both ends',
    since: SINCE.rtfs,
  };
  if (engine === 'rtfs') return { ...base, available: 'yes' };
  const fallback =
    'plan refuses a receiver member on this JPD before any write; declare it bidirectional (or enable RTFS)';
  if (engine === 'unknown') return { ...base, available: 'unknown', fallback };
  return {
    ...base,
    available: 'no',
    detail:
      engine === 'migrating'
        ? 'the migration to RTFS has not completed'
        : 'this JPD does not run the Federation Service',
    fallback,
  };
}

function inconsistentRepos(input: CapabilityInput): Capability {
  const base = {
    id: 'inconsistent-repos' as const,
    title: 'inconsistent member configurations (GET /api/federation/inconsistentRepos)',
    since: SINCE.inconsistentRepos,
  };
  const fallback =
    'drift cannot list members whose configuration differs; apply still runs configSync after every write';
  const read = input.inconsistentRepos;
  if (read !== undefined && 'ok' in read) {
    return read.ok === 200 ? { ...base, available: 'yes' } : { ...base, available: 'no', fallback };
  }
  if (input.version === undefined || read !== undefined) {
    return { ...base, available: 'unknown', fallback };
  }
  return versionAtLeast(input.version, SINCE.inconsistentRepos)
    ? { ...base, available: 'yes' }
    : { ...base, available: 'no', fallback };
}

function statusApi(flavour: StatusFlavour): Capability {
  const base = {
    id: 'status-api' as const,
    title: 'federation status (verification, drift, status)',
    detail: FLAVOUR_DETAIL[flavour],
  };
  if (flavour === 'none') {
    return {
      ...base,
      available: 'no',
      fallback:
        'apply reports its repositories unverified (exit 0 under --verify auto); drift and status show health unknown',
    };
  }
  if (flavour === 'unknown') {
    return {
      ...base,
      available: 'unknown',
      fallback: 'tries the RTFS endpoints, then the legacy ones, once per run',
    };
  }
  return { ...base, available: 'yes' };
}
