import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allTokensSet, runCli } from '../support/cli.js';

const golden = (name: string): string => readFileSync(`test/core/golden/graph/${name}`, 'utf8');

describe('fedctl graph', () => {
  it('prints the quick-start topology as mermaid by default', async () => {
    const result = await runCli(['graph'], { env: allTokensSet });
    expect(result).toEqual({ code: 0, stdout: golden('federation.mmd'), stderr: '' });
  });

  it.each([
    ['dot', 'two-hubs-regional.dot'],
    ['svg', 'two-hubs-regional.svg'],
    ['mermaid', 'two-hubs-regional.mmd'],
  ])('--format %s', async (format, file) => {
    const result = await runCli(
      ['graph', '-f', 'examples/two-hubs-regional.yaml', '--format', format],
      {
        env: allTokensSet,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(golden(file));
  });

  it('draws with unset token variables, warning on stderr as validate does', async () => {
    const result = await runCli(['graph', '-f', 'examples/hub-two-receivers.yaml'], { env: {} });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(golden('hub-two-receivers.mmd'));
    expect(result.stderr).toContain(
      'examples/hub-two-receivers.yaml:16:12: warning: environment variable HUB_TOKEN',
    );
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(3);
  });

  it('an invalid topology: positioned errors, exit 1, nothing on stdout', async () => {
    const file = 'test/fixtures/invalid/self-federation.yaml';
    const result = await runCli(['graph', '-f', file], { env: allTokensSet });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^test\/fixtures\/invalid\/self-federation\.yaml:\d+:\d+: /);
  });

  it('an unknown format is a usage error', async () => {
    const result = await runCli(['graph', '--format', 'png'], { env: allTokensSet });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'fedctl: --format must be mermaid, dot or svg, not "png"\n',
    });
  });

  it('--help names every format', async () => {
    const result = await runCli(['graph', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Usage: fedctl graph \[-f PATH ...\] \[--format mermaid\|dot\|svg\]/,
    );
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}graph +Draw the topology/m);
  });
});
