/**
 * The plan as JSON for machines, and as the saved plan file that `apply plan.json` executes.
 * Described by schemas/plan.schema.json. `formatVersion` changes only when a field changes
 * meaning or disappears; new fields may appear without a bump.
 */
import type { PLAN_FORMAT_VERSION } from '../plan/plan.js';
import { deletionEffect } from './plan-text.js';
import type { PlanScope, Scope } from '../plan/scope.js';
import {
  summarize,
  type Action,
  type ActionType,
  type Conflict,
  type Plan,
  type RepoChange,
  type Unmanaged,
} from '../plan/plan.js';

export interface PlanSources {
  /**
   * The topology file as given on the command line, the SHA-256 of its bytes, and the SHA-256 of
   * the topology as parsed (core/plan/fingerprint.ts `canonicalTopology`), which is what apply checks:
   * a comment or layout edit does not make the plan stale.
   */
  readonly topology: {
    readonly file: string;
    readonly sha256: string;
    readonly parsedSha256?: string;
    /** The -f paths as given, which apply loads again. */
    readonly paths?: readonly string[];
    /** Every file of the topology with the SHA-256 of its bytes. */
    readonly files?: readonly { readonly file: string; readonly sha256: string }[];
  };
  /**
   * SHA-256 of the normalised live state of every resource the plan read (`<jpd>` for a JPD's
   * federated repositories, `<jpd>/<repoKey>` per repository), so that apply can refuse a plan
   * whose world has moved.
   */
  readonly fingerprints: Readonly<Record<string, string>>;
  readonly options: Scope & { readonly allowDelete: boolean };
  /** The variables the topology used, with their values (never a token). */
  readonly variables?: Readonly<Record<string, string>>;
}

export interface PlanDocument {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly summary: Readonly<Record<ActionType | 'total', number>> & { readonly drift: number };
  readonly actions: readonly Action[];
  readonly changes: readonly RepoChange[];
  readonly unmanaged: readonly Unmanaged[];
  readonly conflicts: readonly Conflict[];
  readonly scope?: PlanScope;
  /** The repositories the plan deletes, listed apart because nothing brings them back. */
  readonly deletions?: readonly {
    readonly jpd: string;
    readonly repoKey: string;
    readonly effect: string;
  }[];
  readonly topology?: PlanSources['topology'];
  readonly fingerprints?: PlanSources['fingerprints'];
  readonly options?: PlanSources['options'];
  readonly variables?: PlanSources['variables'];
}

export function planDocument(plan: Plan, sources?: PlanSources): PlanDocument {
  return {
    formatVersion: plan.formatVersion,
    summary: { ...summarize(plan), drift: plan.actions.filter((a) => a.cause === 'drift').length },
    actions: plan.actions,
    changes: plan.changes,
    unmanaged: plan.unmanaged,
    conflicts: plan.conflicts,
    ...(plan.scope === undefined ? {} : { scope: plan.scope }),
    deletions: plan.actions.flatMap((a) =>
      a.type === 'delete-repository'
        ? [{ jpd: a.jpd, repoKey: a.repoKey, effect: deletionEffect(a) }]
        : [],
    ),
    ...(sources === undefined ? {} : sources),
  };
}

/** Stable output: keys in a fixed order, two-space indentation, trailing newline. */
export function renderPlanJson(plan: Plan, sources?: PlanSources): string {
  return `${JSON.stringify(planDocument(plan, sources), null, 2)}\n`;
}
