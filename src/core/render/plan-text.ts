/**
 * The plan for a person at a terminal: `+` create, `~` change, `-` remove, member lists as a
 * unified diff, and a one-line summary that scripts may rely on (treat it as a contract).
 */
import { diffArrays } from 'diff';
import type { Action, DeleteRepository, MemberTarget, Plan, RepoChange } from '../plan/plan.js';
import { assertNever, summarize } from '../plan/plan.js';
import { safeText } from '../safe-text.js';

export interface TextOptions {
  /** ANSI colours; the caller decides (TTY and no NO_COLOR). */
  readonly color: boolean;
}

const ANSI = { green: '32', yellow: '33', red: '31', cyan: '36', dim: '2', bold: '1' } as const;
type Colour = keyof typeof ANSI;

export function renderPlanText(plan: Plan, options: TextOptions): string {
  const paint: Paint = (colour, text) =>
    options.color ? `\u001b[${ANSI[colour]}m${text}\u001b[0m` : text;
  const drift = (a: Action): string => driftMark(a, paint);
  const out: string[] = [];

  if (plan.actions.length > 0) {
    const legend = plan.actions.some((a) => a.cause === 'drift')
      ? `; ${paint('cyan', '[drift]')} undoes a change made on a JPD outside fedctl`
      : '';
    out.push(
      `fedctl will make these changes (${paint('green', '+')} create, ${paint('yellow', '~')} change, ${paint('red', '-')} remove${legend}):`,
      '',
    );
    for (const a of plan.actions.filter((x) => x.type === 'establish-pairing')) {
      out.push(`${paint('green', '+')} ${describeAction(a)}${drift(a)}`);
    }
    if (out.length > 2) out.push('');
    const byRepo = new Map<string, Action[]>();
    for (const a of plan.actions) {
      if (a.type === 'establish-pairing') continue;
      if (a.type === 'set-project' || a.type === 'sync-configuration') continue;
      const key = `${a.jpd}/${a.repoKey}`;
      const list = byRepo.get(key);
      if (list === undefined) byRepo.set(key, [a]);
      else list.push(a);
    }
    for (const change of plan.changes) {
      // A loop, not push(...lines): a spread of 100k+ lines overflows the stack.
      for (const line of renderChange(
        byRepo.get(`${change.jpd}/${change.repoKey}`) ?? [],
        change,
        paint,
      )) {
        out.push(line);
      }
      out.push('');
    }
    // An adoption or a forget changes no member, so it has no member list to show.
    for (const a of plan.actions.filter(
      (x) => x.type === 'adopt' || x.type === 'forget-repository',
    )) {
      out.push(`${paint('yellow', '~')} ${describeAction(a)}`, '');
    }
    // Each copy's own settings, written on its own JPD.
    const copies = plan.actions.filter(
      (x) => x.type === 'set-project' || x.type === 'sync-configuration',
    );
    for (const a of copies) out.push(`${paint('yellow', '~')} ${describeAction(a)}${drift(a)}`);
    if (copies.length > 0) out.push('');
    const deletions = plan.actions.filter((x) => x.type === 'delete-repository');
    if (deletions.length > 0) {
      out.push(paint('red', 'Deletions (cannot be undone):'));
      for (const a of deletions) {
        out.push(`${paint('red', '-')} ${a.jpd}/${a.repoKey}: ${deletionEffect(a)}`);
      }
      out.push('');
    }
  }

  if (plan.unmanaged.length > 0) {
    out.push('Left alone (live, but not managed by this topology):');
    for (const u of plan.unmanaged) {
      // Keys, URLs and reasons come from a JPD: shown, never interpreted.
      const member = u.memberUrl === undefined ? '' : ` member ${u.memberUrl}`;
      out.push(`  ${safeText(`${u.jpd}/${u.repoKey}${member}: ${u.reason}`)}`);
    }
    out.push('');
  }

  out.push(summaryLine(plan));
  const driftCount = plan.actions.filter((a) => a.cause === 'drift').length;
  if (driftCount > 0) {
    out.push(
      paint(
        'cyan',
        `Drift: ${driftCount} of these ${driftCount === 1 ? 'changes undoes an edit' : 'changes undo edits'} made on a JPD outside fedctl.`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

type Paint = (colour: Colour, text: string) => string;

function driftMark(a: Action, paint: Paint): string {
  return a.cause === 'drift' ? ` ${paint('cyan', '[drift]')}` : '';
}

/** One repository: its actions, then its member list before and after as a unified diff. */
function renderChange(mine: readonly Action[], change: RepoChange, colour: Paint): string[] {
  const drift = (a: Action): string => driftMark(a, colour);
  const create = mine.find((a) => a.type === 'create-repository');
  const lines: string[] = [];
  if (create !== undefined) {
    lines.push(`${colour('green', '+')} ${describeAction(create)}${drift(create)}`);
  } else {
    lines.push(
      `${colour('yellow', '~')} repository ${safeText(`${change.jpd}/${change.repoKey}`)}`,
    );
    for (const a of mine) {
      const sign =
        a.type === 'remove-member'
          ? colour('red', '-')
          : a.type === 'add-member'
            ? colour('green', '+')
            : colour('yellow', '~');
      lines.push(`    ${sign} ${describeAction(a)}${drift(a)}`);
    }
  }
  lines.push('    members:');
  const before = change.before ?? [];
  let width = 0;
  for (const m of before) width = Math.max(width, safeText(m.url).length);
  for (const m of change.after) width = Math.max(width, safeText(m.url).length);
  const memberLines = (ms: readonly MemberTarget[]): string[] =>
    ms.map((m) => memberLine(m, width));
  for (const [sign, line] of memberDiff(memberLines(before), memberLines(change.after))) {
    const text = `    ${sign}${line}`;
    lines.push(sign === '+' ? colour('green', text) : sign === '-' ? colour('red', text) : text);
  }
  return lines;
}

type DiffSign = ' ' | '-' | '+';

/**
 * Beyond this many differing lines the member lists are shown as all removed, then all added: the
 * `diff` package's Myers diff costs O((N+M)·D), so a live list of 100,000 members someone pasted in
 * must not cost minutes. Below it the diff is minimal, as before.
 */
const MAX_MEMBER_EDITS = 256;

/** The member lists as a unified diff of their lines (`diff`'s array diff). */
function memberDiff(before: readonly string[], after: readonly string[]): [DiffSign, string][] {
  const parts = diffArrays([...before], [...after], { maxEditLength: MAX_MEMBER_EDITS }) ?? [
    { removed: true, added: false, value: [...before] },
    { removed: false, added: true, value: [...after] },
  ];
  const out: [DiffSign, string][] = [];
  for (const part of parts) {
    const sign: DiffSign = part.added ? '+' : part.removed ? '-' : ' ';
    for (const line of part.value) out.push([sign, line]);
  }
  return out;
}

/** `<url>  <mode>  [jpd]`, URLs padded so the modes line up. */
function memberLine(m: MemberTarget, width: number): string {
  const mode = `${m.mode}${m.enabled ? '' : ' (disabled)'}`;
  const jpd = m.jpd === undefined ? mode : `${mode.padEnd(24)}[${safeText(m.jpd)}]`;
  return `${safeText(m.url).padEnd(width)}  ${jpd}`;
}

/** One line per action; every name, key, URL and description in it made safe for a terminal. */
export function describeAction(a: Action): string {
  return safeText(describeRaw(a));
}

function describeRaw(a: Action): string {
  switch (a.type) {
    case 'establish-pairing':
      return `pairing ${a.source} -> ${a.target} (${a.receivingOnly ? 'receiving-only token, /federated-repo/r' : 'full-permission token, /federated-repo/*'})`;
    case 'create-repository':
      return `repository ${a.jpd}/${a.repoKey} (${a.packageType}, ${a.members.length - 1} ${a.members.length === 2 ? 'member' : 'members'})`;
    case 'add-member':
      return `add member ${memberName(a.member)} as ${a.member.mode}`;
    case 'set-member-mode':
      return `member ${memberName(a.member)}: mode ${a.from} -> ${a.member.mode}`;
    case 'enable-member':
      return `enable member ${memberName(a.member)}`;
    case 'disable-member':
      return `disable member ${memberName(a.member)} (its federation traffic is held)`;
    case 'update-repository':
      return [
        ...(a.description === undefined
          ? []
          : [
              `description ${JSON.stringify(a.description.from)} -> ${JSON.stringify(a.description.to)}`,
            ]),
        ...(a.protect === undefined
          ? []
          : [a.protect.to ? 'protect: never delete it' : 'protect: off (it may then be deleted)']),
      ].join('; ');
    case 'remove-member':
      return `remove member ${memberName(a.member)}`;
    case 'delete-repository':
      return `delete repository ${a.jpd}/${a.repoKey} and all its artifacts`;
    case 'adopt':
      return `adopt repository ${a.jpd}/${a.repoKey} (writes fedctl's record only; members unchanged)`;
    case 'forget-repository':
      return `stop managing repository ${a.jpd}/${a.repoKey} (removes fedctl's record only; the repository, its members and artifacts stay)`;
    case 'convert-to-federated':
      return `convert local repository ${a.jpd}/${a.repoKey} to federated (POST /artifactory/api/federation/migrate/${a.repoKey}; artifacts kept)`;
    case 'set-project':
      return `${a.jpd}/${a.repoKey}${a.jpd === a.of.jpd ? '' : ` (copy of ${a.of.jpd}/${a.of.repoKey})`}: ${[
        ...(a.project === undefined
          ? []
          : [`project ${a.project.from ?? '(none)'} -> ${a.project.to}`]),
        ...(a.environments === undefined
          ? []
          : [
              `environments [${a.environments.from.join(', ')}] -> [${a.environments.to.join(', ')}]`,
            ]),
      ].join('; ')}${a.awaitCopy === true ? ' (once federation has created the copy)' : ''}`;
    case 'sync-configuration':
      return `${a.jpd}/${a.repoKey}${a.jpd === a.of.jpd ? '' : ` (copy of ${a.of.jpd}/${a.of.repoKey})`}: configuration differs from a member's (inconsistentRepos); configSync pushes it again`;
    default:
      return assertNever(a);
  }
}

/** What a deletion destroys, said the same way in text, JSON and markdown. */
export function deletionEffect(a: Pick<DeleteRepository, 'jpd'>): string {
  return `deletes the repository and all its artifacts on JPD ${a.jpd}`;
}

function memberName(m: MemberTarget): string {
  return m.jpd ?? m.url;
}

/**
 * `Plan: 1 pairing, 2 repositories to create, 1 to change (3 member changes), 0 to delete.`, or
 * `No changes. The JPDs match the topology.` Repositories are counted, not actions: a repository
 * with three member changes is one repository to change (the README makes this line a contract).
 */
export function summaryLine(
  plan: Pick<Plan, 'actions'> & Partial<Pick<Plan, 'unmanaged'>>,
): string {
  const c = summarize(plan);
  const kept = (plan.unmanaged ?? []).filter((u) => u.removedFromTopology === true).length;
  if (c.total === 0 && kept > 0) {
    return `No changes to apply, but the JPDs differ from the topology: ${kept} removed from it and kept (see "Left alone").`;
  }
  if (c.total === 0) return 'No changes. The JPDs match the topology.';
  const changed = new Set<string>();
  for (const a of plan.actions) {
    if (a.type === 'establish-pairing' || a.type === 'create-repository') continue;
    if (a.type === 'delete-repository' || a.type === 'adopt' || a.type === 'forget-repository') {
      continue;
    }
    if (a.type === 'set-project' || a.type === 'sync-configuration') continue;
    changed.add(`${a.jpd}\u0000${a.repoKey}`);
  }
  const members =
    c['add-member'] +
    c['set-member-mode'] +
    c['enable-member'] +
    c['disable-member'] +
    c['remove-member'];
  const count = (n: number, one: string, many = `${one}s`): string =>
    `${n} ${n === 1 ? one : many}`;
  // Appended, and only when there is one, so the line scripts already parse keeps its shape.
  const adopt =
    (c.adopt === 0 ? '' : `, ${c.adopt} to adopt`) +
    (c['set-project'] === 0 ? '' : `, ${count(c['set-project'], 'copy', 'copies')} to assign`) +
    (c['sync-configuration'] === 0
      ? ''
      : `, ${count(c['sync-configuration'], 'configuration')} to sync`);
  const forget = c['forget-repository'] === 0 ? '' : `, ${c['forget-repository']} to stop managing`;
  return (
    `Plan: ${count(c['establish-pairing'], 'pairing')}, ` +
    `${count(c['create-repository'], 'repository', 'repositories')} to create, ` +
    `${changed.size} to change${members === 0 ? '' : ` (${count(members, 'member change')})`}, ` +
    `${c['delete-repository']} to delete${adopt}${forget}.`
  );
}
