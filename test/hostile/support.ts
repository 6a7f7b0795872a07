/**
 * Shared by the hostile suites: a two-JPD topology (`evil` is the hostile server, `good` a
 * converged one), the real CLI in-process, and the checks every scenario must pass: one
 * `fedctl:` line naming the JPD, no stack, no token in any form, no write request, bounded memory.
 */
import { formatNotes, normalizeMemberUrl } from '../../src/core/live/state.js';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, type CliRun } from '../support/cli.js';
import {
  converged,
  federatedRepo,
  startHostile,
  type HostileServer,
  type Scenario,
} from './server.js';

export interface HostileWorld {
  readonly evil: HostileServer;
  readonly good: HostileServer;
  readonly dir: string;
  readonly tokens: { readonly evil: string; readonly good: string };
  readonly env: Record<string, string>;
  /** The converged `libs` configuration as the evil hub would send it. */
  readonly libs: (
    extraMembers?: readonly { url: string; mode: string; enabled: boolean }[],
  ) => Record<string, unknown>;
  stop(): Promise<void>;
}

/** Short timeouts and few retries, so a hostile answer costs seconds, not minutes. */
export const FAST_ENV = {
  FEDCTL_HTTP_RETRIES: '1',
  FEDCTL_HTTP_RETRY_DELAY_MS: '10',
  FEDCTL_HTTP_TIMEOUT: '3s',
  FEDCTL_MAX_RESPONSE_BYTES: String(8 * 1024 * 1024),
};

export async function hostileWorld(
  scenario: (world: Omit<HostileWorld, 'evil' | 'stop'>) => Scenario,
): Promise<HostileWorld> {
  // Not JWT-shaped: only the redactor's registered secrets can catch it, in every encoding.
  const tokens = {
    evil: `hx-${randomBytes(18).toString('hex')}`,
    good: `hg-${randomBytes(18).toString('hex')}`,
  };
  let goodUrl = '';
  let evilUrl = '';
  // Converged and already managed: fedctl's record in `notes` (else the plan would adopt it).
  const record = (): string =>
    formatNotes(undefined, {
      source: normalizeMemberUrl(`${evilUrl}/artifactory/libs`),
      members: {
        [normalizeMemberUrl(`${evilUrl}/artifactory/libs`)]: {
          mode: 'bidirectional',
          enabled: true,
        },
        [normalizeMemberUrl(`${goodUrl}/artifactory/libs`)]: { mode: 'receiver', enabled: true },
      },
    });
  const libs = (extra: readonly { url: string; mode: string; enabled: boolean }[] = []) =>
    federatedRepo(
      'libs',
      [
        { url: `${evilUrl}/artifactory/libs`, mode: 'bidirectional', enabled: true },
        { url: `${goodUrl}/artifactory/libs`, mode: 'receiver', enabled: true },
        ...extra,
      ],
      { notes: record() },
    );
  const good = await startHostile(converged(() => [libs()]));
  goodUrl = good.url;
  const dir = await mkdtemp(join(tmpdir(), 'fedctl-hostile-'));
  const env = { EVIL_TOKEN: tokens.evil, GOOD_TOKEN: tokens.good, ...FAST_ENV };
  const evil = await startHostile(scenario({ good, dir, tokens, env, libs }));
  evilUrl = evil.url;
  await writeFile(
    join(dir, 'federation.yaml'),
    `version: 1
jpds:
  evil: { url: "${evil.url}", token: "\${EVIL_TOKEN}" }
  good: { url: "${good.url}", token: "\${GOOD_TOKEN}" }
trust:
  - { source: evil, target: good }
federations:
  - source: evil
    packageType: generic
    repositories: [libs]
    members: [{ jpd: good, mode: receiver }]
`,
  );
  return {
    evil,
    good,
    dir,
    tokens,
    env,
    libs,
    async stop() {
      await Promise.all([evil.close(), good.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Measured extends CliRun {
  /** Peak resident memory growth while the command ran, in bytes. */
  readonly rssGrowth: number;
}

/** `fedctl apply --auto-approve` in-process, with the resident set sampled while it runs. */
export async function applyMeasured(
  world: HostileWorld,
  extraEnv: Record<string, string> = {},
): Promise<Measured> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    // --lock=false: the subject here is what hostile answers to reads do; the lock (a write
    // before any read, docs/locking.md) is tested in test/io/apply/lock.test.ts.
    const run = await runCli(['apply', '--auto-approve', '--no-color', '--lock=false'], {
      env: { ...world.env, ...extraEnv },
      cwd: world.dir,
    });
    peak = Math.max(peak, process.memoryUsage().rss);
    return { ...run, rssGrowth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Every form a server could echo a secret in: as is, base64 (at each of the three byte
 * alignments it can sit at inside a longer encoded text, e.g. `Basic base64(user:token)`),
 * base64url, percent-encoded (every byte, either case) and hex.
 */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const forms = new Set<string>([secret, encodeURIComponent(secret)]);
  for (let offset = 0; offset < 3; offset += 1) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const b64 = padded.toString('base64');
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor((padded.length * 8) / 6);
    forms.add(b64.slice(start, end));
    forms.add(padded.toString('base64url').slice(start, end));
  }
  const hex = bytes.toString('hex');
  const percent = hex.replace(/(..)/g, '%$1');
  for (const form of [hex, percent]) {
    forms.add(form);
    forms.add(form.toUpperCase());
  }
  return [...forms];
}

/** The checks every scenario shares. */
export function expectContained(world: HostileWorld, run: CliRun): void {
  const output = run.stdout + run.stderr;
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toContain('internal error');
  for (const secret of [world.tokens.evil, world.tokens.good]) {
    for (const form of secretForms(secret)) expect(output).not.toContain(form);
  }
  expect(world.evil.writes()).toEqual([]);
  expect(world.good.writes()).toEqual([]);
}

/** A failed run: exit 1, and exactly one `fedctl:` line, naming the hostile JPD. */
export function expectOneLine(world: HostileWorld, run: CliRun, message: RegExp): void {
  expectContained(world, run);
  expect(run.code).toBe(1);
  const lines = run.stderr.split('\n').filter((l) => l.startsWith('fedctl:'));
  expect(lines).toHaveLength(1);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(lines[0]).toMatch(/^fedctl: evil: /);
  expect(lines[0]).toMatch(message);
}
