/**
 * The findings of one repository, from the plan's actions and from fedctl's record: what
 * core/drift/drift.ts assembles. See there for what counts as drift, pending and a stale record.
 */
import { normalizeMemberUrl, type LiveRepo } from '../live/state.js';
import type { Action, ActionType } from '../plan/plan.js';
import { describeAction } from '../render/plan-text.js';
import {
  compareCodeUnits,
  findJpd,
  memberUrl,
  type RepoSpec,
  type Topology,
} from '../topology/model.js';

/** One live value that differs from fedctl's record. */
export interface DriftFinding {
  /** The member's JPD (or its URL when no topology JPD has it); absent for the repository. */
  readonly member?: string;
  readonly field:
    'repository' | 'member' | 'mode' | 'enabled' | 'project' | 'environments' | 'configuration';
  /** What fedctl last applied. */
  readonly recorded: string;
  /** What the JPD has now. */
  readonly live: string;
  /** What the topology declares. */
  readonly wanted: string;
  /** The plan action that undoes it; absent when no action can. */
  readonly actionId?: string;
  readonly message: string;
}

/** One topology change not applied yet. */
export interface PendingFinding {
  /** The plan action that applies it; absent when fedctl has no action for it. */
  readonly actionId?: string;
  readonly type?: ActionType;
  readonly message: string;
}

/** Live differs from the record, but matches the topology: not a finding. */
export interface StaleRecord {
  readonly jpd: string;
  readonly repoKey: string;
  readonly member: string;
  readonly field: 'member' | 'mode' | 'enabled';
  readonly recorded: string;
  readonly live: string;
}

function memberName(a: Action): string | undefined {
  if (
    a.type === 'add-member' ||
    a.type === 'set-member-mode' ||
    a.type === 'enable-member' ||
    a.type === 'disable-member'
  ) {
    return a.member.jpd ?? a.member.url;
  }
  return undefined;
}

export function driftOf(a: Action, existing: LiveRepo | undefined): DriftFinding {
  const recordOf = (url: string) =>
    existing?.lastApplied?.members[normalizeMemberUrl(url)] ?? undefined;
  switch (a.type) {
    case 'set-member-mode': {
      const recorded = recordOf(a.member.url)?.mode ?? a.member.mode;
      return {
        member: memberName(a) ?? a.member.url,
        field: 'mode',
        recorded,
        live: a.from,
        wanted: a.member.mode,
        actionId: a.id,
        message: `member ${memberName(a) ?? a.member.url}: mode is ${a.from} on the JPD; fedctl applied ${recorded}`,
      };
    }
    case 'disable-member':
    case 'enable-member': {
      // The action puts back what fedctl applied: the live value is the other one.
      const [recorded, live] =
        a.type === 'enable-member' ? ['enabled', 'disabled'] : ['disabled', 'enabled'];
      return {
        member: memberName(a) ?? a.member.url,
        field: 'enabled',
        recorded,
        live,
        wanted: recorded,
        actionId: a.id,
        message: `member ${memberName(a) ?? a.member.url}: ${live} on the JPD; fedctl applied it ${recorded}`,
      };
    }
    case 'add-member':
      return {
        member: memberName(a) ?? a.member.url,
        field: 'member',
        recorded: 'member',
        live: 'absent',
        wanted: `member as ${a.member.mode}`,
        actionId: a.id,
        message: `member ${memberName(a) ?? a.member.url}: removed on the JPD; fedctl added it as ${a.member.mode}`,
      };
    case 'set-project': {
      const project = a.project !== undefined;
      const envs = (list: readonly string[] | undefined): string => `[${(list ?? []).join(', ')}]`;
      const live =
        a.project !== undefined ? (a.project.from ?? '(none)') : envs(a.environments?.from);
      const wanted = a.project !== undefined ? a.project.to : envs(a.environments?.to);
      return {
        member: a.jpd,
        field: project ? 'project' : 'environments',
        recorded: wanted,
        live,
        wanted,
        actionId: a.id,
        message: `${a.jpd}/${a.repoKey}: ${project ? 'project' : 'environments'} ${live} on the JPD; the source and the topology have ${wanted}`,
      };
    }
    case 'sync-configuration':
      return {
        member: a.jpd,
        field: 'configuration',
        recorded: 'consistent',
        live: 'inconsistent',
        wanted: 'consistent',
        actionId: a.id,
        message: `${a.jpd}/${a.repoKey}: its configuration differs from a member's (listed by inconsistentRepos); apply runs configSync`,
      };
    case 'create-repository':
      return {
        field: 'repository',
        recorded: 'present',
        live: 'absent',
        wanted: 'present',
        actionId: a.id,
        message: `repository deleted on ${a.jpd}; its members still name it fedctl's source`,
      };
    default:
      return {
        field: 'repository',
        recorded: 'as applied',
        live: 'changed',
        wanted: 'as applied',
        actionId: a.id,
        message: describeAction(a),
      };
  }
}

