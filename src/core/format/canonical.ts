/**
 * The canonical form of a topology file, the one `fedctl fmt` writes and `fedctl import` writes:
 * two people who declare the same topology get the same bytes, so a review shows only what
 * changed. It works on the `yaml` Document, so comments stay attached to the nodes they describe
 * and move with them.
 *
 * - Block style everywhere, two-space indentation, no line folding, no blank lines inside (a
 *   comment at the top is the file's header and is followed by one blank line).
 * - Keys in a fixed order, the order of the schema (KEY_ORDER); keys it does not know keep their
 *   order, after the known ones.
 * - Lists and mappings whose order means nothing, sorted by code unit: `jpds` by name, `trust`
 *   by source then target, `federations` by source then first repository key, each federation's
 *   `repositories` by key and `members` by JPD, and `memberKeys` by JPD. The order of nothing
 *   else changes.
 * - Scalars in the style the `yaml` package chooses for their value: plain where the text stays
 *   a string, quoted where it would not; `True` is `true`, `0x10` is `16`.
 * - Anchors and aliases written out: sorting could put an alias before its anchor, and a
 *   reviewer sees each federation whole.
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  visit,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { compareCodeUnits } from '../topology/model.js';

/** The order of each mapping's keys, as in schemas/federation.schema.json. */
export const KEY_ORDER = {
  root: ['$schema', 'version', 'defaults', 'jpds', 'trust', 'federations', 'removed'],
  defaults: ['packageType', 'mode', 'project', 'environments'],
  jpd: ['url', 'token', 'allowInsecureHttp', 'caFile', 'concurrency'],
  pairing: ['source', 'target', 'receivingOnly'],
  federation: [
    'source',
    'packageType',
    'description',
    'project',
    'environments',
    'repositories',
    'members',
  ],
  repository: [
    'key',
    'packageType',
    'description',
    'project',
    'environments',
    'protect',
    'memberKeys',
    'convert',
  ],
  member: ['jpd', 'mode', 'enabled'],
  removal: ['source', 'repositories'],
} as const satisfies Record<string, readonly string[]>;

/** How the canonical text is written; fmt and import both use it. */
export const CANONICAL_OPTIONS = { lineWidth: 0, indent: 2, indentSeq: true } as const;

/** Rewrites the document in place into the canonical form and returns its text. */
export function renderCanonical(doc: Document): string {
  expandAliases(doc);
  headerComment(doc);
  visit(doc, {
    Collection(key, node) {
      // `[]` and `{}` stay on their key's line; everything else is block style.
      node.flow = node.items.length === 0;
      node.spaceBefore = false;
      delete node.anchor;
      // A comment between a key and the first entry of its block collection belongs to that
      // entry: move it there, so that it moves with the entry when the entries are sorted. (A
      // list item's own comment stands before its dash and stays with it.)
      const first = node.items[0];
      const comment = node.commentBefore;
      if (key === 'value' && comment !== undefined && comment !== null && first !== undefined) {
        const target = isPair(first) ? (first.key as Node | null) : (first as Node);
        if (target !== null && typeof target === 'object') {
          target.commentBefore = join(comment, target.commentBefore);
          delete node.commentBefore;
        }
      }
    },
    Pair(_, pair) {
      if (isScalar(pair.key)) pair.key.spaceBefore = false;
    },
    Scalar(_, node) {
      delete node.type;
      node.spaceBefore = false;
      delete node.anchor;
      delete node.format;
      delete node.minFractionDigits;
      delete node.source;
    },
  });
  const root = doc.contents;
  if (isMap(root)) orderRoot(root);
  // Sorting may have brought a key with a comment to the top: that comment now heads the file.
  headerComment(doc);
  visit(doc, {
    Map(key, map) {
      if (typeof key === 'number') liftItemComment(map);
    },
  });
  if (doc.directives !== undefined) {
    doc.directives.docStart = null;
    doc.directives.docEnd = false;
    doc.directives.yaml.explicit = false;
  }
  return doc.toString(CANONICAL_OPTIONS);
}

/** A list item's comment stands before its dash, never between the dash and the first key. */
function liftItemComment(map: YAMLMap): void {
  const first = map.items[0];
  if (first === undefined || !isScalar(first.key)) return;
  const comment = first.key.commentBefore;
  if (comment === undefined || comment === null || comment === '') return;
  map.commentBefore = join(comment, map.commentBefore);
  delete first.key.commentBefore;
}

function join(a: string, b: string | null | undefined): string {
  return b === undefined || b === null || b === '' ? a : `${a}\n${b}`;
}

