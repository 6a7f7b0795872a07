/**
 * Every `RemoteError` the Artifactory client throws is built here, so every message and hint
 * passes the redactor: an HTTP error with the server's own words and a hint for the status, a
 * body fedctl cannot use, an HTML page where JSON should be.
 */
import { RemoteError } from '../../core/errors.js';
import { RETRY_STATUS_CODES } from '../http/http.js';
import { ShapeError } from './parse.js';
import { bodyKind, htmlTitle, serverMessage, shorten } from './body.js';
import type { Redactor } from './redact.js';
import type { Answer, Call, Target } from './types.js';

/**
 * Artifactory's answer when concurrent changes contend for the central config descriptor; the
 * Terraform provider retries any response containing it (terraform-provider-shared
 * `RetryOnMergeError`). Seen with 400 and 500.
 */
export const CONFIG_LOCK = 'Could not merge and save new descriptor';

export interface Problem {
  readonly status?: number | undefined;
  readonly serverMessage?: string | undefined;
  readonly hint?: string | undefined;
}

/** Plain functions (no `this`), so they can be handed on detached. */
export interface Errors {
  /** The answer with every secret redacted from its whole body, before anything is quoted. */
  readonly clean: (answer: Answer) => Answer;
  readonly remote: (call: Call, problem: Problem, cause?: Error) => RemoteError;
  readonly http: (call: Call, answer: Answer, hint?: string) => RemoteError;
  readonly badBody: (call: Call, answer: Answer, what: string) => RemoteError;
  readonly htmlPage: (call: Call, answer: Answer, expected: string) => RemoteError;
}

/** Every RemoteError is built here, so every message and hint passes the redactor. */
export function createErrors(
  target: Target,
  redactor: Redactor,
  configLockRetries: number,
): Errors {
  const { jpd } = target;
  function remote(call: Call, problem: Problem, cause?: Error): RemoteError {
    const { status, serverMessage: message, hint } = problem;
    return new RemoteError(
      {
        jpd,
        method: call.method,
        path: target.path + call.path,
        ...(status === undefined ? {} : { status }),
        ...(message === undefined ? {} : { serverMessage: redactor.redact(message) }),
        ...(hint === undefined ? {} : { hint: redactor.redact(hint) }),
      },
      cause === undefined ? undefined : { cause },
    );
  }
  function badBody(call: Call, answer: Answer, what: string): RemoteError {
    return remote(call, { status: answer.status, hint: `unexpected response: ${what}` });
  }
  // Redacted before shortening: a secret cut in half by the 300-character limit would no
  // longer match, and its first half would be printed.
  const clean = (answer: Answer): Answer => ({ ...answer, text: redactor.redact(answer.text) });
  return {
    clean,
    remote,
    badBody,
    http(call, raw, hint) {
      const answer = clean(raw);
      return remote(call, {
        status: answer.status,
        serverMessage: serverMessage(answer.contentType, answer.text),
        hint: hint ?? statusHint(jpd, configLockRetries, call, answer),
      });
    },
    htmlPage(call, raw, expected) {
      const answer = clean(raw);
      const title = htmlTitle(answer.text);
      const page = title === undefined ? 'an HTML page' : `an HTML page titled "${title}"`;
      return badBody(
        call,
        answer,
        `expected ${expected}, got ${page}; is a proxy or a login page answering for Artifactory?`,
      );
    },
  };
}

/** An answer's JSON body, narrowed by `parse`; whatever is wrong with it becomes a RemoteError. */
export function parseAnswer<T>(
  errors: Errors,
  call: Call,
  answer: Answer,
  parse: (body: unknown) => T,
): T {
  const kind = bodyKind(answer.contentType, answer.text);
  let body: unknown;
  if (kind === 'json') {
    try {
      body = JSON.parse(answer.text);
    } catch {
      throw errors.badBody(call, answer, 'the body is not valid JSON');
    }
  } else if (kind === 'html') {
    throw errors.htmlPage(call, answer, 'JSON');
  } else if (kind === 'empty') {
    throw errors.badBody(call, answer, 'expected JSON, got an empty body');
  } else {
    throw errors.badBody(
      call,
      answer,
      call.sensitive === true
        ? 'expected JSON, got text'
        : `expected JSON, got text "${shorten(errors.clean(answer).text, 120)}"`,
    );
  }
  try {
    return parse(body);
  } catch (error) {
    if (error instanceof ShapeError) throw errors.badBody(call, answer, error.message);
    throw error;
  }
}

function statusHint(
  jpd: string,
  configLockRetries: number,
  call: Call,
  answer: Answer,
): string | undefined {
  const { status } = answer;
  if (status === 401) {
    return `the token for ${jpd} was not accepted (missing, expired or revoked); ${call.step} needs ${call.needs}`;
  }
  if (status === 403) {
    return `the token for ${jpd} lacks the permission: ${call.step} needs ${call.needs}`;
  }
  if (status >= 300 && status < 400) {
    const to = answer.location === undefined ? '' : ` to ${withoutQuery(answer.location)}`;
    return `redirected${to}; set the JPD's baseUrl to the address Artifactory answers on`;
  }
  if (answer.text.includes(CONFIG_LOCK)) {
    return `Artifactory's configuration stayed locked by concurrent changes after ${configLockRetries} retries`;
  }
  if (RETRY_STATUS_CODES.includes(status)) {
    return `${jpd} is busy or unavailable, still after retries`;
  }
  if (status === 405 && isLegacyStatusPath(call.path)) {
    return `the Artifactory Federation Service (RTFS) is enabled on ${jpd}, which answers the legacy federation status APIs with 405`;
  }
  if (status === 405 && call.path.startsWith('/artifactory/api/federation/status/')) {
    return `the Artifactory Federation Service (RTFS) is not enabled on ${jpd}; receiver mode and these status APIs need it`;
  }
  if (bodyKind(answer.contentType, answer.text) === 'html') {
    return "an HTML page is not Artifactory's API: is a proxy or a login page answering for it?";
  }
  return undefined;
}

/** The legacy engine's monitoring (JFrog's OpenAPI: "405 Method Not Allowed - RTFS is enabled"). */
function isLegacyStatusPath(path: string): boolean {
  return (
    path === '/artifactory/api/federation/state' ||
    path.startsWith('/artifactory/api/federation/status/repo/') ||
    path.startsWith('/artifactory/api/v2/federation/status/repo/') ||
    path.startsWith('/artifactory/api/federation/status/mirrorsLag') ||
    path.startsWith('/artifactory/api/federation/status/unavailableMirrors')
  );
}

function withoutQuery(location: string): string {
  const cut = location.search(/[?#]/);
  return cut === -1 ? location : location.slice(0, cut);
}
