/** The JPD itself: which version runs, the base URL it knows itself by, what the token may do. */
import { RemoteError } from '../../core/errors.js';
import { parseUrlBase } from './parse-federation.js';
import { parseVersion, ShapeError } from './parse.js';
import { bodyKind } from './body.js';
import type { Call, RequestCore } from './request.js';
import type { PlatformApi } from './types.js';

export function createPlatformApi(request: RequestCore): PlatformApi {
  return {
    version() {
      return request.getJson(
        {
          method: 'GET',
          path: '/artifactory/api/system/version',
          step: 'reading the Artifactory version',
          needs: 'a valid token',
        },
        parseVersion,
      );
    },

    async getBaseUrl() {
      // JFrog documents no read of the Custom Base URL alone (only its update, PUT
      // /api/system/configuration/baseUrl); the configuration descriptor carries it as `urlBase`
      // ("Modify descriptor configuration using the REST API"; the Ruby artifactory client reads
      // `config/urlBase` the same way). The descriptor lists every repository, so it is read once.
      const call: Call = {
        method: 'GET',
        path: '/artifactory/api/system/configuration',
        step: "reading the JPD's configuration descriptor (for its Custom Base URL)",
        needs: request.admin,
      };
      const answer = await request.ok(call);
      if (bodyKind(answer.contentType, answer.text) === 'html') {
        throw request.htmlPage(call, answer, 'the configuration descriptor (XML)');
      }
      try {
        return parseUrlBase(answer.text);
      } catch (error) {
        if (error instanceof ShapeError) throw request.badBody(call, answer, error.message);
        throw error;
      }
    },

    async hasAdminToken() {
      // System Info (`GET /api/system`, since 2.2.0) "requires a valid admin user" and answers a
      // few kilobytes of text: the cheapest read that only an admin may make.
      try {
        await request.ok({
          method: 'GET',
          path: '/artifactory/api/system',
          step: 'reading the system information (an admin-only read)',
          needs: request.admin,
        });
        return true;
      } catch (error) {
        if (error instanceof RemoteError && error.status === 403) return false;
        throw error;
      }
    },
  };
}
