import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_LAG_MS,
  DEFAULT_MAX_QUEUED,
} from '../../../src/core/verify/federation-health.js';
import { renderStatusJson, renderStatusText } from '../../../src/core/render/status-text.js';
import { computeStatus } from '../../../src/core/drift/status.js';
import { live, READ_AT, states, topology } from './fixtures.js';

const status = (jpd?: string) =>
  computeStatus({
    file: 'federation.yaml',
    topology,
    live,
    states,
    thresholds: { maxLagMs: DEFAULT_MAX_LAG_MS, maxQueued: DEFAULT_MAX_QUEUED },
    readAt: READ_AT,
    ...(jpd === undefined ? {} : { jpd }),
  });

describe('computeStatus', () => {
  it('lists every declared member of every managed repository, both directions', () => {
    const result = status();
    expect(result.repositories.map((r) => [r.repoKey, r.members.map((m) => m.member)])).toEqual([
      ['docs', ['eu']],
      ['libs', ['eu', 'us']],
      ['new', ['us']],
      ['tools', ['eu']],
    ]);
    const libs = result.repositories.find((r) => r.repoKey === 'libs');
    expect(libs?.members).toEqual([
      {
        member: 'eu',
        mode: 'bidirectional',
        declaredMode: 'receiver',
        enabled: true,
        live: true,
        send: { state: 'ERROR', lagInMs: 90_000, queuedEvents: 7 },
        receive: { state: 'HEALTHY', lagInMs: 0, queuedEvents: 0 },
        health: 'unhealthy',
        reasons: ['member eu (hub -> eu) is ERROR, lag 1m30s, 7 queued events'],
      },
      {
        member: 'us',
        mode: 'receiver',
        declaredMode: 'receiver',
        enabled: true,
        live: true,
        send: { state: 'HEALTHY', lagInMs: 0, queuedEvents: 0 },
        receive: { state: 'Receiving_Only', lagInMs: 0, queuedEvents: 0 },
        health: 'healthy',
        reasons: [],
      },
    ]);
    expect(result.summary).toEqual({
      repositories: 4,
      healthy: 1,
      unhealthy: 1,
      unknown: 1,
      missing: 1,
      unreadable: 0,
    });
  });

  it('narrows a member JPD to its own rows', () => {
    const result = status('us');
    expect(result.repositories.map((r) => [r.repoKey, r.members.map((m) => m.member)])).toEqual([
      ['libs', ['us']],
      ['new', ['us']],
    ]);
    expect(result.repositories[0]?.health).toBe('healthy');
  });

  it('renders a table per repository (golden file) and JSON', async () => {
    await expect(renderStatusText(status())).toMatchFileSnapshot('../golden/status.txt');
    expect(JSON.parse(renderStatusJson(status()))).toEqual(JSON.parse(JSON.stringify(status())));
  });
});
