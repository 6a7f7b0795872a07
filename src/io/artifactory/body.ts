/**
 * Reading a response body with a cap. `Response.text()` reads whatever a server sends: a 200 MB
 * answer cost 840 MB of memory and a 600 MB one ended in ERR_STRING_TOO_LONG after 1.3 GB. Here the declared Content-Length is checked first, then the body is read as a stream and
 * the connection dropped as soon as it passes the cap.
 */
import { constants } from 'node:buffer';

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
