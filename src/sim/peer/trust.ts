/**
 * Trust between simulated JPDs.
 *
 * Default model, "circle of trust": the JPDs of one simulator share a signing key, as Access
 * services in a Circle of Trust share a root certificate, so any of them accepts peer requests
 * signed by another. Option B topologies (no pairing) work without any setup. With
 * `requirePairing`, there is no shared key: a JPD accepts peer traffic only from JPDs it has paired
 * with (Service Trust pairing), and refuses to federate with an unpaired JPD.
 *
 * Pairing (both models): the source issues a pairing token (`POST .../pairing/federated-repo/r`
 * or `/*`), a JWT-like token whose `ext` claim carries the issuer's `base_url` and `exchange_url`.
 * The target (`PUT .../pairing/federated-repo/...`) decodes it and calls the issuer's
 * `exchange_url` over HTTP; the issuer checks signature, expiry and single use, and both sides
 * record the trust with the token's scope. An `r` trust is receiving-only: the target may not send
 * to the source (see `checkReceivingOnly`), and the source refuses the target's events.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { ArtifactoryHttpError, isRecord } from '../http/http-util.js';
import type { JpdHost } from '../jpd-host.js';
import type { MemberRecord, TrustRecord, TrustScope } from '../state/model.js';
import { PeerHttpError, PeerUnreachableError, peerRequest } from './peer-client.js';
import { parseMemberUrl } from '../state/urls.js';

export const EXCHANGE_PATH = '/artifactory/api/v1/service_trust/exchange';
const PAIRING_PREFIX = '/artifactory/api/v1/service_trust/pairing/';

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function sign(key: string | Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** The use case of a pairing path, or undefined for an unknown one (Artifactory: 404). */
export function pairingScope(pathname: string): TrustScope | undefined {
  if (!pathname.startsWith(PAIRING_PREFIX)) return undefined;
  const useCase = decodeURIComponent(pathname.slice(PAIRING_PREFIX.length));
  if (useCase === 'federated-repo/r') return 'r';
  if (useCase === 'federated-repo/*') return '*';
  return undefined;
}

/** Circle-of-trust assertion a JPD signs for each peer request. */
function circleToken(jpd: JpdHost, circleKey: Buffer): string {
  const payload = b64url(
    JSON.stringify({
      iss: jpd.state.serviceId,
      base_url: jpd.baseUrl,
      iat: Math.floor(jpd.clock.now() / 1000),
    }),
  );
  return `jfsim.${payload}.${sign(circleKey, payload)}`;
}

/** The bearer token this JPD presents to `peerBaseUrl`, or undefined when it has no trust there. */
export function outboundPeerToken(jpd: JpdHost, peerBaseUrl: string): string | undefined {
  const record = jpd.state.trust.get(peerBaseUrl);
  if (record !== undefined) return record.outboundToken;
  const circleKey = jpd.settings.circleKey;
  return circleKey === undefined ? undefined : circleToken(jpd, circleKey);
}

/** Identifies the JPD behind a peer request's bearer token; undefined when not trusted. */
export function authenticatePeer(jpd: JpdHost, token: string): string | undefined {
  for (const record of jpd.state.trust.values()) {
    if (safeEqual(record.inboundToken, token)) return record.peerBaseUrl;
  }
  const circleKey = jpd.settings.circleKey;
  if (circleKey === undefined || !token.startsWith('jfsim.')) return undefined;
  const [, payload, signature] = token.split('.');
  if (payload === undefined || signature === undefined) return undefined;
  if (!safeEqual(sign(circleKey, payload), signature)) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return isRecord(claims) && typeof claims['base_url'] === 'string'
      ? claims['base_url']
      : undefined;
  } catch {
    return undefined;
  }
}

export function hasTrust(jpd: JpdHost, peerBaseUrl: string): boolean {
  return jpd.settings.circleKey !== undefined || jpd.state.trust.has(peerBaseUrl);
}

/** This JPD exchanged an `r` token from the peer: it must never send to it. */
export function isReceivingOnlyToward(jpd: JpdHost, peerBaseUrl: string): boolean {
  const record = jpd.state.trust.get(peerBaseUrl);
  return record !== undefined && record.role === 'target' && record.scope === 'r';
}

