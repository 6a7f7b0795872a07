/**
 * Federation membership: local create/update/delete of federated repositories, propagation of the
 * configuration to every member over HTTP (auto-creating the repository where it is missing), and
 * the receiving end of that propagation (the peer API).
 *
 * Peer API (internal, never called by fedctl), all under `/artifactory/api/federation/peer/v1`,
 * authenticated with the sending JPD's peer token (see trust.ts):
 *   PUT  /repositories/{key}            {sender, config:{rclass, packageType, settings, members}}
 *   POST /repositories/{key}/events     {sender, fullSync, events:[{path, checksums, content…}]}
 *   GET  /repositories/{key}/inventory  -> {files:[{path, sha256, lastModified}]}
 *   POST /connection-states             {queries:[{repoKey, target}]} -> {states:[…|null]}
 */
import { ArtifactoryHttpError, arrayOf, isRecord, parseBooleanLike } from '../http/http-util.js';
import type { FederationService, JpdHost } from '../jpd-host.js';
import { findRepoCaseInsensitive, type MemberRecord, type RepoRecord } from '../state/model.js';
import {
  LOCAL_ONLY_SETTINGS,
  type MemberModeSupport,
  applyUpdate,
  buildNewRepo,
  propagatedSettings,
  selfMember,
} from '../state/repositories.js';
import {
  checkReceivingOnly,
  hasTrust,
  isReceivingOnlyToward,
  peerIsReceivingOnly,
} from './trust.js';
import { memberUrl, parseMemberUrl } from '../state/urls.js';
import { federationEngine } from '../state/dialects.js';

export const PEER_PREFIX = '/artifactory/api/federation/peer/v1';

/** Fields of an update that touches only this JPD's own copy. */
const LOCAL_ONLY_UPDATE: ReadonlySet<string> = new Set(['key', 'rclass', ...LOCAL_ONLY_SETTINGS]);

export class Federation implements FederationService {
  private readonly jpd: JpdHost;

  constructor(jpd: JpdHost) {
    this.jpd = jpd;
  }

  /** Checks that apply to any membership this JPD saves, whoever asked for it. */
  private checkMembership(repo: RepoRecord, status: number): void {
    const selfUrl = memberUrl(this.jpd.baseUrl, repo.key);
    for (const member of repo.members) {
      if (member.url === selfUrl) continue;
      const location = parseMemberUrl(member.url);
      if (location.baseUrl === this.jpd.baseUrl) {
        throw new ArtifactoryHttpError(
          400,
          `Federated member '${member.url}' points to this JPD; members must be on other JPDs`,
        );
      }
      if (!hasTrust(this.jpd, location.baseUrl)) {
        throw new ArtifactoryHttpError(
          status,
          `No trust is established with ${location.baseUrl}: pair the JPDs (Service Trust pairing) before federating with '${member.url}'`,
        );
      }
    }
    checkReceivingOnly(this.jpd, repo.members, selfUrl, status);
    this.checkEngine(repo.members, status);
  }

  /**
   * Transmission Mode needs the Federation Service on both ends (seed: "RTFS installed and
   * connected on Source and Target"): a JPD that runs the legacy engine refuses a receiver, in a
   * write of its own (400) or in a configuration another member pushes (the simulator's wording).
   */
  private checkEngine(members: readonly MemberRecord[], status: number): void {
    const { dialect, version } = this.jpd.settings;
    if (federationEngine(dialect, version) === 'rtfs') return;
    const receiver = members.find((m) => m.mode === 'receiver');
    if (receiver === undefined) return;
    throw new ArtifactoryHttpError(
      status,
      `Federated member '${receiver.url}' is a receiver: Transmission Mode needs the Artifactory Federation Service (RTFS), which is not enabled on this JPD`,
    );
  }

  private get modeSupport(): MemberModeSupport {
    return this.jpd.settings.dialect.memberMode;
  }

  /** Validates a create without writing anything; `taken` holds keys a batch already claims. */
  prepareCreate(key: string, body: unknown, taken?: ReadonlySet<string>): RepoRecord {
    if (
      findRepoCaseInsensitive(this.jpd.state.repos, key) !== undefined ||
      taken?.has(key.toLowerCase()) === true
    ) {
      throw new ArtifactoryHttpError(
        400,
        'error when validating repository name: Case insensitive repository key already exists',
      );
    }
    const repo = buildNewRepo(key, body, this.jpd.baseUrl, this.modeSupport);
    if (repo.rclass === 'federated') this.checkMembership(repo, 400);
    return repo;
  }

  /** Validates a partial update without writing anything. */
  prepareUpdate(key: string, body: unknown): { repo: RepoRecord; previous: RepoRecord } {
    const existing = this.jpd.state.repos.get(key);
    if (existing === undefined)
      throw new ArtifactoryHttpError(404, `Repository '${key}' not found`);
    const repo = applyUpdate(existing, body, this.jpd.baseUrl, this.modeSupport);
    if (repo.rclass === 'federated') this.checkMembership(repo, 400);
    return { repo, previous: existing };
  }

