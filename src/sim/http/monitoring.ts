/**
 * Federation monitoring (the RTFS endpoints): connectionStates, stateSummary, stateList.
 *
 * Contract (fedctl's verifier relies on it; also in docs/simulator.md):
 *
 * For a federated repository on this JPD, every other member M gives two directed connections,
 * listed in member order, outbound first. In each entry `localRepoKey`/`localPlatformUrl` name the
 * SENDING side and `remoteRepoKey`/`remotePlatformUrl` the receiving side (as in JFrog's sample,
 * where the second entry of a pair has the two sides swapped). The status of a connection is the
 * first that applies:
 *   1. DISABLED          either end's member has `enabled: false` (`disabled: true`).
 *   2. Receiving_Only    the sending side's member is a receiver: it never sends.
 *   3. NOT_AVAILABLE     the sending side cannot reach the receiving side (last delivery or full
 *                        sync failed at the transport level), or this JPD could not reach M while
 *                        answering (so both connections with M show it).
 *   4. ERROR             the receiving side refused the last `errorAfterFailures` attempts in a row
 *                        (HTTP errors: 5xx, 429, a refusal by trust, a missing repository).
 *   5. PENDING_FS        the sending side's automatic (or requested) full sync has not started.
 *   6. FULL_SYNC_RUNNING the full sync is copying what the receiving side lacks.
 *   7. DELAYED           the oldest queued event is older than `delayedThresholdMs`.
 *   8. HEALTHY           otherwise.
 * A connection whose sending side is M is reported by M itself (asked over HTTP); if M does not
 * know the connection yet (configuration not received), it shows PENDING_FS. `lagInMs` is the
 * age of the oldest undelivered event, `queuedEvents` the queue length; `supported` is always true.
 *
 * So after a hub -> spoke receiver federation converges: on the hub, hub->spoke HEALTHY and
 * spoke->hub Receiving_Only; on the spoke, the same two entries with the same statuses.
 *
 * Aggregation (stateSummary buckets and stateList `aggregatedStatus`): the most severe status of
 * the connections concerned, ignoring Receiving_Only, in the order
 * ERROR > NOT_AVAILABLE > PENDING_FS > FULL_SYNC_RUNNING > DELAYED > DISABLED > HEALTHY.
 * A federation (or member) with no connection other than Receiving_Only ones is HEALTHY in
 * stateSummary, and `Receiving_Only` as a stateList member whose both directions are receivers.
 *
 * Dialects (../state/dialects.ts) change only how the canonical entries are presented (where the marker
 * sits, its spelling, a missing return entry); the peer protocol between JPDs stays canonical.
 * Connection overrides (../state/overrides.ts) replace the state of one directed connection verbatim.
 */
import { federationEngine, isReceivingOnlyLabel, presentStatus } from '../state/dialects.js';
import { ArtifactoryHttpError } from './http-util.js';
import type { JpdHost } from '../jpd-host.js';
import type { MemberMode, RepoRecord } from '../state/model.js';
import {
  askRemotes,
  idle,
  localOutboundState,
  type Query,
  type RemoteAnswer,
  type ReportedState,
} from '../peer/connection-states.js';
import { selfMember } from '../state/repositories.js';
import { memberUrl, parseMemberUrl } from '../state/urls.js';

export interface MemberConnectionEntry {
  readonly localRepoKey: string;
  readonly localPlatformUrl: string;
  readonly remoteRepoKey: string;
  readonly remotePlatformUrl: string;
  readonly status: string;
  readonly lagInMs: number;
  readonly queuedEvents: number;
  readonly disabled: boolean;
  readonly supported: boolean;
}

export const SUMMARY_STATES = [
  'HEALTHY',
  'NOT_AVAILABLE',
  'DELAYED',
  'PENDING_FS',
  'FULL_SYNC_RUNNING',
  'ERROR',
  'DISABLED',
] as const;
type SummaryState = (typeof SUMMARY_STATES)[number];

const SEVERITY: readonly SummaryState[] = [
  'ERROR',
  'NOT_AVAILABLE',
  'PENDING_FS',
  'FULL_SYNC_RUNNING',
  'DELAYED',
  'DISABLED',
  'HEALTHY',
];

