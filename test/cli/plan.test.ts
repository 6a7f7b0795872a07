import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('fedctl plan: bad input stops before any request', () => {
  it('an unset token variable is a positioned error', async () => {
    const result = await runCli(['plan', '-f', 'test/fixtures/warnings/unset-env.yaml'], {
      env: { HUB_TOKEN: 'x' },
    });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'test/fixtures/warnings/unset-env.yaml:8:12: environment variable FEDCTL_TEST_UNSET_TOKEN (the token of JPD "eu") is not set\n',
    });
  });

  it('an invalid topology prints every problem and exits 1', async () => {
    const result = await runCli(['plan', '-f', 'test/fixtures/invalid/url-not-http.yaml'], {
      env: { HUB_TOKEN: 'x', EU_TOKEN: 'y' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(2);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('rejects an unknown --jpd, format or option', async () => {
    const env = { HUB_TOKEN: 'x', EU_TOKEN: 'y', US_TOKEN: 'z' };
    expect(await runCli(['plan', '--jpd', 'mars'], { env })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'fedctl: --jpd mars: no such JPD in federation.yaml\n',
    });
    expect((await runCli(['plan', '--format', 'yaml'], { env })).stderr).toBe(
      'fedctl: --format must be text, json, markdown or sarif, not "yaml"\n',
    );
    expect((await runCli(['plan', '--bogus'], { env })).code).toBe(1);
  });

  it('an unreachable JPD is one line naming the JPD, method and path', async () => {
    const result = await runCli(['plan', '-f', 'test/fixtures/topologies/one-spoke.yaml'], {
      env: { HUB_TOKEN: 'x', EU_TOKEN: 'y', FEDCTL_HTTP_RETRIES: '0' },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe('fedctl: cannot read 2 JPDs:');
    expect(lines.slice(1).sort()).toEqual([
      expect.stringMatching(/^ {2}eu: GET \/artifactory\/api\/repositories\S* .*refused/) as string,
      expect.stringMatching(
        /^ {2}hub: GET \/artifactory\/api\/repositories\S* .*refused/,
      ) as string,
    ]);
    expect(result.stderr).not.toContain('x');
  });
});

describe('fedctl --help and unknown commands', () => {
  it('lists the commands', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['validate', 'plan', 'apply', 'sim', 'demo']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });

  it('an unknown command is a one-line error', async () => {
    expect(await runCli(['plna'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'fedctl: unknown command "plna"; did you mean "plan"? Run `fedctl --help` for the list\n',
    });
  });
});