/** This JPD issued an `r` token the peer exchanged: the peer may only receive from it. */
export function peerIsReceivingOnly(jpd: JpdHost, peerBaseUrl: string): boolean {
  const record = jpd.state.trust.get(peerBaseUrl);
  return record !== undefined && record.role === 'source' && record.scope === 'r';
}

/**
 * Refuses a membership that would make content flow against a receiving-only trust: this JPD
 * sending (own member bidirectional) to a source it holds an `r` trust from, or a member on a JPD
 * that holds an `r` trust from this one not being a receiver.
 */
export function checkReceivingOnly(
  jpd: JpdHost,
  members: readonly MemberRecord[],
  selfUrl: string,
  status: number,
): void {
  const self = members.find((m) => m.url === selfUrl);
  for (const member of members) {
    if (member.url === selfUrl) continue;
    const base = parseMemberUrl(member.url).baseUrl;
    if (self?.mode === 'bidirectional' && isReceivingOnlyToward(jpd, base)) {
      throw new ArtifactoryHttpError(
        status,
        `Federation with '${member.url}' is not allowed: this JPD holds a receiving-only trust with ${base} and cannot send to it; the local member must be in receiver mode`,
      );
    }
    if (member.mode !== 'receiver' && peerIsReceivingOnly(jpd, base)) {
      throw new ArtifactoryHttpError(
        status,
        `Federated member '${member.url}' must be in receiver mode: ${base} is paired with a receiving-only trust`,
      );
    }
  }
}

/** `POST /api/v1/service_trust/pairing/federated-repo/{r|*}` on the source. */
export function issuePairingToken(
  jpd: JpdHost,
  scope: TrustScope,
): { pairing_token: string; expires_in: number } {
  const ttl = jpd.settings.pairingTtlSeconds;
  // Spent and expired tokens are only kept long enough to answer "already used" / "expired".
  for (const [jti, issued] of jpd.state.pairingTokens) {
    if (issued.expiresAt + 86_400_000 < jpd.clock.now()) jpd.state.pairingTokens.delete(jti);
  }
  const iat = Math.floor(jpd.clock.now() / 1000);
  const jti = randomUUID();
  const claims = {
    ext: JSON.stringify({
      base_url: jpd.baseUrl,
      exchange_url: `${jpd.baseUrl}${EXCHANGE_PATH}`,
      revocable: true,
    }),
    sub: `${jpd.state.serviceId}/users/admin`,
    scp: `internal:service-trust/pairing/federated-repo/${scope}:x`,
    aud: jpd.state.serviceId,
    iss: `${jpd.state.serviceId}/users/admin`,
    exp: iat + ttl,
    iat,
    jti,
  };
  const head = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))}.${b64url(JSON.stringify(claims))}`;
  jpd.state.pairingTokens.set(jti, {
    jti,
    scope,
    expiresAt: jpd.clock.now() + ttl * 1000,
    used: false,
  });
  return { pairing_token: `${head}.${sign(jpd.state.signingKey, head)}`, expires_in: ttl };
}

interface DecodedPairingToken {
  readonly head: string;
  readonly signature: string;
  readonly jti: string;
  readonly scope: TrustScope;
  readonly baseUrl: string;
  readonly exchangeUrl: string;
}

function decodePairingToken(token: unknown): DecodedPairingToken {
  const invalid = new ArtifactoryHttpError(400, 'Invalid pairing token');
  if (typeof token !== 'string') throw invalid;
  const parts = token.split('.');
  const [header, payload, signature] = parts;
  if (
    parts.length !== 3 ||
    header === undefined ||
    payload === undefined ||
    signature === undefined
  ) {
    throw invalid;
  }
  let claims: unknown;
  let ext: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    ext =
      isRecord(claims) && typeof claims['ext'] === 'string' ? JSON.parse(claims['ext']) : undefined;
  } catch {
    throw invalid;
  }
  if (!isRecord(claims) || !isRecord(ext)) throw invalid;
  const scp = claims['scp'];
  const scope: TrustScope | undefined =
    scp === 'internal:service-trust/pairing/federated-repo/r:x'
      ? 'r'
      : scp === 'internal:service-trust/pairing/federated-repo/*:x'
        ? '*'
        : undefined;
  const jti = claims['jti'];
  const baseUrl = ext['base_url'];
  const exchangeUrl = ext['exchange_url'];
  if (
    scope === undefined ||
    typeof jti !== 'string' ||
    typeof baseUrl !== 'string' ||
    typeof exchangeUrl !== 'string'
  ) {
    throw invalid;
  }
  return { head: `${header}.${payload}`, signature, jti, scope, baseUrl, exchangeUrl };
}

/**
 * `PUT /api/v1/service_trust/pairing/federated-repo/{r|*}` on the target. The token's own scope
 * decides the trust (JFrog's unidirectional sync document: `/*` is equivalent for an `r` token).
 */
