/**
 * The Artifactory Federation Service (RTFS) endpoints: member connection states and the
 * aggregated state summary and list, plus the config sync and the local -> federated migration.
 * A 405 from the status endpoints means RTFS is not enabled; the request core's hint says so.
 */
import { parseConnectionStates, parseStateList, parseStateSummary } from './parse.js';
import type { RequestCore } from './request.js';
import type { FederationStatusApi, FederationSyncApi } from './types.js';

export function createFederationApi(request: RequestCore): FederationStatusApi & FederationSyncApi {
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
