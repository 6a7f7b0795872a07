// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'bin/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The core is pure: no I/O, no Node built-ins, no network clients (STYLE.md habit 1).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'src/core is pure: do I/O in src/io.' },
            {
              group: ['undici', 'p-limit', 'fs', 'path', 'http', 'https', 'net', 'child_process'],
              message: 'src/core is pure: do I/O in src/io.',
            },
            {
              group: ['../io/*', '../sim/*', '../commands/*', '../cli*'],
              message: 'src/core must not depend on the shell.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'process',
        'fetch',
        'setTimeout',
        'setInterval',
        'console',
      ],
    },
  },
  {
    // Small units (issue 11): no function over 120 lines, no module over 400.
    files: ['src/**/*.ts'],
    ignores: ['src/core/topology/types.generated.ts'],
    rules: {
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 120 }],
    },
  },
  {
    // Commands parse options, call io, render: never another command, never the CLI itself.
    files: ['src/commands/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['./*', '!./options.js'],
              message: 'a command must not import another command; share code in io/ or core/.',
            },
            { group: ['../cli*', '../bin*'], message: 'cli.ts calls commands, not the reverse.' },
          ],
        },
      ],
    },
  },
  {
    // The edges never reach up into the commands, the CLI or the simulator.
    files: ['src/io/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../commands/*',
                '../cli*',
                '../bin*',
                '../sim/*',
                '../local/*',
                '../../commands/*',
                '../../cli*',
                '../../sim/*',
              ],
              message:
                'src/io is the edge below the commands: it must not import them, the CLI or the simulator.',
            },
          ],
        },
      ],
    },
  },
  {
    // The simulator models a server: it must not share a guess with the client it is tested against.
    files: ['src/sim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../core/*', '../io/*', '../commands/*', '../cli*', '../local/*'],
              message: 'the simulator stands alone: a shared import would hide a shared guess.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        URL: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
);
