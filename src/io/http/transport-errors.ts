/**
 * What went wrong on the wire, in words a user can act on: `fetch` rejects with a TypeError whose
 * cause chain holds undici's or the system's error code; each known code gets a description and,
 * where there is something to try, advice.
 */

/** The timeouts a transport error message can refer to. */
export interface TransportLimits {
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  /** The client's deadline for one call, retries included. */
  readonly deadlineMs: number;
}

export interface TransportFailure {
  /** undici or system error code, when there is one (e.g. ECONNRESET, UND_ERR_HEADERS_TIMEOUT). */
  readonly code?: string;
  /** What happened, for a user: "connection refused", "no response headers within 60000 ms". */
  readonly description: string;
  /** What to try, when there is something to try. */
  readonly advice?: string;
}

const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

/**
 * Turns what `fetch` rejected with into words. fetch wraps undici's error as the `cause` of a
 * TypeError("fetch failed"); the deadline shows up as a DOMException named TimeoutError.
 */
export function describeTransportError(error: unknown, limits: TransportLimits): TransportFailure {
  const chain = causeChain(error);
  if (chain.some((e) => e.name === 'TimeoutError')) {
    return {
      code: 'TimeoutError',
      description: `no complete answer within ${limits.deadlineMs} ms (client deadline, retries included)`,
    };
  }
  const coded = chain.find((e) => errorCode(e) !== undefined);
  const code = coded === undefined ? undefined : errorCode(coded);
  const last = chain.at(-1);
  const fallback = last?.message ?? String(error);
  switch (code) {
    case undefined:
      return { description: `request failed: ${fallback}` };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { code, description: `no response headers within ${limits.headersTimeoutMs} ms` };
    case 'UND_ERR_BODY_TIMEOUT':
      return { code, description: `response body stalled for ${limits.bodyTimeoutMs} ms` };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code, description: `could not connect within ${limits.connectTimeoutMs} ms` };
    case 'ECONNREFUSED':
      return { code, description: 'connection refused', advice: 'is the base URL right?' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code, description: 'host name not found', advice: 'is the base URL right?' };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return { code, description: 'connection reset by the server or a proxy, after retries' };
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
    case 'ERR_SSL_HTTP_REQUEST':
      return plainHttp(code);
    case 'EPROTO':
      // OpenSSL's words for a server that answered a TLS hello in plain HTTP.
      return /wrong version number|packet length too long|http request/i.test(fallback)
        ? plainHttp(code)
        : { code, description: `request failed: ${code}` };
    case 'CERT_HAS_EXPIRED':
      return { code, description: 'TLS certificate has expired' };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { code, description: 'TLS certificate does not match the host name' };
    default:
      if (TLS_TRUST_CODES.has(code)) {
        return {
          code,
          description: `TLS certificate not trusted (${code})`,
          advice: 'set caFile for this JPD, or NODE_EXTRA_CA_CERTS, to the issuing CA',
        };
      }
      return { code, description: `request failed: ${code}` };
  }
}

function plainHttp(code: string): TransportFailure {
  return {
    code,
    description: 'https URL but the server speaks plain http',
    advice: 'use http:// or fix the port',
  };
}

function causeChain(error: unknown): Error[] {
  const chain: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && !chain.includes(current) && chain.length < 8) {
    chain.push(current);
    current = current.cause;
  }
  return chain;
}

function errorCode(error: Error): string | undefined {
  const code: unknown = 'code' in error ? error.code : undefined;
  return typeof code === 'string' && code !== '' ? code : undefined;
}
