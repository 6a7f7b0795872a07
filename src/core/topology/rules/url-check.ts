/**
 * What fedctl accepts as a JPD URL. The resolver needs the normalised URL and the URL rules need
 * the problem, so both come from this one classification.
 */

export type UrlProblemCode =
  'invalid-url' | 'url-credentials' | 'url-artifactory-suffix' | 'insecure-http';

export type UrlCheck =
  | { readonly code: 'ok'; readonly normalized: string }
  | { readonly code: UrlProblemCode; readonly problem: string };

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The first problem with a JPD's URL, or its normalised form: scheme and host lower-cased, no trailing slash. */
export function checkUrl(raw: string, name: string, allowInsecureHttp: boolean): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { code: 'invalid-url', problem: `URL of JPD "${name}" is not a valid URL: "${raw}"` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      code: 'invalid-url',
      problem: `URL of JPD "${name}" must start with https:// (or http://), not ${url.protocol}//`,
    };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      code: 'url-credentials',
      problem: `URL of JPD "${name}" must not contain credentials; give the token through the token field`,
    };
  }
  if (url.search !== '' || url.hash !== '') {
    return {
      code: 'invalid-url',
      problem: `URL of JPD "${name}" must not have a query or fragment`,
    };
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/artifactory$/i.test(path)) {
    return {
      code: 'url-artifactory-suffix',
      problem: `URL of JPD "${name}" must be the platform base URL without /artifactory (write ${url.origin}${path.replace(/\/artifactory$/i, '')})`,
    };
  }
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    return {
      code: 'insecure-http',
      problem: `JPD "${name}" uses plain http:// to a non-loopback host, which would send its token unencrypted; use https://, or set allowInsecureHttp: true on this JPD`,
    };
  }
  return { code: 'ok', normalized: `${url.origin}${path}` };
}
