import type { TopologyRule } from './types.js';

export const unsetEnv: TopologyRule = {
  meta: [
    {
      code: 'unset-env',
      // `validate` keeps this a warning; commands that connect raise it to an error.
      severity: 'warning',
      description: 'The environment variable holding a JPD token is unset or empty.',
    },
  ],
  check: ({ model, env }) =>
    model.jpds.flatMap(({ path, spec }) => {
      const value = env[spec.tokenEnv];
      if (value !== undefined && value !== '') return [];
      return [
        {
          path: [...path, 'token'],
          message: `environment variable ${spec.tokenEnv} (the token of JPD "${spec.name}") is not set`,
        },
      ];
    }),
};
