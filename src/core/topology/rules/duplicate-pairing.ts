import type { TopologyRule } from './types.js';

export const duplicatePairing: TopologyRule = {
  meta: [
    {
      code: 'duplicate-pairing',
      severity: 'error',
      description: 'The same source -> target trust pairing declared more than once.',
    },
  ],
  check: ({ file, model, where }) =>
    (file.trust ?? []).flatMap((p, i) => {
      const first = model.pairing(p.source, p.target);
      if (first === undefined || first.index === i) return [];
      return [
        {
          path: ['trust', i],
          message: `pairing ${p.source} -> ${p.target} is declared twice (first at ${where(first.spec.at)})`,
        },
      ];
    }),
};
