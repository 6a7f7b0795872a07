import type { TopologyRule } from './types.js';

export const receiverWithoutPairing: TopologyRule = {
  meta: [
    {
      code: 'receiver-without-pairing',
      severity: 'warning',
      description:
        'A receiver with no declared pairing from its source: receiver mode rests on repository configuration alone.',
    },
  ],
  check: ({ model }) =>
    model.federations.flatMap((fed) =>
      fed.sourceDeclared
        ? fed.accepted.flatMap((m) => {
            if (m.mode !== 'receiver' || model.pairing(fed.source, m.jpd) !== undefined) return [];
            return [
              {
                path: m.modePath,
                message: `member "${m.jpd}" is a receiver but no trust pairing ${fed.source} -> ${m.jpd} is declared: fedctl assumes trust already exists (Option B) and the receiver mode is enforced only by the repository configuration`,
              },
            ];
          })
        : [],
    ),
};
