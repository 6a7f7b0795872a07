import { describe, expect, it } from 'vitest';
import { planChunks, versionAtLeast } from '../../../src/io/apply/batch.js';
import type { Step } from '../../../src/io/apply/steps.js';

describe('versionAtLeast', () => {
  it.each([
    ['7.84.3', true],
    ['7.84.10', true],
    ['7.117.5', true],
    ['8.0', true],
    ['7.84.2', false],
    ['7.9.100', false],
    ['7.84', false],
    ['7.84.3-rc1', true],
    ['unknown', false],
  ])('%s >= 7.84.3: %s', (version, expected) => {
    expect(versionAtLeast(version, '7.84.3')).toBe(expected);
  });
});

const create = (jpd: string, key: string, dependsOn: string[] = []): Step => ({
  id: `repo:${jpd}/${key}`,
  kind: 'repository',
  jpd,
  title: `${jpd}/${key}`,
  dependsOn,
  actions: [
    {
      type: 'create-repository',
      id: `create:${jpd}/${key}`,
      cause: 'topology',
      dependsOn: [],
      jpd,
      repoKey: key,
      packageType: 'generic',
      members: [],
    },
  ],
});

describe('planChunks', () => {
  it('chunks the creates of batch JPDs by JPD and dependencies; a lone create stays alone', () => {
    const steps = [
      create('hub', 'a'),
      create('hub', 'b', ['pairing:hub->eu']),
      create('hub', 'c'),
      create('hub', 'd'),
      create('hub', 'e', ['pairing:hub->eu']),
      create('lab', 'f'),
      create('lab', 'g'),
      create('old', 'h'),
    ];
    const chunks = planChunks(steps, 2, new Set(['hub', 'lab']));
    expect(chunks.map((c) => [c.jpd, c.steps.map((s) => s.title), c.dependsOn])).toEqual([
      ['hub', ['hub/a', 'hub/c'], []],
      ['hub', ['hub/b', 'hub/e'], ['pairing:hub->eu']],
      ['lab', ['lab/f', 'lab/g'], []],
    ]);
  });
});
