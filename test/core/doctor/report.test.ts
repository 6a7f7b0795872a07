/** The doctor's judgement from plain facts: blockers, warnings, JFrog's sentence on custom CAs. */
import { describe, expect, it } from 'vitest';
import {
  judgeDoctor,
  RTFS_CA_SENTENCE,
  sameBaseUrl,
  type JpdFacts,
} from '../../../src/core/doctor/report.js';
import { topologyFrom } from '../../support/topology.js';

const TOPOLOGY = `version: 1
defaults: { packageType: generic }
jpds:
  hub: { url: "https://hub.example.com", token: "\${HUB_TOKEN}" }
  eu: { url: "https://eu.example.com", token: "\${EU_TOKEN}" }
federations:
  - source: hub
    repositories: [libs]
    members: [{ jpd: eu, mode: receiver }]
`;

const topology = () => topologyFrom(TOPOLOGY);

const fine = (name: string, extra: Partial<JpdFacts> = {}): JpdFacts => ({
  name,
  url: `https://${name}.example.com`,
  reach: { ok: { version: '7.117.5' } },
  tls: { scheme: 'https' },
  baseUrl: { ok: `https://${name}.example.com/` },
  admin: { ok: true },
  engine: { rtfsStatus: { ok: 200 }, migration: { ok: 'MIGRATION_COMPLETED' } },
  inconsistentRepos: { ok: 200 },
  ...extra,
});

describe('judgeDoctor', () => {
  it('is ready when every JPD can do what the topology needs', () => {
    const r = judgeDoctor({
      file: 'f.yaml',
      topology: topology(),
      facts: [fine('hub'), fine('eu')],
    });
    expect(r).toMatchObject({ ready: true, blockers: [], warnings: [] });
    expect(r.jpds.map((j) => [j.name, j.sourceOf, j.memberOf, j.baseUrl.status])).toEqual([
      ['eu', 0, 1, 'matches'],
      ['hub', 1, 0, 'matches'],
    ]);
  });

  it("a custom CA or a self-signed certificate with RTFS is a warning in JFrog's words", () => {
    const r = judgeDoctor({
      file: 'f.yaml',
      topology: topology(),
      facts: [
        fine('hub', { tls: { scheme: 'https', customCa: 'caFile ca.pem' } }),
        fine('eu', {
          tls: {
            scheme: 'https',
            certificate: { subject: 'CN=eu', issuer: 'CN=eu', validTo: 'x', selfSigned: true },
          },
        }),
      ],
    });
    expect(r.ready).toBe(true);
    expect(r.warnings.map((w) => w.message)).toEqual([
      `eu: its certificate is self-signed and it runs RTFS. JFrog: "${RTFS_CA_SENTENCE}"`,
      `hub: a custom CA is configured (caFile ca.pem) and it runs RTFS. JFrog: "${RTFS_CA_SENTENCE}"`,
    ]);
  });

  it('unreachable, not admin, another base URL, a receiver on a legacy JPD: one blocker each', () => {
    const r = judgeDoctor({
      file: 'f.yaml',
      topology: topology(),
      facts: [
        fine('hub', {
          admin: { ok: false },
          baseUrl: { ok: 'https://hub.internal' },
          engine: { rtfsStatus: { ok: 405 } },
        }),
        fine('eu', {
          reach: { error: 'eu: GET /artifactory/api/system/version (connection refused)' },
        }),
      ],
    });
    expect(r.ready).toBe(false);
    expect(r.blockers.map((b) => b.code)).toEqual([
      'unreachable',
      'not-admin',
      'base-url-mismatch',
      'receiver-needs-rtfs',
    ]);
    expect(r.blockers[0]?.message).toBe(
      'eu: not usable: eu: GET /artifactory/api/system/version (connection refused)',
    );
    expect(r.blockers[3]?.message).toBe(
      'hub: runs Artifactory 7.117.5 with the legacy federation engine (its RTFS status endpoints answer 405, RTFS not enabled), but a receiver member needs the Federation Service (RTFS) on both ends: eu in hub/libs; only bidirectional members can federate with hub',
    );
  });

  it('base URLs compare without case, a trailing slash or /artifactory', () => {
    expect(sameBaseUrl('HTTPS://Hub.example.com/artifactory/', 'https://hub.example.com')).toBe(
      true,
    );
    expect(sameBaseUrl('https://hub.example.com:8443', 'https://hub.example.com')).toBe(false);
  });
});
