/**
 * The world every fault-matrix scenario starts from, and the checks it ends with. The quick-start
 * topology is applied cleanly against the simulator; then, out of band, a foreign member (one no
 * topology names) is added to hub/libs-release and member `us` is disabled there (drift), and the
 * topology gains a repository (libs-new). So each faulty apply has a create and a change to make,
 * and something it must leave alone.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { SimJpdInfo } from '../../src/sim/index.js';
import { runCli, type CliRun } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';
import { api } from '../sim/helpers.js';

/** Unreachable on purpose: a member of someone else's, which fedctl must carry over untouched. */
export const FOREIGN = 'http://127.0.0.1:9/artifactory/libs-release';
export const PENDING =
  'Plan: 0 pairings, 1 repository to create, 1 to change (1 member change), 0 to delete.';
const SPOKES = ['eu', 'us'] as const;

export interface Member {
  readonly url: string;
  readonly mode: string;
  readonly enabled: boolean | string;
}

/** Fast backoff; the retry budget keeps its default: the faults are what is under test. */
export function cli(world: SimWorld, ...argv: string[]): Promise<CliRun> {
  return cliWith(world, {}, ...argv);
}

export function cliWith(
  world: SimWorld,
  env: Record<string, string>,
  ...argv: string[]
): Promise<CliRun> {
  return runCli(argv, {
    env: { ...world.env, FEDCTL_HTTP_RETRY_DELAY_MS: '20', ...env },
    cwd: world.dir,
  });
}

export function jpd(world: SimWorld, name: string): SimJpdInfo {
  const info = world.sim.jpds.find((j) => j.name === name);
  if (info === undefined) throw new Error(`no JPD ${name}`);
  return info;
}

export async function members(world: SimWorld, key: string): Promise<Member[]> {
  const res = await api(jpd(world, 'hub'), 'GET', `/artifactory/api/repositories/${key}`);
  expect(res.status).toBe(200);
  return (res.json as { members: Member[] }).members;
}

async function postMembers(world: SimWorld, key: string, list: readonly Member[]): Promise<void> {
  const res = await api(jpd(world, 'hub'), 'POST', `/artifactory/api/repositories/${key}`, {
    body: { rclass: 'federated', members: list },
  });
  expect(res.status).toBe(200);
}

/** A converged world with a foreign member, a drifted member and a new repository pending. */
export async function pendingWorld(): Promise<SimWorld> {
  const world = await simulateTopology('federation.yaml');
  const clean = await cli(world, 'apply', '--auto-approve', '--verify-timeout', '30s');
  expect(clean.code).toBe(0);
  const live = await members(world, 'libs-release');
  await postMembers(world, 'libs-release', [
    ...live.map((m) =>
      m.url.startsWith(`${jpd(world, 'us').url}/`) ? { ...m, enabled: false } : m,
    ),
    { url: FOREIGN, mode: 'receiver', enabled: true },
  ]);
  const text = await readFile(world.file, 'utf8');
  const changed = text.replace(/^(\s+)- libs-snapshot$/m, '$1- libs-snapshot\n$1- libs-new');
  expect(changed).not.toBe(text);
  await writeFile(world.file, changed);
  const plan = await cli(world, 'plan');
  expect(plan.stdout).toContain(PENDING);
  return world;
}

/**
 * The end state every scenario must reach: a fresh plan finds nothing to do, each repository
 * has exactly the declared members (hub bidirectional, spokes receivers, all enabled), and the
 * foreign member is still on libs-release: nothing changed that the plan did not name.
 */
export async function expectConverged(world: SimWorld): Promise<void> {
  const plan = await cli(world, 'plan', '--detailed-exitcode');
  expect(plan.stderr).toBe('');
  expect(plan.code).toBe(0);
  expect(plan.stdout).toContain(`hub/libs-release member ${FOREIGN}: member not declared`);
  const declared = (key: string): Member[] => [
    { url: `${jpd(world, 'hub').url}/artifactory/${key}`, mode: 'bidirectional', enabled: true },
    ...SPOKES.map((s) => ({
      url: `${jpd(world, s).url}/artifactory/${key}`,
      mode: 'receiver',
      enabled: true,
    })),
  ];
  const normal = (list: readonly Member[]): string[] =>
    list
      .map((m) => `${m.url.toLowerCase()} ${m.mode} ${String(m.enabled)}`)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const key of ['libs-release', 'libs-snapshot', 'libs-new']) {
    const want =
      key === 'libs-release'
        ? [...declared(key), { url: FOREIGN, mode: 'receiver', enabled: true }]
        : declared(key);
    expect(normal(await members(world, key))).toEqual(normal(want));
  }
}

/** fedctl's own request paths on a JPD, so faults hit them and not the federation's peer traffic. */
export const API_PATHS = [
  '/artifactory/api/repositories*',
  '/artifactory/api/federation/configSync/*',
  '/artifactory/api/federation/status/*',
  '/artifactory/api/v1/service_trust/pairing/*',
];
