/**
 * The plan's actions as apply's steps: one per pairing, one per repository written (every action
 * on one repository in one step), with the actions' dependencies mapped onto steps.
 */
import { InternalError } from '../../core/errors.js';
import type { Action, Plan } from '../../core/plan/plan.js';

/** `project` and `sync`: one copy's project and environments, or its configSync (core/plan/copies.ts). */
export type StepKind = 'pairing' | 'repository' | 'delete' | 'project' | 'sync';

export interface Step {
  readonly id: string;
  readonly kind: StepKind;
  /** The JPD the step writes to (the pairing's source for a pairing). */
  readonly jpd: string;
  readonly title: string;
  readonly actions: readonly Action[];
  readonly dependsOn: readonly string[];
}

/** Groups the plan's actions into steps and maps action dependencies onto step dependencies. */
export function planSteps(plan: Pick<Plan, 'actions'>): Step[] {
  const steps = new Map<string, { step: Omit<Step, 'dependsOn'>; actions: Action[] }>();
  const stepOf = new Map<string, string>();
  for (const a of plan.actions) {
    const [id, kind, jpd, title] = stepIdentity(a);
    const entry = steps.get(id) ?? { step: { id, kind, jpd, title, actions: [] }, actions: [] };
    entry.actions.push(a);
    steps.set(id, entry);
    stepOf.set(a.id, id);
  }
  return [...steps.values()].map(({ step, actions }) => ({
    ...step,
    actions,
    dependsOn: [
      ...new Set(
        actions
          .flatMap((a) => a.dependsOn)
          .map((d) => {
            const id = stepOf.get(d);
            // narrowPlan keeps every action a kept action depends on; a gap is a planner bug.
            if (id === undefined) throw new InternalError(`${d} is needed but not in the plan`);
            return id;
          })
          .filter((d) => d !== step.id),
      ),
    ],
  }));
}

/** A step's id, kind, JPD and title: one per pairing or deletion, one per copy written. */
function stepIdentity(a: Action): [string, StepKind, string, string] {
  switch (a.type) {
    case 'establish-pairing':
      return [a.id, 'pairing', a.source, `pairing ${a.source} -> ${a.target}`];
    case 'delete-repository':
      return [a.id, 'delete', a.jpd, `delete ${a.jpd}/${a.repoKey}`];
    case 'set-project':
      return [a.id, 'project', a.jpd, `${a.jpd}/${a.repoKey} project`];
    case 'sync-configuration':
      return [a.id, 'sync', a.jpd, `${a.jpd}/${a.repoKey} configSync`];
    default:
      return [`repo:${a.jpd}/${a.repoKey}`, 'repository', a.jpd, `${a.jpd}/${a.repoKey}`];
  }
}
