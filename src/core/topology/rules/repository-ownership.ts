/**
 * Each (JPD, repository key) belongs to one federation. One walk claims every slot in file order,
 * and the three codes are the three ways a claim can meet an earlier one. They stay one rule so
 * that conflicts at the same position (a member's `jpd`, shared by every repository of its
 * federation) keep the walk's order whatever their codes.
 */
import type { SourceRef } from '../model.js';
import type { Finding, TopologyRule, YamlPath } from './types.js';

interface Slot {
  readonly jpd: string;
  readonly key: string;
  readonly role: 'source' | 'member';
  readonly source: string;
  readonly path: YamlPath;
  readonly at: SourceRef;
}

export const repositoryOwnership: TopologyRule = {
  meta: [
    {
      code: 'duplicate-repository',
      severity: 'error',
      description: 'The same repository key declared twice on one source.',
    },
    {
      code: 'repository-two-sources',
      severity: 'error',
      description: 'A member repository claimed by the federations of two sources.',
    },
    {
      code: 'federation-loop',
      severity: 'error',
      description:
        "A repository that is both a source and a member: a spoke feeding its hub's repository back.",
    },
  ],
  check({ model, at, where }) {
    const findings: Finding[] = [];
    const slots = new Map<string, Slot>();
    const claim = (slot: Slot): boolean => {
      // Keys compare case-insensitively, as in Artifactory.
      const id = `${slot.jpd}\u0000${slot.key.toLowerCase()}`;
      const prior = slots.get(id);
      if (prior === undefined) {
        slots.set(id, slot);
        return true;
      }
      findings.push({
        path: slot.path,
        code: conflictCode(prior, slot),
        message: conflict(prior, slot, where),
      });
      return false;
    };
    for (const fed of model.federations) {
      const source = fed.source;
      for (const repo of fed.repos) {
        const { key, keyPath: path } = repo;
        const owned = claim({ jpd: source, key, role: 'source', source, path, at: at(path) });
        // When the repository itself conflicts, its members would only repeat the same conflict.
        if (!owned) continue;
        for (const copy of repo.copies) {
          const { jpd } = copy.member;
          claim({ jpd, key: copy.key, role: 'member', source, path: copy.path, at: at(copy.path) });
        }
      }
    }
    return findings;
  },
};

function conflictCode(prior: Slot, next: Slot): string {
  if (prior.role === 'source' && next.role === 'source') return 'duplicate-repository';
  if (prior.role === 'member' && next.role === 'member') return 'repository-two-sources';
  return 'federation-loop';
}

function conflict(prior: Slot, next: Slot, where: (ref: SourceRef) => string): string {
  const repo = `repository "${next.key}" on "${next.jpd}"`;
  if (prior.role === 'source' && next.role === 'source') {
    return `${repo} is declared twice (first at ${where(prior.at)})`;
  }
  if (prior.role === 'member' && next.role === 'member') {
    return `${repo} is owned by two sources: "${prior.source}" (at ${where(prior.at)}) and "${next.source}"; a repository belongs to one federation`;
  }
  if (next.role === 'source') {
    return `${repo} is already a member of "${prior.source}"'s federation (at ${where(prior.at)}) and cannot also be the source of one: a spoke must not feed its hub's repository back`;
  }
  return `${repo} is the source of a federation (at ${where(prior.at)}) and cannot also be a member of "${next.source}"'s federation: a spoke must not feed its hub's repository back`;
}
