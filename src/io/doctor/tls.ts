/**
 * The TLS details `fedctl doctor` shows for an https JPD: the certificate the server presents
 * (subject, issuer, expiry, self-signed or not) and where extra CAs come from. One connection,
 * nothing sent over it; the certificate is read whether or not it verifies (the version read
 * already says whether fedctl can talk to the JPD).
 */
import { connect, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';
import type { TlsFacts } from '../../core/doctor/report.js';
import { caCertificates } from '../http/http.js';

const TIMEOUT_MS = 10_000;

function name(part: PeerCertificate['subject'] | undefined): string {
  if (part === undefined) return '?';
  const cn = part.CN;
  const o = part.O;
  return [
    cn === undefined ? undefined : `CN=${String(cn)}`,
    o === undefined ? undefined : `O=${String(o)}`,
  ]
    .filter((x): x is string => x !== undefined)
    .join(', ');
}

/** `caFile`: the file as the topology names it (`shown`) and resolved against it (`path`). */
export async function probeTls(
  url: string,
  caFile: { readonly path: string; readonly shown: string } | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<TlsFacts> {
  const target = new URL(url);
  const extra = env['NODE_EXTRA_CA_CERTS'];
  const customCa =
    caFile !== undefined
      ? `caFile ${caFile.shown}`
      : extra !== undefined && extra !== ''
        ? 'NODE_EXTRA_CA_CERTS'
        : undefined;
  const base = { ...(customCa === undefined ? {} : { customCa }) };
  if (target.protocol !== 'https:') return { scheme: 'http', ...base };
  try {
    const ca = caCertificates(caFile?.path, env);
    const certificate = await new Promise<DetailedPeerCertificate>((resolve, reject) => {
      const socket = connect({
        host: target.hostname,
        port: target.port === '' ? 443 : Number(target.port),
        servername: target.hostname,
        rejectUnauthorized: false,
        ...(ca === undefined ? {} : { ca }),
        timeout: TIMEOUT_MS,
      });
      socket.once('secureConnect', () => {
        const cert = socket.getPeerCertificate(true);
        socket.end();
        resolve(cert);
      });
      socket.once('timeout', () => {
        socket.destroy();
        reject(new Error(`no TLS handshake within ${TIMEOUT_MS / 1000}s`));
      });
      socket.once('error', reject);
    });
    if (Object.keys(certificate).length === 0) {
      return { scheme: 'https', ...base, error: 'the server presented no certificate' };
    }
    return {
      scheme: 'https',
      ...base,
      certificate: {
        subject: name(certificate.subject),
        issuer: name(certificate.issuer),
        validTo: certificate.valid_to,
        selfSigned:
          certificate.fingerprint256 === certificate.issuerCertificate.fingerprint256 ||
          JSON.stringify(certificate.subject) === JSON.stringify(certificate.issuer),
      },
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code; // net and tls errors carry a code
    return {
      scheme: 'https',
      ...base,
      error: code ?? (error instanceof Error ? error.message : String(error)),
    };
  }
}
