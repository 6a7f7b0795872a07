import type { Finding, TopologyRule } from './types.js';

/**
 * `removed:` entries (repositories fedctl stops managing): each names a declared JPD, and none is
 * also managed by a federation of the same source, which would ask for two opposite things.
 */
export const removedEntry: TopologyRule = {
  meta: [
    {
      code: 'removed-undeclared-jpd',
      severity: 'error',
      description: 'A removed: entry whose source is not a declared JPD.',
    },
    {
      code: 'removed-still-managed',
      severity: 'error',
      description: 'A repository both in removed: and in a federation of the same source.',
    },
  ],
  check: ({ file, model }) =>
    (file.removed ?? []).flatMap((entry, i): Finding[] => {
      if (!model.declared.has(entry.source)) {
        return [
          {
            path: ['removed', i, 'source'],
            code: 'removed-undeclared-jpd',
            message: `JPD "${entry.source}" is not declared under jpds`,
          },
        ];
      }
      const managed = new Set(
        model.federations
          .filter((f) => f.source === entry.source)
          .flatMap((f) => f.repos.map((r) => r.key.toLowerCase())),
      );
      return entry.repositories.flatMap((key, k) =>
        managed.has(key.toLowerCase())
          ? [
              {
                path: ['removed', i, 'repositories', k],
                code: 'removed-still-managed',
                message: `repository "${key}" on ${entry.source} is both removed and declared in a federation; keep one`,
              },
            ]
          : [],
      );
    }),
};
