/**
 * Keeps secrets out of anything an error can carry. The client registers its access token and
 * every pairing token it handles; any text taken from a server or a transport error passes through
 * `redact` before it goes into a message or a cause.
 *
 * A server (or a proxy) that echoes what it got may encode it first: the Authorization header
 * base64-encoded, the token percent-encoded in a URL, hex in a debug dump. So
 * each secret is also recognised in those forms. Base64 is matched at each of the three byte
 * alignments a secret can sit at inside a longer encoded text (`Basic base64(user:token)`), by
 * the part of its encoding that depends on the secret's bytes alone.
 */
export const REDACTED = '[redacted]';

// Artifactory access tokens are JWTs; a server echoing one (or one we were never told about) is
// still caught.
const JWT = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]{4,}/g;

/** Encoded forms shorter than this could match ordinary text; the secret itself always counts. */
const MIN_FORM_LENGTH = 8;

export class Redactor {
  readonly #exact = new Set<string>();
  readonly #caseless = new Set<string>();
  #exactPattern: RegExp | undefined;
  #caselessPattern: RegExp | undefined;

  add(secret: string): void {
    if (secret === '') return;
    this.#exact.add(secret);
    for (const form of encodedForms(secret)) {
      if (form.length >= MIN_FORM_LENGTH) this.#exact.add(form);
    }
    for (const form of caselessForms(secret)) {
      if (form.length >= MIN_FORM_LENGTH) this.#caseless.add(form);
    }
    this.#exactPattern = undefined;
    this.#caselessPattern = undefined;
  }

  redact(text: string): string {
    this.#exactPattern ??= alternation(this.#exact, 'g');
    this.#caselessPattern ??= alternation(this.#caseless, 'gi');
    let out = text;
    if (this.#exactPattern !== undefined) out = out.replace(this.#exactPattern, REDACTED);
    if (this.#caselessPattern !== undefined) out = out.replace(this.#caselessPattern, REDACTED);
    return out.replace(JWT, REDACTED);
  }
}

/** base64 and base64url at the three alignments; each is case-sensitive. */
function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
    // Characters 0..start-1 mix in the padding bytes, those from `end` on the bytes after.
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor((shifted.length * 8) / 6);
    forms.push(shifted.toString('base64').slice(start, end));
    forms.push(shifted.toString('base64url').slice(start, end));
  }
  return forms;
}

/** Percent-encoding (as encodeURIComponent does it, and of every byte) and hex: any letter case. */
function caselessForms(secret: string): string[] {
  const hex = Buffer.from(secret, 'utf8').toString('hex');
  return [encodeURIComponent(secret), hex.replace(/(..)/g, '%$1'), hex];
}

function alternation(forms: ReadonlySet<string>, flags: string): RegExp | undefined {
  if (forms.size === 0) return undefined;
  // Longest first, so a form that contains another is replaced whole.
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), flags);
}
