/**
 * A server that echoed the token base64- or percent-encoded got it printed. The
 * redactor recognises every registered secret as is, in base64 and base64url at any alignment,
 * percent-encoded (either case, partly or fully) and in hex.
 */
import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../../src/io/artifactory/redact.js';

const SECRET = 'cmVmdGtuOjAxOjE3MDAw-secret/token+value';

function redactor(): Redactor {
  const r = new Redactor();
  r.add(SECRET);
  return r;
}

const hex = Buffer.from(SECRET).toString('hex');

describe('Redactor', () => {
  it.each([
    ['as is', SECRET],
    ['base64', Buffer.from(SECRET).toString('base64')],
    ['base64url', Buffer.from(SECRET).toString('base64url')],
    ['base64 of a Bearer header', Buffer.from(`Bearer ${SECRET}`).toString('base64')],
    ['base64 of Basic credentials', Buffer.from(`admin:${SECRET}`).toString('base64')],
    ['base64url after two bytes', Buffer.from(`a:${SECRET}`).toString('base64url')],
    ['percent-encoded', encodeURIComponent(SECRET)],
    ['percent-encoded, lower case', encodeURIComponent(SECRET).toLowerCase()],
    ['every byte percent-encoded', hex.replace(/(..)/g, '%$1')],
    ['hex', hex],
    ['HEX', hex.toUpperCase()],
  ])('%s', (_name, form) => {
    const out = redactor().redact(`echo: <${form}> end`);
    expect(out).toContain(REDACTED);
    expect(out).not.toContain(form);
    // What survives decodes to no more than a few bytes of the secret at either end.
    const rest = out.split(REDACTED).join(' ');
    for (const decoded of [
      rest,
      Buffer.from(rest.replace(/[^\w+/-]/g, ''), 'base64').toString('latin1'),
    ]) {
      expect(decoded).not.toContain(SECRET.slice(0, 8));
      expect(decoded).not.toContain(SECRET.slice(8, 16));
      expect(decoded).not.toContain(SECRET.slice(-8));
    }
  });

  it('leaves ordinary text alone and still catches JWT-shaped tokens it was never given', () => {
    const r = redactor();
    expect(r.redact('Bad credentials for user admin')).toBe('Bad credentials for user admin');
    expect(r.redact('got eyJhbGciOi.eyJzdWIiOiJh.c2lnbmF0dXJl')).toBe(`got ${REDACTED}`);
  });

  it('does not redact short encoded forms of a short secret, only the secret', () => {
    const r = new Redactor();
    r.add('ab');
    expect(r.redact('ab YWI= 6162')).toBe(`${REDACTED} YWI= 6162`);
  });

  it('secrets added later are redacted too', () => {
    const r = redactor();
    r.add('pairing-token-0123456789');
    expect(r.redact(Buffer.from('pairing-token-0123456789').toString('base64'))).not.toContain(
      'cGFpcmluZy10b2tlbi0wMTIzNDU2Nzg5',
    );
  });
});
