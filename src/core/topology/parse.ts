/**
 * Topology text -> resolved `Topology`, or every problem with its position. Three stages, each
 * reporting all it finds: YAML syntax (the `yaml` parser), shape (ajv against
 * schemas/federation.schema.json), then the semantic rules of `topology-rules.ts`.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvErrorsModule from 'ajv-errors';
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
import {
  offsetToRef,
  pointerToPath,
  positionOf,
  type PathSegment,
  type YamlSource,
} from './yaml-positions.js';

/** Aliases expand on conversion; a small limit stops "billion laughs" files. */
export const MAX_ALIAS_COUNT = 100;
const MAX_SYNTAX_ISSUES = 10;

export type SchemaValidator = ValidateFunction;

/** Compile once per process: ajv code generation is the expensive part. */
export function createTopologyValidator(schema: object): SchemaValidator {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  // ajv-errors is CommonJS; under nodenext its default export arrives as `.default`.
  ajvErrorsModule.default(ajv);
  return ajv.compile(schema);
}

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
  const duplicateKey = (offset: number): Issue =>
    issue(
      offsetToRef(src, offset),
      'duplicate-key',
      `duplicate key ${JSON.stringify(/^[^:\n]*/.exec(text.slice(offset))?.[0].trim() ?? '')}`,
    );
  const syntax = [...doc.errors, ...doc.warnings]
    .slice(0, MAX_SYNTAX_ISSUES)
    .map((e: YAMLError) =>
      e.code === 'DUPLICATE_KEY'
        ? duplicateKey(e.pos[0])
        : issue(
            offsetToRef(src, e.pos[0]),
            'yaml-syntax',
            yamlMessage(e),
            doc.errors.includes(e) ? 'error' : 'warning',
          ),
    );
  if (doc.errors.length > 0) {
    // One misplaced bracket can make the parser report hundreds of follow-on errors.
    const more = doc.errors.length + doc.warnings.length - syntax.length;
    if (more > 0) {
      const last = syntax[syntax.length - 1];
      syntax.push(
        issue(
          last ?? { line: 1, col: 1 },
          'yaml-syntax',
          `${more} more syntax errors not shown; fix the first one and run again`,
        ),
      );
    }
    return done(syntax, 0);
  }

  const deep = tooDeep(doc);
  if (deep !== undefined) {
    return done([issue(offsetToRef(src, deep.range?.[0] ?? 0), 'yaml-depth', DEPTH_MESSAGE)], 0);
  }
  const duplicates = duplicateKeys(doc).map((key) => duplicateKey(key.range?.[0] ?? 0));
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

interface ShapeIssue {
  readonly path: PathSegment[];
  readonly at: 'key' | 'value';
  readonly message: string;
}

