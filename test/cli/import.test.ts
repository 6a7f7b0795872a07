/**
 * `fedctl import` options: every bad value is one line and exit 1, before any request is sent
 * (the URLs below point at nothing; a request would fail differently).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const HUB = 'http://127.0.0.1:9';
const env = { HUB_TOKEN: 'x', EU_TOKEN: 'y' };

describe('fedctl import: bad options stop before any request', () => {
  it.each([
    [[], 'give at least one --jpd NAME=URL'],
    [['--jpd', 'hub'], '--jpd expects NAME=URL, not "hub"'],
    [['--jpd', '=http://x'], '--jpd expects NAME=URL, not "=http://x"'],
    [
      ['--jpd', '9hub=https://hub.example.com'],
      "--jpd 9hub: a JPD name starts with a letter and has only letters, digits, '-' and '_' (at most 63)",
    ],
    [
      ['--jpd', 'hub=https://hub.example.com/artifactory'],
      '--jpd hub: URL of JPD "hub" must be the platform base URL without /artifactory (write https://hub.example.com)',
    ],
    [
      ['--jpd', 'hub=http://hub.example.com'],
      '--jpd hub: plain http:// to a non-loopback host would send the token unencrypted; use https://, or --allow-insecure-http',
    ],
    [['--jpd', `hub=${HUB}`, '--jpd', `hub=${HUB}/x`], '--jpd hub is given twice'],
    [['--jpd', `hub=${HUB}`, '--jpd', `eu=${HUB}/`], '--jpd eu and hub have the same URL'],
    [['--jpd', `hub=${HUB}`, '--token-env', 'eu=EU'], '--token-env eu: not a JPD given with --jpd'],
    [
      ['--jpd', `hub=${HUB}`, '--token-env', 'hub=1X'],
      '--token-env hub: "1X" is not a variable name',
    ],
    [
      ['--jpd', `hub=${HUB}`, '--prefer-source', 'eu'],
      '--prefer-source eu: not a JPD given with --jpd',
    ],
    [
      ['--jpd', `hub=${HUB}`, '--token-env', 'hub=FEDCTL_TEST_UNSET'],
      'environment variable FEDCTL_TEST_UNSET (the token of JPD "hub") is not set; name another with --token-env hub=VAR',
    ],
  ])('import %j', async (args, message) => {
    expect(await runCli(['import', ...args], { env })).toEqual({
      code: 1,
      stdout: '',
      stderr: `fedctl: ${message}\n`,
    });
  });

  it('prints its help, and is listed in the command list', async () => {
    const help = await runCli(['import', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: fedctl import --jpd NAME=URL/);
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}import +Write a topology declaring/m);
  });
});
