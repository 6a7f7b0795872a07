/**
 * Dialects: readings of Artifactory that its documentation leaves open, or behaviours of older
 * versions, that the fedctl client must tolerate. A JPD plays a set of them; with none it behaves
 * as the rest of the simulator describes (the default reading). The router, the repository
 * parser and the monitoring consult the resolved `Dialect` here instead of testing names.
 */
import type { MemberMode } from './model.js';

export const DIALECT_DESCRIPTIONS = {
  'ro-on-receive':
    'default: Receiving_Only on the receiver->source entry, source->receiver shows its real state',
  'ro-on-send':
    'Receiving_Only on the source->receiver entry (in place of HEALTHY); receiver->source is HEALTHY',
  'ro-on-both': 'Receiving_Only on both directed entries between a source and its receiver',
  'no-return-entry': 'connectionStates omits the entry whose sending side is a receiver',
  'ro-spaced': 'the marker is spelled "Receiving Only" instead of "Receiving_Only"',
  'no-federation-service':
    'RTFS off: status/connectionStates, stateSummary, stateList answer 405 "RTFS is not enabled"; no legacy status endpoints either (404)',
  'legacy-engine':
    'RTFS off, the legacy engine on: the RTFS status endpoints answer 405 "RTFS is not enabled", the legacy ones (federation/state, status/repo, mirrorsLag, unavailableMirrors) answer; receiver members are refused',
  migrating:
    'in the middle of the migration to RTFS: migration/status says MIGRATING_EVENTS_TO_RTFS, the legacy engine still answers, RTFS status endpoints answer 405',
  'legacy-doc-fields':
    "federation/state spelled as JFrog's doc sample (localRepoKey, members[].remoteRepoKey, remoteUrl with a trailing slash) instead of its schema (key, remoteKey)",
  'pre-7.61.3':
    'version 7.59.9: no /api/repositories/configurations (404) and no batch endpoint (404)',
  'mode-dropped': 'no Transmission Mode: member `mode` is ignored on write and never returned',
  'mode-rejected': 'no Transmission Mode: a member object carrying `mode` is refused with 400',
  'sparse-configurations': '/api/repositories/configurations omits empty groups',
  'config-lock':
    'a fraction of repository writes fail with "Could not merge and save new descriptor"',
  'no-batch': 'PUT/POST /api/v2/repositories/batch answer 404',
} as const;

export type DialectName = keyof typeof DIALECT_DESCRIPTIONS;

export const DIALECT_NAMES: readonly DialectName[] = Object.keys(
  DIALECT_DESCRIPTIONS,
) as DialectName[]; // the keys of the literal object above, in declaration order

/** The version `pre-7.61.3` reports unless an older one is given explicitly. */
export const PRE_CONFIGURATIONS_VERSION = '7.59.9';
/** Artifactory's config-lock contention text; the Terraform provider retries on it (reference §1). */
export const CONFIG_LOCK_MESSAGE = 'Could not merge and save new descriptor';
/** `config-lock` without an explicit rate fails this fraction of repository writes. */
export const DEFAULT_CONFIG_LOCK_RATE = 0.3;

export interface Dialect {
  readonly names: readonly DialectName[];
  /** Which directed entry carries the receiving-only marker. */
  readonly receivingOnlyOn: 'receive' | 'send' | 'both';
  /** false: the entry whose sending side is a receiver is left out of connectionStates. */
  readonly returnEntry: boolean;
  readonly receivingOnlyLabel: 'Receiving_Only' | 'Receiving Only';
  /** false: the RTFS status endpoints answer 405 (see `federationEngine` for the version's part). */
  readonly federationService: boolean;
  /** `legacy-engine`: RTFS off and the legacy monitoring on; `migrating`: half way between. */
  readonly engine: 'default' | 'legacy' | 'migrating';
  /** false (`no-federation-service`): no legacy monitoring either. */
  readonly legacyMonitoring: boolean;
  /** `legacy-doc-fields`: federation/state in the doc sample's spelling. */
  readonly legacyDocFields: boolean;
  /** How member `mode` is treated on write (and whether GET returns it). */
  readonly memberMode: 'supported' | 'dropped' | 'rejected';
  readonly sparseConfigurations: boolean;
  /** Fraction of repository writes refused with the config-lock message; 0 = never. */
  readonly configLockRate: number;
  readonly configLockStatus: 400 | 500;
  /** false: the batch endpoint is absent whatever the version. */
  readonly batch: boolean;
  readonly pre7613: boolean;
}

