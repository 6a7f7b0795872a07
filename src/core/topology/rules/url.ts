/**
 * One rule per URL problem. `checkUrl` reports the first problem of each URL, so a JPD gets at
 * most one of these.
 */
import type { TopologyRule } from './types.js';
import type { UrlProblemCode } from './url-check.js';

function urlRule(code: UrlProblemCode, description: string): TopologyRule {
  return {
    meta: [{ code, severity: 'error', description }],
    check: ({ model }) =>
      model.jpds.flatMap((jpd) =>
        jpd.url.code === code ? [{ path: [...jpd.path, 'url'], message: jpd.url.problem }] : [],
      ),
  };
}

export const invalidUrl = urlRule(
  'invalid-url',
  'A JPD URL that does not parse, is not http(s), or has a query or fragment.',
);

export const urlCredentials = urlRule(
  'url-credentials',
  'A JPD URL with a user name or password in it; the token field carries the credential.',
);

export const urlArtifactorySuffix = urlRule(
  'url-artifactory-suffix',
  'A JPD URL ending in /artifactory instead of the platform base URL.',
);

export const insecureHttp = urlRule(
  'insecure-http',
  'Plain http:// to a non-loopback host without allowInsecureHttp: the token would travel unencrypted.',
);
