/**
 * A topology with 10,000 JPDs of which 10 are used. `plan` read all 10,000,
 * printed 10,009 error lines and took 703 MB and 16 s. Only the JPDs a federation or pairing uses
 * (and one named by --jpd) are read now; the rest are one warning line, in `validate` too.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { converged, startHostile, type HostileServer } from './server.js';

const UNUSED = 9_990;
let server: HostileServer;
let dir: string;
let file: string;
const env: Record<string, string> = { FEDCTL_HTTP_RETRIES: '0' };

beforeAll(async () => {
  // One loopback server plays the 10 used JPDs, each under its own path prefix.
  server = await startHostile(converged(() => []));
  dir = await mkdtemp(join(tmpdir(), 'fedctl-many-jpds-'));
  const lines = ['version: 1', 'jpds:'];
  for (let i = 0; i < 10; i += 1) {
    lines.push(`  j${i}: { url: "${server.url}/j${i}", token: "\${J${i}_TOKEN}" }`);
    env[`J${i}_TOKEN`] = `token-${i}-0123456789`;
  }
  // Unused, and their token variables unset: neither matters, since they are never read.
  for (let i = 0; i < UNUSED; i += 1) {
    lines.push(`  u${i}: { url: "https://u${i}.example.invalid", token: "\${U${i}_TOKEN}" }`);
  }
  lines.push('trust:');
  for (let i = 1; i < 10; i += 1) lines.push(`  - { source: j0, target: j${i} }`);
  lines.push(
    'federations:',
    '  - source: j0',
    '    packageType: generic',
    '    repositories: [libs]',
    `    members: [${Array.from({ length: 9 }, (_, i) => `{ jpd: j${i + 1}, mode: receiver }`).join(', ')}]`,
  );
  file = join(dir, 'federation.yaml');
  await writeFile(file, `${lines.join('\n')}\n`);
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const WARNING = new RegExp(
  `^.+federation\\.yaml:13:3: warning: ${UNUSED} declared JPDs are not used by any federation or pairing and are not read: u0, u1, u10, u100, u1000, … \\(${UNUSED - 5} more\\)\\n$`,
);

describe('10,000 declared JPDs, 10 used', () => {
  it('plan reads only the 10 and warns once', { timeout: 20_000 }, async () => {
    const before = process.memoryUsage().rss;
    const result = await runCli(['plan', '-f', file], { env, cwd: dir });
    expect(result.stderr).toMatch(WARNING);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Plan: 9 pairings, 1 repository to create, 0 to change, 0 to delete.',
    );
    const prefixes = new Set(server.seen.map((s) => s.url.split('/')[1]));
    expect([...prefixes].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `j${i}`));
    expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
  });

  it('validate says the same in one line', { timeout: 20_000 }, async () => {
    const result = await runCli(['validate', file], { env, cwd: dir });
    expect(result.stderr).toMatch(WARNING);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /: valid: 10000 JPDs, 9 pairings, 1 federation \(1 repository\), 9 member edges; 1 warning\n$/,
    );
  });

  it(
    '--jpd names an unused JPD: it is read too (and needs its token)',
    { timeout: 20_000 },
    async () => {
      const result = await runCli(['plan', '-f', file, '--jpd', 'u7'], { env, cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'fedctl: environment variable U7_TOKEN (the token of JPD "u7") is not set',
      );
    },
  );
});
