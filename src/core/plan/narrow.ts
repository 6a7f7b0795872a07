/**
 * `--only GLOB` and `--jpd NAME`: keep the actions that touch the named repositories or JPD, and
 * the pairings those actions depend on.
 */
import type { Action, NarrowOptions, Plan } from './model.js';

export type { NarrowOptions } from './model.js';

export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  // Repository keys are case-insensitive in Artifactory.
  return new RegExp(`^${body}$`, 'i');
}

export function narrowPlan(plan: Plan, options: NarrowOptions): Plan {
  if (options.only === undefined && options.jpd === undefined) return plan;
  const only = options.only === undefined ? undefined : globToRegExp(options.only);
  const touches = (a: Action): boolean => {
    if (a.type === 'establish-pairing') return false;
    const copy = a.type === 'set-project' || a.type === 'sync-configuration';
    // A copy's action is matched on its repository's (source) key, and on its own JPD or the source.
    if (only !== undefined && !only.test(copy ? a.of.repoKey : a.repoKey)) return false;
    if (options.jpd === undefined) return true;
    if (a.jpd === options.jpd) return true;
    if (copy) return a.of.jpd === options.jpd;
    if (a.type === 'create-repository') return a.members.some((m) => m.jpd === options.jpd);
    if (
      a.type === 'update-repository' ||
      a.type === 'delete-repository' ||
      a.type === 'forget-repository' ||
      a.type === 'adopt' ||
      a.type === 'convert-to-federated'
    ) {
      return false;
    }
    return a.member.jpd === options.jpd;
  };
  const kept = new Set(plan.actions.filter(touches));
  // Transitively: a member added after a conversion needs the conversion, which needs pairings.
  const byId = new Map(plan.actions.map((a) => [a.id, a]));
  const needed = new Set<string>();
  const queue = [...kept].flatMap((a) => a.dependsOn);
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (needed.has(id)) continue;
    needed.add(id);
    queue.push(...(byId.get(id)?.dependsOn ?? []));
  }
  // A Set, not kept.includes: a plan can hold 100k member actions.
  const actions = plan.actions.filter((a) => kept.has(a) || needed.has(a.id));
  const repos = new Set(
    [...kept].map((a) => (a.type === 'establish-pairing' ? '' : `${a.jpd}/${a.repoKey}`)),
  );
  return {
    ...plan,
    actions,
    changes: plan.changes.filter((c) => repos.has(`${c.jpd}/${c.repoKey}`)),
    unmanaged: plan.unmanaged.filter(
      (u) =>
        (only === undefined || only.test(u.repoKey)) &&
        (options.jpd === undefined || u.jpd === options.jpd),
    ),
  };
}
