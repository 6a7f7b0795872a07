/**
 * A response body: read with a cap, and judged (JSON, an HTML page, plain text; the server's own
 * words in it). `Response.text()` reads whatever a server sends: a 200 MB answer cost 840 MB of
 * memory and a 600 MB one ended in ERR_STRING_TOO_LONG after 1.3 GB. Here the declared
 * Content-Length is checked first, then the body is read as a stream and the connection dropped
 * as soon as it passes the cap.
 */
import { constants } from 'node:buffer';
import { isRecord } from './parse.js';

/** 512 MiB: far above any Artifactory configuration list, far below what would exhaust memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

/**
 * The longest string V8 can make (2^29 - 24 code units on 64-bit Node 20). UTF-8 decodes to at
 * most one UTF-16 code unit per byte, so a body no longer than this always fits in a string.
 */
export const MAX_TEXT_BYTES = constants.MAX_STRING_LENGTH;

/** The body passed the cap; the message is what the user sees after "<jpd>: GET <path> -> 200". */
export class ResponseTooLarge extends Error {
  constructor(limit: number, declared?: number) {
    super(
      `response larger than ${limit} bytes${declared === undefined ? '' : `: Content-Length ${declared}`}`,
    );
    this.name = 'ResponseTooLarge';
  }
}

/** The body as text (UTF-8, BOM dropped, invalid bytes replaced, as `Response.text()` does). */
export async function readBody(response: Response, maxBytes: number): Promise<string> {
  const limit = Math.min(maxBytes, MAX_TEXT_BYTES);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLarge(limit, declared);
  }
  if (response.body === null) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Cancelling the stream aborts the request: undici closes the socket mid-body.
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLarge(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks, total));
}

/** What kind of text a response body is, judged from its Content-Type and its first character. */
export type BodyKind = 'json' | 'html' | 'text' | 'empty';

export function bodyKind(contentType: string, text: string): BodyKind {
  const head = text.trimStart();
  if (head === '') return 'empty';
  const type = contentType.toLowerCase();
  if (type.includes('html') || /^<(!doctype|html|head|body)\b/i.test(head)) return 'html';
  // Artifactory also answers with vendor types such as
  // application/vnd.org.jfrog.artifactory.repositories.RepositoryConfigurationsList+json.
  if (type.includes('json') || head.startsWith('{') || head.startsWith('[')) return 'json';
  return 'text';
}

/** The `<title>` of an HTML page, to tell a login page from a proxy's error page. */
export function htmlTitle(text: string): string | undefined {
  const match = /<title[^>]*>([^<]*)<\/title>/i.exec(text);
  const title = match?.[1]?.replace(/\s+/g, ' ').trim();
  return title === undefined || title === '' ? undefined : shorten(title, 80);
}

export function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/**
 * The server's own words from an error response: the messages of `{"errors":[{status,message}]}`
 * (Artifactory), `{"message"}` or `{"error"}` (other services), or a short text body.
 */
export function serverMessage(contentType: string, text: string): string | undefined {
  const kind = bodyKind(contentType, text);
  if (kind === 'empty') return undefined;
  if (kind === 'html') {
    const title = htmlTitle(text);
    return title === undefined ? 'an HTML page' : `an HTML page titled "${title}"`;
  }
  if (kind === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return shorten(text, 300);
    }
    const messages = jsonMessages(parsed);
    return messages.length > 0 ? shorten(messages.join('; '), 300) : shorten(text, 300);
  }
  return shorten(text, 300);
}

function jsonMessages(parsed: unknown): string[] {
  if (!isRecord(parsed)) return [];
  const errors = parsed['errors'];
  if (Array.isArray(errors)) {
    return (errors as readonly unknown[]).flatMap((e) =>
      isRecord(e) && typeof e['message'] === 'string' && e['message'].trim() !== ''
        ? [e['message'].trim()]
        : [],
    );
  }
  for (const key of ['message', 'error', 'detail']) {
    const value = parsed[key];
    if (typeof value === 'string' && value.trim() !== '') return [value.trim()];
  }
  return [];
}
