import type { Finding, TopologyRule } from './types.js';

/**
 * JFrog (Terraform provider, `project_key`): "When assigning repository to a project, repository
 * key must be prefixed with project key, separated by a dash." Whether Artifactory enforces it for
 * a repository assigned after it was created is not documented, so this is a warning.
 */
export const projectKeyPrefix: TopologyRule = {
  meta: [
    {
      code: 'project-key-prefix',
      severity: 'warning',
      description:
        'A repository (or a member copy) in a project whose key does not start with "<project>-".',
    },
  ],
  check: ({ model }) =>
    model.federations.flatMap((fed) =>
      fed.repos.flatMap((repo): Finding[] => {
        const project = repo.project;
        if (project === undefined) return [];
        const keys: [readonly (string | number)[], string][] = [
          [repo.keyPath, repo.key],
          ...repo.copies
            .filter((c) => c.key !== repo.key)
            .map((c): [readonly (string | number)[], string] => [c.path, c.key]),
        ];
        return keys
          .filter(([, key]) => !key.toLowerCase().startsWith(`${project}-`))
          .map(([path, key]) => ({
            path,
            message: `repository key "${key}" does not start with "${project}-"; JFrog asks that a repository in project ${project} be named so`,
          }));
      }),
    ),
};
