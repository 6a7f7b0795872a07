// Generates src/core/topology/types.generated.ts from schemas/federation.schema.json, so the
// TypeScript types follow the schema (the schema is the source of truth). A test fails when the
// committed file is out of date; run `npm run gen:types` after editing the schema.
import { readFile, writeFile } from 'node:fs/promises';
import { compile } from 'json-schema-to-typescript';

export async function generateTopologyTypes() {
  const schema = JSON.parse(
    await readFile(new URL('../schemas/federation.schema.json', import.meta.url), 'utf8'),
  );
  return compile(schema, 'TopologyFile', {
    bannerComment:
      '/* Generated from schemas/federation.schema.json by scripts/gen-types.mjs. Do not edit. */',
    additionalProperties: false,
    strictIndexSignatures: true,
    style: { singleQuote: true, printWidth: 100, trailingComma: 'all' },
    unreachableDefinitions: false,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = new URL('../src/core/topology/types.generated.ts', import.meta.url);
  await writeFile(out, await generateTopologyTypes());
}
