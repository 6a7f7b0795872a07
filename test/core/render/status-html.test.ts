import { describe, expect, it } from 'vitest';
import type { RepoReport } from '../../../src/core/drift/drift.js';
import { healthReadings, renderStatusHtml } from '../../../src/core/render/status-html.js';
import type { StatusResult } from '../../../src/core/drift/status.js';
import { jpdsHeader, topologyFrom } from '../../support/topology.js';

const topology = topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    repositories: [libs]
    members: [{ jpd: eu, mode: receiver }]
`);
const status: StatusResult = {
  formatVersion: 1,
  topology: 'fed<b>.yaml',
  jpds: ['eu', 'hub'],
  readAt: '2026-12-03T12:00:00.000Z',
  thresholds: { maxLagMs: 900_000, maxQueued: 1000 },
  summary: { repositories: 1, healthy: 0, unhealthy: 1, unknown: 0, missing: 0, unreadable: 0 },
  unreadable: [],
  repositories: [
    {
      jpd: 'hub',
      repoKey: 'libs',
      health: 'unhealthy',
      readFrom: 'connectionStates',
      reason: 'member eu (hub -> eu) is ERROR <script>alert(1)</script>',
      members: [
        {
          member: 'eu',
          mode: 'receiver',
          declaredMode: 'receiver',
          enabled: true,
          live: true,
          send: { state: 'ERROR', lagInMs: 120_000, queuedEvents: 42 },
          receive: { state: 'Receiving Only', lagInMs: 0, queuedEvents: 0 },
          health: 'unhealthy',
          reasons: ['is ERROR'],
        },
      ],
    },
  ],
};
const report = {
  jpd: 'hub',
  repoKey: 'libs',
  members: ['eu'],
  drift: [],
  pending: [{ message: 'description "" -> "<img src=x onerror=alert(1)>"' }],
} as unknown as RepoReport; // only the fields the page reads

describe('status page', () => {
  const html = renderStatusHtml({ status, findings: { repositories: [report] }, topology });

  it('escapes every string that came from the topology or a JPD', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>.yaml');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('fedctl status: fed&lt;b&gt;.yaml');
  });

  it('has the time of the reading, the states of both directions and lag as a duration', () => {
    expect(html).toContain('<time datetime="2026-12-03T12:00:00.000Z">');
    expect(html).toContain(
      '<td class="state-error">ERROR</td><td class="num" data-value="120000">2m</td><td class="num" data-value="42">42</td>',
    );
    expect(html).toContain('<td class="state-receiving-only">Receiving Only</td>');
  });

  it('colours the graph by what each direction reported', () => {
    expect(healthReadings(status)).toEqual([
      { from: 'hub', to: 'eu', repoKey: 'libs', state: 'ERROR' },
      { from: 'eu', to: 'hub', repoKey: 'libs', state: 'Receiving Only' },
    ]);
    expect(html).toMatch(
      /<g id="graph-[^"]*" class="[^"]*edge-error[^"]*" data-from="hub" data-to="eu">/,
    );
  });

  it('is the same bytes for the same reading', () => {
    expect(renderStatusHtml({ status, findings: { repositories: [report] }, topology })).toBe(html);
  });
});
