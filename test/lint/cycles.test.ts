/**
 * `npm run lint:cycles` (part of `npm run lint`) refuses an import cycle, type-only imports
 * included, at any folder depth. The planted projects live in a temporary folder; the check is
 * the very command of package.json, run there with the checkout's tools on the PATH.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const checkout = process.cwd();
let command: string;
let dir: string;

beforeAll(async () => {
  const pkg = JSON.parse(await readFile(join(checkout, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  command = pkg.scripts['lint:cycles'] ?? '';
  dir = await mkdtemp(join(tmpdir(), 'fedctl-cycles-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function plant(name: string, files: Record<string, string>): Promise<string> {
  const root = join(dir, name);
  const tsconfig = {
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true },
    include: ['src'],
  };
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'tsconfig.json'), JSON.stringify(tsconfig));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

function check(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'sh',
      ['-c', command],
      {
        cwd,
        env: {
          ...process.env,
          PATH: `${join(checkout, 'node_modules', '.bin')}${delimiter}${process.env['PATH'] ?? ''}`,
        },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe('import cycles', () => {
  it('the check is part of npm run lint', async () => {
    const pkg = JSON.parse(await readFile(join(checkout, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(command).toMatch(/^madge --circular /);
    expect(pkg.scripts['lint']).toContain('npm run lint:cycles');
  });

  it('a type-only cycle across two folder depths fails', async () => {
    const root = await plant('type-only', {
      'src/core/plan.ts':
        "import type { Step } from './apply/steps/step.js';\nexport interface Plan { readonly steps: readonly Step[] }\n",
      'src/core/apply/steps/step.ts':
        "import type { Plan } from '../../plan.js';\nexport interface Step { readonly plan: Plan }\n",
    });
    const { code, output } = await check(root);
    expect(code).not.toBe(0);
    expect(output).toMatch(/Found 1 circular dependency/);
    expect(output).toContain('core/apply/steps/step.ts > core/plan.ts');
  });

  it('the same modules with the shared type in a leaf pass', async () => {
    const root = await plant('leaf', {
      'src/core/model.ts':
        'export interface Plan { readonly steps: readonly Step[] }\nexport interface Step { readonly plan: Plan }\n',
      'src/core/plan.ts': "export type { Plan } from './model.js';\n",
      'src/core/apply/steps/step.ts': "export type { Step } from '../../model.js';\n",
    });
    const { code, output } = await check(root);
    expect(output).toContain('No circular dependency found');
    expect(code).toBe(0);
  });

  it('the checkout has none', async () => {
    const { code, output } = await check(checkout);
    expect(output).toContain('No circular dependency found');
    expect(code).toBe(0);
  });
});
