import { compareCodeUnits } from '../model.js';
import type { Finding, TopologyRule, YamlPath } from './types.js';

export const undeclaredJpd: TopologyRule = {
  meta: [
    {
      code: 'undeclared-jpd',
      severity: 'error',
      description: 'A pairing, federation source or member names a JPD not declared under jpds.',
    },
  ],
  check({ file, model }) {
    const known = [...model.declared].sort(compareCodeUnits).join(', ');
    const report = (path: YamlPath, role: string, name: string): Finding => ({
      path,
      message: `${role} "${name}" is not declared under jpds (declared: ${known === '' ? 'none' : known})`,
    });
    const findings: Finding[] = [];
    for (const [i, p] of (file.trust ?? []).entries()) {
      // One report per pairing: its target is looked at only when its source is declared.
      if (!model.declared.has(p.source)) {
        findings.push(report(['trust', i, 'source'], 'trust source', p.source));
      } else if (!model.declared.has(p.target)) {
        findings.push(report(['trust', i, 'target'], 'trust target', p.target));
      }
    }
    for (const fed of model.federations) {
      if (!fed.sourceDeclared) {
        findings.push(report([...fed.path, 'source'], 'federation source', fed.source));
      }
      for (const m of fed.members) {
        if (m.status === 'undeclared') findings.push(report([...m.path, 'jpd'], 'member', m.jpd));
      }
    }
    return findings;
  },
};
