import type { TopologyRule } from './types.js';

export const duplicateMember: TopologyRule = {
  meta: [
    {
      code: 'duplicate-member',
      severity: 'error',
      description: 'The same JPD listed twice among the members of one federation.',
    },
  ],
  check: ({ model, at, where }) =>
    model.federations.flatMap((fed) =>
      fed.members.flatMap((m) =>
        m.status === 'duplicate'
          ? [
              {
                path: [...m.path, 'jpd'],
                message: `member "${m.jpd}" is listed twice (first at ${where(at([...fed.path, 'members', m.firstIndex]))})`,
              },
            ]
          : [],
      ),
    ),
};
