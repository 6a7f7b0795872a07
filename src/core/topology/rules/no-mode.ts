import type { TopologyRule } from './types.js';

export const noMode: TopologyRule = {
  meta: [
    {
      code: 'no-mode',
      severity: 'error',
      description: 'A member with no mode while defaults.mode is not set.',
    },
  ],
  check: ({ model }) =>
    model.federations.flatMap((fed) =>
      fed.members.flatMap((m) =>
        m.status === 'no-mode'
          ? [
              {
                path: m.path,
                message: `member "${m.jpd}" has no mode (receiver or bidirectional) and defaults.mode is not set`,
              },
            ]
          : [],
      ),
    ),
};
