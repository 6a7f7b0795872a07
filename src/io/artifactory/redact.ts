/**
 * Keeps secrets out of anything an error can carry. The client registers its access token and
 * every pairing token it handles; any text taken from a server or a transport error passes through
 * `redact` before it goes into a message or a cause.
 */
export const REDACTED = '[redacted]';

// Artifactory access tokens are JWTs; a server echoing one (or one we were never told about) is
// still caught.
const JWT = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]{4,}/g;

export class Redactor {
  readonly #secrets = new Set<string>();

  add(secret: string): void {
    if (secret !== '') this.#secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join(REDACTED);
    return out.replace(JWT, REDACTED);
  }
}
