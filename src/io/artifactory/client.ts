/**
 * The Artifactory client for one JPD: the request core (./request.ts) plus one module per area
 * (./platform.ts, ./repositories.ts, ./trust.ts, ./federation.ts). This module checks the base URL
 * and token, and owns the JPD's undici dispatcher from `../http/http.ts` (keep-alive pool, timeouts,
 * TLS, retries) and closes it.
 */
import { FedctlError, MissingSecretError } from '../../core/errors.js';
import { createHttpDispatcher } from '../http/http.js';
import type { Dispatcher } from '../http/http.js';
import type { RequestLog } from '../http/request-log.js';
import { createFederationApi } from './federation.js';
import { createMarkerApi, type MarkerApi } from './marker.js';
import { createPlatformApi } from './platform.js';
import { createRepositoriesApi } from './repositories.js';
import { createRequestCore } from './request.js';
import type { RequestOptions, Target } from './request.js';
import { createTrustApi } from './trust.js';
import type { ArtifactoryClient } from './types.js';

export type { FetchInit, FetchLike } from './request.js';

export interface ArtifactoryClientOptions extends RequestOptions {
  /** The JPD's name in the topology; every error message starts with it. */
  readonly jpd: string;
  /** Platform base URL, e.g. `https://jpd-a.example.com` (Artifactory is under /artifactory). */
  readonly baseUrl: string;
  /** Access token sent as `Authorization: Bearer`; never printed. */
  readonly token: string;
  /** Use this dispatcher instead of building one from `http` (the client will not close it). */
  readonly dispatcher?: Dispatcher;
  /** Environment for NODE_EXTRA_CA_CERTS when `http.caFile` is set; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The debug log, when it is on: one line per request sent. */
  readonly requestLog?: RequestLog;
}

/** A client that owns a connection pool; `close()` releases it. */
export interface ClosableArtifactoryClient extends ArtifactoryClient, MarkerApi {
  close(): Promise<void>;
}

export function createArtifactoryClient(
  options: ArtifactoryClientOptions,
): ClosableArtifactoryClient {
  // Checked before the dispatcher exists, so a bad URL or token leaves no pool open.
  const target = resolveTarget(options);
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    createHttpDispatcher(options.http, options.env, options.requestLog?.forJpd(options.jpd));
  const request = createRequestCore(target, options, dispatcher);
  return {
    jpd: request.jpd,
    baseUrl: request.baseUrl,
    ...createPlatformApi(request),
    ...createRepositoriesApi(request),
    ...createTrustApi(request),
    ...createFederationApi(request),
    ...createMarkerApi(request),
    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

/** Checks the base URL and the token; nothing that fails here is quoted. */
function resolveTarget(options: {
  readonly jpd: string;
  readonly baseUrl: string;
  readonly token: string;
}): Target {
  const { jpd } = options;
  const base = parseBaseUrl(jpd, options.baseUrl);
  const token = options.token.trim();
  if (token === '') throw new MissingSecretError(`${jpd}: the access token is empty`);
  // A header value with a control character makes fetch throw a TypeError that quotes the value.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new FedctlError(
      `${jpd}: the access token contains characters that cannot go in an HTTP header`,
      { code: 'E_TOKEN_INVALID' },
    );
  }
  return { jpd, ...base, token };
}

function parseBaseUrl(jpd: string, baseUrl: string): { url: string; path: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new FedctlError(`${jpd}: baseUrl is not a URL`, { code: 'E_JPD_CONFIG' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new FedctlError(`${jpd}: baseUrl must be http:// or https://`, { code: 'E_JPD_CONFIG' });
  }
  // fetch refuses URLs with credentials, and its error would quote them.
  if (url.username !== '' || url.password !== '') {
    throw new FedctlError(
      `${jpd}: baseUrl must not contain credentials; the token is sent as a header`,
      { code: 'E_JPD_CONFIG' },
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new FedctlError(`${jpd}: baseUrl must not have a query or fragment`, {
      code: 'E_JPD_CONFIG',
    });
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { url: `${url.origin}${path}`, path };
}
