import type { TopologyRule } from './types.js';

export const noPackageType: TopologyRule = {
  meta: [
    {
      code: 'no-package-type',
      severity: 'error',
      description: 'A federation with no packageType while defaults.packageType is not set.',
    },
  ],
  check: ({ model }) =>
    model.federations.flatMap((fed) =>
      fed.packageType === undefined
        ? [
            {
              path: fed.path,
              message: 'federation has no packageType and defaults.packageType is not set',
            },
          ]
        : [],
    ),
};
