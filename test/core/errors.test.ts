/**
 * The error codes are a closed list with one page: docs/errors.md names exactly the codes of
 * ERROR_CODES, the apply report's schema admits exactly the known-failure codes, and each error
 * class carries its default unless a throw site names a more precise one.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  FedctlError,
  InternalError,
  MissingSecretError,
  RemoteError,
  StalePlanError,
  TopologyError,
  UsageError,
  commonCode,
  type Issue,
} from '../../src/core/errors.js';
import { renderApplyReport } from '../../src/core/apply/report.js';
import type { Action } from '../../src/core/plan/plan.js';

const documented = [
  ...readFileSync('docs/errors.md', 'utf8').matchAll(/^### `(E_[A-Z_]+)`$/gm),
].map((m) => m[1]);

const issue = (code: string): Issue => ({
  file: 'federation.yaml',
  line: 3,
  col: 5,
  severity: 'error',
  code,
  message: 'wrong',
});

describe('error codes', () => {
  it('docs/errors.md documents every code, once, in the same order', () => {
    expect(documented).toEqual([...ERROR_CODES]);
  });

  it("the apply report's schema admits the codes of known failures", () => {
    const schema = JSON.parse(readFileSync('schemas/apply-report.schema.json', 'utf8')) as {
      definitions: { errorCode: { enum: string[] } };
    };
    expect(schema.definitions.errorCode.enum).toEqual(
      ERROR_CODES.filter((c) => c !== 'E_INTERNAL'),
    );
  });

  it('each class has its default, and a throw site may name a more precise code', () => {
    expect(new FedctlError('x').code).toBe('E_FEDCTL');
    expect(new UsageError('x').code).toBe('E_USAGE');
    expect(new StalePlanError('x').code).toBe('E_PLAN_STALE');
    expect(new MissingSecretError('x').code).toBe('E_TOKEN_MISSING');
    expect(new FedctlError('x', { code: 'E_FILE_READ' }).code).toBe('E_FILE_READ');
    const cause = new Error('inner');
    const error = new FedctlError('x', { cause, code: 'E_SIM' });
    expect([error.code, error.cause]).toEqual(['E_SIM', cause]);
  });

  it('a remote failure says whether the JPD answered, refused the token, or failed otherwise', () => {
    const at = { jpd: 'hub', method: 'GET', path: '/artifactory/api/repositories' };
    expect(new RemoteError(at).code).toBe('E_JPD_UNREACHABLE');
    expect(new RemoteError({ ...at, status: 401 }).code).toBe('E_JPD_AUTH');
    expect(new RemoteError({ ...at, status: 403 }).code).toBe('E_JPD_AUTH');
    expect(new RemoteError({ ...at, status: 500 }).code).toBe('E_REMOTE');
    expect(new RemoteError({ ...at, status: 400 }, { code: 'E_PAIRING' }).code).toBe('E_PAIRING');
  });

  it('a topology that is not YAML is told apart from a wrong topology', () => {
    expect(new TopologyError([issue('yaml-syntax')]).code).toBe('E_TOPOLOGY_PARSE');
    expect(new TopologyError([issue('duplicate-key')]).code).toBe('E_TOPOLOGY_PARSE');
    expect(new TopologyError([issue('schema')]).code).toBe('E_TOPOLOGY_INVALID');
    expect(new TopologyError([issue('undeclared-jpd')]).code).toBe('E_TOPOLOGY_INVALID');
    expect(new TopologyError([issue('live-conflict')], { code: 'E_LIVE_CONFLICT' }).code).toBe(
      'E_LIVE_CONFLICT',
    );
  });

  it('an aggregate keeps the code its parts agree on', () => {
    const unreachable = { code: 'E_JPD_UNREACHABLE' } as const;
    expect(commonCode([unreachable, unreachable], 'E_REMOTE')).toBe('E_JPD_UNREACHABLE');
    expect(commonCode([unreachable, { code: 'E_JPD_AUTH' }], 'E_REMOTE')).toBe('E_REMOTE');
  });

  it('a bug is not a known failure, and says so by its code', () => {
    const bug = new InternalError('cannot happen');
    expect(bug).not.toBeInstanceOf(FedctlError);
    expect(bug.code).toBe('E_INTERNAL');
  });

  it('the apply JSON report carries the code of a failed action', () => {
    const action: Action = {
      type: 'delete-repository',
      id: 'delete:hub/libs',
      cause: 'topology',
      dependsOn: [],
      jpd: 'hub',
      repoKey: 'libs',
    };
    const report = JSON.parse(
      renderApplyReport({
        plan: { actions: [action] },
        outcomes: [{ status: 'failed', action, error: 'hub: gone', errorCode: 'E_PLAN_STALE' }],
        verification: [],
        converged: false,
      }),
    ) as { outcomes: unknown[] };
    expect(report.outcomes).toEqual([
      {
        id: 'delete:hub/libs',
        type: 'delete-repository',
        status: 'failed',
        error: 'hub: gone',
        errorCode: 'E_PLAN_STALE',
      },
    ]);
  });
});
