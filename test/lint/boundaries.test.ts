/**
 * The folder lines of docs/architecture.md, held by the project's real ESLint config: each rule
 * fails on a planted violation at two folder depths, and code that keeps to the lines passes.
 * The planted code is linted as text under a path that does not exist (nothing is written to the
 * checkout); the imports it names are real files, so the resolver decides as it does in
 * `npm run lint`. Type-aware parsing is off for the planted text: the rules under test need none.
 */
import { posix } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const RULES = new Set([
  'import-x/no-restricted-paths',
  'import-x/no-nodejs-modules',
  'no-restricted-imports',
  'no-restricted-globals',
  'no-restricted-properties',
  'no-restricted-syntax',
]);

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
  ruleFilter: ({ ruleId }) => RULES.has(ruleId),
});

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

/** An import of `target` (a file under src/) from a file at `from`, spelled as the code does. */
function importOf(from: string, target: string): string {
  let specifier = posix.relative(posix.dirname(from), target).replace(/\.ts$/, '.js');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  return `import type * as planted from '${specifier}';\nexport type Planted = typeof planted;\n`;
}

const importRules: { name: string; at: [string, string]; from: string[] }[] = [
  {
    name: 'core imports nothing from io, sim, local, commands, cli.ts or bin.ts',
    at: ['src/core/planted.ts', 'src/core/topology/rules/planted.ts'],
    from: [
      'src/io/http/http.ts',
      'src/io/pipeline.ts',
      'src/sim/jpd.ts',
      'src/local/launch.ts',
      'src/commands/plan.ts',
      'src/cli.ts',
      'src/bin.ts',
    ],
  },
  {
    name: 'io imports nothing from commands, cli.ts, sim or local',
    at: ['src/io/planted.ts', 'src/io/apply/planted.ts'],
    from: [
      'src/commands/plan.ts',
      'src/commands/options.ts',
      'src/cli.ts',
      'src/sim/index.ts',
      'src/local/launch.ts',
    ],
  },
  {
    name: 'a command imports no other command and not cli.ts',
    at: ['src/commands/planted.ts', 'src/commands/apply/planted.ts'],
    from: ['src/commands/plan.ts', 'src/cli.ts', 'src/bin.ts'],
  },
  {
    name: 'local imports no command, and not cli.ts',
    at: ['src/local/planted.ts', 'src/local/demo/planted.ts'],
    from: ['src/commands/demo.ts', 'src/cli.ts', 'src/bin.ts'],
  },
  {
    name: 'the simulator imports nothing from fedctl',
    at: ['src/sim/planted.ts', 'src/sim/state/planted.ts'],
    from: [
      'src/core/errors.ts',
      'src/core/topology/model.ts',
      'src/io/http/http.ts',
      'src/local/launch.ts',
      'src/commands/sim.ts',
      'src/cli.ts',
    ],
  },
];

describe('folder boundaries', () => {
  for (const rule of importRules) {
    describe(rule.name, () => {
      for (const at of rule.at) {
        for (const target of rule.from) {
          it(`${at} importing ${target} fails`, async () => {
            expect(await violations(at, importOf(at, target))).toEqual([
              expect.stringMatching(/^import-x\/no-restricted-paths: /),
            ]);
          });
        }
      }
    });
  }

  it.each(['src/core/planted.ts', 'src/core/topology/rules/planted.ts'])(
    'core imports no Node module and no network client (%s)',
    async (at) => {
      for (const module of ['node:fs', 'fs', 'node:path', 'child_process']) {
        expect(
          await violations(at, `import * as m from '${module}';\nexport const x = m;\n`),
        ).toEqual(
          expect.arrayContaining([expect.stringMatching(/^import-x\/no-nodejs-modules: /)]),
        );
      }
      for (const module of ['undici', 'p-limit']) {
        expect(
          await violations(at, `import * as m from '${module}';\nexport const x = m;\n`),
        ).toEqual([expect.stringMatching(/^no-restricted-imports: /)]);
      }
    },
  );

  const impure: [string, string, RegExp][] = [
    ['Date.now()', 'export const t = Date.now();', /^no-restricted-properties: 'Date\.now'/],
    ['new Date()', 'export const t = new Date();', /^no-restricted-syntax: new Date\(\)/],
    ['Date()', 'export const t = Date();', /^no-restricted-syntax: Date\(\)/],
    ['performance.now()', 'export const t = performance.now();', /'performance'/],
    [
      'Math.random()',
      'export const r = Math.random();',
      /^no-restricted-properties: 'Math\.random'/,
    ],
    ['crypto.randomUUID()', 'export const r = crypto.randomUUID();', /'crypto'/],
    ['process.env', 'export const e = process.env;', /'process'/],
    ['globalThis.process', 'export const e = globalThis.process;', /'globalThis'/],
    ['setTimeout', 'setTimeout(() => undefined, 1);', /'setTimeout'/],
    ['setInterval', 'export const i = setInterval(() => undefined, 1);', /'setInterval'/],
    ['queueMicrotask', 'queueMicrotask(() => undefined);', /'queueMicrotask'/],
  ];
  for (const at of ['src/core/planted.ts', 'src/core/topology/rules/planted.ts']) {
    it.each(impure)(
      `core reads no clock, chance, process or timer: %s in ${at}`,
      async (_, code, rule) => {
        expect(await violations(at, `${code}\n`)).toEqual([expect.stringMatching(rule)]);
      },
    );
  }

  it('the same code outside core is allowed', async () => {
    expect(await violations('src/io/apply/planted.ts', 'export const t = Date.now();\n')).toEqual(
      [],
    );
  });

  it('code that keeps to the lines passes, at both depths', async () => {
    const clean: [string, string][] = [
      [
        'src/core/topology/rules/planted.ts',
        importOf('src/core/topology/rules/planted.ts', 'src/core/errors.ts') +
          "import { parseDocument } from 'yaml';\n" +
          'export const epoch = new Date(0).toISOString();\nexport const p = parseDocument;\n',
      ],
      ['src/core/planted.ts', importOf('src/core/planted.ts', 'src/core/plan/plan.ts')],
      ['src/io/apply/planted.ts', importOf('src/io/apply/planted.ts', 'src/core/plan/plan.ts')],
      ['src/io/planted.ts', importOf('src/io/planted.ts', 'src/io/http/http.ts')],
      ['src/commands/planted.ts', importOf('src/commands/planted.ts', 'src/commands/options.ts')],
      ['src/commands/planted.ts', importOf('src/commands/planted.ts', 'src/io/pipeline.ts')],
      ['src/commands/planted.ts', importOf('src/commands/planted.ts', 'src/local/launch.ts')],
      ['src/local/planted.ts', importOf('src/local/planted.ts', 'src/sim/index.ts')],
      ['src/sim/state/planted.ts', importOf('src/sim/state/planted.ts', 'src/sim/jpd.ts')],
      ['src/cli.ts', importOf('src/cli.ts', 'src/commands/plan.ts')],
    ];
    for (const [at, code] of clean) expect(await violations(at, code), at).toEqual([]);
  });
});
