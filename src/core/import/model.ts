/**
 * What `fedctl import` reads and what it infers: the JPDs given with their federated
 * repositories, and the federations, pairings and skipped repositories of the topology to write.
 */
import type { LiveRepo } from '../live/state.js';
import type { MemberMode, PackageType } from '../topology/model.js';

export interface ImportJpd {
  readonly name: string;
  /** Normalised platform base URL (scheme and host lower case, no trailing slash). */
  readonly url: string;
  /** The variable the written file names for its token: `${VAR}`. Never the token. */
  readonly tokenEnv: string;
  readonly allowInsecureHttp: boolean;
  /** The federated repositories read from it. */
  readonly repos: readonly LiveRepo[];
}

export interface ImportOptions {
  /** Package types the topology schema accepts (its `packageType` enum). */
  readonly packageTypes: ReadonlySet<string>;
  /** The source of a federation in which several members send, when it is one of them. */
  readonly preferSource?: string;
  /** Only repositories whose key on their source matches (`*`, `?`, case-insensitive). */
  readonly only?: string;
}

/** Why the source is the one written: inferred (rules 1 and 2), or chosen (rule 3, commented). */
export type SourceBasis = 'inferred' | 'prefer-source' | 'first-jpd';

export interface ImportedMember {
  readonly jpd: string;
  readonly mode: MemberMode;
  readonly enabled: boolean;
}

export interface ImportedRepo {
  readonly key: string;
  readonly packageType: PackageType;
  readonly description?: string;
  /** JPD -> key, for members whose key differs from the source's, sorted by JPD. */
  readonly memberKeys: readonly (readonly [jpd: string, key: string])[];
  /** fedctl's record on the repository says `protect: true`. */
  readonly protect?: true;
}

/** Repositories of one source with the same members, modes and enabled flags. */
export interface ImportedFederation {
  readonly source: string;
  readonly basis: SourceBasis;
  /** Sorted by JPD name. */
  readonly members: readonly ImportedMember[];
  /** Sorted by key. */
  readonly repos: readonly ImportedRepo[];
}

export interface Skipped {
  readonly jpd: string;
  readonly repoKey: string;
  readonly memberUrl?: string;
  readonly reason: string;
}

export interface ImportedTopology {
  /** Sorted by name. */
  readonly jpds: readonly Omit<ImportJpd, 'repos'>[];
  /** Every source -> member pair of the federations, sorted. */
  readonly pairings: readonly { readonly source: string; readonly target: string }[];
  /** Sorted by source, then first repository key. */
  readonly federations: readonly ImportedFederation[];
  /** Sorted by JPD, key, member URL. */
  readonly skipped: readonly Skipped[];
}
