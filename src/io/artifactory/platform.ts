/** The JPD itself: is it up, which version runs. */
import { bodyKind, parseVersion, shorten } from './parse.js';
import type { Call, RequestCore } from './request.js';
import type { PlatformApi } from './types.js';

export function createPlatformApi(request: RequestCore): PlatformApi {
  return {
    async ping() {
      const call: Call = {
        method: 'GET',
        path: '/artifactory/api/system/ping',
        step: 'checking that Artifactory is up',
        needs: 'no permission (anonymous access is allowed)',
      };
      const answer = await request.ok(call);
      if (bodyKind(answer.contentType, answer.text) === 'html') {
        throw request.htmlPage(call, answer, '"OK"');
      }
      if (answer.text.trim().toUpperCase() !== 'OK') {
        throw request.badBody(call, answer, `expected "OK", got "${shorten(answer.text, 80)}"`);
      }
    },

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
  };
}