export function pendingOf(
  repoActions: readonly Action[],
  byId: ReadonlyMap<string, Action>,
): PendingFinding[] {
  const ids = new Set<string>();
  for (const a of repoActions) {
    for (const dep of a.dependsOn) {
      if (byId.get(dep)?.type === 'establish-pairing') ids.add(dep);
    }
  }
  const pairings = [...ids].sort(compareCodeUnits).flatMap((id) => {
    const a = byId.get(id);
    return a === undefined ? [] : [a];
  });
  return [...pairings, ...repoActions.filter((a) => a.cause === 'topology')].map((a) => ({
    actionId: a.id,
    type: a.type,
    message: describeAction(a),
  }));
}

export interface Compared {
  readonly drift: DriftFinding[];
  readonly pending: PendingFinding[];
  readonly stale: StaleRecord[];
}

/** Record-vs-live and topology-vs-live differences that no action of the plan carries. */
export function compareRecord(
  topology: Topology,
  spec: RepoSpec,
  existing: LiveRepo | undefined,
  repoActions: readonly Action[],
  jpd: string | undefined,
): Compared {
  const out: Compared = { drift: [], pending: [], stale: [] };
  if (existing === undefined) return out;
  const urlOf = (name: string, key: string): string =>
    normalizeMemberUrl(memberUrl(findJpd(topology, name)?.url ?? name, key));
  const carried = new Set(
    repoActions.flatMap((a) =>
      a.type === 'add-member' ||
      a.type === 'set-member-mode' ||
      a.type === 'enable-member' ||
      a.type === 'disable-member' ||
      a.type === 'remove-member'
        ? [`${normalizeMemberUrl(a.member.url)}:${a.type}`]
        : [],
    ),
  );
  const declared = new Map(spec.members.map((m) => [urlOf(m.jpd, m.repoKey), m]));
  const names = new Map([...declared].map(([url, m]) => [url, m.jpd]));
  const liveByUrl = new Map(existing.members.map((m) => [normalizeMemberUrl(m.url), m]));
  const recorded = existing.lastApplied?.members ?? {};
  for (const url of Object.keys(recorded).sort(compareCodeUnits)) {
    const rec = recorded[url];
    const want = declared.get(url);
    const name = names.get(url) ?? url;
    if (rec === undefined || url === urlOf(spec.source, spec.key)) continue;
    if (jpd !== undefined && jpd !== spec.source && name !== jpd) continue;
    const have = liveByUrl.get(url);
    const base = { jpd: spec.source, repoKey: spec.key, member: name };
    if (have === undefined) {
      if (want === undefined)
        out.stale.push({ ...base, field: 'member', recorded: 'member', live: 'absent' });
      continue; // declared: the plan adds it back (drift)
    }
    const fields = [
      {
        field: 'mode' as const,
        rec: rec.mode,
        live: have.mode,
        want: want?.mode,
        action: 'set-member-mode',
      },
      {
        field: 'enabled' as const,
        rec: rec.enabled ? 'enabled' : 'disabled',
        live: have.enabled ? 'enabled' : 'disabled',
        want: want === undefined ? undefined : want.enabled ? 'enabled' : 'disabled',
        action: have.enabled ? 'disable-member' : 'enable-member',
      },
    ];
    for (const f of fields) {
      if (f.rec === f.live || carried.has(`${url}:${f.action}`)) continue;
      if (f.want === undefined || f.want === f.live) {
        out.stale.push({ ...base, field: f.field, recorded: f.rec, live: f.live });
        continue;
      }
      out.drift.push({
        member: name,
        field: f.field,
        recorded: f.rec,
        live: f.live,
        wanted: f.want,
        message:
          f.field === 'enabled'
            ? `member ${name}: ${f.live} on the JPD; fedctl applied it ${f.rec}, and no plan action sets it back: change it on the JPD`
            : `member ${name}: ${f.field} is ${f.live} on the JPD; fedctl applied ${f.rec}, and no plan action sets it back: change it on the JPD`,
      });
    }
  }
  return out;
}