function mostSevere(statuses: readonly string[]): SummaryState | undefined {
  for (const candidate of SEVERITY) if (statuses.includes(candidate)) return candidate;
  return undefined;
}

interface Pair {
  readonly remoteUrl: string;
  readonly disabled: boolean;
  /** The presented entries, outbound first: none, one or two depending on the dialect. */
  readonly entries: readonly MemberConnectionEntry[];
}

function entry(
  sender: { repoKey: string; platformUrl: string },
  receiver: { repoKey: string; platformUrl: string },
  state: ReportedState,
  status: string,
  disabled: boolean,
): MemberConnectionEntry {
  return {
    localRepoKey: sender.repoKey,
    localPlatformUrl: sender.platformUrl,
    remoteRepoKey: receiver.repoKey,
    remotePlatformUrl: receiver.platformUrl,
    status,
    lagInMs: state.lagInMs,
    queuedEvents: state.queuedEvents,
    disabled,
    supported: true,
  };
}

/** The canonical state of the inbound connection (remote member M -> this JPD's member). */
function inboundState(
  answer: RemoteAnswer | undefined,
  disabled: boolean,
  mode: MemberMode,
): ReportedState {
  if (answer !== undefined && answer !== 'unknown' && answer !== 'unreachable' && answer.forced)
    return answer;
  if (disabled) return idle('DISABLED');
  if (mode === 'receiver') return idle('Receiving_Only');
  if (answer === undefined || answer === 'unknown') return idle('PENDING_FS');
  if (answer === 'unreachable') return idle('NOT_AVAILABLE');
  return answer;
}

async function connectionPairs(
  jpd: JpdHost,
  repos: readonly RepoRecord[],
): Promise<Map<string, Pair[]>> {
  const queries: Query[] = [];
  // This JPD's own side is read before asking the others, so the answer describes one moment.
  const local = new Map<string, ReportedState | undefined>();
  for (const repo of repos) {
    const selfUrl = memberUrl(jpd.baseUrl, repo.key);
    for (const m of repo.members) {
      if (m.url === selfUrl) continue;
      queries.push({ remoteUrl: m.url, selfUrl });
      local.set(`${m.url}\n${selfUrl}`, localOutboundState(jpd, repo.key, m.url));
    }
  }
  const answers = await askRemotes(jpd, queries);
  const dialect = jpd.settings.dialect;
  const result = new Map<string, Pair[]>();
  for (const repo of repos) {
    const self = selfMember(repo, jpd.baseUrl);
    const selfMode = self?.mode ?? 'bidirectional';
    const selfUrl = memberUrl(jpd.baseUrl, repo.key);
    const me = { repoKey: repo.key, platformUrl: `${jpd.baseUrl}/artifactory` };
    const pairs: Pair[] = [];
    for (const m of repo.members) {
      if (m.url === selfUrl) continue;
      const remote = parseMemberUrl(m.url);
      const them = { repoKey: remote.repoKey, platformUrl: `${remote.baseUrl}/artifactory` };
      const disabled = self?.enabled !== true || !m.enabled;
      const answer = answers.get(`${m.url}\n${selfUrl}`);
      const outState = local.get(`${m.url}\n${selfUrl}`) ?? idle('PENDING_FS');
      const outStatus =
        answer === 'unreachable' &&
        outState.forced !== true &&
        outState.status !== 'DISABLED' &&
        outState.status !== 'Receiving_Only'
          ? 'NOT_AVAILABLE'
          : outState.status;
      const inState = inboundState(answer, disabled, m.mode);
      const entries: MemberConnectionEntry[] = [];
      const shownOut = presentStatus(dialect, {
        status: outStatus,
        forced: outState.forced === true,
        senderMode: selfMode,
        receiverMode: m.mode,
      });
      if (shownOut !== undefined) entries.push(entry(me, them, outState, shownOut, disabled));
      const shownIn = presentStatus(dialect, {
        status: inState.status,
        forced: inState.forced === true,
        senderMode: m.mode,
        receiverMode: selfMode,
      });
      if (shownIn !== undefined) entries.push(entry(them, me, inState, shownIn, disabled));
      pairs.push({ remoteUrl: m.url, disabled, entries });
    }
    result.set(repo.key, pairs);
  }
  return result;
}

