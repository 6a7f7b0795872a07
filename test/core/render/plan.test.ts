import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  formatNotes,
  parseNotes,
  type LastApplied,
  type LiveRepo,
  type LiveState,
} from '../../../src/core/live/state.js';
import { computePlan, type Plan } from '../../../src/core/plan/plan.js';
import { renderPlanJson } from '../../../src/core/render/plan-json.js';
import { renderPlanMarkdown } from '../../../src/core/render/plan-markdown.js';
import { renderPlanText, summaryLine } from '../../../src/core/render/plan-text.js';
import { jpdsHeader, topologyFrom } from '../../support/topology.js';

// One plan with every kind of action: a pairing, a create, an add, a mode change (drift), an
// enable, a description update, a removal, a deletion, an adoption and a conversion.
const topology = topologyFrom(`${jpdsHeader(['hub', 'eu', 'us', 'apac'])}trust:
  - { source: hub, target: apac }
federations:
  - source: hub
    repositories: [libs-new]
    members: [{ jpd: apac, mode: receiver }]
  - source: hub
    description: Shared tools
    repositories: [tools]
    members:
      - { jpd: us, mode: receiver }
      - { jpd: eu, mode: receiver, enabled: true }
  - source: hub
    repositories:
      - adopted
      - { key: vault, convert: local }
    members: [{ jpd: eu, mode: receiver }]
`);
const url = (host: string, key: string): string => `https://${host}.example.com/artifactory/${key}`;
const record = (key: string, members: Record<string, string>): LastApplied => {
  const parsed = parseNotes(
    formatNotes(undefined, {
      source: url('hub', key),
      members: Object.fromEntries(
        Object.entries(members).map(([u, m]) => [
          u,
          { mode: m === 'r' ? 'receiver' : 'bidirectional', enabled: true },
        ]),
      ),
    }),
  ).lastApplied;
  if (parsed === undefined) throw new Error('record did not round-trip');
  return parsed;
};
const tools: LiveRepo = {
  key: 'tools',
  packageType: 'generic',
  description: 'Old text',
  members: [
    { url: url('hub', 'tools'), mode: 'bidirectional', enabled: true },
    { url: url('us', 'tools'), mode: 'bidirectional', enabled: true },
    { url: url('eu', 'tools'), mode: 'receiver', enabled: false },
    { url: url('old', 'tools'), mode: 'receiver', enabled: true },
  ],
  lastApplied: record('tools', {
    [url('hub', 'tools')]: 'b',
    [url('us', 'tools')]: 'r',
    [url('old', 'tools')]: 'r',
  }),
};
const legacy: LiveRepo = {
  key: 'legacy',
  packageType: 'generic',
  members: [{ url: url('hub', 'legacy'), mode: 'bidirectional', enabled: true }],
  lastApplied: record('legacy', {}),
};
// Built through the plain API: it matches the topology but carries no record of fedctl's.
const adopted: LiveRepo = {
  key: 'adopted',
  packageType: 'generic',
  members: [
    { url: url('hub', 'adopted'), mode: 'bidirectional', enabled: true },
    { url: url('eu', 'adopted'), mode: 'receiver', enabled: true },
  ],
};
const live: LiveState = {
  jpds: {
    hub: {
      name: 'hub',
      repos: [tools, legacy, adopted],
      otherRepos: [{ key: 'vault', rclass: 'local', packageType: 'generic' }],
    },
    eu: { name: 'eu', repos: [], otherRepos: [] },
    us: { name: 'us', repos: [], otherRepos: [] },
    apac: { name: 'apac', repos: [], otherRepos: [] },
  },
};
const plan: Plan = computePlan(topology, live, { allowDelete: true });
const scope = { file: 'federation.yaml', jpds: ['apac', 'eu', 'hub', 'us'] };

describe('plan renderers (golden files)', () => {
  it('text, without colour', async () => {
    await expect(renderPlanText(plan, { color: false })).toMatchFileSnapshot('../golden/plan.txt');
  });

  it('text, with colour on a terminal', () => {
    const text = renderPlanText(plan, { color: true });
    expect(text).toContain('\u001b[32m+\u001b[0m pairing hub -> apac');
    // eslint-disable-next-line no-control-regex -- stripping ANSI colour codes
    expect(text.replace(/\u001b\[\d+m/g, '')).toBe(renderPlanText(plan, { color: false }));
  });

  it('json, valid against schemas/plan.schema.json', async () => {
    const json = renderPlanJson(plan);
    await expect(json).toMatchFileSnapshot('../golden/plan.json');
    const validate = new Ajv({ strict: true, allErrors: true }).compile(
      JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as object,
    );
    expect(validate(JSON.parse(json)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('markdown for a pull request, with the topology graph', async () => {
    const md = renderPlanMarkdown(plan, { ...scope, topology });
    await expect(md).toMatchFileSnapshot('../golden/plan.md');
    // The graph sits between the summary table and the full plan, and marks what the plan does.
    expect(md.indexOf('```mermaid')).toBeGreaterThan(md.indexOf('| Cause |'));
    expect(md.indexOf('```mermaid')).toBeLessThan(md.indexOf('<details>'));
  });

  it('leaves the graph out, with a note, before it cuts any of the plan', () => {
    const whole = renderPlanMarkdown(plan, { ...scope, topology });
    const withoutGraph = renderPlanMarkdown(plan, scope);
    // Room for the whole plan, not for the graph as well.
    const md = renderPlanMarkdown(plan, {
      ...scope,
      topology,
      limit: withoutGraph.length + 100,
    });
    expect(whole.length).toBeGreaterThan(withoutGraph.length + 100);
    expect(md).not.toContain('```mermaid');
    expect(md).toContain('The topology graph is left out to fit a GitHub comment');
    expect(md).not.toContain('truncated to fit');
    expect(md).toContain(renderPlanText(plan, { color: false }));
  });

  it('markdown never exceeds the comment limit', () => {
    const limit = 1_500;
    const md = renderPlanMarkdown(plan, { ...scope, topology, limit });
    expect(md.length).toBeLessThanOrEqual(limit);
    expect(md).toContain('truncated to fit a GitHub comment');
    expect(
      md.startsWith(
        '<!-- fedctl:plan federation.yaml -->\n### fedctl plan\n\nTopology `federation.yaml` · JPDs: apac, eu, hub, us\n\n> [!CAUTION]\n> **Removed from federation.yaml: 2 entries**\n> - `hub/legacy`: **will be deleted**: deletes the repository and all its artifacts on JPD hub (cannot be undone)\n> - `hub/tools`: **member https://old.example.com/artifactory/tools will be removed** from the federation\n\n**Plan: 1 pairing, 1 repository to create, 2 to change (4 member changes), 1 to delete, 1 to adopt.**',
      ),
    ).toBe(true);
  });

  it('says so when there is nothing to do', () => {
    const empty: Plan = { ...plan, actions: [], changes: [], unmanaged: [] };
    expect(renderPlanText(empty, { color: false })).toBe(
      'No changes. The JPDs match the topology.\n',
    );
    expect(summaryLine(empty)).toBe('No changes. The JPDs match the topology.');
  });

  it('is byte-identical across runs', () => {
    const again = computePlan(topology, live, { allowDelete: true });
    expect(renderPlanJson(again)).toBe(renderPlanJson(plan));
    expect(renderPlanText(again, { color: false })).toBe(renderPlanText(plan, { color: false }));
  });
});
