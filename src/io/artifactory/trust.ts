/**
 * Service trust pairing (step 1 of JFrog's guide): a pairing token made on the source JPD and
 * exchanged on the target. Both tokens are secrets: the request core redacts them from then on.
 */
import { parsePairingToken } from './parse.js';
import type { RequestCore } from './request.js';
import type { PairingUseCase, TrustApi } from './types.js';

const pairingPath = (useCase: PairingUseCase): string =>
  `/artifactory/api/v1/service_trust/pairing/federated-repo/${useCase}`;

export function createTrustApi(request: RequestCore): TrustApi {
  const { admin } = request;
  return {
    async createPairingToken(useCase) {
      const result = await request.getJson(
        {
          method: 'POST',
          path: pairingPath(useCase),
          step: 'creating a pairing token (on the source JPD)',
          needs: `${admin}, the source`,
          sensitive: true,
        },
        parsePairingToken,
      );
      request.addSecret(result.pairingToken);
      return result;
    },

    async exchangePairingToken(useCase, pairingToken) {
      request.addSecret(pairingToken);
      await request.ok({
        method: 'PUT',
        path: pairingPath(useCase),
        body: { pairing_token: pairingToken },
        step: 'exchanging a pairing token (on the target JPD)',
        needs: `${admin}, the target`,
      });
    },
  };
}
