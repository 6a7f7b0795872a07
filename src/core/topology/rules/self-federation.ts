import type { TopologyRule } from './types.js';

export const selfFederation: TopologyRule = {
  meta: [
    {
      code: 'self-federation',
      severity: 'error',
      description: 'A federation that lists its own source among its members.',
    },
  ],
  check: ({ model }) =>
    model.federations.flatMap((fed) =>
      fed.members.flatMap((m) =>
        m.status === 'self'
          ? [
              {
                path: [...m.path, 'jpd'],
                message: `JPD "${m.jpd}" is the source of this federation and cannot also be its member`,
              },
            ]
          : [],
      ),
    ),
};
