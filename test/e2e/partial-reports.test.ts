/**
 * The nightly job survives a bad night: with one JPD of three offline (the simulator destroys
 * every socket, as a JPD behind a dead proxy does), `drift --format json --junit` and `status
 * --format html` give up on it within the unreachable budget, report it as a finding of its own
 * (an `<error>` testcase, a section of the page), report the two others in full, write both
 * reports, and exit 1. The real CLI process, over real loopback sockets; one simulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';
import { spawnFedctl } from '../support/spawn.js';

let w: SimWorld;
beforeAll(async () => {
  w = await simulateTopology('federation.yaml');
  const applied = await runCli(['apply', '--auto-approve', '--verify-timeout', '30s'], {
    env: w.env,
    cwd: w.dir,
  });
  expect(applied.code, applied.stderr).toBe(0);
});
afterAll(async () => {
  await w.stop();
});

/** The real process; the unreachable budget shortened so that the suite stays quick. */
async function fedctl(argv: string[], env: Record<string, string> = {}) {
  const run = spawnFedctl(argv, {
    cwd: w.dir,
    env: {
      ...w.env,
      NO_COLOR: '1',
      FEDCTL_CONNECT_BUDGET: '2s',
      FEDCTL_CONNECT_TIMEOUT: '500ms',
      FEDCTL_HTTP_RETRY_DELAY_MS: '50',
      ...env,
    },
  });
  const code = await run.exit;
  return { code, stdout: run.output(), stderr: run.stderr() };
}

const schema = (name: string): object =>
  JSON.parse(readFileSync(`schemas/${name}.schema.json`, 'utf8')) as object;

interface DriftJson {
  summary: { repositories: number; unreadable: number; unhealthy: number; drift: number };
  unreadable: { jpd: string; error: string }[];
  repositories: { jpd: string; repoKey: string; health: { status: string } }[];
}

describe('one JPD of three offline', () => {
  it('drift --format json --junit: both reports written, the offline JPD an error case, exit 1', async () => {
    w.sim.jpd('eu').setOffline(true);
    try {
      const out = await fedctl(['drift', '--format', 'json', '--junit', 'j.xml']);
      expect(out.code, out.stderr).toBe(1);
      const report = JSON.parse(out.stdout) as DriftJson;
      const ajv = new Ajv({ allErrors: true, strict: false });
      expect(ajv.validate(schema('drift-report'), report), ajv.errorsText()).toBe(true);
      expect(report.unreadable).toEqual([
        {
          jpd: 'eu',
          error: expect.stringMatching(
            /^eu: GET \/artifactory\/api\/repositories\/configurations.* \(connection reset by the server or a proxy, after retries\)$/,
          ) as string,
          code: 'E_JPD_UNREACHABLE',
        },
      ]);
      // The hub's two repositories in full: read, and judged (eu's connections are down).
      expect(report.summary).toMatchObject({ repositories: 2, unreadable: 1, unhealthy: 2 });
      expect(report.repositories.map((r) => `${r.jpd}/${r.repoKey}`)).toEqual([
        'hub/libs-release',
        'hub/libs-snapshot',
      ]);
      const junit = readFileSync(join(w.dir, 'j.xml'), 'utf8');
      expect(junit).toMatch(
        /<testsuite name="eu"[^>]* tests="1" failures="0" errors="1"[^>]*>[\s\S]*<testcase name="read eu" classname="eu" time="0">\n {6}<error message="eu: GET [^"]*" type="unreadable">/,
      );
      expect(junit).toMatch(/<testsuite name="hub"[^>]* tests="2" failures="2" errors="0"/);
      expect(out.stderr).toContain(
        'fedctl: 1 JPD could not be read; the report covers the others:',
      );
    } finally {
      w.sim.jpd('eu').setOffline(false);
    }
  });

  it('status --format html: the page is written, with the offline source named, exit 1', async () => {
    w.sim.jpd('hub').setOffline(true);
    try {
      const out = await fedctl(['status', '--format', 'html']);
      expect(out.code, out.stderr).toBe(1);
      expect(out.stdout).toMatch(/^<!doctype html>/);
      expect(out.stdout).toContain('<h2 id="unreadable-title">1 JPD not read</h2>');
      expect(out.stdout).toMatch(
        /<li><code>hub<\/code>: hub: GET \/artifactory\/api\/repositories/,
      );
      expect(out.stdout).toContain('</html>');
      const json = await fedctl(['status', '--format', 'json']);
      expect(json.code).toBe(1);
      const status = JSON.parse(json.stdout) as { unreadable: unknown[]; repositories: unknown[] };
      const ajv = new Ajv({ allErrors: true, strict: false });
      expect(ajv.validate(schema('status-report'), status), ajv.errorsText()).toBe(true);
      expect(status.unreadable).toHaveLength(1);
      // Every repository's source is the hub: nothing else can be told, and nothing is made up.
      expect(status.repositories).toEqual([]);
    } finally {
      w.sim.jpd('hub').setOffline(false);
    }
  });

  it('a JPD refusing the token (401) is a finding too; the others are read', async () => {
    const out = await fedctl(['drift', '--format', 'markdown'], { US_TOKEN: 'not-the-token' });
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('> **1 JPD could not be read; it is not in this report:**');
    expect(out.stdout).toMatch(
      /> - `us`: us: GET \/artifactory\/api\/repositories\/configurations.* -> 401/,
    );
    expect(out.stdout).not.toContain('not-the-token');
  });
});

