/**
 * What `--only` and `--jpd` leave in view. A narrowed plan that says "No changes" says nothing
 * about the repositories outside it, so every scoped run says how much it covers (Terraform
 * prints "Resource targeting is in effect" for the same reason).
 */
import { UsageError } from '../errors.js';
import { globToRegExp } from './narrow.js';
import type { NarrowOptions, PlanScope, Scope } from './model.js';
import type { Topology } from '../topology/model.js';

export type { PlanScope, Scope } from './model.js';

/**
 * The scope from values that may be undefined (parsed options, a request, a saved plan's
 * options): absent stays absent, so a scope compares and serialises the same wherever it is made.
 */
export function scopeOf(values: {
  readonly only?: string | undefined;
  readonly jpd?: string | undefined;
}): Scope {
  return {
    ...(values.only === undefined ? {} : { only: values.only }),
    ...(values.jpd === undefined ? {} : { jpd: values.jpd }),
  };
}

/** undefined when nothing narrows the plan. */
export function planScope(topology: Topology, options: NarrowOptions): PlanScope | undefined {
  const { only, jpd } = options;
  if (only === undefined && jpd === undefined) return undefined;
  const pattern = only === undefined ? undefined : globToRegExp(only);
  const covered = topology.repos.filter(
    (r) =>
      (pattern === undefined || pattern.test(r.key)) &&
      (jpd === undefined || r.source === jpd || r.members.some((m) => m.jpd === jpd)),
  );
  return {
    ...scopeOf(options),
    repositories: covered.length,
    total: topology.repos.length,
  };
}

/** `--only` that matches no declared repository is a mistake (a typo would hide all drift). */
export function checkOnly(topology: Topology, only: string | undefined, file: string): void {
  if (only === undefined) return;
  const pattern = globToRegExp(only);
  if (topology.repos.some((r) => pattern.test(r.key))) return;
  const n = topology.repos.length;
  throw new UsageError(
    `--only ${only}: matches none of the ${n} ${n === 1 ? 'repository' : 'repositories'} in ${file}`,
  );
}

export function scopeLine(scope: PlanScope): string {
  return `Targeting in effect: results cover ${scope.repositories} of ${scope.total} ${scope.total === 1 ? 'repository' : 'repositories'}`;
}
