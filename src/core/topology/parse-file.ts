/**
 * One topology file, on its own: YAML syntax (the `yaml` parser), the guards against hostile
 * files, then its shape (ajv against schemas/federation.schema.json). Reports everything it
 * finds with the file's own positions. What only the set of files can tell (a JPD declared in
 * two files, no file declaring any JPD) is for merge.ts; the semantic rules come after that.
 */
import type { ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { Issue, Severity } from '../errors.js';
import { DEPTH_MESSAGE, duplicateKeys, isStackOverflow, tooDeep } from './guards.js';
import type { SourceRef } from './model.js';
import { schemaIssues } from './schema-issues.js';
import type { TopologyFile } from './types.generated.js';
import { offsetToRef, positionOf, type YamlSource } from './yaml-positions.js';

/** Aliases expand on conversion; a small limit stops "billion laughs" files. */
export const MAX_ALIAS_COUNT = 100;
const MAX_SYNTAX_ISSUES = 10;

export interface ParsedFile {
  /** Present when the file is YAML (with or without a schema problem). */
  readonly src?: YamlSource;
  /** Present when the file is schema-valid. */
  readonly data?: TopologyFile;
  readonly issues: readonly Issue[];
}

export function issueAt(
  at: SourceRef,
  code: string,
  message: string,
  severity: Severity = 'error',
): Issue {
  return { file: at.file, line: at.line, col: at.col, severity, code, message };
}

/** The YAML text of one file, checked up to its shape. */
export function parseFile(file: string, text: string, validator: ValidateFunction): ParsedFile {
  const read = readYaml(file, text);
  const { src, data } = read;
  if (src === undefined || data === undefined)
    return { ...(src === undefined ? {} : { src }), issues: read.issues };
  if (!validator(data)) {
    const shape = schemaIssues(validator.errors ?? [], data).map((e) =>
      issueAt(positionOf(src, e.path, e.at), 'schema', e.message),
    );
    return { src, issues: [...read.issues, ...shape] };
  }
  // The schema check above is what makes this assertion true.
  return { src, data: data as TopologyFile, issues: read.issues };
}

/**
 * The YAML of one file, before its shape is looked at: what `fmt` needs. `data` is present when
 * the text is YAML that converts (within the alias limit) to something other than nothing.
 */
export function readYaml(
  file: string,
  text: string,
): { src?: YamlSource; data?: unknown; issues: Issue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    // Duplicate keys are found by `duplicateKeys` below, in linear time.
    uniqueKeys: false,
    prettyErrors: false,
    schema: 'core',
    // Keep `merge: false`: YAML 1.2 core has no `<<` merge keys; explicit data reads better in review.
  });
  const src: YamlSource = { file, text, doc, lineCounter };
  const at = (offset: number): SourceRef => offsetToRef(src, offset);

  // The parser's own stack overflow is an input problem, not a bug: say what it means.
  const overflow = doc.errors.find((e) => isStackOverflow(e.message));
  if (overflow !== undefined) {
    return { issues: [issueAt(at(overflow.pos[0]), 'yaml-depth', DEPTH_MESSAGE)] };
  }
  const duplicateKey = (offset: number): Issue =>
    issueAt(
      at(offset),
      'duplicate-key',
      `duplicate key ${JSON.stringify(/^[^:\n]*/.exec(text.slice(offset))?.[0].trim() ?? '')}`,
    );
  const syntax = [...doc.errors, ...doc.warnings]
    .slice(0, MAX_SYNTAX_ISSUES)
    .map((e: YAMLError) =>
      e.code === 'DUPLICATE_KEY'
        ? duplicateKey(e.pos[0])
        : issueAt(
            at(e.pos[0]),
            'yaml-syntax',
            yamlMessage(e),
            doc.errors.includes(e) ? 'error' : 'warning',
          ),
    );
  if (doc.errors.length > 0) {
    // One misplaced bracket can make the parser report hundreds of follow-on errors.
    const more = doc.errors.length + doc.warnings.length - syntax.length;
    const last = syntax[syntax.length - 1];
    if (more > 0) {
      syntax.push(
        issueAt(
          last ?? { file, line: 1, col: 1 },
          'yaml-syntax',
          `${more} more syntax errors not shown; fix the first one and run again`,
        ),
      );
    }
    return { issues: syntax };
  }

  const deep = tooDeep(doc);
  if (deep !== undefined) {
    return { issues: [issueAt(at(deep.range?.[0] ?? 0), 'yaml-depth', DEPTH_MESSAGE)] };
  }
  const duplicates = duplicateKeys(doc).map((key) => duplicateKey(key.range?.[0] ?? 0));
  if (duplicates.length > 0) return { issues: [...syntax, ...duplicates] };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml package throws a ReferenceError for excessive or unresolved aliases.
    const message = error instanceof Error ? error.message : String(error);
    return {
      issues: [...syntax, issueAt(at(0), 'yaml-aliases', `cannot expand aliases: ${message}`)],
    };
  }
  if (data === null || data === undefined) {
    return {
      src,
      issues: [
        ...syntax,
        issueAt({ file, line: 1, col: 1 }, 'empty', 'the topology file is empty'),
      ],
    };
  }
  return { src, data, issues: syntax };
}

function yamlMessage(e: YAMLError): string {
  // The yaml package appends "at line X, column Y" and a code frame; we print our own position.
  const first = e.message.split('\n')[0] ?? e.message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}
