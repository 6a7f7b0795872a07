import { describe, expect, it } from 'vitest';
import { commentMarker, coversLine, fitComment } from '../../../src/core/render/markdown.js';
import { markdownCode, markdownFence, safeMarkdown } from '../../../src/core/safe-text.js';
import type { LiveState } from '../../../src/core/live/state.js';
import { computePlan } from '../../../src/core/plan/plan.js';
import { renderPlanMarkdown } from '../../../src/core/render/plan-markdown.js';
import { emptyLive, jpdsHeader, topologyFrom } from '../../support/topology.js';

describe('comment marker', () => {
  it.each([
    ['federation.yaml', '<!-- fedctl:plan federation.yaml -->'],
    ['infra/prod.yaml', '<!-- fedctl:plan infra/prod.yaml -->'],
    // An HTML comment may not hold `--` and ends at `>`.
    ['a--b-->.yaml', '<!-- fedctl:plan a%2D-b%2D-%3E.yaml -->'],
    ['x-', '<!-- fedctl:plan x%2D -->'],
  ])('%s', (file, marker) => {
    expect(commentMarker('plan', file)).toBe(marker);
    expect(commentMarker('plan', file).slice(4, -3)).not.toMatch(/--|>/);
  });
});

describe('escaping', () => {
  it('shows raw HTML as text, breaks mentions, keeps a table cell on one line', () => {
    // The line break is shown as `\n` (core/safe-text.ts), so the cell stays on one line.
    expect(safeMarkdown('<img src=x onerror=alert(1)> & @team | a\nb')).toBe(
      '&lt;img src=x onerror=alert(1)> &amp; @\u200bteam \\| a\\\\nb',
    );
  });

  it('inline code that a backtick cannot close', () => {
    expect(markdownCode('libs')).toBe('`libs`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x')).toBe('`` `x ``');
  });

  it('a fence longer than any backtick run in the text', () => {
    expect(markdownFence('plain')).toBe('```');
    expect(markdownFence('a ```` b')).toBe('`````');
  });

  it('says what the comment covers', () => {
    expect(coversLine({ file: 'f.yaml', jpds: ['eu', 'hub'] })).toBe(
      'Topology `f.yaml` · JPDs: eu, hub',
    );
    expect(coversLine({ file: 'f.yaml', jpds: ['eu'], jpd: 'eu', only: 'libs-*' })).toBe(
      'Topology `f.yaml` · JPD eu only · repositories matching `libs-*`',
    );
  });

  it('fits the limit', () => {
    const text = 'line\n'.repeat(1000);
    const out = fitComment('head', { title: 'T', text, info: '', command: 'fedctl x' }, 500);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out).toContain('run `fedctl x` for all of it');
  });
});

describe('plan markdown with hostile descriptions', () => {
  const topology = topologyFrom(`${jpdsHeader(['hub', 'eu'])}federations:
  - source: hub
    description: "<script>alert(1)</script> ping @octocat \`\`\`\`"
    repositories: [libs]
    members: [{ jpd: eu, mode: receiver }]
`);
  const live: LiveState = {
    jpds: {
      ...emptyLive(['hub', 'eu']).jpds,
      hub: {
        name: 'hub',
        otherRepos: [],
        repos: [
          {
            key: 'libs',
            packageType: 'generic',
            description: 'Old',
            members: [
              {
                url: 'https://hub.example.com/artifactory/libs',
                mode: 'bidirectional',
                enabled: true,
              },
              { url: 'https://eu.example.com/artifactory/libs', mode: 'receiver', enabled: true },
            ],
          },
        ],
      },
    },
  };
  const plan = computePlan(topology, live, { allowDelete: false });
  const md = renderPlanMarkdown(plan, { file: 'federation.yaml', jpds: ['eu', 'hub'] });

  it('starts with the marker and names the topology and JPDs', () => {
    expect(
      md.startsWith(
        '<!-- fedctl:plan federation.yaml -->\n### fedctl plan\n\nTopology `federation.yaml` · JPDs: eu, hub\n',
      ),
    ).toBe(true);
  });

  it('escapes the description in the table', () => {
    const row = md.split('\n').find((l) => l.startsWith('| ~ | description'));
    expect(row).toBe(
      '| ~ | description "Old" -> "&lt;script>alert(1)&lt;/script> ping @\u200boctocat \\`\\`\\`\\`" | hub | `libs` | topology |',
    );
  });

  it('keeps the description inside a fence it cannot close', () => {
    const open = md.indexOf('`````diff\n');
    expect(open).toBeGreaterThan(0);
    const close = md.indexOf('\n`````\n', open);
    expect(md.slice(open, close)).toContain('<script>alert(1)</script> ping @octocat ````');
    // Outside the fence, nothing of it is raw.
    expect(md.slice(0, open)).not.toContain('<script>');
    expect(md.slice(close)).not.toContain('<script>');
  });
});
