/**
 * Topology text -> resolved `Topology`, or every problem with its position. The stages, each
 * reporting all it finds: each file on its own (YAML syntax and shape, parse-file.ts), the files
 * merged into one document (merge.ts), variables expanded (variables.ts), then the semantic rules
 * of rules/index.ts. A topology is one file or a set of files; every issue names its own file.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import ajvErrorsModule from 'ajv-errors';
import type { Issue, Severity } from '../errors.js';
import { withProtection } from './protect.js';
import { checkTopologyRules } from './check-rules.js';
import { referenceIssues } from './guards.js';
import { mergeFiles, type FilePart } from './merge.js';
import { issueAt, parseFile } from './parse-file.js';
import { whereIn, type Locate } from './rules/types.js';
import { envForUsedJpds, unusedJpdsMessage, usedInFile } from './usage.js';
import type { Topology, TopologyDocument } from './model.js';
import { expandVariables, type VariableValues } from './variables.js';

export { MAX_ALIAS_COUNT } from './parse-file.js';
export { describePath } from './schema-issues.js';

export type SchemaValidator = ValidateFunction;

/** Compile once per process: ajv code generation is the expensive part. */
export function createTopologyValidator(schema: object): SchemaValidator {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  // ajv-errors is CommonJS; under nodenext its default export arrives as `.default`.
  ajvErrorsModule.default(ajv);
  return ajv.compile(schema);
}

export interface SetOptions {
  readonly validator: SchemaValidator;
  /** Used only to tell whether each token variable is set; values are never kept. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** An unset token variable is a warning for `validate`, an error for commands that connect. */
  readonly unsetEnv: Severity;
  /** `--var` and `--var-file` values; none when absent. */
  readonly variables?: VariableValues;
}

export interface ParseOptions extends SetOptions {
  /** The file name as the user gave it; prefixes every issue. */
  readonly file: string;
}

/** One file of a topology: its name as given, and its text. */
export interface SourceText {
  readonly file: string;
  readonly text: string;
}

export interface ParseResult {
  /** Present when there are no errors (warnings allowed). */
  readonly topology?: Topology;
  /** Number of federation blocks in the topology, for the summary line. */
  readonly federationCount: number;
  /** Sorted by file (in the order of the set), line, column. */
  readonly issues: readonly Issue[];
  /** The variables the topology used and their values (never a token). */
  readonly variables: VariableValues;
}

/** One topology file on its own. */
export function parseTopology(text: string, options: ParseOptions): ParseResult {
  return parseTopologySet([{ file: options.file, text }], options);
}

/** A topology over one or several files (in the order given: it orders the issues). */
export function parseTopologySet(files: readonly SourceText[], options: SetOptions): ParseResult {
  const order = new Map(files.map((f, i) => [f.file, i]));
  const done = (list: Issue[], federationCount = 0, topology?: Topology, used?: VariableValues) => {
    const issues = list.sort(
      (a, b) =>
        (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.col - b.col,
    );
    const variables = used ?? new Map<string, string>();
    return topology === undefined
      ? { issues, federationCount, variables }
      : { issues, federationCount, topology, variables };
  };
  const parsed = files.map((f) => parseFile(f.file, f.text, options.validator));
  const issues = parsed.flatMap((p) => p.issues);
  if (issues.some((i) => i.severity === 'error')) return done(issues);
  const parts: FilePart[] = parsed.flatMap((p) =>
    p.src === undefined || p.data === undefined ? [] : [{ src: p.src, data: p.data }],
  );
  const merged = mergeFiles(parts);
  issues.push(...merged.issues);
  if (merged.document === undefined) return done(issues);
  const expanded = expandVariables(merged.document, options.variables ?? new Map(), merged.locate);
  issues.push(...expanded.issues);
  if (expanded.issues.length > 0) return done(issues);
  const file = expanded.document;
  const checked = checkFile(file, merged.locate, files.length, options);
  issues.push(...checked.issues);
  return done(
    issues,
    file.federations.length,
    issues.some((i) => i.severity === 'error') ? undefined : withProtection(file, checked.topology),
    expanded.used,
  );
}

/** The semantic rules, the guards against hostile files, and the warning for unused JPDs. */
function checkFile(
  file: TopologyDocument,
  locate: Locate,
  files: number,
  options: SetOptions,
): { topology: Topology; issues: Issue[] } {
  const used = usedInFile(file);
  const { topology, issues } = checkTopologyRules(file, {
    env: envForUsedJpds(file, used, options.env),
    unsetEnv: options.unsetEnv,
    at: locate,
    where: whereIn(files),
    issue: (path, code, message, severity = 'error', at = 'value') =>
      issueAt(locate(path, at), code, message, severity),
  });
  for (const found of referenceIssues(file, (path, code, message) =>
    issueAt(locate(path, 'value'), code, message),
  )) {
    issues.push(found);
  }
  const unused = unusedJpdsMessage(file, used);
  if (unused !== undefined) {
    const at = locate(['jpds', unused.first], 'key');
    issues.push(issueAt(at, 'unused-jpd', unused.message, 'warning'));
  }
  return { topology, issues };
}
