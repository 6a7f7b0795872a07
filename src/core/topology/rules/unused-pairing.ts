import type { PairingEntry, TopologyRule } from './types.js';

export const unusedPairing: TopologyRule = {
  meta: [
    {
      code: 'unused-pairing',
      severity: 'warning',
      description: 'A trust pairing no federation sends over, so fedctl never establishes it.',
    },
  ],
  check({ file, model }) {
    const used = new Set<PairingEntry>();
    for (const fed of model.federations) {
      if (!fed.sourceDeclared) continue;
      for (const m of fed.accepted) {
        const forward = model.pairing(fed.source, m.jpd);
        if (forward !== undefined) used.add(forward);
      }
    }
    return (file.trust ?? []).flatMap((p, i) => {
      const pairing = model.pairing(p.source, p.target);
      if (pairing?.index !== i || !pairing.declared || used.has(pairing)) return [];
      return [
        {
          path: ['trust', i],
          message: `no federation sends from "${p.source}" to "${p.target}", so this pairing is never established (fedctl pairs two JPDs when a federation first needs it)`,
        },
      ];
    });
  },
};