export const DEFAULT_DIALECT: Dialect = {
  names: [],
  receivingOnlyOn: 'receive',
  returnEntry: true,
  receivingOnlyLabel: 'Receiving_Only',
  federationService: true,
  engine: 'default',
  legacyMonitoring: true,
  legacyDocFields: false,
  memberMode: 'supported',
  sparseConfigurations: false,
  configLockRate: 0,
  configLockStatus: 500,
  batch: true,
  pre7613: false,
};

export class DialectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DialectError';
  }
}

export function isDialectName(name: string): name is DialectName {
  return Object.hasOwn(DIALECT_DESCRIPTIONS, name);
}

export interface DialectOptions {
  /** Overrides the rate `config-lock` implies; a rate > 0 alone turns config-lock on. */
  readonly configLockRate?: number;
  readonly configLockStatus?: 400 | 500;
}

function exclusive(names: ReadonlySet<string>, group: readonly DialectName[]): void {
  const chosen = group.filter((n) => names.has(n));
  if (chosen.length > 1)
    throw new DialectError(`dialects ${chosen.join(' and ')} exclude each other`);
}

/** Resolves dialect names; unknown names throw a one-line error listing the known ones. */
export function resolveDialect(names: readonly string[], options: DialectOptions = {}): Dialect {
  const unknown = names.filter((n) => !isDialectName(n));
  if (unknown.length > 0) {
    throw new DialectError(
      `unknown dialect ${unknown.map((n) => `'${n}'`).join(', ')}; known: ${DIALECT_NAMES.join(', ')}`,
    );
  }
  const set = new Set(names);
  exclusive(set, ['ro-on-receive', 'ro-on-send', 'ro-on-both']);
  exclusive(set, ['mode-dropped', 'mode-rejected']);
  exclusive(set, ['no-federation-service', 'legacy-engine', 'migrating']);
  const rate = options.configLockRate ?? (set.has('config-lock') ? DEFAULT_CONFIG_LOCK_RATE : 0);
  if (!(rate >= 0 && rate <= 1)) throw new DialectError('config-lock rate must be from 0 to 1');
  return {
    names: DIALECT_NAMES.filter((n) => set.has(n)),
    receivingOnlyOn: set.has('ro-on-send') ? 'send' : set.has('ro-on-both') ? 'both' : 'receive',
    returnEntry: !set.has('no-return-entry'),
    receivingOnlyLabel: set.has('ro-spaced') ? 'Receiving Only' : 'Receiving_Only',
    federationService: !['no-federation-service', 'legacy-engine', 'migrating'].some((n) =>
      set.has(n),
    ),
    engine: set.has('legacy-engine') ? 'legacy' : set.has('migrating') ? 'migrating' : 'default',
    legacyMonitoring: !set.has('no-federation-service'),
    legacyDocFields: set.has('legacy-doc-fields'),
    memberMode: set.has('mode-dropped')
      ? 'dropped'
      : set.has('mode-rejected')
        ? 'rejected'
        : 'supported',
    sparseConfigurations: set.has('sparse-configurations'),
    configLockRate: rate,
    configLockStatus: options.configLockStatus ?? 500,
    batch: !set.has('no-batch'),
    pre7613: set.has('pre-7.61.3'),
  };
}

/** Compares dotted versions numerically: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The version a JPD reports: `pre-7.61.3` needs one below 7.61.3. */
export function resolveVersion(
  dialect: Dialect,
  explicit: string | undefined,
  fallback: string,
): string {
  if (!dialect.pre7613) return explicit ?? fallback;
  if (explicit === undefined) return PRE_CONFIGURATIONS_VERSION;
  if (compareVersions(explicit, '7.61.3') >= 0) {
    throw new DialectError(`dialect pre-7.61.3 conflicts with version ${explicit}`);
  }
  return explicit;
}