  /** `PUT /api/repositories/{key}`. */
  async create(key: string, body: unknown): Promise<void> {
    await this.commit(this.prepareCreate(key, body), []);
  }

  /**
   * `POST /api/repositories/{key}`. An update of JPD-specific settings alone (`projectKey`,
   * `environments`) stays on this JPD: nothing to validate against the members, nothing for
   * federation to carry (the simulator's reading; JFrog documents neither way).
   */
  async update(key: string, body: unknown): Promise<void> {
    if (isRecord(body) && Object.keys(body).every((k) => LOCAL_ONLY_UPDATE.has(k))) {
      const existing = this.jpd.state.repos.get(key);
      if (existing === undefined)
        throw new ArtifactoryHttpError(404, `Repository '${key}' not found`);
      this.jpd.state.repos.set(
        key,
        applyUpdate(existing, body, this.jpd.baseUrl, this.modeSupport),
      );
      await this.jpd.persist();
      return;
    }
    const { repo, previous } = this.prepareUpdate(key, body);
    await this.commit(repo, previous.members);
  }

  /**
   * `POST /api/federation/migrate/{key}`: a local repository becomes federated with its content
   * kept and its own member only (reference §3; OpenAPI convertLocalRepositoryToFederated).
   */
  async migrate(key: string): Promise<void> {
    const existing = this.jpd.state.repos.get(key);
    // Artifactory answers 400 for a missing or non-local repository; the texts are our own.
    if (existing === undefined)
      throw new ArtifactoryHttpError(400, `Repository '${key}' does not exist`);
    if (existing.rclass !== 'local')
      throw new ArtifactoryHttpError(400, `Repository '${key}' is not a local repository`);
    const self: MemberRecord = {
      url: memberUrl(this.jpd.baseUrl, key),
      enabled: true,
      mode: 'bidirectional',
    };
    await this.commit({ ...existing, rclass: 'federated', members: [self] }, []);
  }

  /** Deletes the local repository only: the other members keep their copies (terraform-provider-artifactory#704). */
  async delete(key: string): Promise<void> {
    if (!this.jpd.state.repos.has(key))
      throw new ArtifactoryHttpError(404, `Repository '${key}' not found`);
    this.jpd.state.repos.delete(key);
    this.jpd.state.content.delete(key);
    this.jpd.connections.reconcile(key);
    await this.jpd.persist();
  }

  /** `POST /api/federation/configSync/{key}`: push the configuration to every member again. */
  async configSync(key: string): Promise<void> {
    const repo = this.requireFederated(key);
    await this.propagate(repo, repo.members);
  }

  requireFederated(key: string): RepoRecord {
    const repo = this.jpd.state.repos.get(key);
    if (repo === undefined) throw new ArtifactoryHttpError(404, `Repository '${key}' not found`);
    if (repo.rclass !== 'federated') {
      throw new ArtifactoryHttpError(400, `Repository '${key}' is not a federated repository`);
    }
    return repo;
  }

  /** Saves a validated repository, then propagates it to its members. */
  async commit(repo: RepoRecord, previousMembers: readonly MemberRecord[]): Promise<void> {
    this.jpd.state.repos.set(repo.key, repo);
    if (!this.jpd.state.content.has(repo.key)) {
      this.jpd.state.content.set(repo.key, { files: new Map(), folders: new Set() });
    }
    this.jpd.connections.reconcile(repo.key);
    await this.jpd.persist();
    if (repo.rclass === 'federated') await this.propagate(repo, previousMembers);
  }

  /**
   * Pushes the configuration to every current member and to members just removed (which then
   * drop out of the federation). A member that cannot be reached is recorded as inconsistent;
   * the configuration stays saved, as Artifactory does.
   */
  private async propagate(
    repo: RepoRecord,
    previousMembers: readonly MemberRecord[],
  ): Promise<void> {
    const selfUrl = memberUrl(this.jpd.baseUrl, repo.key);
    const targets = new Set<string>();
    for (const m of [...repo.members, ...previousMembers]) {
      // Under a receiving-only trust nothing goes to the source, configuration included.
      if (m.url !== selfUrl && !isReceivingOnlyToward(this.jpd, parseMemberUrl(m.url).baseUrl)) {
        targets.add(m.url);
      }
    }
    await Promise.all([...targets].map((url) => this.pushConfigTo(repo, url)));
  }