function federatedRepos(jpd: JpdHost): RepoRecord[] {
  return [...jpd.state.repos.values()]
    .filter((r) => r.rclass === 'federated')
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The RTFS endpoints exist only when the Artifactory Federation Service is on. */
function requireFederationService(jpd: JpdHost): void {
  // JFrog documents 405 "Method Not Allowed - RTFS is not enabled" for these endpoints (OpenAPI
  // getFederationStateSummaries, getFederationStateDetails, getFederationConnectionDetails).
  // A version before RTFS existed runs the legacy engine (dialects.ts `federationEngine`).
  if (federationEngine(jpd.settings.dialect, jpd.settings.version) !== 'rtfs') {
    throw new ArtifactoryHttpError(405, 'RTFS is not enabled');
  }
}

/** `GET /api/federation/status/connectionStates/{repoKey}`. */
export async function connectionStates(
  jpd: JpdHost,
  repoKey: string,
): Promise<{ memberConnections: MemberConnectionEntry[] }> {
  requireFederationService(jpd);
  const repo = jpd.state.repos.get(repoKey);
  if (repo === undefined) throw new ArtifactoryHttpError(404, `Repository '${repoKey}' not found`);
  if (repo.rclass !== 'federated') {
    throw new ArtifactoryHttpError(400, `Repository '${repoKey}' is not a federated repository`);
  }
  const pairs = (await connectionPairs(jpd, [repo])).get(repoKey) ?? [];
  return { memberConnections: pairs.flatMap((p) => p.entries) };
}

/** `GET /api/federation/status/stateSummary`: federations per aggregated state. */
export async function stateSummary(
  jpd: JpdHost,
): Promise<{ federationStates: Record<SummaryState, number> }> {
  requireFederationService(jpd);
  const repos = federatedRepos(jpd);
  const pairs = await connectionPairs(jpd, repos);
  const counts: Record<SummaryState, number> = {
    HEALTHY: 0,
    NOT_AVAILABLE: 0,
    DELAYED: 0,
    PENDING_FS: 0,
    FULL_SYNC_RUNNING: 0,
    ERROR: 0,
    DISABLED: 0,
  };
  for (const repo of repos) {
    const statuses = (pairs.get(repo.key) ?? []).flatMap((p) => p.entries.map((e) => e.status));
    counts[mostSevere(statuses) ?? 'HEALTHY']++;
  }
  return { federationStates: counts };
}

/** `GET /api/federation/status/stateList[?status=A,B]`, with the doc sample's field names. */
export async function stateList(
  jpd: JpdHost,
  statusFilter: string | null,
): Promise<{ federations: unknown[] }> {
  requireFederationService(jpd);
  const wanted =
    statusFilter === null || statusFilter.trim() === ''
      ? undefined
      : new Set(statusFilter.split(',').map((s) => s.trim()));
  const repos = federatedRepos(jpd);
  const pairs = await connectionPairs(jpd, repos);
  const label = jpd.settings.dialect.receivingOnlyLabel;
  const federations: unknown[] = [];
  for (const repo of repos) {
    const memberInfoList = (pairs.get(repo.key) ?? [])
      .map((p) => {
        const remote = parseMemberUrl(p.remoteUrl);
        const statuses = p.entries.map((e) => e.status);
        const receivingOnly = statuses.find(isReceivingOnlyLabel);
        // As JFrog's sample: a member without federation status is `N/A`, `supported: false`.
        // A state the severity order does not know (an override playing a future version) is
        // shown as it is, never hidden behind a known one.
        const unsupported = statuses.includes('N/A');
        const unknown = statuses.find(
          (x) => x !== 'N/A' && !isReceivingOnlyLabel(x) && !SEVERITY.some((k) => k === x),
        );
        return {
          url: `${remote.baseUrl}/artifactory`,
          repoKey: remote.repoKey,
          aggregatedStatus: unsupported
            ? 'N/A'
            : (unknown ?? mostSevere(statuses) ?? receivingOnly ?? label),
          supported: !unsupported,
          disabled: p.disabled,
          inLag: statuses.includes('DELAYED'),
        };
      })
      .filter((m) => wanted === undefined || wanted.has(m.aggregatedStatus));
    if (wanted !== undefined && memberInfoList.length === 0) continue;
    federations.push({ localRepoKey: repo.key, memberInfoList, priority: 'STANDARD' });
  }
  return { federations };
}