/** Turns ajv errors into short messages at the most useful node, dropping branch noise. */
function schemaIssues(errors: readonly ErrorObject[], data: unknown): ShapeIssue[] {
  const kept = pruneBranches(errors, data);
  const out: ShapeIssue[] = [];
  const seen = new Set<string>();
  for (const e of kept) {
    const shaped = shapeIssue(e);
    if (shaped === undefined) continue;
    const id = `${shaped.path.join('/')}|${shaped.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(shaped);
  }
  return out;
}

/**
 * For `oneOf`/`anyOf`, ajv reports the failures of every branch, and for `$ref` branches its
 * schemaPaths are relative to the referenced definition, so branches cannot be told apart by
 * path. Go by the data instead: a failure that only says "wrong type" at a branch point belongs to
 * a branch the value was never meant for (a repository written as an object was not meant to be a
 * string), so drop it; if nothing else is left there, say which types would do.
 */
function pruneBranches(errors: readonly ErrorObject[], data: unknown): ErrorObject[] {
  const branchPoints = new Set(
    errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath),
  );
  const namedByMessage = new Set(
    errors.filter((e) => e.keyword === 'errorMessage').map((e) => e.instancePath),
  );
  const expected = new Map<string, string[]>();
  const kept = errors.filter((e) => {
    if (e.keyword === 'if') return false;
    // ajv-errors already turned the name failure into a message at the same place.
    if (e.keyword === 'propertyNames') return !namedByMessage.has(e.instancePath);
    if (!branchPoints.has(e.instancePath)) return true;
    const type = wrongTypeOnly(e);
    if (type === undefined) return true;
    expected.set(e.instancePath, [...(expected.get(e.instancePath) ?? []), type]);
    return false;
  });
  return kept.flatMap((e) => {
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') return [e];
    const others = kept.some(
      (o) =>
        o !== e &&
        (o.instancePath === e.instancePath || o.instancePath.startsWith(`${e.instancePath}/`)),
    );
    if (others) return [];
    const types = expected.get(e.instancePath) ?? [];
    const value = valueAt(data, pointerToPath(e.instancePath));
    return [
      {
        ...e,
        keyword: 'errorMessage',
        message: `${describePath(pointerToPath(e.instancePath))} must be ${types.map(article).join(' or ')}, not ${describeType(value)}`,
      },
    ];
  });
}

/** The expected type, when an error (or an ajv-errors message wrapping it) is only a type mismatch. */
function wrongTypeOnly(e: ErrorObject): string | undefined {
  if (e.keyword === 'type') return String(e.params['type']);
  if (e.keyword !== 'errorMessage') return undefined;
  // ajv-errors puts the errors it replaced in params.errors; ajv types params loosely.
  const inner = e.params['errors'] as ErrorObject[] | undefined;
  const first = inner?.[0];
  return inner?.length === 1 && first?.keyword === 'type'
    ? String(first.params['type'])
    : undefined;
}

function shapeIssue(e: ErrorObject): ShapeIssue | undefined {
  const path = pointerToPath(e.instancePath);
  const where = describePath(path);
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(e.params['additionalProperty']);
      return {
        path: [...path, name],
        at: 'key',
        message: `unknown property "${name}"${where === '' ? '' : ` in ${where}`}`,
      };
    }
    case 'required':
      return {
        path,
        at: 'value',
        message: `${where === '' ? 'the file' : where} is missing the required property "${String(e.params['missingProperty'])}"`,
      };
    case 'propertyNames': {
      const name = String(e.params['propertyName']);
      return { path: [...path, name], at: 'key', message: `invalid name "${name}" in ${where}` };
    }
    case 'pattern':
      if (e.schemaPath === '#/definitions/jpd/properties/token/pattern') {
        return {
          path,
          at: 'value',
          message: `${where} must be an environment variable reference such as \${${suggestEnvName(path)}}; literal tokens are not allowed in the topology file`,
        };
      }
      return { path, at: 'value', message: `${where} has an invalid format` };
    case 'errorMessage': {
      // Under propertyNames, the inner error carries the offending name; point at that key.
      const inner = (
        e.params['errors'] as (ErrorObject & { propertyName?: string })[] | undefined
      )?.[0];
      const name = inner?.propertyName;
      if (name !== undefined) {
        return {
          path: [...path, name],
          at: 'key',
          message: `${e.message ?? 'invalid name'} (got "${name}")`,
        };
      }
      return { path, at: 'value', message: e.message ?? `${where} is invalid` };
    }
    case 'type':
      return {
        path,
        at: 'value',
        message: `${where} must be ${article(String(e.params['type']))}`,
      };
    case 'enum':
      return {
        path,
        at: 'value',
        message: `${where} must be one of: ${(e.params['allowedValues'] as unknown[]).map(String).join(', ')}`,
      };
    case 'const':
      return {
        path,
        at: 'value',
        message: `${where} must be ${JSON.stringify(e.params['allowedValue'])}`,
      };
    case 'minItems':
    case 'minProperties':
    case 'minLength':
      return { path, at: 'value', message: `${where} must not be empty` };
    case 'maximum':
    case 'minimum':
      return { path, at: 'value', message: `${where} ${e.message ?? 'is out of range'}` };
    case 'oneOf':
    case 'anyOf':
      return { path, at: 'value', message: `${where} does not match any allowed form` };
    default:
      return { path, at: 'value', message: `${where} ${e.message ?? 'is invalid'}` };
  }
}

/** `federations[0].members[1].mode` */
export function describePath(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function suggestEnvName(path: readonly PathSegment[]): string {
  const jpd = path[1];
  return `${typeof jpd === 'string' ? jpd.toUpperCase().replace(/[^A-Z0-9]/g, '_') : 'JPD'}_TOKEN`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    // An object or array, checked above; indexing either by a path segment is what we want.
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