  /** Pushes the current configuration of `repo` to one member; records the outcome. */
  async pushConfigTo(repo: RepoRecord, targetUrl: string): Promise<boolean> {
    const location = parseMemberUrl(targetUrl);
    let ok = true;
    try {
      await this.jpd.peer(
        'PUT',
        location.baseUrl,
        `${PEER_PREFIX}/repositories/${encodeURIComponent(location.repoKey)}`,
        {
          sender: memberUrl(this.jpd.baseUrl, repo.key),
          config: {
            rclass: 'federated',
            packageType: repo.packageType,
            settings: propagatedSettings(repo),
            members: repo.members,
          },
        },
      );
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      ok = false;
    }
    const current = this.jpd.state.repos.get(repo.key);
    if (current !== undefined) {
      const others = current.inconsistentMembers.filter((u) => u !== targetUrl);
      const inconsistentMembers =
        ok || !current.members.some((m) => m.url === targetUrl) ? others : [...others, targetUrl];
      if (inconsistentMembers.length !== current.inconsistentMembers.length || !ok) {
        this.jpd.state.repos.set(repo.key, { ...current, inconsistentMembers });
        await this.jpd.persist();
      }
    }
    return ok;
  }

  /** Peer `PUT /repositories/{key}`: apply a configuration another member propagated. */
  async applyPeerConfig(
    key: string,
    senderBaseUrl: string,
    body: unknown,
  ): Promise<{ created: boolean }> {
    if (!isRecord(body) || !isRecord(body['config']) || typeof body['sender'] !== 'string') {
      throw new ArtifactoryHttpError(400, 'Invalid federation configuration message');
    }
    if (parseMemberUrl(body['sender']).baseUrl !== senderBaseUrl) {
      throw new ArtifactoryHttpError(403, 'Sender does not match the authenticated peer');
    }
    if (peerIsReceivingOnly(this.jpd, senderBaseUrl)) {
      throw new ArtifactoryHttpError(
        403,
        `${senderBaseUrl} holds a receiving-only trust with this JPD: its configuration changes are refused`,
      );
    }
    const config = body['config'];
    const existing = this.jpd.state.repos.get(key);
    const clash = findRepoCaseInsensitive(this.jpd.state.repos, key);
    if (existing === undefined && clash !== undefined) {
      throw new ArtifactoryHttpError(
        400,
        'error when validating repository name: Case insensitive repository key already exists',
      );
    }
    if (existing !== undefined && existing.rclass !== 'federated') {
      throw new ArtifactoryHttpError(
        400,
        `Repository '${key}' exists and is not a federated repository`,
      );
    }
    if (existing !== undefined && existing.packageType !== config['packageType']) {
      throw new ArtifactoryHttpError(
        400,
        `Repository '${key}' has package type '${existing.packageType}', not '${String(config['packageType'])}'`,
      );
    }
    const members = parsePeerMembers(config['members'], this.modeSupport === 'supported');
    const selfUrl = memberUrl(this.jpd.baseUrl, key);
    const settings = isRecord(config['settings']) ? config['settings'] : {};
    let repo: RepoRecord =
      existing ??
      buildNewRepo(
        key,
        { rclass: 'federated', packageType: config['packageType'] },
        this.jpd.baseUrl,
        this.modeSupport,
      );
    const localOnly = Object.fromEntries(
      Object.entries(repo.settings).filter(([name]) => LOCAL_ONLY_SETTINGS.has(name)),
    );
    // A member dropped from the federation keeps its repository, alone in its own federation.
    const kept = members.some((m) => m.url === selfUrl)
      ? members
      : [
          selfMember(repo, this.jpd.baseUrl) ?? {
            url: selfUrl,
            enabled: true,
            mode: 'bidirectional' as const,
          },
        ];
    repo = { ...repo, settings: { ...repo.settings, ...settings, ...localOnly }, members: kept };
    checkReceivingOnly(this.jpd, repo.members, selfUrl, 403);
    this.checkEngine(repo.members, 400);
    this.jpd.state.repos.set(key, repo);
    if (!this.jpd.state.content.has(key))
      this.jpd.state.content.set(key, { files: new Map(), folders: new Set() });
    this.jpd.connections.reconcile(key);
    await this.jpd.persist();
    return { created: existing === undefined };
  }
}

/** `withMode` false: a JPD without Transmission Mode takes every member as bidirectional. */
function parsePeerMembers(raw: unknown, withMode: boolean): MemberRecord[] {
  const items = arrayOf(raw);
  if (items === undefined) throw new ArtifactoryHttpError(400, 'Invalid federation members');
  return items.map((item) => {
    if (!isRecord(item) || typeof item['url'] !== 'string') {
      throw new ArtifactoryHttpError(400, 'Invalid federation member');
    }
    const mode = withMode && item['mode'] === 'receiver' ? 'receiver' : 'bidirectional';
    return {
      url: parseMemberUrl(item['url']).url,
      enabled: item['enabled'] === undefined ? true : parseBooleanLike(item['enabled'], 'enabled'),
      mode,
    };
  });
}
