import type { TopologyRule } from './types.js';

/** Artifactory's limit on JPDs taking part in one federation, the source included. */
export const MAX_FEDERATION_JPDS = 10;

export const tooManyMembers: TopologyRule = {
  meta: [
    {
      code: 'too-many-members',
      severity: 'error',
      description: `A federation of more than ${MAX_FEDERATION_JPDS} JPDs, the source included.`,
    },
  ],
  // Counts the entries as written, undeclared or repeated members included.
  check: ({ file }) =>
    file.federations.flatMap((fed, i) => {
      const jpds = fed.members.length + 1;
      if (jpds <= MAX_FEDERATION_JPDS) return [];
      return [
        {
          path: ['federations', i, 'members'],
          message: `federation has ${jpds} JPDs (the source and ${fed.members.length} members); Artifactory allows at most ${MAX_FEDERATION_JPDS}`,
        },
      ];
    }),
};
