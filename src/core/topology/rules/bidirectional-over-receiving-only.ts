import type { TopologyRule } from './types.js';

export const bidirectionalOverReceivingOnly: TopologyRule = {
  meta: [
    {
      code: 'bidirectional-over-receiving-only',
      severity: 'error',
      description:
        'A bidirectional member across a receivingOnly pairing, whose token refuses its pushes.',
    },
  ],
  check: ({ model, where }) =>
    model.federations.flatMap((fed) =>
      fed.sourceDeclared
        ? fed.accepted.flatMap((m) => {
            const forward = model.pairing(fed.source, m.jpd);
            if (forward?.spec.receivingOnly !== true || m.mode !== 'bidirectional') return [];
            return [
              {
                path: m.modePath,
                message: `member "${m.jpd}" is bidirectional, but the trust pairing ${fed.source} -> ${m.jpd} at ${where(forward.spec.at)} is receivingOnly: its receiving-only token refuses any push from ${m.jpd}; make the member a receiver or set receivingOnly: false`,
              },
            ];
          })
        : [],
    ),
};
