import { JfrogClient } from 'jfrog-client-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimJpd } from '../../src/sim/index.js';
import {
  api,
  connections,
  createFederation,
  deploy,
  download,
  eventually,
  firstError,
} from './helpers.js';
import { componentSchema, requireAll, responseSchema, validationErrors } from './openapi.js';

describe('simulator responses against JFrog OpenAPI and documented samples', () => {
  let sim: Simulator;
  let hub: SimJpd;
  let spoke: SimJpd;

  beforeAll(async () => {
    sim = await startSimulator({ jpds: [{ name: 'hub' }, { name: 'spoke' }] });
    hub = sim.jpd('hub');
    spoke = sim.jpd('spoke');
    expect((await createFederation(hub, 'fid', [{ jpd: spoke, mode: 'receiver' }])).status).toBe(
      200,
    );
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('ping and version', async () => {
    const ping = await api(hub, 'GET', '/artifactory/api/system/ping', { token: null });
    expect(
      validationErrors(responseSchema('artifactoryPing', '200', 'text/plain'), ping.text),
    ).toEqual([]);
    expect(ping.text).toBe('OK');
    const version = await api(hub, 'GET', '/artifactory/api/system/version');
    expect(
      validationErrors(requireAll(responseSchema('getArtifactoryVersion', '200')), version.json),
    ).toEqual([]);
    expect(version.json).toMatchObject({ license: 'Enterprise+' });
  });

  it('deploy answers ItemCreated; checksum mismatch is a 409 ErrorResponse', async () => {
    const res = await api(hub, 'PUT', '/artifactory/fid/dir/sub/file.json', {
      raw: '{"a":1}',
      headers: {
        'X-Checksum-Sha1': 'a5d6c7a6b5a3bb7f4b3b6d9c6a67ab7f2ed1a0a8'.replace(/./g, (c) => c),
      },
    });
    // That header is deliberately wrong: the content's SHA-1 differs.
    expect(res.status).toBe(409);
    expect(validationErrors(requireAll(responseSchema('deployArtifact', '409')), res.json)).toEqual(
      [],
    );

    const ok = await api(hub, 'PUT', '/artifactory/fid/dir/sub/file.json', {
      raw: '{"a":1}',
      headers: {
        'X-Checksum-Sha256': '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862',
      },
    });
    expect(ok.status).toBe(201);
    expect(validationErrors(requireAll(responseSchema('deployArtifact', '201')), ok.json)).toEqual(
      [],
    );
    expect(ok.json).toMatchObject({
      repo: 'fid',
      path: '/dir/sub/file.json',
      size: '7',
      mimeType: 'application/json',
      downloadUri: `${hub.url}/artifactory/fid/dir/sub/file.json`,
      uri: `${hub.url}/artifactory/api/storage/fid/dir/sub/file.json`,
    });
    // Checksum deploy (jfrog-client-go tries it first): 201 when the content exists, else 404.
    const sha256 = '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862';
    const byChecksum = await api(hub, 'PUT', '/artifactory/fid/copy/file.json', {
      headers: { 'X-Checksum-Deploy': 'true', 'X-Checksum-Sha256': sha256 },
    });
    expect([byChecksum.status, (byChecksum.json as { size?: string }).size]).toEqual([201, '7']);
    const unknown = await api(hub, 'PUT', '/artifactory/fid/copy/other.json', {
      headers: { 'X-Checksum-Deploy': 'true', 'X-Checksum': 'f'.repeat(40) },
    });
    expect(unknown.status).toBe(404);
    const generic = await api(hub, 'PUT', '/artifactory/fid/copy/bad.json', {
      raw: 'x',
      headers: { 'X-Checksum': 'f'.repeat(64) },
    });
    expect(generic.status).toBe(409);
    const missingRepo = await deploy(hub, 'no-such-repo', 'x.txt', 'x');
    expect(missingRepo.status).toBe(404);
    expect(
      validationErrors(requireAll(responseSchema('deployArtifact', '404')), missingRepo.json),
    ).toEqual([]);
  });

  it('download carries checksum headers; storage answers FileInfo, FolderInfo and FileList', async () => {
    const created = await deploy(hub, 'fid', 'lib/a.bin', 'binary-a');
    const sums = (created.json as { checksums: { sha1: string; sha256: string; md5: string } })
      .checksums;
    const got = await download(hub, 'fid', 'lib/a.bin');
    expect([
      got.headers.get('x-checksum-sha1'),
      got.headers.get('x-checksum-sha256'),
      got.headers.get('x-checksum-md5'),
    ]).toEqual([sums.sha1, sums.sha256, sums.md5]);
    const file = await api(hub, 'GET', '/artifactory/api/storage/fid/lib/a.bin');
    expect(
      validationErrors(
        requireAll(componentSchema('getStorageItem', 'FileInfo'), ['remoteUrl']),
        file.json,
      ),
    ).toEqual([]);
    const folder = await api(hub, 'GET', '/artifactory/api/storage/fid/lib');
    expect(
      validationErrors(requireAll(componentSchema('getStorageItem', 'FolderInfo')), folder.json),
    ).toEqual([]);
    expect(folder.json).toMatchObject({
      path: '/lib',
      children: [{ uri: '/a.bin', folder: false }],
    });
    const root = await api(hub, 'GET', '/artifactory/api/storage/fid');
    expect(root.json).toMatchObject({
      path: '/',
      children: expect.arrayContaining([{ uri: '/lib', folder: true }]) as unknown,
    });
    const list = await api(hub, 'GET', '/artifactory/api/storage/fid/lib?list&deep=1');
    expect(
      validationErrors(
        requireAll(componentSchema('getStorageItem', 'FileList'), ['mdTimestamps']),
        list.json,
      ),
    ).toEqual([]);
    const missing = await api(hub, 'GET', '/artifactory/api/storage/fid/nope');
    expect(missing.status).toBe(404);
    expect(
      validationErrors(requireAll(responseSchema('getStorageItem', '404')), missing.json),
    ).toEqual([]);
  });

  it('repository GET, list and configurations have the documented shapes', async () => {
    const repo = await api(hub, 'GET', '/artifactory/api/repositories/fid');
    // Every field of JFrog's own GET fixture (jfrog-cli-core federated_repo.json), plus mode.
    expect(Object.keys(repo.json as object)).toEqual([
      'key',
      'packageType',
      'description',
      'notes',
      'includesPattern',
      'excludesPattern',
      'repoLayoutRef',
      'signedUrlTtl',
      'enableComposerSupport',
      'enableNuGetSupport',
      'enableGemsSupport',
      'enableNpmSupport',
      'enableBowerSupport',
      'enableChefSupport',
      'enableCocoaPodsSupport',
      'enableConanSupport',
      'enableDebianSupport',
      'debianTrivialLayout',
      'ddebSupported',
      'enablePypiSupport',
      'enablePuppetSupport',
      'enableDockerSupport',
      'dockerApiVersion',
      'blockPushingSchema1',
      'forceNugetAuthentication',
      'forceConanAuthentication',
      'enableVagrantSupport',
      'enableGitLfsSupport',
      'enableDistRepoSupport',
      'priorityResolution',
      'checksumPolicyType',
      'handleReleases',
      'handleSnapshots',
      'maxUniqueSnapshots',
      'maxUniqueTags',
      'snapshotVersionBehavior',
      'suppressPomConsistencyChecks',
      'blackedOut',
      'propertySets',
      'archiveBrowsingEnabled',
      'calculateYumMetadata',
      'enableFileListsIndexing',
      'yumRootDepth',
      'dockerTagRetention',
      'enableComposerV1Indexing',
      'terraformType',
      'members',
      'disableProxy',
      'downloadRedirect',
      'cdnRedirect',
      'xrayIndex',
      'xrayDataTtl',
      'cargoAnonymousAccess',
      'cargoInternalIndex',
      'rclass',
    ]);
    expect((repo.json as { members: unknown }).members).toEqual([
      { url: `${hub.url}/artifactory/fid`, enabled: true, mode: 'bidirectional' },
      { url: `${spoke.url}/artifactory/fid`, enabled: true, mode: 'receiver' },
    ]);

    const list = await api(hub, 'GET', '/artifactory/api/repositories?type=federated');
    expect(
      validationErrors(
        requireAll(responseSchema('getRepositoriesByTypeAndProject', '200'), ['description']),
        list.json,
      ),
    ).toEqual([]);
    expect(list.json).toEqual([
      { key: 'fid', type: 'FEDERATED', url: `${hub.url}/artifactory/fid`, packageType: 'Generic' },
    ]);

    const configs = await api(hub, 'GET', '/artifactory/api/repositories/configurations');
    expect(
      validationErrors(
        requireAll(responseSchema('getAllRepositoryConfigurations', '200')),
        configs.json,
      ),
    ).toEqual([]);
    expect((configs.json as { FEDERATED: unknown[] }).FEDERATED).toEqual([repo.json]);
    const locals = await api(
      hub,
      'GET',
      '/artifactory/api/repositories/configurations?repoType=local',
    );
    expect((locals.json as { FEDERATED: unknown[] }).FEDERATED).toEqual([]);

    // enabled as the string "true" is accepted (a JFrog doc example sends it so).
    const update = await api(hub, 'POST', '/artifactory/api/repositories/fid', {
      body: {
        description: 'updated',
        members: [{ url: `${spoke.url}/artifactory/fid`, enabled: 'true', mode: 'receiver' }],
      },
    });
    expect(update.status).toBe(200);
    const propagated = await api(spoke, 'GET', '/artifactory/api/repositories/fid');
    expect(propagated.json).toMatchObject({ description: 'updated' });
  });

  it('monitoring bodies validate; stateList uses the doc sample field names', async () => {
    await eventually(
      () => connections(hub, 'fid'),
      (l) => l.every((c) => c.status !== 'PENDING_FS' && c.status !== 'FULL_SYNC_RUNNING'),
    );
    const states = await api(hub, 'GET', '/artifactory/api/federation/status/connectionStates/fid');
    // The stricter copy of the schema does reject an incomplete entry.
    expect(
      validationErrors(requireAll(responseSchema('getFederationConnectionDetails', '200')), {
        memberConnections: [{ localRepoKey: 'fid', status: 'HEALTHY' }],
      }),
    ).not.toEqual([]);
    expect(
      validationErrors(
        requireAll(responseSchema('getFederationConnectionDetails', '200')),
        states.json,
      ),
    ).toEqual([]);
    const summary = await api(hub, 'GET', '/artifactory/api/federation/status/stateSummary');
    expect(
      validationErrors(
        requireAll(responseSchema('getFederationStateSummaries', '200')),
        summary.json,
      ),
    ).toEqual([]);
    const details = await api(hub, 'GET', '/artifactory/api/federation/status/stateList');
    expect(
      validationErrors(responseSchema('getFederationStateDetails', '200'), details.json),
    ).toEqual([]);
    const first = (details.json as { federations: { memberInfoList: object[] }[] }).federations[0]
      ?.memberInfoList[0];
    expect(Object.keys(first ?? {})).toEqual([
      'url',
      'repoKey',
      'aggregatedStatus',
      'supported',
      'disabled',
      'inLag',
    ]);
    const missing = await api(
      hub,
      'GET',
      '/artifactory/api/federation/status/connectionStates/none',
    );
    expect(firstError(missing)).toEqual({ status: 404, message: "Repository 'none' not found" });
  });

  it('pairing and full sync bodies validate', async () => {
    const issued = await api(
      hub,
      'POST',
      '/artifactory/api/v1/service_trust/pairing/federated-repo/*',
    );
    expect(
      validationErrors(requireAll(responseSchema('generatePairingToken', '200')), issued.json),
    ).toEqual([]);
    const exchanged = await api(
      spoke,
      'PUT',
      '/artifactory/api/v1/service_trust/pairing/federated-repo/*',
      {
        body: issued.json,
      },
    );
    expect(
      validationErrors(requireAll(responseSchema('exchangePairingToken', '200')), exchanged.json),
    ).toEqual([]);
    const sync = await api(
      hub,
      'POST',
      `/artifactory/api/federation/fullSync/fid?mirror=${encodeURIComponent(`${spoke.url}/artifactory/fid`)}`,
    );
    expect(
      validationErrors(
        requireAll(responseSchema('federatedRepositoryFullSync', '200'), ['resultPaths']),
        sync.json,
      ),
    ).toEqual([]);
    const dry = await api(hub, 'POST', '/artifactory/api/federation/fullSync/fid?isDry=true');
    expect(
      validationErrors(requireAll(responseSchema('federatedRepositoryFullSync', '200')), dry.json),
    ).toEqual([]);
  });

  it("JFrog's own JavaScript client pings, reads the version and downloads an artifact", async () => {
    expect((await deploy(hub, 'fid', 'client/hello.txt', 'hello from the simulator')).status).toBe(
      201,
    );
    const client = new JfrogClient({
      platformUrl: `${hub.url}/`,
      accessToken: hub.token,
      retries: 0,
    });
    const artifactory = client.artifactory();
    expect(await artifactory.system().ping()).toBe('OK');
    expect(await artifactory.system().version()).toMatchObject({
      version: expect.stringMatching(/^7\./) as unknown,
    });
    expect(await artifactory.download().downloadArtifact('fid/client/hello.txt')).toBe(
      'hello from the simulator',
    );
    const checksum = await artifactory.download().getArtifactChecksum('fid/client/hello.txt');
    expect(checksum.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
