/**
 * A topology over several files, as one document. Each file is schema-valid on its own; here
 * they become the document the rules read, and every path into that document is routed back to
 * the file and the place that declared it, so each message keeps its own file:line:col.
 *
 * - `jpds`: merged by name; a JPD is declared in one file only.
 * - `defaults`: merged by key; each default is set in one file only.
 * - `trust` and `federations`: the lists of every file, one after the other, in file order.
 * - `version` and `$schema` belong to each file.
 * Declaring the same JPD or default twice is refused even when both agree: two copies of one
 * declaration drift apart in review. Two files declaring the same repository is the
 * `duplicate-repository` rule's, which names both places.
 */
import type { Issue } from '../errors.js';
import type { SourceRef, TopologyDocument } from './model.js';
import { issueAt } from './parse-file.js';
import type { Locate, YamlPath } from './rules/types.js';
import type { TopologyFile } from './types.generated.js';
import { positionOf, type YamlSource } from './yaml-positions.js';

export interface FilePart {
  readonly src: YamlSource;
  readonly data: TopologyFile;
}

export interface MergedTopology {
  /** Absent when the set declares no JPD or no federation list (the issues say which). */
  readonly document?: TopologyDocument;
  readonly locate: Locate;
  readonly issues: readonly Issue[];
}

/** Keys each file has for itself; they are checked per file and never merged. */
const PER_FILE = new Set(['version', '$schema']);
/** Mappings merged entry by entry. */
const BY_ENTRY = new Set(['jpds', 'defaults']);

interface Owner {
  readonly part: number;
  /** The entry's path in its own file, for a list item its index there. */
  readonly local: YamlPath;
}

export function mergeFiles(parts: readonly FilePart[]): MergedTopology {
  const [only] = parts;
  if (only === undefined) throw new Error('mergeFiles needs at least one file');
  if (parts.length === 1) return single(only);
  const merged: Record<string, unknown> = { version: only.data.version };
  /** Top-level key -> (entry name or list index -> where it came from). */
  const owners = new Map<string, Map<string | number, Owner>>();
  const issues: Issue[] = [];
  const here = (part: number, path: YamlPath, at: 'key' | 'value' = 'value'): SourceRef => {
    const src = parts[part]?.src ?? only.src;
    return positionOf(src, path, at);
  };
  parts.forEach(({ data }, part) => {
    for (const [key, value] of Object.entries(data)) {
      if (PER_FILE.has(key) || value === undefined) continue;
      const own = owners.get(key) ?? new Map<string | number, Owner>();
      owners.set(key, own);
      if (Array.isArray(value)) {
        const list = (merged[key] ??= []) as unknown[];
        value.forEach((item: unknown, index) => {
          own.set(list.length, { part, local: [key, index] });
          list.push(item);
        });
      } else if (BY_ENTRY.has(key) && typeof value === 'object' && value !== null) {
        const map = (merged[key] ??= {}) as Record<string, unknown>;
        // `as`: a mapping, checked above; its entries are what the schema let through.
        for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
          const first = own.get(name);
          if (first !== undefined) {
            issues.push(
              twice(
                key,
                name,
                here(part, [key, name], 'key'),
                here(first.part, first.local, 'key'),
              ),
            );
            continue;
          }
          own.set(name, { part, local: [key, name] });
          map[name] = entry;
        }
      } else {
        const first = own.get('');
        if (first !== undefined) {
          issues.push(
            twice(key, undefined, here(part, [key], 'key'), here(first.part, first.local, 'key')),
          );
          continue;
        }
        own.set('', { part, local: [key] });
        merged[key] = value;
      }
    }
  });
  const locate: Locate = (path, at, needle) => {
    const routed = route(owners, path);
    const src = routed === undefined ? only.src : (parts[routed.part]?.src ?? only.src);
    return positionOf(src, routed?.local ?? path, at, needle);
  };
  return complete(merged, locate, issues, parts.length, only.src);
}

/** The file and the path in it of a path into the merged document. */
function route(
  owners: ReadonlyMap<string, ReadonlyMap<string | number, Owner>>,
  path: YamlPath,
): Owner | undefined {
  const [top, entry] = path;
  const own = typeof top === 'string' ? owners.get(top) : undefined;
  if (own === undefined) return undefined;
  const whole = own.get('');
  if (whole !== undefined) return { part: whole.part, local: path };
  const owner = entry === undefined ? undefined : own.get(entry);
  if (owner === undefined) {
    const first = [...own.values()][0];
    return first === undefined ? undefined : { part: first.part, local: [top ?? ''] };
  }
  return { part: owner.part, local: [...owner.local, ...path.slice(2)] };
}

function single(part: FilePart): MergedTopology {
  const locate: Locate = (path, at, needle) => positionOf(part.src, path, at, needle);
  return complete({ ...part.data }, locate, [], 1, part.src);
}

/** The set declares `jpds` and `federations` somewhere, or says what is missing. */
function complete(
  merged: Record<string, unknown>,
  locate: Locate,
  issues: Issue[],
  files: number,
  first: YamlSource,
): MergedTopology {
  for (const key of ['jpds', 'federations']) {
    if (merged[key] !== undefined) continue;
    issues.push(
      issueAt(
        positionOf(first, []),
        'schema',
        files === 1
          ? `the file is missing the required property "${key}"`
          : `none of the ${files} files declares "${key}"; one of them must`,
      ),
    );
  }
  if (issues.length > 0) return { locate, issues };
  // Every file passed the schema, and jpds and federations are there: the document is complete.
  return { document: merged as unknown as TopologyDocument, locate, issues };
}

function twice(key: string, name: string | undefined, at: SourceRef, first: SourceRef): Issue {
  const what =
    key === 'jpds'
      ? `JPD "${name ?? ''}" is declared`
      : name === undefined
        ? `"${key}" is set`
        : `${key}.${name} is set`;
  return issueAt(
    at,
    key === 'jpds' ? 'duplicate-jpd' : 'duplicate-declaration',
    `${what} in two files (first at ${first.file}:${first.line}:${first.col}); declare it in one file only`,
  );
}
