/**
 * Topology text -> resolved `Topology`, or every problem with its position. Three stages, each
 * reporting all it finds: YAML syntax (the `yaml` parser), shape (ajv against
 * schemas/federation.schema.json, ./schema-issues.ts), then the semantic rules (./check-rules.ts
 * over the table in ./rules/).
 */
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { Issue, Severity } from '../errors.js';
import { withProtection } from './protect.js';
import { checkTopologyRules } from './check-rules.js';
import {
  DEPTH_MESSAGE,
  duplicateKeys,
  isStackOverflow,
  referenceIssues,
  tooDeep,
} from './guards.js';
import type { TopologyFile } from './types.generated.js';
import { envForUsedJpds, unusedJpdsMessage, usedInFile } from './usage.js';
import type { Topology } from './model.js';
import { offsetToRef, positionOf, type YamlSource } from './yaml-positions.js';
import { schemaIssues, type SchemaValidator } from './schema-issues.js';

export { createTopologyValidator, describePath, type SchemaValidator } from './schema-issues.js';

/** Aliases expand on conversion; a small limit stops "billion laughs" files. */
export const MAX_ALIAS_COUNT = 100;
const MAX_SYNTAX_ISSUES = 10;

export interface ParseOptions {
  /** The file name as the user gave it; prefixes every issue. */
  readonly file: string;
  readonly validator: SchemaValidator;
  /** Used only to tell whether each token variable is set; values are never kept. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** An unset token variable is a warning for `validate`, an error for commands that connect. */
  readonly unsetEnv: Severity;
}

export interface ParseResult {
  /** Present when there are no errors (warnings allowed). */
  readonly topology?: Topology;
  /** Number of federation blocks in the file, for the summary line. */
  readonly federationCount: number;
  /** Sorted by line, column. */
  readonly issues: readonly Issue[];
}

export function parseTopology(text: string, options: ParseOptions): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    // Duplicate keys are found by `duplicateKeys` below, in linear time.
    uniqueKeys: false,
    prettyErrors: false,
    schema: 'core',
    // Keep `merge: false`: YAML 1.2 core has no `<<` merge keys; explicit data reads better in review.
  });
  const src: YamlSource = { doc, lineCounter };
  const issue = (
    at: { line: number; col: number },
    code: string,
    message: string,
    severity: Severity = 'error',
  ): Issue => ({ file: options.file, line: at.line, col: at.col, severity, code, message });

  // The parser's own stack overflow is an input problem, not a bug: say what it means.
  const overflow = doc.errors.find((e) => isStackOverflow(e.message));
  if (overflow !== undefined) {
    return done([issue(offsetToRef(src, overflow.pos[0]), 'yaml-depth', DEPTH_MESSAGE)], 0);
  }
  const syntax = syntaxIssues(doc, src, text, issue);
  if (doc.errors.length > 0) return done(syntax, 0);

  const deep = tooDeep(doc);
  if (deep !== undefined) {
    return done([issue(offsetToRef(src, deep.range?.[0] ?? 0), 'yaml-depth', DEPTH_MESSAGE)], 0);
  }
  const duplicates = duplicateKeys(doc).map((key) =>
    duplicateKeyIssue(src, text, key.range?.[0] ?? 0, issue),
  );
  if (duplicates.length > 0) return done([...syntax, ...duplicates], 0);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml package throws a ReferenceError for excessive or unresolved aliases.
    const message = error instanceof Error ? error.message : String(error);
    return done(
      [...syntax, issue(offsetToRef(src, 0), 'yaml-aliases', `cannot expand aliases: ${message}`)],
      0,
    );
  }
  if (data === null || data === undefined) {
    return done([...syntax, issue({ line: 1, col: 1 }, 'empty', 'the topology file is empty')], 0);
  }

  const valid = options.validator(data);
  if (!valid) {
    const shape = schemaIssues(options.validator.errors ?? [], data).map((e) =>
      issue(positionOf(src, e.path, e.at), 'schema', e.message),
    );
    return done([...syntax, ...shape], 0);
  }

  // The schema check above is what makes this assertion true.
  const file = data as TopologyFile;
  const { topology, issues } = checkFile(file, src, options, issue);
  const all = [...syntax, ...issues];
  return done(
    all,
    file.federations.length,
    all.some((i) => i.severity === 'error') ? undefined : withProtection(file, topology),
  );

  function done(list: Issue[], federationCount: number, topology?: Topology): ParseResult {
    const issues = list.sort((a, b) => a.line - b.line || a.col - b.col);
    return topology === undefined
      ? { issues, federationCount }
      : { issues, federationCount, topology };
  }
}

type IssueAt = (
  at: { line: number; col: number },
  code: string,
  message: string,
  severity?: Severity,
) => Issue;

/**
 * The parser's errors and warnings, at most MAX_SYNTAX_ISSUES of them: one misplaced bracket can
 * make the parser report hundreds of follow-on errors, so a last line counts the rest.
 */
function syntaxIssues(
  doc: ReturnType<typeof parseDocument>,
  src: YamlSource,
  text: string,
  issue: IssueAt,
): Issue[] {
  const syntax = [...doc.errors, ...doc.warnings]
    .slice(0, MAX_SYNTAX_ISSUES)
    .map((e: YAMLError) =>
      e.code === 'DUPLICATE_KEY'
        ? duplicateKeyIssue(src, text, e.pos[0], issue)
        : issue(
            offsetToRef(src, e.pos[0]),
            'yaml-syntax',
            yamlMessage(e),
            doc.errors.includes(e) ? 'error' : 'warning',
          ),
    );
  const more = doc.errors.length + doc.warnings.length - syntax.length;
  if (doc.errors.length > 0 && more > 0) {
    syntax.push(
      issue(
        syntax[syntax.length - 1] ?? { line: 1, col: 1 },
        'yaml-syntax',
        `${more} more syntax errors not shown; fix the first one and run again`,
      ),
    );
  }
  return syntax;
}

function duplicateKeyIssue(src: YamlSource, text: string, offset: number, issue: IssueAt): Issue {
  const key = /^[^:\n]*/.exec(text.slice(offset))?.[0].trim() ?? '';
  return issue(offsetToRef(src, offset), 'duplicate-key', `duplicate key ${JSON.stringify(key)}`);
}

/** The semantic rules, the guards against hostile files, and the warning for unused JPDs. */
function checkFile(
  file: TopologyFile,
  src: YamlSource,
  options: ParseOptions,
  issue: IssueAt,
): { topology: Topology; issues: Issue[] } {
  const used = usedInFile(file);
  const { topology, issues } = checkTopologyRules(file, {
    env: envForUsedJpds(file, used, options.env),
    unsetEnv: options.unsetEnv,
    at: (path, at) => positionOf(src, path, at),
    issue: (path, code, message, severity = 'error', at = 'value') =>
      issue(positionOf(src, path, at), code, message, severity),
  });
  for (const found of referenceIssues(file, (path, code, message) =>
    issue(positionOf(src, path, 'value'), code, message),
  )) {
    issues.push(found);
  }
  const unused = unusedJpdsMessage(file, used);
  if (unused !== undefined) {
    const at = positionOf(src, ['jpds', unused.first], 'key');
    issues.push(issue(at, 'unused-jpd', unused.message, 'warning'));
  }
  return { topology, issues };
}

function yamlMessage(e: YAMLError): string {
  // The yaml package appends "at line X, column Y" and a code frame; we print our own position.
  const first = e.message.split('\n')[0] ?? e.message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}
