/**
 * Repository configurations: the reads `plan` builds live state from and the writes `apply` makes.
 * A member's `mode` goes out only when the caller set it; config-lock contention is retried by the
 * request core.
 */
import { normalizeMemberUrl } from '../../core/live/state.js';
import {
  ShapeError,
  parseFederatedConfigurations,
  parseFederatedConfigurationsText,
  parseRepositoryConfig,
  parseRepositorySummaries,
} from './parse.js';
import { bodyKind } from './body.js';
import type { Call, RequestCore } from './request.js';
import type {
  FederatedRepositoryBody,
  MemberMode,
  RepositoriesApi,
  RepositoryConfig,
  RepositorySummary,
  RepositoryType,
} from './types.js';
import { InternalError } from '../../core/errors.js';

/** 400 on create when the key exists in any letter case (terraform-provider-artifactory#692). */
const KEY_EXISTS = /case insensitive repository key already exists/i;

const repoPath = (repoKey: string): string =>
  `/artifactory/api/repositories/${encodeURIComponent(repoKey)}`;

export function createRepositoriesApi(request: RequestCore): RepositoriesApi {
  return {
    listRepositories: (type) => listRepositories(request, type),
    getFederatedRepositories: <T>(reduce?: (config: RepositoryConfig) => T) =>
      // `as`: without `reduce`, T is its default, RepositoryConfig: the identity is that map.
      getFederatedRepositories(request, reduce ?? ((config) => config as unknown as T)),
    getRepository: (repoKey) => getRepository(request, repoKey),
    createRepository: (repoKey, body) => createRepository(request, repoKey, body),

    async createRepositories(bodies) {
      // jfrog-client-go (createandupdatemultiplerepo.go): PUT, a JSON array, 201 expected.
      await request.ok({
        method: 'PUT',
        path: '/artifactory/api/v2/repositories/batch',
        body: bodies.map((b) => ({ key: b.key, ...repositoryWireBody(b.key, b) })),
        step: `creating ${bodies.length} repositories in one batch`,
        needs: request.admin,
      });
    },

    async updateRepository(repoKey, body) {
      await request.ok({
        method: 'POST',
        path: repoPath(repoKey),
        body: repositoryWireBody(repoKey, body),
        step: `updating repository ${repoKey}`,
        needs: request.admin,
      });
    },

    async deleteRepository(repoKey) {
      await request.ok({
        method: 'DELETE',
        path: repoPath(repoKey),
        step: `deleting repository ${repoKey}`,
        needs: request.admin,
      });
    },
  };
}

function listRepositories(
  request: RequestCore,
  type?: RepositoryType,
): Promise<RepositorySummary[]> {
  return request.getJson(
    {
      method: 'GET',
      path: `/artifactory/api/repositories${type === undefined ? '' : `?type=${type}`}`,
      step: 'listing repositories',
      needs: 'a valid token',
    },
    parseRepositorySummaries,
  );
}

async function getRepository(
  request: RequestCore,
  repoKey: string,
): Promise<RepositoryConfig | undefined> {
  const call: Call = {
    method: 'GET',
    path: repoPath(repoKey),
    step: `reading the configuration of ${repoKey}`,
    needs: `${request.admin} (other tokens get a partial configuration)`,
  };
  const answer = await request.send(call);
  // Older Artifactory answers 400, newer 404, for a missing repository (TF `MkRepoRead` treats
  // both as gone). An HTML 404 is a proxy or a wrong base URL, not a missing repository.
  if (
    (answer.status === 400 || answer.status === 404) &&
    bodyKind(answer.contentType, answer.text) !== 'html'
  ) {
    return undefined;
  }
  if (answer.status < 200 || answer.status >= 300) throw request.httpError(call, answer);
  return request.parsed(call, answer, (body) => parseRepositoryConfig(body));
}

async function getFederatedRepositories<T>(
  request: RequestCore,
  reduce: (config: RepositoryConfig) => T,
): Promise<T[]> {
  const call: Call = {
    method: 'GET',
    path: '/artifactory/api/repositories/configurations?repoType=federated',
    step: 'reading all federated repository configurations',
    needs: request.admin,
  };
  const answer = await request.send(call);
  // Before 7.61.3 there is no such endpoint: 404/405, or 400 because "configurations" is then
  // read as a repository key. Fall back to the list plus one GET per repository.
  if (
    [400, 404, 405].includes(answer.status) &&
    bodyKind(answer.contentType, answer.text) !== 'html'
  ) {
    const summaries = await listRepositories(request, 'federated');
    const configs = await Promise.all(summaries.map((s) => getRepository(request, s.key)));
    // A repository deleted between the list and its GET is simply not there any more.
    return configs.filter((c): c is RepositoryConfig => c !== undefined).map(reduce);
  }
  if (answer.status < 200 || answer.status >= 300) throw request.httpError(call, answer);
  if (bodyKind(answer.contentType, answer.text) === 'json') {
    let configs: T[] | undefined;
    try {
      configs = parseFederatedConfigurationsText(answer.text, reduce);
    } catch (error) {
      if (error instanceof ShapeError) throw request.badBody(call, answer, error.message);
      throw error;
    }
    if (configs !== undefined) return configs;
  }
  return request.parsed(call, answer, (body) => parseFederatedConfigurations(body, reduce));
}

