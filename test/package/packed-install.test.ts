/**
 * fedctl as a user installs it: `npm pack`, then `npm install -g` of the tarball into a temporary
 * prefix, then the installed `fedctl` run from a folder that is not the checkout. Needs the npm
 * registry for fedctl's dependencies (npm's cache is tried first); CI has it.
 *
 * dist/ comes from the global setup; `npm pack --ignore-scripts` packs it as it is, because the
 * `prepare` build would rewrite dist/ while other tests run it.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const npm = (args: string[], cwd: string) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    env: { ...process.env, npm_config_update_notifier: 'false' },
    maxBuffer: 16 * 1024 * 1024,
  });

let dir: string;
let fedctl: string;
let packed: { name: string; version: string; files: { path: string }[] };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fedctl-pack-'));
  const { stdout } = await npm(
    ['pack', '--ignore-scripts', '--json', '--pack-destination', dir],
    process.cwd(),
  );
  [packed] = JSON.parse(stdout) as [typeof packed];
  const tarball = join(
    dir,
    `${packed.name.replace('@', '').replace('/', '-')}-${packed.version}.tgz`,
  );
  await npm(['install', '-g', '--prefer-offline', '--prefix', join(dir, 'prefix'), tarball], dir);
  fedctl = join(dir, 'prefix', 'bin', 'fedctl');
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('is scoped, ships the CLI, its schemas and nothing of the checkout', async () => {
    const manifest = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect(packed.name).toBe('@fedctl/cli');
    expect(packed.version).toBe(manifest.version);
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'bin/fedctl.js',
        'dist/bin.js',
        'dist/cli.js',
        'schemas/federation.schema.json',
        'schemas/plan.schema.json',
        'federation.yaml',
        'package.json',
        'README.md',
      ]),
    );
    expect(paths.filter((p) => /^(src|test|bench|node_modules)\/|tsbuildinfo/.test(p))).toEqual([]);
  });

  it('installed with npm install -g, runs as `fedctl` from another folder', async () => {
    const elsewhere = await mkdtemp(join(dir, 'project-'));
    await copyFile('examples/hub-two-receivers.yaml', join(elsewhere, 'federation.yaml'));
    const version = await run(fedctl, ['--version'], { cwd: elsewhere });
    expect(version.stdout).toBe('fedctl 0.1.0\n');
    const valid = await run(fedctl, ['validate'], {
      cwd: elsewhere,
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(valid.stdout).toBe(
      'federation.yaml: valid: 3 JPDs, 2 pairings, 2 federations (3 repositories), 6 member edges; 3 warnings\n',
    );
  });

  it('runs `fedctl demo` in an empty folder, with the topology the package ships', async () => {
    const empty = await mkdtemp(join(dir, 'empty-'));
    const demo = await run(fedctl, ['demo'], {
      cwd: empty,
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(demo.stdout).toMatch(
      /^No federation\.yaml here: using the quick-start topology shipped with fedctl \(.*node_modules\/@fedctl\/cli\/federation\.yaml\)\.\n/,
    );
    expect(demo.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Demo complete: one-way federation planned, applied, verified and observed.',
    );
    await readFile(join(empty, '.fedctl', 'status.html'), 'utf8');
  });
});
