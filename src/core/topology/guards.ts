/**
 * Checks against hostile or absurd topology files, beside the semantic rules of the rules table
 * (./rules/): nesting deeper than any topology needs (the `yaml` package recurses, and a few
 * thousand levels overflow its stack), token references to variables that hold no secret,
 * and `$(…)` or `~` in a path, which fedctl never expands.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Issue } from '../errors.js';
import type { TopologyDocument } from './model.js';
import type { PathSegment } from './yaml-positions.js';

/** A topology needs 6 levels; 64 leaves room for any honest file and stays far from the stack. */
export const MAX_YAML_DEPTH = 64;
export const DEPTH_MESSAGE = `YAML nested deeper than ${MAX_YAML_DEPTH} levels`;

/** The `yaml` parser turns its own stack overflow into a syntax error with this message. */
export function isStackOverflow(message: string): boolean {
  return /maximum call stack size exceeded/i.test(message);
}

/**
 * The first collection nested deeper than MAX_YAML_DEPTH, found without recursion (converting or
 * validating such a document would recurse once per level). Aliases are not followed: their
 * expansion is bounded by the alias count.
 */
export function tooDeep(doc: Document): Node | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { node, depth } = next;
    if (isAlias(node) || !(isMap(node) || isSeq(node))) continue;
    if (depth >= MAX_YAML_DEPTH) return node;
    for (const item of node.items) {
      if (isPair(item)) {
        stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      } else {
        stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/**
 * Keys that repeat a key earlier in the same mapping, in document order. The `yaml` package's
 * own check (`uniqueKeys`) compares each key with every earlier one, which took seconds for a
 * mapping of 10,000 JPDs; a set per mapping is linear. Scalar keys are equal when their values
 * are (as `yaml` compares them); other keys never are.
 */
export function duplicateKeys(doc: Document): Node[] {
  const out: Node[] = [];
  const stack: unknown[] = [doc.contents];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const item of node.items) {
        if (isScalar(item.key)) {
          const value: unknown = item.key.value;
          const id = `${typeof value}:${String(value)}`;
          if (seen.has(id)) out.push(item.key);
          seen.add(id);
        }
        stack.push(item.key, item.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return out.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
}

/**
 * Variables every shell sets that never hold an access token: `token: ${HOME}` is a mistake (or a
 * probe), and its value would be sent to the JPD as a bearer token.
 */
const NOT_SECRETS = new Set([
  'DISPLAY',
  'EDITOR',
  'HOME',
  'HOSTNAME',
  'LANG',
  'LOGNAME',
  'MAIL',
  'OLDPWD',
  'PATH',
  'PWD',
  'SHELL',
  'SHLVL',
  'TERM',
  'TMPDIR',
  'USER',
]);

type IssueAt = (path: readonly PathSegment[], code: string, message: string) => Issue;

/** Token variables that hold no secret, and paths that look like they expect expansion. */
export function referenceIssues(file: TopologyDocument, issue: IssueAt): Issue[] {
  const out: Issue[] = [];
  for (const [name, jpd] of Object.entries(file.jpds)) {
    if (jpd === undefined) continue;
    const variable = /^\$\{(.+)\}$/.exec(jpd.token)?.[1];
    if (variable !== undefined && NOT_SECRETS.has(variable)) {
      out.push(
        issue(
          ['jpds', name, 'token'],
          'token-not-secret',
          `jpds.${name}.token names ${variable}, which holds no access token; name the variable that does`,
        ),
      );
    }
    // `${NAME}` is a variable, expanded (or reported unset) before this check runs.
    const reference = jpd.caFile === undefined ? undefined : /\$\(|^~/.exec(jpd.caFile);
    if (reference !== null && reference !== undefined) {
      out.push(
        issue(
          ['jpds', name, 'caFile'],
          'unexpanded-path',
          `jpds.${name}.caFile is a path and is not expanded: "${reference[0]}" would be read literally; write the path out`,
        ),
      );
    }
  }
  return out;
}
