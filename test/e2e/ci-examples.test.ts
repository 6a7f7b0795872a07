/**
 * The CI recipes in examples/ci/: every file parses as YAML, no step prints a token,
 * and every fedctl command line in them runs against simulated JPDs, through bash (redirections
 * included) with the compiled CLI on PATH, ending with the exit code the workflow relies on:
 * PR (validate, plan) -> merge (plan, apply the saved plan, re-plan) -> a stale saved plan refused
 * -> nightly drift clean (0), then after an edit on a JPD (2, JUnit failure).
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

const GITHUB = 'examples/ci/github';
const GITLAB = 'examples/ci/gitlab/.gitlab-ci.yml';
const githubFiles = readdirSync(GITHUB)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => join(GITHUB, f));

function load(file: string): unknown {
  const doc = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
  expect(doc.errors, `${file}: ${doc.errors.map((e) => e.message).join('; ')}`).toEqual([]);
  return doc.toJS() as unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The shell text of every step (`run:`) of a GitHub workflow. */
function githubScripts(workflow: unknown): string[] {
  if (!isRecord(workflow) || !isRecord(workflow['jobs'])) throw new Error('no jobs');
  return Object.values(workflow['jobs']).flatMap((job) => {
    if (!isRecord(job) || !Array.isArray(job['steps'])) throw new Error('a job without steps');
    return job['steps'].flatMap((s: unknown) =>
      isRecord(s) && typeof s['run'] === 'string' ? [s['run']] : [],
    );
  });
}

/** The shell text of every job's `before_script` and `script` of a GitLab pipeline. */
function gitlabScripts(pipeline: unknown): string[] {
  if (!isRecord(pipeline)) throw new Error('not a mapping');
  return Object.values(pipeline).flatMap((job) => {
    if (!isRecord(job)) return [];
    return ['before_script', 'script'].flatMap((k) => {
      const v = job[k];
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    });
  });
}

/** Lines that run fedctl, with `\` continuations joined. */
function fedctlLines(scripts: readonly string[]): string[] {
  return scripts
    .flatMap((s) => s.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((l) => l.trim())
    .filter((l) => /^fedctl\s/.test(l));
}

/** A shell or script line that would print a token variable, or every variable. */
const PRINTS_A_TOKEN =
  /\b(echo|printf)\b.*\$\{?\w*TOKEN|\bset -x\b|^\s*(env|printenv)\s*$|console\.\w+\(.*TOKEN/;

describe('examples/ci parse and keep tokens secret', () => {
  it.each([...githubFiles, GITLAB])('%s is YAML with no step that prints a token', (file) => {
    const data = load(file);
    const scripts = file === GITLAB ? gitlabScripts(data) : githubScripts(data);
    expect(scripts.length).toBeGreaterThan(0);
    for (const line of scripts.flatMap((s) => s.split('\n'))) {
      expect(line, `${file}: ${line}`).not.toMatch(PRINTS_A_TOKEN);
    }
    const text = readFileSync(file, 'utf8');
    if (file !== GITLAB) {
      // Tokens only from secrets, each into the variable of the same name.
      for (const m of text.matchAll(/(\w*TOKEN\w*):\s*(.+)/g)) {
        expect(m[2], m[0]).toBe(`\${{ secrets.${m[1] ?? ''} }}`);
      }
    }
  });

  it('each GitHub workflow has its trigger, and the PR comment finds its own by the marker', () => {
    const on = (f: string) => {
      const w = load(join(GITHUB, f));
      return isRecord(w) ? Object.keys(isRecord(w['on']) ? w['on'] : {}) : [];
    };
    expect(on('fedctl-pr.yml')).toEqual(['pull_request']);
    expect(on('fedctl-apply.yml')).toEqual(['push']);
    expect(on('fedctl-drift.yml')).toEqual(['schedule', 'workflow_dispatch']);
    expect(readFileSync(join(GITHUB, 'fedctl-pr.yml'), 'utf8')).toContain(
      'c.body?.startsWith(marker)',
    );
  });
});

let bin: string;
beforeAll(() => {
  // `fedctl` on PATH, as `node_modules/.bin` puts it in the workflows: the compiled CLI.
  bin = mkdtempSync(join(tmpdir(), 'fedctl-bin-'));
  const shim = join(bin, 'fedctl');
  writeFileSync(shim, `#!/bin/sh\nexec node ${JSON.stringify(resolve('bin/fedctl.js'))} "$@"\n`);
  chmodSync(shim, 0o755);
});
afterAll(() => {
  rmSync(bin, { recursive: true, force: true });
});

interface Step {
  readonly line: string;
  readonly code: number;
  /** Runs before the line (a change on a JPD, in the file). */
  readonly before?: (w: SimWorld) => Promise<void>;
  readonly check?: (w: SimWorld, out: { stdout: string; stderr: string }) => void;
}

/** Runs a line through bash; asynchronously, since the simulator serves from this process. */
function run(w: SimWorld, line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', line], {
      cwd: w.dir,
      env: {
        PATH: `${bin}:${process.env['PATH'] ?? ''}`,
        HOME: w.dir,
        NO_COLOR: '1',
        FEDCTL_HTTP_RETRIES: '1',
        FEDCTL_HTTP_RETRY_DELAY_MS: '20',
        ...w.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => {
      done({ code: code ?? -1, stdout, stderr });
    });
  });
}

async function disableEuMember(w: SimWorld): Promise<void> {
  const hub = w.sim.jpd('hub');
  const eu = w.sim.jpd('eu').url;
  const headers = { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' };
  const url = `${hub.url}/artifactory/api/repositories/libs-release`;
  const config = (await (await fetch(url, { headers })).json()) as {
    members: { url: string; enabled: boolean; mode?: string }[];
  };
  const members = config.members.map((m) => (m.url.startsWith(eu) ? { ...m, enabled: false } : m));
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ rclass: 'federated', members }),
  });
  expect(res.status).toBe(200);
}

