/**
 * `fedctl import --split-by`: the imported topology as a directory of files, so that each team
 * can own its part (CODEOWNERS) and a change touches one small file. The shared file holds the
 * defaults, the JPDs and the trust; each other file holds a group of federations:
 *
 *   source        the federations of one source JPD            -> source-<jpd>.yaml
 *   package-type  the repositories of one package type         -> package-type-<type>.yaml
 *   prefix        the repositories whose keys share a prefix   -> prefix-<prefix>.yaml
 *                 (the key up to its first "-", "_" or ".")
 *
 * A federation whose repositories fall into several groups becomes one federation per group,
 * with the same source and members: the topology is the same, only its files differ.
 */
import { compareCodeUnits } from '../topology/model.js';
import type { ImportedFederation, ImportedRepo, ImportedTopology } from './infer.js';
import { renderImportedTopology, type ImportHeader } from './yaml.js';

export const SPLIT_BY = ['source', 'package-type', 'prefix'] as const;
export type SplitBy = (typeof SPLIT_BY)[number];

/** The file with the JPDs and the trust; no group file can have this name. */
export const SHARED_FILE = 'jpds.yaml';

export interface ImportedFile {
  /** File name within the directory. */
  readonly name: string;
  readonly text: string;
}

export function repoGroup(by: SplitBy, fed: ImportedFederation, repo: ImportedRepo): string {
  if (by === 'source') return fed.source;
  if (by === 'package-type') return repo.packageType;
  return /^[^-_.]+/.exec(repo.key)?.[0] ?? repo.key;
}

/** The groups of federations, by group name in code-unit order. */
export function splitFederations(
  model: ImportedTopology,
  by: SplitBy,
): { group: string; federations: ImportedFederation[] }[] {
  const groups = new Map<string, ImportedFederation[]>();
  for (const fed of model.federations) {
    const parts = new Map<string, ImportedRepo[]>();
    for (const repo of fed.repos) {
      const group = repoGroup(by, fed, repo);
      parts.set(group, [...(parts.get(group) ?? []), repo]);
    }
    for (const [group, repos] of parts) {
      groups.set(group, [...(groups.get(group) ?? []), { ...fed, repos }]);
    }
  }
  return [...groups]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([group, federations]) => ({ group, federations }));
}

export function renderImportedFiles(
  model: ImportedTopology,
  header: ImportHeader,
  by: SplitBy,
): ImportedFile[] {
  return [
    { name: SHARED_FILE, text: renderImportedTopology(model, header, { kind: 'shared' }) },
    ...splitFederations(model, by).map(({ group, federations }) => ({
      name: `${by}-${group}.yaml`,
      text: renderImportedTopology(model, header, {
        kind: 'federations',
        name: `the federations of ${by} ${group}`,
        federations,
      }),
    })),
  ];
}
