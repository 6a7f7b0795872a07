/**
 * `${NAME}` variables, given with `--var NAME=VALUE` and `--var-file FILE` (io/variables.ts), so
 * one topology serves several environments. They are expanded in the fields that describe a
 * place or a text, and nowhere else:
 *
 *   expanded: jpds.*.url, jpds.*.caFile, federations[].description, and a repository's description
 *   literal:  JPD names, `source`, `target`, `members[].jpd` (names that refer to each other),
 *             repository keys and `memberKeys` (what fedctl finds and owns a repository by),
 *             `packageType`, `mode`, `convert` (checked against the schema's lists), `version`
 *   token:    `${NAME}` there names an environment variable, never a fedctl variable
 *
 * The literal fields are identities: a plan, a saved plan and drift address repositories and JPDs
 * by them, and the editor schema checks them; a value that changed with a variable file would
 * silently make another repository. A token is a secret: a variable's value is printed in plans
 * and recorded in saved plans, so a variable never carries one.
 *
 * `$${` writes a literal `${`. Expansion is one pass: a value is never expanded again.
 */
import type { Issue } from '../errors.js';
import type { TopologyDocument } from './model.js';
import { issueAt } from './parse-file.js';
import type { Locate, YamlPath } from './rules/types.js';

export type VariableValues = ReadonlyMap<string, string>;

export interface Expanded {
  readonly document: TopologyDocument;
  /** The variables the topology used, with their values: what a saved plan records. */
  readonly used: VariableValues;
  readonly issues: readonly Issue[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REFERENCE = /\$\$\{|\$\{([^}]*)(\})?/g;

export function expandVariables(
  document: TopologyDocument,
  values: VariableValues,
  locate: Locate,
): Expanded {
  const used = new Map<string, string>();
  const issues: Issue[] = [];
  const expand = (text: string | undefined, path: YamlPath): string | undefined => {
    if (text === undefined || !text.includes('$')) return text;
    return text.replace(REFERENCE, (match: string, name: string | undefined, close?: string) => {
      if (match === '$${') return '${';
      if (name === undefined || close === undefined || !NAME.test(name)) {
        issues.push(
          issueAt(
            locate(path, 'value', match),
            'invalid-variable',
            `"${match}" is not a variable reference: write \${NAME} (letters, digits and _), or $\${ for a literal "\${"`,
          ),
        );
        return match;
      }
      const value = values.get(name);
      if (value === undefined) {
        issues.push(
          issueAt(
            locate(path, 'value', match),
            'unset-variable',
            `variable ${name} is not set: give it with --var ${name}=VALUE or in a --var-file`,
          ),
        );
        return match;
      }
      used.set(name, value);
      return value;
    });
  };

  const jpds = Object.fromEntries(
    Object.entries(document.jpds).map(([name, jpd]) => {
      if (jpd === undefined) return [name, jpd];
      const url = expand(jpd.url, ['jpds', name, 'url']) ?? jpd.url;
      const caFile = expand(jpd.caFile, ['jpds', name, 'caFile']);
      const token = /^\$\{(.+)\}$/.exec(jpd.token)?.[1];
      if (token !== undefined && values.has(token)) {
        issues.push(
          issueAt(
            locate(['jpds', name, 'token']),
            'token-variable',
            `${token} is the token of JPD "${name}", read from the environment only: a token is never a variable (remove ${token} from --var and the var files)`,
          ),
        );
      }
      return [name, { ...jpd, url, ...(caFile === undefined ? {} : { caFile }) }];
    }),
  );
  const federations = document.federations.map((fed, f) => {
    const description = expand(fed.description, ['federations', f, 'description']);
    // `as`: map keeps the length, so the list stays non-empty as the schema made it.
    const repositories = fed.repositories.map((repo, r) => {
      const path = ['federations', f, 'repositories', r];
      const key = typeof repo === 'string' ? repo : repo.key;
      literal(key, typeof repo === 'string' ? path : [...path, 'key'], 'a repository key');
      if (typeof repo === 'string') return repo;
      for (const [jpd, memberKey] of Object.entries(repo.memberKeys ?? {})) {
        literal(memberKey, [...path, 'memberKeys', jpd], 'a repository key');
      }
      const own = expand(repo.description, [...path, 'description']);
      return own === undefined ? repo : { ...repo, description: own };
    }) as typeof fed.repositories;
    return {
      ...fed,
      ...(description === undefined ? {} : { description }),
      repositories,
    };
  });
  return { document: { ...document, jpds, federations }, used, issues };

  function literal(text: string | undefined, path: YamlPath, what: string): void {
    const match = text === undefined ? null : /\$\{[^}]*\}?/.exec(text);
    if (match === null) return;
    issues.push(
      issueAt(
        locate(path, 'value', match[0]),
        'variable-in-literal',
        `${what} is an identity and is never expanded: "${match[0]}" would be read literally; write it out`,
      ),
    );
  }
}
