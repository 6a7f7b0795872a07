/**
 * The shapes shared by the resolver and the rules: what `resolveTopology` learns about the file
 * (every entry in file order, with its YAML path and what resolution decided about it), and what
 * a rule module is.
 */
import type { Severity } from '../../errors.js';
import type { MemberMode, PackageType } from '../types.generated.js';
import type { JpdSpec, PairingSpec, SourceRef, TopologyDocument } from '../model.js';
import type { PathSegment } from '../yaml-positions.js';
import type { UrlCheck } from './url-check.js';

export type YamlPath = readonly PathSegment[];

/**
 * Turns a YAML path into its position (of the key, when asked), as `positionOf` does, in the file
 * that declares it; with `needle`, the position of that text inside the value.
 */
export type Locate = (path: YamlPath, at?: 'key' | 'value', needle?: string) => SourceRef;

export interface JpdEntry {
  readonly path: YamlPath;
  /** Holds the normalised URL when the URL is usable, the URL as written otherwise. */
  readonly spec: JpdSpec;
  readonly url: UrlCheck;
}

/** The first declaration of a pairing; later ones with the same source and target are duplicates. */
export interface PairingEntry {
  readonly index: number;
  readonly spec: PairingSpec;
  /** Both ends are declared JPDs; only then is the pairing part of the topology. */
  readonly declared: boolean;
}

interface MemberBase {
  readonly index: number;
  readonly path: YamlPath;
  readonly jpd: string;
}

/**
 * What resolution made of one `members[]` entry. The checks run in this order and the first that
 * applies wins, so a member is reported once: undeclared, the source itself, listed again, no mode.
 */
export type MemberEntry = MemberBase &
  (
    | { readonly status: 'undeclared' | 'self' | 'no-mode' }
    | { readonly status: 'duplicate'; readonly firstIndex: number }
    | {
        readonly status: 'accepted';
        readonly mode: MemberMode;
        readonly enabled: boolean;
        /** Where the mode comes from: the member's `mode`, or the member itself for the default. */
        readonly modePath: YamlPath;
      }
  );

export type AcceptedMember = Extract<MemberEntry, { status: 'accepted' }>;

/** One accepted member's copy of a repository: its key there and the path that names that key. */
export interface MemberCopy {
  readonly member: AcceptedMember;
  readonly key: string;
  readonly path: YamlPath;
}

export interface RepoEntry {
  readonly index: number;
  readonly path: YamlPath;
  /** The key itself: the entry when it is a string, its `key` when it is an object. */
  readonly keyPath: YamlPath;
  readonly key: string;
  /** The repository's own, else the federation's, else defaults.packageType. */
  readonly packageType: PackageType | undefined;
  readonly description: string | undefined;
  /** The repository's own, else the federation's, else defaults.project. */
  readonly project: string | undefined;
  readonly environments: readonly string[] | undefined;
  readonly convert: 'local' | undefined;
  /** `memberKeys` as written, in file order. */
  readonly memberKeys: readonly (readonly [jpd: string, key: string])[];
  /** Accepted members in file order. */
  readonly copies: readonly MemberCopy[];
}

export interface FederationEntry {
  readonly index: number;
  readonly path: YamlPath;
  readonly source: string;
  readonly sourceDeclared: boolean;
  /** The federation's own, else defaults.packageType. */
  readonly packageType: PackageType | undefined;
  readonly members: readonly MemberEntry[];
  readonly accepted: readonly AcceptedMember[];
  readonly repos: readonly RepoEntry[];
}

/** Everything in the file, in file order, with the facts resolution established. */
export interface TopologyModel {
  readonly jpds: readonly JpdEntry[];
  readonly declared: ReadonlySet<string>;
  /** The first non-self declaration of source -> target, declared ends or not. */
  pairing(source: string, target: string): PairingEntry | undefined;
  readonly federations: readonly FederationEntry[];
}

/** What a rule sees. Rules are pure: same context, same findings. */
export interface RuleContext {
  readonly file: TopologyDocument;
  readonly model: TopologyModel;
  /** Used only to tell whether a variable is set; values must never reach a message. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly at: Locate;
  /** How a message names another place: `12:5`, or `teams/b.yaml:12:5` in a set of files. */
  readonly where: (ref: SourceRef) => string;
}

export interface Finding {
  readonly path: YamlPath;
  readonly message: string;
  /** Point at the mapping key instead of its value (e.g. a JPD name under memberKeys). */
  readonly at?: 'key' | 'value';
  /** Which of the rule's codes; only a rule with several codes sets it (the first otherwise). */
  readonly code?: string;
}

export interface RuleMeta {
  /** Stable: printed by `validate --format json` and matched by scripts, so never renamed. */
  readonly code: string;
  readonly severity: Severity;
  /** One line: what the rule reports. */
  readonly description: string;
}

export interface TopologyRule {
  /**
   * The codes the rule reports: one for nearly every rule. Several only for a family found in one
   * walk whose issues must keep that walk's order (see repository-ownership.ts).
   */
  readonly meta: readonly [RuleMeta, ...RuleMeta[]];
  check(context: RuleContext): readonly Finding[];
}

/** How a message names another place: with the file only when the topology has several. */
export function whereIn(files: number): (ref: SourceRef) => string {
  return files > 1
    ? (ref) => `${ref.file}:${ref.line}:${ref.col}`
    : (ref) => `${ref.line}:${ref.col}`;
}
