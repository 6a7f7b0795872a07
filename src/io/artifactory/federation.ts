/**
 * The federation endpoints: RTFS's member connection states and aggregated state summary and
 * list; the legacy engine's sync state and repository status (which RTFS answers with 405 "RTFS
 * is enabled", as the RTFS ones answer 405 "RTFS is not enabled" without it); which engine runs;
 * the inconsistent repositories; and the config sync and the local -> federated migration.
 */
import {
  parseInconsistentRepos,
  parseLegacyRepoStatus,
  parseLegacySyncState,
  parseMirrorsLag,
  parseWord,
} from './parse-federation.js';
import { parseConnectionStates, parseStateList, parseStateSummary, ShapeError } from './parse.js';
import { bodyKind } from './body.js';
import type { Answer, Call, RequestCore } from './request.js';
import type {
  FederationEngineApi,
  FederationStatusApi,
  FederationSyncApi,
  LegacyFederationApi,
} from './types.js';

type FederationApi = FederationStatusApi &
  FederationSyncApi &
  LegacyFederationApi &
  FederationEngineApi;

export function createFederationApi(request: RequestCore): FederationApi {
  return { ...createStatusApi(request), ...createLegacyApi(request), ...createEngineApi(request) };
}

function createStatusApi(request: RequestCore): FederationStatusApi & FederationSyncApi {
  const { admin } = request;
  return {
    connectionStates(repoKey) {
      return request.getJson(
        {
          method: 'GET',
          path: `/artifactory/api/federation/status/connectionStates/${encodeURIComponent(repoKey)}`,
          step: `reading the federation connection states of ${repoKey}`,
          needs: admin,
        },
        parseConnectionStates,
      );
    },

    stateSummary() {
      return request.getJson(
        {
          method: 'GET',
          path: '/artifactory/api/federation/status/stateSummary',
          step: 'reading the federation state summary',
          needs: admin,
        },
        parseStateSummary,
      );
    },

    stateList(statuses) {
      // The documented form is a comma-separated list: ?status=HEALTHY,ERROR.
      const query =
        statuses === undefined || statuses.length === 0
          ? ''
          : `?status=${statuses.map(encodeURIComponent).join(',')}`;
      return request.getJson(
        {
          method: 'GET',
          path: `/artifactory/api/federation/status/stateList${query}`,
          step: 'reading the federation state list',
          needs: admin,
        },
        parseStateList,
      );
    },

    async convertToFederated(repoKey) {
      // jfrog-client-go (artifactory/services/federation.go at 0f2168d) sends no body and expects
      // 200, text `Migration finished successfully.`; a missing or non-local repository is a 400.
      await request.ok({
        method: 'POST',
        path: `/artifactory/api/federation/migrate/${encodeURIComponent(repoKey)}`,
        step: `converting local repository ${repoKey} to federated`,
        needs: admin,
      });
    },

    async configSync(repoKey) {
      await request.ok({
        method: 'POST',
        path: `/artifactory/api/federation/configSync/${encodeURIComponent(repoKey)}`,
        step: `synchronising the member configuration of ${repoKey}`,
        needs: admin,
      });
    },
  };
}

function createLegacyApi(request: RequestCore): LegacyFederationApi {
  const { admin } = request;
  return {
    federationSyncState() {
      return request.getJson(
        {
          method: 'GET',
          path: '/artifactory/api/federation/state',
          step: 'reading the federation sync state (legacy engine)',
          needs: admin,
        },
        parseLegacySyncState,
      );
    },

    legacyRepositoryStatus(repoKey, api) {
      const prefix = api === 'v2' ? '/artifactory/api/v2' : '/artifactory/api';
      return request.getJson(
        {
          method: 'GET',
          path: `${prefix}/federation/status/repo/${encodeURIComponent(repoKey)}`,
          step: `reading the federation status of ${repoKey} (legacy engine, ${api})`,
          needs: admin,
        },
        parseLegacyRepoStatus,
      );
    },

    mirrorsLag() {
      return request.getJson(
        {
          method: 'GET',
          path: '/artifactory/api/federation/status/mirrorsLag',
          step: 'reading the federation mirror lag (legacy engine)',
          needs: admin,
        },
        parseMirrorsLag,
      );
    },
  };
}

function createEngineApi(request: RequestCore): FederationEngineApi {
  const { admin } = request;
  return {
    async migrationStatus() {
      const call: Call = {
        method: 'GET',
        path: '/artifactory/api/federation/migration/status',
        step: 'reading the federation migration status',
        needs: admin,
      };
      const answer = await request.send(call);
      // JFrog's migration guide: "If the service has not been enabled, this API returns: Status
      // not configured". Its status code is not documented, so the words decide.
      if (
        /status not configured/i.test(answer.text) &&
        bodyKind(answer.contentType, answer.text) !== 'html'
      ) {
        return 'Status not configured';
      }
      if (absent(answer)) return undefined;
      return word(request, call, answer);
    },

    async rtfsEnabled() {
      // JFrog's migration guide: `GET {platform_url}/federation/rtfs` "will return true if
      // migration has completed successfully". Outside Artifactory's /artifactory prefix.
      const call: Call = {
        method: 'GET',
        path: '/federation/rtfs',
        step: 'reading whether the Federation Service (RTFS) is on',
        needs: admin,
      };
      const answer = await request.send(call);
      if (absent(answer)) return undefined;
      const value = word(request, call, answer).toLowerCase();
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw request.badBody(call, answer, 'expected true or false');
    },

    getInconsistentRepositories() {
      return request.getJson(
        {
          method: 'GET',
          path: '/artifactory/api/federation/inconsistentRepos',
          step: 'listing the repositories with inconsistent member configurations',
          needs: admin,
        },
        parseInconsistentRepos,
      );
    },
  };
}

/** 404 or 405 with no HTML page: the endpoint does not exist on this version. */
function absent(answer: Answer): boolean {
  return (
    (answer.status === 404 || answer.status === 405) &&
    bodyKind(answer.contentType, answer.text) !== 'html'
  );
}

function word(request: RequestCore, call: Call, answer: Answer): string {
  if (answer.status < 200 || answer.status >= 300) throw request.httpError(call, answer);
  if (bodyKind(answer.contentType, answer.text) === 'html') {
    throw request.htmlPage(call, answer, 'one word');
  }
  try {
    return parseWord(answer.text);
  } catch (error) {
    if (error instanceof ShapeError) throw request.badBody(call, answer, error.message);
    throw error;
  }
}
