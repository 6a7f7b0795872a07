// @ts-check
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const root = import.meta.dirname;
/** An absolute glob under the repository: `no-restricted-paths` matches exceptions unresolved. */
const under = (/** @type {string} */ folder) => path.join(root, folder, '**');

/**
 * The lines between the folders. `import-x/no-restricted-paths` resolves each import to a file
 * (through the TypeScript resolver, which maps the `.js` specifiers to the `.ts` sources), so a
 * rule holds at every folder depth and however the path is spelled.
 */
const zones = [
  {
    target: 'src/core',
    from: ['src/**'],
    except: [under('src/core')],
    message:
      'src/core is pure and imports only src/core: do I/O in src/io, orchestration in src/commands.',
  },
  {
    target: 'src/io',
    from: ['src/commands', 'src/cli.ts', 'src/bin.ts', 'src/sim', 'src/local'],
    message:
      'src/io is the edge below the commands: it must not import them, the CLI, the simulator or src/local.',
  },
  {
    target: 'src/commands',
    from: ['src/commands'],
    except: ['./options.ts'],
    message:
      'a command must not import another command; share code in io/ or core/ (options parsing: commands/options.ts).',
  },
  {
    target: ['src/commands', 'src/local'],
    from: ['src/cli.ts', 'src/bin.ts'],
    message: 'cli.ts calls commands, not the reverse.',
  },
  {
    target: 'src/local',
    from: ['src/commands'],
    message: 'src/local runs the simulator for its two commands; it does not call commands.',
  },
  {
    target: 'src/sim',
    from: ['src/**'],
    except: [under('src/sim')],
    message: 'the simulator stands alone: a shared import would hide a shared guess.',
  },
];

/** The core is a function of its arguments: time, chance, the process and timers come in from io. */
const coreIsPure = 'src/core is pure: take it as an argument from src/io.';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'bin/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
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
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: path.join(root, 'tsconfig.json') }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones }],
      // A boundary rule skips what it cannot resolve, so nothing may be unresolved.
      'import-x/no-unresolved': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'import-x/no-nodejs-modules': ['error'],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'src/core is pure: do I/O in src/io.' },
            { group: ['undici', 'p-limit'], message: 'src/core is pure: do I/O in src/io.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'process',
          'globalThis',
          'fetch',
          'console',
          'performance',
          'crypto',
          'setTimeout',
          'setInterval',
          'setImmediate',
          'clearTimeout',
          'clearInterval',
          'clearImmediate',
          'queueMicrotask',
        ].map((name) => ({ name, message: coreIsPure })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: `no clock in core; ${coreIsPure}` },
        { object: 'Math', property: 'random', message: `no randomness in core; ${coreIsPure}` },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: `new Date() reads the clock; ${coreIsPure}`,
        },
        {
          selector: "CallExpression[callee.name='Date']",
          message: `Date() reads the clock; ${coreIsPure}`,
        },
      ],
    },
  },
  {
    // Size caps are limits, not targets: a unit near them wants splitting by meaning.
    files: ['src/**/*.ts'],
    ignores: ['src/core/topology/types.generated.ts'],
    rules: {
      'max-lines': ['error', { max: 350 }],
      'max-lines-per-function': ['error', { max: 100 }],
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
