/**
 * The resolved topology: what the file declares, with defaults applied, names checked and URLs
 * normalised. The planner works on this, never on the raw YAML.
 */
import type { MemberMode, PackageType, TopologyFile } from './types.generated.js';

export type { MemberMode, PackageType } from './types.generated.js';

/**
 * The topology as one document, as the rules read it: a file on its own, or the files of a set
 * merged (core/topology/merge.ts). A single file may leave `jpds` or `federations` out (a team's
 * file declares only its federations); the set as a whole declares both.
 */
export type TopologyDocument = TopologyFile & Required<Pick<TopologyFile, 'jpds' | 'federations'>>;

/** Where something was declared, for messages that point back into the file that declares it. */
export interface SourceRef {
  /** The file as the user gave it (or as found in a directory given with -f). */
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** Orders positions by file, line and column. */
export function compareRefs(a: SourceRef, b: SourceRef): number {
  return compareCodeUnits(a.file, b.file) || a.line - b.line || a.col - b.col;
}

export interface JpdSpec {
  readonly name: string;
  /** Platform base URL, scheme and host lower-cased, no trailing slash. */
  readonly url: string;
  /** Name of the environment variable holding the token (never the token itself). */
  readonly tokenEnv: string;
  readonly allowInsecureHttp: boolean;
  /** As written in the file (relative to it); resolved by the loader. */
  readonly caFile?: string;
  readonly concurrency: number;
  readonly at: SourceRef;
}

export interface PairingSpec {
  readonly source: string;
  readonly target: string;
  readonly receivingOnly: boolean;
  readonly at: SourceRef;
}

export interface MemberSpec {
  readonly jpd: string;
  /** The repository key on that member (the source key unless overridden with memberKeys). */
  readonly repoKey: string;
  readonly mode: MemberMode;
  readonly enabled: boolean;
  readonly at: SourceRef;
}

export interface RepoSpec {
  /** The JPD that owns the repository and where fedctl writes its configuration. */
  readonly source: string;
  readonly key: string;
  readonly packageType: PackageType;
  readonly description?: string;
  /** `convert: local`: a local repository with this key on the source is converted, not a conflict. */
  readonly convert?: 'local';
  /** The other members, sorted by JPD name; the source itself is implied. */
  readonly members: readonly MemberSpec[];
  /** `protect: true`: no plan ever deletes it (recorded on the repository, see core/live/state.ts). */
  readonly protect?: boolean;
  /** The project key of the repository and every copy; absent: any project is left alone. */
  readonly project?: string;
  /** The environments of the repository and every copy (sorted); absent: left alone. */
  readonly environments?: readonly string[];
  readonly at: SourceRef;
}

/** A repository fedctl stops managing without deleting it (`removed:` in the file). */
export interface RemovedSpec {
  readonly source: string;
  readonly key: string;
  readonly at: SourceRef;
}

export interface Topology {
  /** Sorted by name. */
  readonly jpds: readonly JpdSpec[];
  /** Sorted by source, then target. */
  readonly pairings: readonly PairingSpec[];
  /** Sorted by source, then key. */
  readonly repos: readonly RepoSpec[];
  /** Sorted by source, then key; absent when the file has no `removed:` entry. */
  readonly removed?: readonly RemovedSpec[];
}

/** Artifactory's base is `<platform>/artifactory`; a member URL is that plus the repo key. */
export function memberUrl(platformUrl: string, repoKey: string): string {
  return `${platformUrl}/artifactory/${repoKey}`;
}

export function findJpd(topology: Topology, name: string): JpdSpec | undefined {
  return topology.jpds.find((j) => j.name === name);
}

/** Compare strings by UTF-16 code unit, never by locale, so output is the same everywhere. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface TopologyCounts {
  readonly jpds: number;
  readonly pairings: number;
  readonly federations: number;
  readonly repositories: number;
  /** (repository, member) pairs: one federation connection each. */
  readonly memberEdges: number;
}

export function countTopology(topology: Topology, federations: number): TopologyCounts {
  return {
    jpds: topology.jpds.length,
    pairings: topology.pairings.length,
    federations,
    repositories: topology.repos.length,
    memberEdges: topology.repos.reduce((n, r) => n + r.members.length, 0),
  };
}
