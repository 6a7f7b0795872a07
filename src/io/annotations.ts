/**
 * Annotations for CI: in GitHub Actions (GITHUB_ACTIONS=true, which the runner sets), problems are
 * also printed as workflow commands on stderr, where the runner reads them as it reads stdout;
 * stdout stays the command's data (a SARIF log, a plan).
 */
import { TopologyError, type Issue } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import {
  issueAnnotations,
  renderSarif,
  renderWorkflowCommands,
} from '../core/render/annotations.js';

export function inGithubActions(env: CliIO['env']): boolean {
  return env['GITHUB_ACTIONS'] === 'true';
}

/** Writes the issues as workflow commands when running in GitHub Actions. */
export function annotateIssues(issues: readonly Issue[], io: Pick<CliIO, 'env' | 'stderr'>): void {
  if (!inGithubActions(io.env) || issues.length === 0) return;
  io.stderr.write(renderWorkflowCommands(issueAnnotations(issues)));
}

/**
 * Runs a command's reading stage; with `--format sarif`, a topology that cannot be used still
 * leaves a SARIF log of its problems on stdout (the error itself is reported as usual).
 */
export async function sarifOnTopologyError<T>(
  sarif: boolean,
  io: Pick<CliIO, 'stdout'>,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (sarif && error instanceof TopologyError) {
      io.stdout.write(renderSarif(issueAnnotations(error.issues)));
    }
    throw error;
  }
}
