import type { Finding, TopologyRule } from './types.js';

export const memberKeyNotMember: TopologyRule = {
  meta: [
    {
      code: 'member-key-not-member',
      severity: 'error',
      description:
        'memberKeys names a JPD that is not a member of the federation (or a member rejected by another rule).',
    },
  ],
  check: ({ model }) =>
    model.federations.flatMap((fed) => {
      const members = new Set(fed.accepted.map((m) => m.jpd));
      return fed.repos.flatMap((repo) =>
        repo.memberKeys.flatMap(([jpd]): Finding[] =>
          members.has(jpd)
            ? []
            : [
                {
                  path: [...repo.path, 'memberKeys', jpd],
                  at: 'key',
                  message: `memberKeys names "${jpd}", which is not a member of this federation`,
                },
              ],
        ),
      );
    }),
};
