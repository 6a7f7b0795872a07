/**
 * Maps a data path (the segments of an ajv `instancePath`, or a path a semantic rule builds) back
 * to a line and column in the YAML source. The `yaml` package keeps every node's source range;
 * the LineCounter turns offsets into 1-based positions.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type YAMLMap,
} from 'yaml';
import type { SourceRef } from './model.js';

export type PathSegment = string | number;

/** One parsed topology file: its name as given (for messages), its text and its YAML document. */
export interface YamlSource {
  readonly file: string;
  readonly text: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

/** Decodes an ajv instancePath (a JSON Pointer) into segments; numbers for array indices. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

interface Located {
  readonly value: unknown;
  readonly key: unknown;
}

/**
 * Each map's pairs by key, built on first use: a file with 10,000 JPDs can have as many issues,
 * and a scan of the map per issue made positioning quadratic.
 */
const pairsByKey = new WeakMap<YAMLMap, ReadonlyMap<string, Located>>();

function indexPairs(node: YAMLMap): ReadonlyMap<string, Located> {
  let index = pairsByKey.get(node);
  if (index === undefined) {
    const built = new Map<string, Located>();
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const keyValue: unknown = isScalar(item.key) ? item.key.value : item.key;
      // The first pair with a key wins, as the old scan did.
      const id = String(keyValue);
      if (!built.has(id)) built.set(id, { value: item.value, key: item.key });
    }
    index = built;
    pairsByKey.set(node, index);
  }
  return index;
}

function child(src: YamlSource, parent: unknown, segment: PathSegment): Located | undefined {
  const node = isAlias(parent) ? parent.resolve(src.doc) : parent;
  if (isMap(node)) return indexPairs(node).get(String(segment));
  if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
    return { value: node.items[segment], key: undefined };
  }
  return undefined;
}

function startOf(node: unknown): number | undefined {
  if (isScalar(node) || isMap(node) || isSeq(node) || isAlias(node)) {
    return node.range?.[0];
  }
  return undefined;
}

/**
 * The position of the node at `path` (of its key, when `at` is 'key'), or of the nearest
 * ancestor that exists when the path runs out (e.g. a property that is missing).
 */
export function positionOf(
  src: YamlSource,
  path: readonly PathSegment[],
  at: 'key' | 'value' = 'value',
  needle?: string,
): SourceRef {
  return offsetToRef(src, offsetOf(src, path, at, needle));
}

/**
 * The offset `positionOf` reports; with `needle`, the offset of its first occurrence in the
 * node's source text when it occurs there (a variable reference inside a URL), else the node's.
 */
function offsetOf(
  src: YamlSource,
  path: readonly PathSegment[],
  at: 'key' | 'value',
  needle: string | undefined,
): number {
  let parent: unknown = src.doc.contents;
  let offset = startOf(parent) ?? 0;
  for (const [i, segment] of path.entries()) {
    const found = child(src, parent, segment);
    if (found === undefined) break;
    const last = i === path.length - 1;
    // `key:` with no value has a null value node; point at the key then.
    offset =
      (last && at === 'key' ? startOf(found.key) : undefined) ??
      startOf(found.value) ??
      startOf(found.key) ??
      offset;
    parent = found.value;
    if (last && needle !== undefined && at === 'value' && isScalar(found.value)) {
      const range = found.value.range;
      const inside = range == null ? -1 : src.text.slice(range[0], range[1]).indexOf(needle);
      if (range != null && inside >= 0) return range[0] + inside;
    }
  }
  return offset;
}

export function offsetToRef(src: YamlSource, offset: number): SourceRef {
  const { line, col } = src.lineCounter.linePos(offset);
  return { file: src.file, line, col };
}
