/**
 * A live configuration with 100,001 members crashed the text renderer with
 * `RangeError: Maximum call stack size exceeded` (a spread of every member URL into Math.max, and
 * of every line into Array.prototype.push). The planner, the three renderers and narrowing must
 * handle inputs of any size without recursion or argument spreads, in linear-ish time (the test
 * timeout bounds it; no timing assertion).
 */
import { describe, expect, it } from 'vitest';
import type { LiveMember, LiveState } from '../../../src/core/live/state.js';
import { narrowPlan } from '../../../src/core/plan/narrow.js';
import { computePlan, type Plan } from '../../../src/core/plan/plan.js';
import { renderPlanJson } from '../../../src/core/render/plan-json.js';
import { renderPlanMarkdown } from '../../../src/core/render/plan-markdown.js';
import { renderPlanText } from '../../../src/core/render/plan-text.js';
import { createdRepoNotes } from '../../../src/core/apply/repo-update.js';
import { parseNotes } from '../../../src/core/live/state.js';
import { jpdsHeader, topologyFrom } from '../../support/topology.js';

const MEMBERS = 100_001;
const topology = topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    repositories: [libs]
    members: [{ jpd: eu, mode: receiver }]
`);
const HUB = 'https://hub.example.com/artifactory/libs';
const EU = 'https://eu.example.com/artifactory/libs';

/** hub and eu (eu drifted to bidirectional, so the repository has a change), then foreign members. */
function members(): LiveMember[] {
  const out: LiveMember[] = [
    { url: HUB, mode: 'bidirectional', enabled: true },
    { url: EU, mode: 'bidirectional', enabled: true },
  ];
  for (let i = out.length; i < MEMBERS; i += 1) {
    out.push({
      url: `https://site${String(i).padStart(6, '0')}.example.com/artifactory/libs`,
      mode: 'receiver',
      enabled: true,
    });
  }
  return out;
}

function liveWith(list: readonly LiveMember[], recordAll: boolean): LiveState {
  const record = recordAll
    ? parseNotes(
        createdRepoNotes(
          list.map((m) => ({ url: m.url, mode: m.mode, enabled: m.enabled })),
          HUB,
        ),
      ).lastApplied
    : undefined;
  return {
    jpds: {
      hub: {
        name: 'hub',
        repos: [
          {
            key: 'libs',
            packageType: 'generic',
            members: list,
            ...(record === undefined ? {} : { lastApplied: record }),
          },
        ],
        otherRepos: [],
      },
      eu: { name: 'eu', repos: [], otherRepos: [] },
    },
  };
}

function renderAll(plan: Plan): { text: string; markdown: string; json: string } {
  return {
    text: renderPlanText(plan, { color: false }),
    markdown: renderPlanMarkdown(plan, { file: 'federation.yaml', jpds: ['hub', 'eu'] }),
    json: renderPlanJson(plan),
  };
}

describe('100,001 live members', () => {
  it('plans one mode change, keeps every foreign member and renders text, markdown and JSON', () => {
    const plan = computePlan(topology, liveWith(members(), false), { allowDelete: false });
    expect(plan.actions.map((a) => a.id)).toEqual(['mode:hub/libs:eu']);
    expect(plan.unmanaged).toHaveLength(MEMBERS - 2);
    expect(plan.changes[0]?.after).toHaveLength(MEMBERS);

    const { text, markdown, json } = renderAll(plan);
    const lines = text.split('\n');
    const width = 'https://site000002.example.com/artifactory/libs'.length;
    expect(lines.filter((l) => l.startsWith('    -'))).toEqual([
      `    -${EU.padEnd(width)}  bidirectional           [eu]`,
    ]);
    expect(lines.filter((l) => l.startsWith('    +'))).toEqual([
      `    +${EU.padEnd(width)}  receiver                [eu]`,
    ]);
    expect(lines.filter((l) => l.startsWith('     https://site'))).toHaveLength(MEMBERS - 2);
    expect(lines.filter((l) => l.startsWith('  hub/libs member '))).toHaveLength(MEMBERS - 2);
    expect(markdown.length).toBeLessThanOrEqual(65_535);
    expect(markdown).toContain('| ~ | member eu: mode bidirectional -> receiver | hub | `libs` |');
    expect((JSON.parse(json) as { unmanaged: unknown[] }).unmanaged).toHaveLength(MEMBERS - 2);
  });

  it('removes 99,999 recorded members under --allow-delete, renders them all and narrows', () => {
    const plan = computePlan(topology, liveWith(members(), true), { allowDelete: true });
    expect(plan.actions).toHaveLength(MEMBERS - 2 + 1);
    expect(plan.changes[0]?.after).toHaveLength(2);

    const { text, markdown } = renderAll(plan);
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('    - remove member '))).toHaveLength(MEMBERS - 2);
    expect(lines.filter((l) => l.startsWith('    -https://site'))).toHaveLength(MEMBERS - 2);
    expect(markdown.length).toBeLessThanOrEqual(65_535);

    const narrowed = narrowPlan(plan, { only: 'libs', jpd: 'hub' });
    expect(narrowed.actions).toHaveLength(plan.actions.length);
  });
});