/** Minimum versions of the endpoints that came later (JFrog REST API "Since" notes). */
export const SINCE = {
  configurations: '7.61.3',
  batchCreate: '7.84.3',
  batchUpdate: '7.104.2',
  /** RTFS, its status endpoints and the migration status ("released in version 7.104.2"). */
  rtfs: '7.104.2',
  /** The legacy monitoring REST APIs ("From Artifactory release 7.49.6"; ref §4: 7.49.3). */
  legacyMonitoring: '7.49.3',
  /** `/api/v2/federation/status/repo` (ref §4.6: 7.82.2 on Cloud). */
  legacyRepoStatusV2: '7.82.2',
  /** `GET /api/federation/inconsistentRepos`. */
  inconsistentRepos: '7.108.3',
} as const;

/** The federation engine a JPD runs: its dialect, and RTFS only from the version that has it. */
export type FederationEngine = 'rtfs' | 'legacy' | 'migrating';

export function federationEngine(dialect: Dialect, version: string): FederationEngine {
  if (dialect.engine === 'migrating') return 'migrating';
  if (!dialect.federationService || compareVersions(version, SINCE.rtfs) < 0) return 'legacy';
  return 'rtfs';
}

/** Whether the legacy engine's monitoring answers (it never does under RTFS). */
export function servesLegacyMonitoring(dialect: Dialect, version: string): boolean {
  return (
    dialect.legacyMonitoring &&
    federationEngine(dialect, version) !== 'rtfs' &&
    compareVersions(version, SINCE.legacyMonitoring) >= 0
  );
}

export function hasEndpoint(
  dialect: Dialect,
  version: string,
  what: 'configurations' | 'batchCreate' | 'batchUpdate',
): boolean {
  if (what !== 'configurations' && !dialect.batch) return false;
  return compareVersions(version, SINCE[what]) >= 0;
}

/**
 * Deterministic config-lock contention: the n-th repository write (1-based) fails when the running
 * total `n * rate` crosses an integer, so exactly `rate` of writes fail, evenly spread (0.5: every
 * second write; 0.3: the 4th, 7th, 10th...). Tests can count on it without a random seed.
 */
export function configLockHits(rate: number, n: number): boolean {
  if (rate <= 0) return false;
  const eps = 1e-9;
  return Math.floor(n * rate + eps) > Math.floor((n - 1) * rate + eps);
}

/** One directed connectionStates entry as the monitoring computes it canonically. */
export interface DirectedEntry {
  readonly status: string;
  /** Set by a `/_sim/connection-overrides` control: shown verbatim. */
  readonly forced: boolean;
  readonly senderMode: MemberMode;
  readonly receiverMode: MemberMode;
}

const CANONICAL_RO = 'Receiving_Only';

/**
 * The status this dialect shows for a canonical entry (the default reading puts the marker on the
 * entry whose sending side is a receiver), or undefined when the entry is left out.
 * In `ro-on-send`/`ro-on-both` the marker replaces HEALTHY only on source->receiver: a connection
 * not yet converged keeps its real status, so a client can still wait for convergence.
 */
export function presentStatus(dialect: Dialect, entry: DirectedEntry): string | undefined {
  const fromReceiver = entry.senderMode === 'receiver';
  if (fromReceiver && !dialect.returnEntry) return undefined;
  if (entry.forced) return entry.status;
  let status = entry.status;
  if (dialect.receivingOnlyOn !== 'receive' && entry.receiverMode === 'receiver') {
    if (status === 'HEALTHY' || status === CANONICAL_RO) status = CANONICAL_RO;
  } else if (dialect.receivingOnlyOn === 'send' && status === CANONICAL_RO) {
    status = 'HEALTHY';
  }
  return status === CANONICAL_RO ? dialect.receivingOnlyLabel : status;
}

export function isReceivingOnlyLabel(status: string): boolean {
  return status === 'Receiving_Only' || status === 'Receiving Only';
}