async function editDescription(w: SimWorld): Promise<void> {
  const doc = parseDocument(readFileSync(w.file, 'utf8'));
  doc.setIn(['federations', 0, 'description'], 'Edited after the plan was saved');
  writeFileSync(w.file, doc.toString());
  await Promise.resolve();
}

const read = (w: SimWorld, f: string): string => readFileSync(join(w.dir, f), 'utf8');

/** The story every CI system tells; `lines` are its own command lines, by role. */
function story(lines: {
  validate: string;
  /** The SARIF log for code scanning, where a recipe uploads one. */
  sarif?: string;
  prPlan: string;
  mergePlan: string;
  apply: string;
  replan: string;
  drift: string;
}): Step[] {
  const sarif: Step[] =
    lines.sarif === undefined
      ? []
      : [
          {
            line: lines.sarif,
            code: 0,
            check: (w) => {
              expect(JSON.parse(read(w, 'fedctl.sarif'))).toMatchObject({ version: '2.1.0' });
            },
          },
        ];
  return [
    { line: lines.validate, code: 0 },
    ...sarif,
    {
      line: lines.prPlan,
      code: 0,
      check: (w) => {
        expect(read(w, 'plan.md').split('\n', 1)[0]).toBe('<!-- fedctl:plan federation.yaml -->');
        expect(existsSync(join(w.dir, 'plan.json'))).toBe(true);
      },
    },
    { line: lines.mergePlan, code: 0 },
    { line: lines.apply, code: 0 },
    { line: lines.replan, code: 0 },
    {
      line: lines.drift,
      code: 0,
      check: (w) => {
        expect(read(w, 'drift-junit.xml')).not.toContain('<failure');
      },
    },
    // A saved plan whose topology changed after it was made is refused, and changes nothing.
    { line: lines.mergePlan, code: 0 },
    {
      line: lines.apply,
      code: 1,
      before: editDescription,
      check: (_w, out) => {
        expect(out.stderr).toContain(
          'federation.yaml changed since plan.json was made; run fedctl plan again (nothing was changed)',
        );
      },
    },
    { line: lines.replan, code: 2 },
    // Nightly, after someone disabled a member on the hub.
    {
      line: lines.drift,
      code: 2,
      before: disableEuMember,
      check: (w) => {
        expect(read(w, 'drift-junit.xml')).toContain('type="drift,pending"');
        expect(read(w, 'drift-junit.xml')).toContain('member eu: disabled on the JPD');
      },
    },
  ];
}

describe.each([
  {
    name: 'GitHub Actions',
    lines: fedctlLines(githubFiles.flatMap((f) => githubScripts(load(f)))),
    steps: story({
      validate: 'fedctl validate -f federation.yaml',
      sarif: 'fedctl validate -f federation.yaml --format sarif > fedctl.sarif',
      prPlan: 'fedctl plan -f federation.yaml --out plan.json --format markdown > plan.md',
      mergePlan: 'fedctl plan -f federation.yaml --out plan.json',
      apply: 'fedctl apply plan.json --verify-timeout 10m',
      replan: 'fedctl plan -f federation.yaml --detailed-exitcode',
      drift: 'fedctl drift -f federation.yaml --junit drift-junit.xml --format markdown > drift.md',
    }),
  },
  {
    name: 'GitLab CI',
    lines: fedctlLines(gitlabScripts(load(GITLAB))),
    steps: story({
      validate: 'fedctl validate -f federation.yaml',
      prPlan: 'fedctl plan -f federation.yaml --out plan.json --format markdown > plan.md',
      mergePlan: 'fedctl plan -f federation.yaml --out plan.json --format markdown > plan.md',
      apply: 'fedctl apply plan.json --verify-timeout 10m',
      replan: 'fedctl plan -f federation.yaml --detailed-exitcode',
      drift: 'fedctl drift -f federation.yaml --junit drift-junit.xml',
    }),
  },
])('$name recipes run against the simulator', ({ lines, steps }) => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await simulateTopology('federation.yaml');
  });
  afterAll(async () => {
    await world.stop();
  });

  it('runs every fedctl line of the recipes, with the exit codes they rely on', async () => {
    expect(lines.length).toBeGreaterThan(0);
    // Each line of the recipes is a step of the story, and each step a line of the recipes.
    expect([...new Set(steps.map((s) => s.line))].sort()).toEqual([...new Set(lines)].sort());
    for (const step of steps) {
      await step.before?.(world);
      const out = await run(world, step.line);
      expect(out.code, `${step.line}\n${out.stderr}`).toBe(step.code);
      step.check?.(world, out);
      for (const token of Object.values(world.env)) {
        expect(out.stdout + out.stderr).not.toContain(token);
      }
    }
  }, 120_000);
});