export async function establishTrust(jpd: JpdHost, body: unknown): Promise<void> {
  const token = isRecord(body) ? body['pairing_token'] : undefined;
  if (token === undefined) throw new ArtifactoryHttpError(400, "Missing 'pairing_token'");
  const decoded = decodePairingToken(token);
  if (decoded.baseUrl === jpd.baseUrl) {
    throw new ArtifactoryHttpError(400, 'A JPD cannot pair with itself');
  }
  const reverseToken = randomToken();
  let answer: unknown;
  try {
    answer = await peerRequest({
      method: 'POST',
      url: decoded.exchangeUrl,
      body: {
        pairing_token: token,
        base_url: jpd.baseUrl,
        service_id: jpd.state.serviceId,
        reverse_token: reverseToken,
      },
      timeoutMs: jpd.timings.peerTimeoutMs,
      signal: jpd.closingSignal,
    });
  } catch (error) {
    if (error instanceof PeerHttpError) {
      throw new ArtifactoryHttpError(
        400,
        `Failed to establish trust with ${decoded.baseUrl}: ${error.message}`,
      );
    }
    if (error instanceof PeerUnreachableError) {
      throw new ArtifactoryHttpError(
        400,
        `Failed to establish trust: ${decoded.baseUrl} is not reachable`,
      );
    }
    throw error;
  }
  if (
    !isRecord(answer) ||
    typeof answer['master_token'] !== 'string' ||
    typeof answer['service_id'] !== 'string'
  ) {
    throw new ArtifactoryHttpError(500, `Unexpected answer from ${decoded.exchangeUrl}`);
  }
  const record: TrustRecord = {
    peerBaseUrl: decoded.baseUrl,
    peerServiceId: answer['service_id'],
    scope: decoded.scope,
    role: 'target',
    inboundToken: reverseToken,
    outboundToken: answer['master_token'],
    establishedAt: jpd.clock.now(),
  };
  jpd.state.trust.set(decoded.baseUrl, record);
  await jpd.persist();
}

/** `POST /api/v1/service_trust/exchange` on the issuer, called by the target over HTTP. */
export async function exchangePairingToken(
  jpd: JpdHost,
  body: unknown,
): Promise<Record<string, string>> {
  if (!isRecord(body)) throw new ArtifactoryHttpError(400, 'Invalid exchange request');
  const decoded = decodePairingToken(body['pairing_token']);
  const peerBase = body['base_url'];
  const peerServiceId = body['service_id'];
  const reverseToken = body['reverse_token'];
  if (
    typeof peerBase !== 'string' ||
    typeof peerServiceId !== 'string' ||
    typeof reverseToken !== 'string'
  ) {
    throw new ArtifactoryHttpError(400, 'Invalid exchange request');
  }
  const issued = jpd.state.pairingTokens.get(decoded.jti);
  if (
    issued === undefined ||
    decoded.baseUrl !== jpd.baseUrl ||
    !safeEqual(sign(jpd.state.signingKey, decoded.head), decoded.signature)
  ) {
    throw new ArtifactoryHttpError(401, 'Invalid pairing token');
  }
  if (issued.used) throw new ArtifactoryHttpError(401, 'Pairing token was already used');
  if (jpd.clock.now() >= issued.expiresAt)
    throw new ArtifactoryHttpError(401, 'Pairing token expired');
  issued.used = true;
  const masterToken = randomToken();
  jpd.state.trust.set(peerBase, {
    peerBaseUrl: peerBase,
    peerServiceId,
    scope: issued.scope,
    role: 'source',
    inboundToken: masterToken,
    outboundToken: reverseToken,
    establishedAt: jpd.clock.now(),
  });
  await jpd.persist();
  return {
    master_token: masterToken,
    service_id: jpd.state.serviceId,
    scope: issued.scope,
    base_url: jpd.baseUrl,
  };
}