describe('one JPD whose inconsistentRepos read fails', () => {
  const INCONSISTENT = '/artifactory/api/federation/inconsistentRepos';

  it('drift and status: that JPD is a finding of its own, the others are read, exit 1', async () => {
    // Its configurations answer; only the inconsistentRepos read fails, after a retry.
    w.sim.jpd('us').setFaults({ errors: [{ status: 503, rate: 1, path: INCONSISTENT }] });
    try {
      const fewRetries = { FEDCTL_HTTP_RETRIES: '1' };
      const drift = await fedctl(['drift', '--format', 'json'], fewRetries);
      expect(drift.code, drift.stderr).toBe(1);
      const report = JSON.parse(drift.stdout) as DriftJson;
      const ajv = new Ajv({ allErrors: true, strict: false });
      expect(ajv.validate(schema('drift-report'), report), ajv.errorsText()).toBe(true);
      expect(report.unreadable).toEqual([
        expect.objectContaining({
          jpd: 'us',
          error: expect.stringMatching(
            /^us: GET \/artifactory\/api\/federation\/inconsistentRepos/,
          ) as string,
        }),
      ]);
      // The hub is the source of every repository: all of them are read and judged, no drift.
      expect(report.summary).toMatchObject({ repositories: 2, unreadable: 1, drift: 0 });

      const status = await fedctl(['status', '--format', 'json'], fewRetries);
      expect(status.code, status.stderr).toBe(1);
      const json = JSON.parse(status.stdout) as {
        unreadable: { jpd: string }[];
        repositories: unknown[];
      };
      expect(ajv.validate(schema('status-report'), json), ajv.errorsText()).toBe(true);
      expect(json.unreadable.map((u) => u.jpd)).toEqual(['us']);
      expect(json.repositories).toHaveLength(2);
    } finally {
      w.sim.jpd('us').setFaults({});
    }
  });
});

describe('plan stays all or nothing', () => {
  it('one JPD offline: plan fails with one line naming it, and prints no plan', async () => {
    w.sim.jpd('us').setOffline(true);
    try {
      const out = await fedctl(['plan']);
      expect(out.code).toBe(1);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(
        /^fedctl: us: GET \/artifactory\/api\/repositories\/configurations/m,
      );
    } finally {
      w.sim.jpd('us').setOffline(false);
    }
  });
});
