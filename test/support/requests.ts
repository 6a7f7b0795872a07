/**
 * Records every HTTP request fedctl sends while a function runs, by wrapping the global `fetch`
 * the Artifactory client calls (it looks `fetch` up on every request, so the wrapper sees all of
 * them). The simulator talks to its peers over node:http, so only fedctl's own requests show.
 */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query, without the origin. */
  readonly path: string;
  readonly origin: string;
}

export async function recordRequests<T>(
  run: () => Promise<T>,
): Promise<{ result: T; requests: RecordedRequest[] }> {
  const original = globalThis.fetch;
  const requests: RecordedRequest[] = [];
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    requests.push({
      method: method.toUpperCase(),
      path: url.pathname + url.search,
      origin: url.origin,
    });
    return original(input, init);
  };
  try {
    return { result: await run(), requests };
  } finally {
    globalThis.fetch = original;
  }
}

/** `GET /artifactory/api/…` lines, sorted, for compact assertions. */
export function describeRequests(requests: readonly RecordedRequest[]): string[] {
  return requests.map((r) => `${r.method} ${r.path}`).sort();
}
