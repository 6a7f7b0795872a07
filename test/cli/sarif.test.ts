/**
 * Errors as annotations: `validate --format sarif` is a SARIF 2.1.0 log (checked against the
 * schema the SARIF Multitool ships) whose results point at the lines and columns the text output
 * names; in GitHub Actions every problem is also a workflow command on stderr.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { sarifValidator } from '../support/sarif.js';

interface SarifLog {
  runs: {
    results: {
      ruleId: string;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region: { startLine: number; startColumn: number };
        };
      }[];
    }[];
  }[];
}

function results(stdout: string) {
  const log = JSON.parse(stdout) as unknown;
  const validate = sarifValidator();
  expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  return (log as SarifLog).runs[0]?.results ?? [];
}

const FIXTURE = 'test/fixtures/invalid/undeclared-jpd.yaml';

describe('validate --format sarif', () => {
  it('points at the line and column of each problem', async () => {
    const result = await runCli(['validate', '--format', 'sarif', FIXTURE], {
      env: { HUB_TOKEN: 't', EU_TOKEN: 't' },
    });
    expect(result.code).toBe(1);
    const found = results(result.stdout);
    expect(
      found.map((r) => {
        const { artifactLocation, region } = r.locations[0]?.physicalLocation ?? {
          artifactLocation: { uri: '' },
          region: { startLine: 0, startColumn: 0 },
        };
        return `${artifactLocation.uri}:${region.startLine}:${region.startColumn} ${r.level} ${r.ruleId}`;
      }),
    ).toEqual([
      `${FIXTURE}:15:15 warning receiver-without-pairing`,
      `${FIXTURE}:16:14 error undeclared-jpd`,
    ]);
    expect(found[1]?.message.text).toBe(
      'member "mars" is not declared under jpds (declared: eu, hub)',
    );
  });

  // The text output is the reference: every fixture's SARIF names the same places.
  it.each(readdirSync('test/fixtures/invalid').filter((f) => f.endsWith('.yaml')))(
    '%s: the same positions as the text output, in a valid log',
    async (name) => {
      const file = `test/fixtures/invalid/${name}`;
      const text = await runCli(['validate', file]);
      const sarif = await runCli(['validate', '--format', 'sarif', file]);
      expect(sarif.code).toBe(text.code);
      const places = results(sarif.stdout).map((r) => {
        const region = r.locations[0]?.physicalLocation.region;
        return `${region?.startLine ?? 0}:${region?.startColumn ?? 0}`;
      });
      const expected = text.stderr
        .split('\n')
        .flatMap((l) => /^[^:]+:(\d+:\d+): /.exec(l)?.[1] ?? []);
      expect(places).toEqual(expected);
    },
  );

  it('a valid topology gives a valid log with its warnings only', async () => {
    const result = await runCli(['validate', '--format', 'sarif', 'federation.yaml'], {
      env: { HUB_TOKEN: 't', EU_TOKEN: 't' },
    });
    expect(result.code).toBe(0);
    expect(results(result.stdout).map((r) => `${r.level} ${r.ruleId}`)).toEqual([
      'warning unset-env',
    ]);
  });
});

describe('GitHub Actions annotations', () => {
  it('validate prints each problem as a workflow command on stderr', async () => {
    const result = await runCli(['validate', FIXTURE], { env: { GITHUB_ACTIONS: 'true' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `::error file=${FIXTURE},line=16,col=14,title=fedctl undeclared-jpd::member "mars" is not declared under jpds (declared: eu, hub)\n`,
    );
    expect(result.stderr).toContain(
      `::warning file=${FIXTURE},line=15,col=15,title=fedctl receiver-without-pairing::`,
    );
  });

  it('only in GitHub Actions', async () => {
    const result = await runCli(['validate', FIXTURE], { env: { GITHUB_ACTIONS: 'false' } });
    expect(result.stderr).not.toContain('::error');
  });

  it('plan on an invalid topology annotates too, and leaves a SARIF log', async () => {
    const result = await runCli(['plan', '-f', FIXTURE, '--format', 'sarif'], {
      env: { GITHUB_ACTIONS: 'true', HUB_TOKEN: 't', EU_TOKEN: 't' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`::error file=${FIXTURE},line=16,col=14,`);
    expect(results(result.stdout).map((r) => r.ruleId)).toContain('undeclared-jpd');
  });
});
