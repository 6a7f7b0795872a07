/**
 * Runs a GitHub Actions workflow's `run:` steps in order under bash, as a runner would: each job
 * (in `needs` order) with the workflow's, the job's and the step's `env`, `${{ }}` expressions of
 * the few contexts the recipes use, the `if:` status functions, and the runner's file contract:
 * GITHUB_OUTPUT (a step's outputs), GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY and the event
 * payload at GITHUB_EVENT_PATH. `uses:` steps are not run: checkout, caches and artifacts are
 * the shared workspace here. An expression it does not know fails the run, so a recipe cannot
 * pass by using something this runner ignores.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface StepResult {
  readonly name: string;
  /** Absent when the step was skipped by its `if:`. */
  readonly code?: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
}

export interface JobResult {
  readonly ok: boolean;
  readonly steps: StepResult[];
  readonly summary: string;
}

export interface RunOptions {
  readonly workspace: string;
  readonly event: Record<string, unknown>;
  readonly eventName: string;
  readonly secrets: Record<string, string>;
  /** GITHUB_API_URL: a loopback stub. */
  readonly apiUrl: string;
  /** Shared between jobs, as a cache would make it (the fedctl install). */
  readonly runnerTemp: string;
  readonly env?: Record<string, string>;
}

interface Step {
  name?: string;
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export async function runWorkflow(
  file: string,
  options: RunOptions,
): Promise<Record<string, JobResult>> {
  const workflow = parse(await readFile(file, 'utf8')) as Workflow; // the recipes' own shape
  const dir = await mkdtemp(join(tmpdir(), 'fedctl-gha-'));
  const eventPath = join(dir, 'event.json');
  await writeFile(eventPath, JSON.stringify(options.event));
  const results: Record<string, JobResult> = {};
  const order = jobOrder(workflow.jobs);
  for (const name of order) {
    const job = workflow.jobs[name];
    if (job === undefined) continue;
    const needs = [job.needs ?? []].flat();
    if (!needs.every((n) => results[n]?.ok === true)) continue;
    results[name] = await runJob(job, workflow, options, join(dir, name), eventPath);
  }
  return results;
}

function jobOrder(jobs: Record<string, Job>): string[] {
  const done: string[] = [];
  const visit = (name: string): void => {
    if (done.includes(name)) return;
    for (const n of [jobs[name]?.needs ?? []].flat()) visit(n);
    done.push(name);
  };
  for (const name of Object.keys(jobs)) visit(name);
  return done;
}

async function runJob(
  job: Job,
  workflow: Workflow,
  options: RunOptions,
  dir: string,
  eventPath: string,
): Promise<JobResult> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const steps: StepResult[] = [];
  const outputs: Record<string, Record<string, string>> = {};
  const extraEnv: Record<string, string> = {};
  const paths: string[] = [];
  let failed = false;
  let summary = '';
  const context = (expression: string): string =>
    evaluate(expression, { options, outputs, env: { ...workflow.env, ...job.env } });
  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.run?.split('\n', 1)[0] ?? step.uses ?? `step ${index}`;
    const condition = (step.if ?? 'success()').replace(/^\$\{\{\s*|\s*\}\}$/g, '').trim();
    const runs =
      condition === 'always()'
        ? true
        : condition === 'failure()'
          ? failed
          : condition === 'success()' && !failed;
    if (!runs || step.run === undefined) {
      steps.push({ name, stdout: '', stderr: '', outputs: {} });
      continue;
    }
    const files = {
      GITHUB_OUTPUT: join(dir, `output-${index}`),
      GITHUB_ENV: join(dir, `env-${index}`),
      GITHUB_PATH: join(dir, `path-${index}`),
      GITHUB_STEP_SUMMARY: join(dir, `summary-${index}`),
    };
    for (const f of Object.values(files)) await writeFile(f, '');
    const env: Record<string, string> = {
      PATH: [...paths, process.env['PATH'] ?? ''].join(':'),
      HOME: process.env['HOME'] ?? dir,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: options.apiUrl,
      GITHUB_REPOSITORY: 'acme/estate',
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_RUN_ID: '1001',
      GITHUB_WORKSPACE: options.workspace,
      RUNNER_TEMP: options.runnerTemp,
      ...options.env,
      ...files,
      ...substituteAll({ ...workflow.env, ...job.env, ...extraEnv, ...step.env }, context),
    };
    const result = await bash(substitute(step.run, context), options.workspace, env);
    const stepOutputs = parseKeyValues(await readFile(files.GITHUB_OUTPUT, 'utf8'));
    if (step.id !== undefined) outputs[step.id] = stepOutputs;
    Object.assign(extraEnv, parseKeyValues(await readFile(files.GITHUB_ENV, 'utf8')));
    paths.unshift(
      ...(await readFile(files.GITHUB_PATH, 'utf8')).split('\n').filter(Boolean).reverse(),
    );
    summary += await readFile(files.GITHUB_STEP_SUMMARY, 'utf8');
    steps.push({ name, ...result, outputs: stepOutputs });
    if (result.code !== 0) failed = true;
  }
  return { ok: !failed, steps, summary };
}

function parseKeyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

function substituteAll(
  env: Record<string, string>,
  context: (expression: string) => string,
): Record<string, string> {
  return Object.fromEntries(
    // YAML may give a number or a boolean (`NO_COLOR: 1`); the environment holds strings.
    Object.entries(env).map(([k, v]: [string, unknown]) => [
      k,
      substitute(typeof v === 'string' ? v : JSON.stringify(v), context),
    ]),
  );
}

function substitute(text: string, context: (expression: string) => string): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, expression: string) => context(expression));
}

function evaluate(
  expression: string,
  scope: {
    options: RunOptions;
    outputs: Record<string, Record<string, string>>;
    env: Record<string, string>;
  },
): string {
  const secret = /^secrets\.(\w+)$/.exec(expression);
  if (secret?.[1] !== undefined) return scope.options.secrets[secret[1]] ?? '';
  if (expression === 'github.token') return scope.options.secrets['GITHUB_TOKEN'] ?? '';
  const env = /^env\.(\w+)$/.exec(expression);
  if (env?.[1] !== undefined) return scope.env[env[1]] ?? '';
  const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
  if (output?.[1] !== undefined && output[2] !== undefined) {
    return scope.outputs[output[1]]?.[output[2]] ?? '';
  }
  const event = /^github\.event\.([\w.]+)$/.exec(expression);
  if (event?.[1] !== undefined) {
    let value: unknown = scope.options.event;
    for (const key of event[1].split('.')) {
      value =
        typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>)[key]
          : undefined;
    }
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  }
  if (expression === 'github.sha') return 'f00dbabe';
  throw new Error(`the test runner does not know the expression \${{ ${expression} }}`);
}

function bash(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    // GitHub's default shell for `run:` on Linux.
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd,
      env,
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
