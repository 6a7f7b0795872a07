import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commandSpecs, VERSION } from '../../src/cli.js';
import { SHELLS } from '../../src/core/cli/completion.js';
import { closest, editDistance } from '../../src/core/cli/suggest.js';
import { runCli } from '../support/cli.js';

const run = promisify(execFile);

describe('fedctl on its own, help and version', () => {
  it('bare fedctl prints the help on stdout and exits 0', async () => {
    const bare = await runCli([]);
    expect(bare.code).toBe(0);
    expect(bare.stderr).toBe('');
    expect(bare.stdout).toBe((await runCli(['--help'])).stdout);
    expect(bare.stdout).toContain('  -V, --version  print the version\n');
  });

  it('fedctl help CMD is fedctl CMD --help, for every command', async () => {
    for (const { name } of await commandSpecs()) {
      const help = await runCli(['help', name]);
      expect(help, name).toEqual(await runCli([name, '--help']));
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: fedctl ${name}`));
    }
    expect((await runCli(['help', 'plna'])).stderr).toContain('did you mean "plan"?');
  });

  it('-V and --version print the version of package.json', async () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(VERSION).toBe(manifest.version);
    for (const flag of ['-V', '--version', 'version']) {
      expect(await runCli([flag])).toEqual({ code: 0, stdout: `fedctl ${VERSION}\n`, stderr: '' });
    }
  });
});

describe('did you mean', () => {
  it.each([
    ['plan', 'plan', 0],
    ['plna', 'plan', 1],
    ['aplly', 'apply', 1],
    ['--frmat', '--format', 1],
    ['valdiate', 'validate', 1],
    ['show', 'sim', 3],
    ['', 'abc', 3],
  ])('%j is %i edits from %j', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('suggests within two edits only', () => {
    expect(closest('plna', ['validate', 'plan', 'apply'])).toBe('plan');
    expect(closest('deploy', ['validate', 'plan', 'apply'])).toBeUndefined();
  });

  it('for a mistyped command and a mistyped flag, before any request', async () => {
    expect(await runCli(['plna'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'fedctl: unknown command "plna"; did you mean "plan"? Run `fedctl --help` for the list\n',
    });
    expect(await runCli(['plan', '--frmat', 'json'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'fedctl: unknown option --frmat for fedctl plan; did you mean --format? See `fedctl plan --help`\n',
    });
    expect((await runCli(['apply', '--auto-aprove'])).stderr).toContain(
      'did you mean --auto-approve?',
    );
    expect((await runCli(['plan', '--zzz'])).stderr).toBe(
      'fedctl: unknown option --zzz for fedctl plan. See `fedctl plan --help`\n',
    );
    expect((await runCli(['deploy'])).stderr).toBe(
      'fedctl: unknown command "deploy". Run `fedctl --help` for the list\n',
    );
  });
});

describe('fedctl completion', () => {
  it.each(SHELLS)('%s: completes every command and every flag of each', async (shell) => {
    const script = await runCli(['completion', shell]);
    expect(script.code).toBe(0);
    for (const command of await commandSpecs()) {
      expect(script.stdout, command.name).toMatch(new RegExp(`\\b${command.name}\\b`));
      for (const flag of command.flags) {
        expect(script.stdout, `${command.name} --${flag.long}`).toMatch(
          new RegExp(`(--|-l )${flag.long}\\b`),
        );
      }
    }
  });

  it("knows every flag each command accepts, and each is in that command's help", async () => {
    const specs = await commandSpecs();
    const plan = specs.find((c) => c.name === 'plan');
    expect(plan?.flags.map((f) => f.long)).toEqual(
      expect.arrayContaining(['file', 'format', 'out', 'detailed-exitcode', 'only', 'jpd']),
    );
    const sim = specs.find((c) => c.name === 'sim');
    expect(sim?.flags.map((f) => f.long)).toEqual(
      expect.arrayContaining(['write-env', 'detach', 'stop', 'latency']),
    );
    for (const command of specs) {
      const help = (await runCli([command.name, '--help'])).stdout;
      for (const flag of command.flags) expect(help, command.name).toContain(`--${flag.long}`);
    }
  });

  it('bash: the script loads, and completes commands and flags', async () => {
    const script = (await runCli(['completion', 'bash'])).stdout;
    const complete = async (...words: string[]): Promise<string[]> => {
      const { stdout } = await run('bash', [
        '-c',
        `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _fedctl; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ]);
      return stdout.split('\n').filter((l) => l !== '');
    };
    expect(await complete('fedctl', 'pl')).toEqual(['plan']);
    expect(await complete('fedctl', 'plan', '--det')).toEqual(['--detailed-exitcode']);
    expect(await complete('fedctl', 'sim', '--de')).toEqual(['--detach']);
    expect(await complete('fedctl', 'completion', 'z')).toEqual(['zsh']);
  });

  it('an unknown shell is a usage error', async () => {
    expect(await runCli(['completion', 'tcsh'])).toMatchObject({ code: 1, stdout: '' });
  });
});
