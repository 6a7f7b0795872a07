import type { Finding, TopologyRule } from './types.js';

export const duplicateUrl: TopologyRule = {
  meta: [
    {
      code: 'duplicate-url',
      severity: 'error',
      description: 'Two JPDs with the same (normalised, case-insensitive) URL.',
    },
  ],
  check({ model }) {
    const findings: Finding[] = [];
    // The latest JPD with each URL, so a third copy names the second.
    const byUrl = new Map<string, string>();
    for (const jpd of model.jpds) {
      const url = jpd.spec.url.toLowerCase();
      const other = byUrl.get(url);
      if (other !== undefined) {
        findings.push({
          path: [...jpd.path, 'url'],
          message: `JPD "${jpd.spec.name}" has the same URL as JPD "${other}"; declare each JPD once`,
        });
      }
      byUrl.set(url, jpd.spec.name);
    }
    return findings;
  },
};
