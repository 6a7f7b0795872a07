import type { TopologyRule } from './types.js';

export const sendOverReceivingOnly: TopologyRule = {
  meta: [
    {
      code: 'send-over-receiving-only',
      severity: 'error',
      description:
        'A federation source sending to a JPD that a receivingOnly pairing makes it a target of.',
    },
  ],
  check: ({ model, where }) =>
    model.federations.flatMap((fed) =>
      fed.sourceDeclared
        ? fed.accepted.flatMap((m) => {
            const reverse = model.pairing(m.jpd, fed.source);
            if (reverse?.spec.receivingOnly !== true) return [];
            return [
              {
                path: [...fed.path, 'source'],
                message: `"${fed.source}" sends to "${m.jpd}" here, but the trust pairing ${m.jpd} -> ${fed.source} at ${where(reverse.spec.at)} makes "${fed.source}" a receiving-only target of "${m.jpd}"`,
              },
            ];
          })
        : [],
    ),
};
