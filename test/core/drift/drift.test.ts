import { describe, expect, it } from 'vitest';
import {
  computeDrift,
  failingKinds,
  healthSpecs,
  reposInScope,
  repoFailures,
  type RepoReport,
} from '../../../src/core/drift/drift.js';
import { computePlan } from '../../../src/core/plan/plan.js';
import { driftResult, live, READ_AT, states, topology } from './fixtures.js';

const repo = (key: string): RepoReport => {
  const r = driftResult().repositories.find((x) => x.repoKey === key);
  if (r === undefined) throw new Error(`no ${key}`);
  return r;
};

describe('computeDrift', () => {
  it('reports a mode changed on a JPD as drift that apply undoes, not as pending', () => {
    const libs = repo('libs');
    expect(libs.drift).toEqual([
      {
        member: 'eu',
        field: 'mode',
        recorded: 'receiver',
        live: 'bidirectional',
        wanted: 'receiver',
        actionId: 'mode:hub/libs:eu',
        message: 'member eu: mode is bidirectional on the JPD; fedctl applied receiver',
      },
    ]);
    expect(libs.pending).toEqual([]);
  });

  it('reports a member fedctl applied disabled and someone enabled as drift, which apply undoes', () => {
    const tools = repo('tools');
    expect(tools.drift).toHaveLength(1);
    expect(tools.drift[0]).toMatchObject({
      member: 'eu',
      field: 'enabled',
      recorded: 'disabled',
      live: 'enabled',
      wanted: 'disabled',
      actionId: 'disable:hub/tools:eu',
    });
    expect(tools.drift[0]?.message).toBe(
      'member eu: enabled on the JPD; fedctl applied it disabled',
    );
    expect(tools.pending).toEqual([]);
  });

  it('reports topology values not applied as pending, with the action that applies them', () => {
    expect(repo('docs').pending).toEqual([
      {
        actionId: 'update:hub/docs',
        type: 'update-repository',
        message: 'description "Old" -> "Docs <b>for</b> @octocat"',
      },
    ]);
    expect(repo('new').pending.map((p) => p.type)).toEqual(['create-repository']);
  });

  it('lists a member removed by hand that the topology dropped too as a stale record, not drift', () => {
    const result = driftResult();
    expect(result.staleRecords).toEqual([
      {
        jpd: 'hub',
        repoKey: 'docs',
        member: 'https://us.example.com/artifactory/docs',
        field: 'member',
        recorded: 'member',
        live: 'absent',
      },
    ]);
    expect(repo('docs').drift).toEqual([]);
  });

  it('judges health per repository: ERROR with lag, stateList alone, no service, not created', () => {
    expect(repo('libs').health).toMatchObject({
      status: 'unhealthy',
      readFrom: 'connectionStates',
      reason: 'member eu (hub -> eu) is ERROR, lag 1m30s, 7 queued events',
    });
    expect(repo('tools').health).toMatchObject({ status: 'healthy', readFrom: 'stateList' });
    expect(repo('docs').health).toMatchObject({
      status: 'unknown',
      reason: 'federation service not enabled on JPD hub',
    });
    expect(repo('new').health).toMatchObject({ status: 'missing', readFrom: 'none' });
  });

  it('counts each kind and fails only on the kinds selected', () => {
    const result = driftResult();
    expect(result.summary).toEqual({
      repositories: 4,
      drift: 2,
      pending: 2,
      healthy: 1,
      unhealthy: 1,
      unknown: 1,
      missing: 1,
      unreadable: 0,
    });
    expect(failingKinds(result)).toEqual(['drift', 'pending', 'health']);
    expect(failingKinds(driftResult(['health']))).toEqual(['health']);
    expect(failingKinds(driftResult(['pending', 'drift']))).toEqual(['drift', 'pending']);
    const healthOnly = driftResult(['health']);
    const tools = healthOnly.repositories.find((r) => r.repoKey === 'tools');
    if (tools === undefined) throw new Error('no tools');
    expect(repoFailures(healthOnly, tools)).toEqual([]);
  });

  it('with nothing to find, fails on nothing', () => {
    const clean = computeDrift({
      file: 'f.yaml',
      topology: { ...topology, repos: [] },
      live: { jpds: {} },
      plan: computePlan({ ...topology, repos: [] }, { jpds: {} }, { allowDelete: false }),
      states: [],
      thresholds: { maxLagMs: 1, maxQueued: 1 },
      failOn: ['drift', 'pending', 'health'],
      readAt: READ_AT,
    });
    expect(clean.summary.repositories).toBe(0);
    expect(failingKinds(clean)).toEqual([]);
  });

  it('narrows to --only and --jpd; a member JPD keeps only its own connections', () => {
    expect(reposInScope(topology, { only: 'l*' }).map((r) => r.key)).toEqual(['libs']);
    expect(reposInScope(topology, { jpd: 'us' }).map((r) => r.key)).toEqual(['libs', 'new']);
    const specs = healthSpecs(topology, live, { jpd: 'us' });
    // `new` does not exist live, so it has nothing to read; libs keeps its us member only.
    expect(specs.map((s) => [s.key, s.members.map((m) => m.jpd)])).toEqual([['libs', ['us']]]);
    const result = computeDrift({
      file: 'federation.yaml',
      topology,
      live,
      plan: computePlan(topology, live, { allowDelete: false }),
      states,
      thresholds: { maxLagMs: 60_000, maxQueued: 10 },
      failOn: ['health'],
      readAt: READ_AT,
      jpd: 'us',
    });
    expect(result.jpds).toEqual(['us']);
    // eu's ERROR is not us's business.
    expect(result.repositories.find((r) => r.repoKey === 'libs')?.health.status).toBe('healthy');
  });
});
