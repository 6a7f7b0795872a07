/**
 * ajv's errors as short messages at the most useful node of the YAML, with branch noise dropped.
 */
import type { ErrorObject } from 'ajv';
import { pointerToPath, type PathSegment } from './yaml-positions.js';

export interface ShapeIssue {
  readonly path: PathSegment[];
  readonly at: 'key' | 'value';
  readonly message: string;
}

/** Turns ajv errors into short messages at the most useful node, dropping branch noise. */
export function schemaIssues(errors: readonly ErrorObject[], data: unknown): ShapeIssue[] {
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
