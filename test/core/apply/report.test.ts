/**
 * What apply says when its steps are done. An interrupt on a large plan is summarised per JPD
 * (counts and the first few repositories), not listed one action per line.
 */
import { describe, expect, it } from 'vitest';
import { renderOutcomes, type Outcome } from '../../../src/core/apply/report.js';
import type { Action } from '../../../src/core/plan/plan.js';

const create = (jpd: string, key: string): Action => ({
  type: 'create-repository',
  id: `create:${jpd}/${key}`,
  cause: 'topology',
  dependsOn: [],
  jpd,
  repoKey: key,
  packageType: 'generic',
  members: [],
});

describe('renderOutcomes', () => {
  it('summarises 200 unstarted actions in one line per JPD, with the first keys', () => {
    const outcomes: Outcome[] = [
      { status: 'applied', action: create('hub', 'libs-000') },
      ...Array.from({ length: 150 }, (_, i): Outcome => ({
        status: 'interrupted',
        action: create('hub', `libs-${String(i + 1).padStart(3, '0')}`),
      })),
      ...Array.from({ length: 49 }, (_, i): Outcome => ({
        status: 'interrupted',
        action: create('eu', `eu-${String(i).padStart(2, '0')}`),
      })),
      { status: 'failed', action: create('us', 'broken'), error: 'us: PUT ... -> 500' },
    ];
    const { text, ok } = renderOutcomes(outcomes, 'SIGINT');
    expect(ok).toBe(false);
    expect(text.split('\n')).toEqual([
      'Apply: 1 applied, 1 failed, 0 skipped, 199 interrupted.',
      '  failed:  us/broken: repository us/broken (generic, -1 members): us: PUT ... -> 500',
      '  not started on eu: 49 actions (eu-00, eu-01, eu-02, and 46 more)',
      '  not started on hub: 150 actions (libs-001, libs-002, libs-003, and 147 more)',
      'Interrupted by SIGINT: the steps in flight finished; the rest did not start. Run fedctl apply again to continue from where this run stopped.',
      '',
    ]);
  });
});
