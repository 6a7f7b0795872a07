import type { TopologyRule } from './types.js';

export const selfPairing: TopologyRule = {
  meta: [
    {
      code: 'self-pairing',
      severity: 'error',
      description: 'A trust pairing whose source and target are the same JPD.',
    },
  ],
  check: ({ file }) =>
    (file.trust ?? []).flatMap((p, i) =>
      p.source === p.target
        ? [{ path: ['trust', i, 'target'], message: `JPD "${p.source}" cannot pair with itself` }]
        : [],
    ),
};
