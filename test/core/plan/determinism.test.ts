/**
 * Determinism is a promise of the plan: the same topology and live state give
 * byte-identical text and JSON, in an order that does not depend on the machine's locale or on
 * the order things were declared or listed in.
 */
import { describe, expect, it } from 'vitest';
import type { LiveRepo, LiveState } from '../../../src/core/live/state.js';
import { computePlan, type Plan } from '../../../src/core/plan/plan.js';
import { renderPlanJson } from '../../../src/core/render/plan-json.js';
import { renderPlanText } from '../../../src/core/render/plan-text.js';
import { compareCodeUnits } from '../../../src/core/topology/model.js';
import { topologyFrom } from '../../support/topology.js';

/** A topology whose names sort differently by code unit and by locale. */
function yaml(order: 'as-written' | 'reversed'): string {
  const jpds = ['Zeta', 'alpha', 'Beta', 'hub'];
  const keys = ['Zulu', 'éclair', 'apple', 'f', 'Ärger'];
  const members = ['alpha', 'Beta', 'Zeta'];
  const flip = <T>(xs: readonly T[]): T[] => (order === 'reversed' ? [...xs].reverse() : [...xs]);
  return [
    'version: 1',
    'defaults: { packageType: generic, mode: receiver }',
    'jpds:',
    ...flip(jpds).map(
      (j) => `  ${j}: { url: "https://${j.toLowerCase()}.example.com", token: "\${T}" }`,
    ),
    'trust:',
    ...flip(members).map((m) => `  - { source: hub, target: ${m} }`),
    'federations:',
    '  - source: hub',
    `    repositories: [${flip(keys)
      .map((k) => JSON.stringify(k))
      .join(', ')}]`,
    '    members:',
    ...flip(members).map((m) => `      - { jpd: ${m} }`),
    '',
  ].join('\n');
}

const render = (plan: Plan): string =>
  `${renderPlanText(plan, { color: false })}\n${renderPlanJson(plan)}`;

describe('determinism', () => {
  it('sorts JPD names and repository keys by code unit, not by locale', () => {
    const topology = topologyFrom(yaml('as-written'));
    const plan = computePlan(topology, { jpds: {} }, { allowDelete: false });
    const creates = plan.actions.filter((a) => a.type === 'create-repository');
    // By code unit, upper case comes before lower case and accented letters come last; a locale
    // sort would give apple, Ärger, éclair, f, Zulu.
    expect(creates.map((a) => a.repoKey)).toEqual(['Zulu', 'apple', 'f', 'Ärger', 'éclair']);
    expect(plan.changes.map((c) => c.repoKey)).toEqual(['Zulu', 'apple', 'f', 'Ärger', 'éclair']);
    expect(topology.jpds.map((j) => j.name)).toEqual(['Beta', 'Zeta', 'alpha', 'hub']);
    const pairings = plan.actions.filter((a) => a.type === 'establish-pairing');
    expect(pairings.map((a) => a.target)).toEqual(['Beta', 'Zeta', 'alpha']);
    const members = creates[0]?.type === 'create-repository' ? creates[0].members : [];
    expect(members.map((m) => m.jpd)).toEqual(['alpha', 'Beta', 'hub', 'Zeta']);
    expect(compareCodeUnits('Z', 'a')).toBeLessThan(0);
  });

  it('puts every establish-pairing before every action that depends on it', () => {
    // The pairing's target (zz-spoke) sorts after the repository key (aaa) and the member JPD
    // names: only the explicit pairings-first order keeps the pairing ahead.
    const topology = topologyFrom(`version: 1
defaults: { packageType: generic, mode: receiver }
jpds:
  hub: { url: "https://hub.example.com", token: "\${T}" }
  zz-spoke: { url: "https://zz.example.com", token: "\${T}" }
  a-spoke: { url: "https://a.example.com", token: "\${T}" }
trust:
  - { source: hub, target: zz-spoke }
  - { source: hub, target: a-spoke }
federations:
  - source: hub
    repositories: [aaa, zzz]
    members: [{ jpd: zz-spoke }, { jpd: a-spoke }]
  - source: zz-spoke
    repositories: [b]
    members: [{ jpd: a-spoke, mode: bidirectional }]
`);
    const plan = computePlan(topology, { jpds: {} }, { allowDelete: false });
    const position = new Map(plan.actions.map((a, i) => [a.id, i]));
    const dependent = plan.actions.filter((a) => a.dependsOn.length > 0);
    expect(dependent.length).toBeGreaterThan(0);
    for (const action of dependent) {
      for (const dep of action.dependsOn) {
        expect(position.get(dep), `${dep} before ${action.id}`).toBeLessThan(
          position.get(action.id) ?? -1,
        );
      }
    }
  });

  it('gives byte-identical text and JSON whatever order the inputs come in', () => {
    const a = topologyFrom(yaml('as-written'));
    const b = topologyFrom(yaml('reversed'));
    const url = (jpd: string, key: string): string =>
      `https://${jpd.toLowerCase()}.example.com/artifactory/${key}`;
    const repo = (key: string, members: string[]): LiveRepo => ({
      key,
      packageType: 'generic',
      members: members.map((j) => ({ url: url(j, key), mode: 'receiver', enabled: true })),
    });
    const liveIn = (reverse: boolean): LiveState => {
      const flip = <T>(xs: T[]): T[] => (reverse ? [...xs].reverse() : xs);
      const repos = flip([
        repo('éclair', flip(['hub', 'alpha', 'Beta'])),
        repo('Zulu', flip(['hub', 'Zeta'])),
        repo('stray', flip(['hub', 'alpha'])),
        repo('Other', flip(['hub', 'Beta'])),
      ]);
      return {
        jpds: Object.fromEntries(
          flip(['hub', 'alpha', 'Beta', 'Zeta']).map((name) => [
            name,
            { name, repos: name === 'hub' ? repos : [], otherRepos: [] },
          ]),
        ),
      };
    };
    const one = render(computePlan(a, liveIn(false), { allowDelete: false }));
    const two = render(computePlan(b, liveIn(true), { allowDelete: false }));
    expect(one).toContain('Left alone');
    expect(two).toBe(one);
  });
});
