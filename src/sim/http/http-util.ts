import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error answered in Artifactory's shape: `{"errors":[{"status":…,"message":…}]}`. */
export class ArtifactoryHttpError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'ArtifactoryHttpError';
    this.status = status;
    this.headers = headers;
  }
}

export function errorBody(status: number, message: string): string {
  return JSON.stringify({ errors: [{ status, message }] });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ArtifactoryHttpError): void {
  const text = errorBody(error.status, error.message);
  res.writeHead(error.status, {
    ...error.headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export async function readBody(
  req: IncomingMessage,
  limitBytes = 512 * 1024 * 1024,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limitBytes) throw new ArtifactoryHttpError(413, 'Request entity too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON request body; the result stays `unknown` until a caller narrows it. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new ArtifactoryHttpError(400, 'Failed to parse the request body as JSON');
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Artifactory accepts `enabled` as a boolean and, in some versions and docs, as "true"/"false". */
export function parseBooleanLike(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ArtifactoryHttpError(400, `Invalid value for '${field}': expected true or false`);
}

/** `Array.isArray` narrows to `any[]`; this keeps the items `unknown` for the caller to check. */
export function arrayOf(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? (value as readonly unknown[]) : undefined;
}
