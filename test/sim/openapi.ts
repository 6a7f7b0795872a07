/**
 * Validation of simulator responses against JFrog's OpenAPI fragments (test/fixtures/openapi).
 * OpenAPI 3.1 schemas are JSON Schema 2020-12, so ajv's 2020 dialect compiles them once their
 * `$ref`s into `components` are inlined.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function loadOperation(name: string): { [key: string]: Json } {
  const url = new URL(`../fixtures/openapi/${name}.json`, import.meta.url);
  const doc = JSON.parse(readFileSync(url, 'utf8')) as Json; // JSON text: Json by construction
  if (!isObject(doc)) throw new Error(`${name}: not an object`);
  return doc;
}

function inline(node: Json, doc: { [key: string]: Json }): Json {
  if (Array.isArray(node)) return node.map((n) => inline(n, doc));
  if (!isObject(node)) return node;
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    let target: Json | undefined = doc;
    for (const part of ref.replace(/^#\//, '').split('/'))
      target = isObject(target) ? target[part] : undefined;
    if (target === undefined) throw new Error(`unresolved ${ref}`);
    return inline(target, doc);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, doc)]));
}

/** The response schema of the document's single operation for `status` and `mediaType`. */
export function responseSchema(
  name: string,
  status: string,
  mediaType = 'application/json',
): { [key: string]: Json } {
  const doc = loadOperation(name);
  const paths = doc['paths'];
  const pathItem = isObject(paths) ? Object.values(paths)[0] : undefined;
  const operation = isObject(pathItem) ? Object.values(pathItem)[0] : undefined;
  const responses = isObject(operation) ? operation['responses'] : undefined;
  const response = isObject(responses) ? responses[status] : undefined;
  const content = isObject(response) ? response['content'] : undefined;
  const media = isObject(content) ? content[mediaType] : undefined;
  const schema = isObject(media) ? media['schema'] : undefined;
  if (!isObject(schema)) throw new Error(`${name}: no ${status} ${mediaType} schema`);
  const inlined = inline(schema, doc);
  if (!isObject(inlined)) throw new Error(`${name}: schema is not an object`);
  return inlined;
}

/** One branch of a `oneOf` schema component, by name (getStorageItem's 200 is unusable whole). */
export function componentSchema(name: string, component: string): { [key: string]: Json } {
  const doc = loadOperation(name);
  const components = doc['components'];
  const schemas = isObject(components) ? components['schemas'] : undefined;
  const schema = isObject(schemas) ? schemas[component] : undefined;
  if (!isObject(schema)) throw new Error(`${name}: no component ${component}`);
  const inlined = inline(schema, doc);
  if (!isObject(inlined)) throw new Error(`${name}: ${component} is not an object`);
  return inlined;
}

/**
 * JFrog's schemas list properties but never require them, so anything passes. This copy requires
 * every declared property (but `optional`), at every depth, so a missing field fails the test.
 */
export function requireAll(schema: Json, optional: readonly string[] = []): Json {
  if (Array.isArray(schema)) return schema.map((s) => requireAll(s, optional));
  if (!isObject(schema)) return schema;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      key === 'properties' && isObject(value)
        ? Object.fromEntries(Object.entries(value).map(([p, s]) => [p, requireAll(s, optional)]))
        : requireAll(value, optional);
  }
  const properties = schema['properties'];
  if (isObject(properties)) {
    out['required'] = Object.keys(properties).filter((p) => !optional.includes(p));
  }
  return out;
}

const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addKeyword('example');
ajv.addFormat('date-time', (s: string) =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s),
);
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addFormat('binary', () => true);
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });

/** The ajv errors of `value` against `schema`, as readable strings (empty when valid). */
export function validationErrors(schema: Json, value: unknown): string[] {
  if (!isObject(schema)) throw new Error('schema must be an object');
  const validate = ajv.compile(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