/** A comment above the first key is the file's header, not that key's. */
function headerComment(doc: Document): void {
  const root = doc.contents;
  if (!isMap(root)) return;
  const parts = [doc.commentBefore, root.commentBefore];
  const first = root.items[0];
  if (first !== undefined && isScalar(first.key)) {
    parts.push(first.key.commentBefore);
    delete first.key.commentBefore;
  }
  delete root.commentBefore;
  const header = parts.filter((p): p is string => typeof p === 'string' && p !== '').join('\n');
  doc.commentBefore = header === '' ? null : header;
}

/** Every alias replaced by a copy of the node it names (the parser bounded their expansion). */
function expandAliases(doc: Document): void {
  visit(doc, {
    Alias(_, alias) {
      const target = alias.resolve(doc);
      if (target === undefined) return undefined;
      // `as`: clone() of a node is a node of the same kind.
      const copy = target.clone() as Node;
      if (alias.comment !== undefined && alias.comment !== null) copy.comment = alias.comment;
      return copy;
    },
  });
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : '';
}

/** Sorts a mapping's pairs by a key order; keys not in it keep their order, after the known. */
function orderKeys(map: YAMLMap, order: readonly string[]): void {
  const rank = (p: Pair): number => {
    const i = order.indexOf(keyOf(p));
    return i < 0 ? order.length : i;
  };
  map.items.sort((a, b) => rank(a) - rank(b));
}

function byName(map: YAMLMap): void {
  map.items.sort((a, b) => compareCodeUnits(keyOf(a), keyOf(b)));
}

function child(map: YAMLMap, key: string): unknown {
  return map.items.find((p) => keyOf(p) === key)?.value;
}

function text(node: unknown): string {
  if (isScalar(node)) return String(node.value);
  if (isMap(node)) return text(child(node, 'key'));
  return '';
}

function sortSeq(seq: YAMLSeq, by: (item: unknown) => readonly string[]): void {
  seq.items.sort((a, b) => {
    const ka = by(a);
    const kb = by(b);
    for (let i = 0; i < Math.max(ka.length, kb.length); i += 1) {
      const c = compareCodeUnits(ka[i] ?? '', kb[i] ?? '');
      if (c !== 0) return c;
    }
    return 0;
  });
}

function eachMap(node: unknown, apply: (map: YAMLMap) => void): void {
  if (isSeq(node)) for (const item of node.items) if (isMap(item)) apply(item);
}

function orderRoot(root: YAMLMap): void {
  orderKeys(root, KEY_ORDER.root);
  const defaults = child(root, 'defaults');
  if (isMap(defaults)) orderKeys(defaults, KEY_ORDER.defaults);
  const jpds = child(root, 'jpds');
  if (isMap(jpds)) {
    byName(jpds);
    for (const p of jpds.items) if (isMap(p.value)) orderKeys(p.value, KEY_ORDER.jpd);
  }
  const trust = child(root, 'trust');
  eachMap(trust, (m) => {
    orderKeys(m, KEY_ORDER.pairing);
  });
  if (isSeq(trust)) {
    sortSeq(trust, (p) => (isMap(p) ? [text(child(p, 'source')), text(child(p, 'target'))] : []));
  }
  const federations = child(root, 'federations');
  eachMap(federations, orderFederation);
  if (isSeq(federations)) {
    sortSeq(federations, (f) => {
      if (!isMap(f)) return [];
      const repos = child(f, 'repositories');
      const first = isSeq(repos) ? repos.items[0] : undefined;
      return [text(child(f, 'source')), text(first)];
    });
  }
  const removed = child(root, 'removed');
  eachMap(removed, (m) => {
    orderKeys(m, KEY_ORDER.removal);
    const keys = child(m, 'repositories');
    if (isSeq(keys)) sortSeq(keys, (k) => [text(k)]);
  });
  if (isSeq(removed)) sortSeq(removed, (m) => (isMap(m) ? [text(child(m, 'source'))] : []));
}

function orderFederation(fed: YAMLMap): void {
  orderKeys(fed, KEY_ORDER.federation);
  const repos = child(fed, 'repositories');
  eachMap(repos, (r) => {
    orderKeys(r, KEY_ORDER.repository);
    const memberKeys = child(r, 'memberKeys');
    if (isMap(memberKeys)) byName(memberKeys);
  });
  if (isSeq(repos)) sortSeq(repos, (r) => [text(r)]);
  const members = child(fed, 'members');
  eachMap(members, (m) => {
    orderKeys(m, KEY_ORDER.member);
  });
  if (isSeq(members)) sortSeq(members, (m) => (isMap(m) ? [text(child(m, 'jpd'))] : []));
}
