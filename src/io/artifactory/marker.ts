/**
 * A marker repository: the one atomic test-and-set Artifactory's documented REST API offers.
 * `PUT /api/repositories/{key}` creates a repository and fails (400, "Case insensitive repository
 * key already exists") when the key is taken, so of two clients creating the same key exactly one
 * succeeds; the repository's `notes` carry who holds it. fedctl's apply lock (io/apply/lock.ts,
 * docs/locking.md) is built on it. Read, update and delete are the client's ordinary ones.
 */
import type { RequestCore } from './request.js';

/** The apply lock's marker repository: fedctl's own, never part of the estate it plans. */
export const LOCK_KEY = 'fedctl-lock';

export interface MarkerApi {
  /**
   * Creates an empty local generic repository `key` with this description and notes: `created`,
   * or `exists` when the key is already taken (by a marker or anything else).
   */
  createMarkerRepository(
    key: string,
    marker: { readonly description: string; readonly notes: string },
  ): Promise<'created' | 'exists'>;
}

export function createMarkerApi(request: RequestCore): MarkerApi {
  return {
    async createMarkerRepository(key, marker) {
      const call = {
        method: 'PUT' as const,
        path: `/artifactory/api/repositories/${encodeURIComponent(key)}`,
        body: {
          key,
          rclass: 'local',
          packageType: 'generic',
          description: marker.description,
          notes: marker.notes,
        },
        step: `creating the lock repository ${key}`,
        needs: request.admin,
      };
      const answer = await request.send(call);
      if (answer.status >= 200 && answer.status < 300) return 'created';
      // The key is taken: Artifactory answers 400 (its wording varies by version, so the status
      // is checked by reading the key back rather than by the message).
      if (answer.status === 400) {
        const read = await request.send({
          method: 'GET',
          path: call.path,
          step: `reading the lock repository ${key}`,
          needs: request.admin,
        });
        if (read.status >= 200 && read.status < 300) return 'exists';
      }
      throw request.httpError(call, answer);
    },
  };
}
