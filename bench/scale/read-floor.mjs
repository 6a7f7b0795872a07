/**
 * The read floor and the naive baseline of the scale suite, run as a child process so that its
 * wall time and peak RSS are measured like fedctl's (./measure.mjs). No fedctl code on the path.
 *
 *   node read-floor.mjs floor   one `/configurations?repoType=federated` GET per JPD, all JPDs at
 *                               once, each body read as text and `JSON.parse`d (what any tool
 *                               must at least do to learn the same facts)
 *   node read-floor.mjs naive   per JPD, the repository list, then one GET per repository, 4 at a
 *                               time per JPD (fedctl's per-JPD request cap), each body parsed: a
 *                               per-resource tool, as the Terraform provider reads
 *
 * Targets come in FLOOR_TARGETS as JSON `[{url, token}]`. Prints the number of configurations
 * read, which the suite checks.
 */
const targets = JSON.parse(process.env.FLOOR_TARGETS ?? '[]');
const mode = process.argv[2];

async function get(target, path) {
  const response = await globalThis.fetch(`${target.url}${path}`, {
    headers: { authorization: `Bearer ${target.token}`, 'user-agent': 'fedctl-bench' },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return JSON.parse(text);
}

async function floor(target) {
  const body = await get(target, '/artifactory/api/repositories/configurations?repoType=federated');
  return body.FEDERATED.length;
}

async function naive(target) {
  const list = await get(target, '/artifactory/api/repositories?type=federated');
  let next = 0;
  let read = 0;
  const worker = async () => {
    while (next < list.length) {
      const item = list[next++];
      const config = await get(
        target,
        `/artifactory/api/repositories/${encodeURIComponent(item.key)}`,
      );
      if (Array.isArray(config.members)) read += 1;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return read;
}

const read = mode === 'naive' ? naive : floor;
const counts = await Promise.all(targets.map(read));
process.stdout.write(`${counts.reduce((a, b) => a + b, 0)}\n`);