async function createRepository(
  request: RequestCore,
  repoKey: string,
  body: FederatedRepositoryBody,
): Promise<void> {
  const wire = { key: repoKey, ...repositoryWireBody(repoKey, body) };
  const call: Call = {
    method: 'PUT',
    path: repoPath(repoKey),
    body: wire,
    step: `creating repository ${repoKey}`,
    needs: request.admin,
  };
  const answer = await request.send(call);
  if (answer.status >= 200 && answer.status < 300) return;
  if (answer.status !== 400 || !KEY_EXISTS.test(answer.text)) {
    throw request.httpError(call, answer);
  }
  // Already there: a success when it is what was asked for. This is also how a target's repo
  // looks after the source federated to it (Artifactory auto-creates members, terraform-provider-artifactory#692 and #1102).
  const live = await getRepository(request, repoKey);
  const differences =
    live === undefined
      ? ['a repository whose key differs only in letter case exists']
      : configDifferences(live, body, `${request.baseUrl}/artifactory/${repoKey}`);
  if (differences.length === 0) return;
  throw request.httpError(
    call,
    answer,
    `the repository already exists with a different configuration: ${differences.join('; ')}`,
  );
}

/**
 * The request body for a create (PUT) or update (POST). Fields are copied one by one so nothing
 * unexpected goes out. A member carries `mode` only when the caller set it: absent means
 * bidirectional to Artifactory, and a version without Transmission Mode may refuse the field.
 */
function repositoryWireBody(
  repoKey: string,
  body: Partial<FederatedRepositoryBody>,
): Record<string, unknown> {
  if (body.key !== undefined && body.key !== repoKey) {
    throw new InternalError(
      `repository body key "${body.key}" does not match the path key "${repoKey}"`,
    );
  }
  return {
    ...(body.rclass === undefined ? {} : { rclass: body.rclass }),
    ...(body.packageType === undefined ? {} : { packageType: body.packageType }),
    ...(body.description === undefined ? {} : { description: body.description }),
    ...(body.notes === undefined ? {} : { notes: body.notes }),
    // Never an empty projectKey: a re-apply must not strip a project (terraform-provider-artifactory#893).
    ...(body.projectKey === undefined || body.projectKey === ''
      ? {}
      : { projectKey: body.projectKey }),
    ...(body.environments === undefined ? {} : { environments: [...body.environments] }),
    ...(body.members === undefined
      ? {}
      : {
          members: body.members.map((m) => ({
            url: m.url,
            enabled: m.enabled,
            ...(m.mode === undefined ? {} : { mode: m.mode }),
          })),
        }),
  };
}

/**
 * How a live configuration differs from a create request: rclass, packageType and the member set
 * with modes. The live list may also hold the repository's own URL, which Artifactory adds when a
 * request leaves it out (TF docs for `member`); that one is ignored unless the request lists it.
 */
function configDifferences(
  live: RepositoryConfig,
  wanted: FederatedRepositoryBody,
  selfUrl: string,
): string[] {
  const out: string[] = [];
  if (live.rclass !== wanted.rclass) out.push(`rclass is ${live.rclass}, wanted ${wanted.rclass}`);
  if (
    wanted.packageType !== undefined &&
    live.packageType.toLowerCase() !== wanted.packageType.toLowerCase()
  ) {
    out.push(`packageType is ${live.packageType}, wanted ${wanted.packageType}`);
  }
  const want = new Map<string, MemberMode>(
    wanted.members.map((m) => [normalizeMemberUrl(m.url), m.mode ?? 'bidirectional']),
  );
  const have = new Map<string, MemberMode>(
    (live.members ?? []).map((m) => [normalizeMemberUrl(m.url), m.mode]),
  );
  const self = normalizeMemberUrl(selfUrl);
  if (!want.has(self)) have.delete(self);
  for (const [url, mode] of want) {
    const liveMode = have.get(url);
    if (liveMode === undefined) out.push(`member ${url} is missing`);
    else if (liveMode !== mode) out.push(`member ${url} is ${liveMode}, wanted ${mode}`);
  }
  for (const url of have.keys()) {
    if (!want.has(url)) out.push(`member ${url} is not wanted`);
  }
  return out;
}
