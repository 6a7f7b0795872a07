/**
 * The pull-request comment tells the truth: a repository removed from the file is listed first,
 * saying whether it will be deleted or kept and how to stop managing it instead; `plan
 * --detailed-exitcode` exits 2 for a kept removal; `removed:` stops managing a repository without
 * deleting it; and a plan that fails writes a failure comment under the same marker. One
 * simulator, the CLI in-process.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotes } from '../../src/core/live/state.js';
import { runCli } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

let w: SimWorld;
let original: string;
beforeAll(async () => {
  w = await simulateTopology('federation.yaml');
  original = await readFile(w.file, 'utf8');
  const applied = await cli('apply', '--auto-approve', '--no-verify');
  expect(applied.code, applied.stderr).toBe(0);
});
afterAll(async () => {
  await w.stop();
});

const cli = (...argv: string[]) => runCli(argv, { env: w.env, cwd: w.dir });

async function editTopology(edit: (doc: ReturnType<typeof parseDocument>) => void): Promise<void> {
  const doc = parseDocument(original);
  edit(doc);
  await writeFile(w.file, doc.toString());
}

const withoutSnapshot = (doc: ReturnType<typeof parseDocument>): void => {
  doc.setIn(['federations', 0, 'repositories'], doc.createNode(['libs-release']));
};

async function hubRepo(key: string): Promise<{ notes?: string } | undefined> {
  const hub = w.sim.jpd('hub');
  const res = await fetch(`${hub.url}/artifactory/api/repositories/${key}`, {
    headers: { authorization: `Bearer ${hub.token}` },
  });
  return res.status === 200 ? ((await res.json()) as { notes?: string }) : undefined;
}

describe('a repository removed from the file', () => {
  it('is listed at the top of the comment as kept, and --detailed-exitcode exits 2', async () => {
    await editTopology(withoutSnapshot);
    const plan = await cli('plan', '--format', 'markdown', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    const lines = plan.stdout.split('\n');
    const removed = lines.indexOf('> **Removed from federation.yaml: 1 entry**');
    expect(removed).toBeGreaterThan(0);
    // Above the summary line and everything else the plan says.
    expect(removed).toBeLessThan(lines.findIndex((l) => l.startsWith('**No changes to apply')));
    expect(lines[removed + 1]).toBe(
      '> - `hub/libs-snapshot`: repository **kept**: this plan runs without `--allow-delete`, so apply leaves it, but a later `--allow-delete` run would delete it and all its artifacts. To stop managing it instead, list it under `removed:` in the file.',
    );
    const text = await cli('plan');
    expect(text.stdout).toContain(
      'No changes to apply, but the JPDs differ from the topology: 1 removed from it and kept (see "Left alone").',
    );
  });

  it('with --allow-delete, says it will be deleted', async () => {
    await editTopology(withoutSnapshot);
    const plan = await cli('plan', '--format', 'markdown', '--allow-delete');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(
      '> - `hub/libs-snapshot`: **will be deleted**: deletes the repository and all its artifacts on JPD hub (cannot be undone)',
    );
  });

  it('under removed:, apply drops the record only, and then the difference is gone', async () => {
    await editTopology((doc) => {
      withoutSnapshot(doc);
      doc.set('removed', doc.createNode([{ source: 'hub', repositories: ['libs-snapshot'] }]));
    });
    const plan = await cli('plan', '--format', 'markdown', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(
      "> - `hub/libs-snapshot`: **will no longer be managed** (`removed:`): fedctl's record is dropped; the repository, its members and artifacts stay",
    );
    const applied = await cli('apply', '--auto-approve', '--no-verify');
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(
      "~ stop managing repository hub/libs-snapshot (removes fedctl's record only; the repository, its members and artifacts stay)",
    );
    const repo = await hubRepo('libs-snapshot');
    expect(repo).toBeDefined();
    expect(parseNotes(repo?.notes).lastApplied).toBeUndefined();
    const again = await cli('plan', '--detailed-exitcode');
    expect(again.code, again.stdout).toBe(0);
    // Not fedctl's any more (the members' copies lost the record too): once the entry is gone
    // from the file, even --allow-delete leaves it alone.
    await editTopology(withoutSnapshot);
    const del = await cli('plan', '--allow-delete', '--detailed-exitcode');
    expect(del.code, del.stdout).toBe(0);
    for (const jpd of ['eu', 'hub', 'us']) {
      expect(del.stdout).toContain(
        `${jpd}/libs-snapshot: federated repository not in the topology; left alone`,
      );
    }
  });

  it('a repository both removed and declared is refused with its position', async () => {
    await editTopology((doc) => {
      doc.set('removed', doc.createNode([{ source: 'hub', repositories: ['libs-release'] }]));
    });
    const out = await cli('validate');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /federation\.yaml:\d+:\d+: repository "libs-release" on hub is both removed and declared in a federation; keep one/,
    );
  });
});

describe('a plan that fails', () => {
  it('writes a failure comment under the same marker, to stdout and to --markdown-out', async () => {
    await writeFile(w.file, original);
    w.sim.jpd('us').setOffline(true);
    try {
      const out = await runCli(['plan', '--format', 'markdown', '--markdown-out', 'comment.md'], {
        env: { ...w.env, FEDCTL_HTTP_RETRIES: '0' },
        cwd: w.dir,
      });
      expect(out.code).toBe(1);
      const comment = await readFile(join(w.dir, 'comment.md'), 'utf8');
      expect(out.stdout).toBe(comment);
      const lines = comment.split('\n');
      expect(lines.slice(0, 5)).toEqual([
        '<!-- fedctl:plan federation.yaml -->',
        '### fedctl plan failed',
        '',
        '> [!CAUTION]',
        '> **No plan: `fedctl plan --format markdown --markdown-out comment.md` failed.** This replaces the previous plan, which no longer says what merging would do.',
      ]);
      expect(comment).toMatch(/```text\nus: GET \/artifactory\/api\/repositories\/configurations/);
    } finally {
      w.sim.jpd('us').setOffline(false);
    }
  });

  it('an invalid topology: every issue line is in the comment', async () => {
    await writeFile(w.file, original.replace('token: ${EU_TOKEN}', 'token: ${EU_TOKEN'));
    const out = await cli('plan', '--markdown-out', 'comment.md');
    expect(out.code).toBe(1);
    const comment = await readFile(join(w.dir, 'comment.md'), 'utf8');
    expect(comment.split('\n', 1)[0]).toBe('<!-- fedctl:plan federation.yaml -->');
    expect(comment).toMatch(/```text\nfederation\.yaml:\d+:\d+: /);
    await writeFile(w.file, original);
  });
});
