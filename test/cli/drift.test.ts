import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const env = { HUB_TOKEN: 'x', EU_TOKEN: 'y', US_TOKEN: 'z' };

describe('fedctl drift and status: options', () => {
  it.each(['drift', 'status'])('%s --help names every option and the exit codes', async (cmd) => {
    const { code, stdout } = await runCli([cmd, '--help']);
    expect(code).toBe(0);
    for (const option of ['--file', '--jpd', '--only', '--format', '--max-lag', '--max-queued']) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toContain('Exit codes:');
  });

  it('drift --help names the findings and --junit, --fail-on', async () => {
    const { stdout } = await runCli(['drift', '--help']);
    expect(stdout).toContain('--junit FILE');
    expect(stdout).toContain('--fail-on KINDS');
    expect(stdout).toContain('Read-only: sends no write request.');
  });

  it.each([
    [
      ['drift', '--fail-on', 'drift,typo'],
      'fedctl: --fail-on takes a comma-separated list of drift, pending, health, not "drift,typo"\n',
    ],
    [
      ['drift', '--fail-on', ''],
      'fedctl: --fail-on takes a comma-separated list of drift, pending, health, not ""\n',
    ],
    [
      ['drift', '--max-lag', 'soon'],
      'fedctl: --max-lag: expected a duration such as 50ms, 90s or 5m, got "soon"\n',
    ],
    [
      ['status', '--max-queued', 'lots'],
      'fedctl: --max-queued: expected an integer from 0 to 1000000000, got "lots"\n',
    ],
    [
      ['drift', '--format', 'junit'],
      'fedctl: --format must be text, json, markdown or sarif, not "junit"\n',
    ],
    [
      ['status', '--format', 'markdown'],
      'fedctl: --format must be text, json or html, not "markdown"\n',
    ],
    [['drift', '--jpd', 'mars'], 'fedctl: --jpd mars: no such JPD in federation.yaml\n'],
  ])('%j is one line, exit 1, before any request', async (argv, stderr) => {
    expect(await runCli(argv, { env })).toEqual({ code: 1, stdout: '', stderr });
  });

  it('is listed in the usage', async () => {
    const { stdout } = await runCli(['--help']);
    expect(stdout).toMatch(/^ {2}drift +The nightly check/m);
    expect(stdout).toMatch(/^ {2}status +Show every member/m);
  });
});
