/** The JPD itself: which version runs. */
import { parseVersion } from './parse.js';
import type { RequestCore } from './request.js';
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
  };
}
