/**
 * Connection overrides: a simulator-only control that holds one outbound directed connection of
 * this JPD (repoKey -> target member) in a given state, e.g. ERROR with lag, whatever the real
 * queue says. This JPD reports it in connectionStates/stateList/stateSummary and answers it when a
 * peer asks about that connection, so every member sees the same forced state. Runtime only: not
 * persisted, cleared by DELETE or a restart.
 */
import { ArtifactoryHttpError, isRecord } from '../http/http-util.js';
import type { JpdHost } from '../jpd-host.js';
import { outboundKey, type ConnectionOverride } from './model.js';
import { selfMember } from './repositories.js';
import { normalizeBaseUrl, parseMemberUrl } from './urls.js';

export interface ConnectionOverrideRequest {
  readonly repoKey: string;
  /** The receiving side: its member URL, its JPD's base URL, or its JPD's name. */
  readonly target: string;
  readonly status: string;
  readonly lagInMs?: number;
  readonly queuedEvents?: number;
}

/** Another member of `repoKey` on this JPD, by member URL, base URL or JPD name (400 otherwise). */
export function resolveTarget(jpd: JpdHost, repoKey: string, target: string): string {
  const repo = jpd.state.repos.get(repoKey);
  if (repo?.rclass !== 'federated') {
    throw new ArtifactoryHttpError(400, `'${repoKey}' is not a federated repository on this JPD`);
  }
  const self = selfMember(repo, jpd.baseUrl);
  const others = repo.members.filter((m) => m.url !== self?.url);
  let base: string | undefined;
  if (target.includes('://')) {
    const exact = others.find((m) => m.url === safeMemberUrl(target));
    if (exact !== undefined) return exact.url;
    base = safeBaseUrl(target);
  } else {
    base = jpd.peerByName(target);
  }
  const found = others.find((m) => parseMemberUrl(m.url).baseUrl === base);
  if (found === undefined) {
    throw new ArtifactoryHttpError(
      400,
      `'${target}' is not another member of the federation of '${repoKey}' on this JPD`,
    );
  }
  return found.url;
}

function safeMemberUrl(raw: string): string | undefined {
  try {
    return parseMemberUrl(raw).url;
  } catch {
    return undefined;
  }
}

function safeBaseUrl(raw: string): string | undefined {
  try {
    return normalizeBaseUrl(raw);
  } catch {
    return undefined;
  }
}

function count(value: unknown, field: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ArtifactoryHttpError(400, `'${field}' must be a non-negative integer`);
  }
  return value;
}

/** Validates a request body (HTTP control or in-process call) into a request. */
export function parseOverrideRequest(body: unknown): ConnectionOverrideRequest {
  if (!isRecord(body)) throw new ArtifactoryHttpError(400, 'Expected a JSON object');
  const { repoKey, target, status } = body;
  if (typeof repoKey !== 'string' || typeof target !== 'string' || typeof status !== 'string') {
    throw new ArtifactoryHttpError(400, "'repoKey', 'target' and 'status' must be strings");
  }
  // Any state string: a real JPD may report one this simulator has never heard of, and the
  // client must show it verbatim.
  if (status.trim() === '') throw new ArtifactoryHttpError(400, "'status' must not be empty");
  return {
    repoKey,
    target,
    status,
    lagInMs: count(body['lagInMs'], 'lagInMs'),
    queuedEvents: count(body['queuedEvents'], 'queuedEvents'),
  };
}

export function setOverride(jpd: JpdHost, request: ConnectionOverrideRequest): ConnectionOverride {
  const target = resolveTarget(jpd, request.repoKey, request.target);
  const override: ConnectionOverride = {
    repoKey: request.repoKey,
    target,
    status: request.status,
    lagInMs: request.lagInMs ?? 0,
    queuedEvents: request.queuedEvents ?? 0,
  };
  jpd.overrides.set(outboundKey(request.repoKey, target), override);
  return override;
}

/** Clears the overrides of one connection, of one repository, or all; returns how many. */
export function clearOverrides(jpd: JpdHost, repoKey?: string, target?: string): number {
  let cleared = 0;
  for (const [key, o] of [...jpd.overrides]) {
    if (repoKey !== undefined && o.repoKey !== repoKey) continue;
    if (target !== undefined && o.target !== resolveTarget(jpd, o.repoKey, target)) continue;
    jpd.overrides.delete(key);
    cleared++;
  }
  return cleared;
}

export function listOverrides(jpd: JpdHost): ConnectionOverride[] {
  return [...jpd.overrides.values()];
}

export function overrideOf(
  jpd: JpdHost,
  repoKey: string,
  target: string,
): ConnectionOverride | undefined {
  return jpd.overrides.size === 0 ? undefined : jpd.overrides.get(outboundKey(repoKey, target));
}

/** `/_sim/inconsistent`: a member whose configuration diverged (a lost configuration push). */
export interface InconsistencyRequest {
  readonly repoKey: string;
  /** The member: its URL, its JPD's base URL or its JPD's name. */
  readonly member: string;
  /** The member's description after the divergence (default: a note saying so). */
  readonly description?: string;
}

export function parseInconsistencyRequest(body: unknown): InconsistencyRequest {
  if (!isRecord(body)) throw new ArtifactoryHttpError(400, 'Expected a JSON object');
  const { repoKey, member, description } = body;
  if (typeof repoKey !== 'string' || typeof member !== 'string') {
    throw new ArtifactoryHttpError(400, "'repoKey' and 'member' must be strings");
  }
  if (description !== undefined && typeof description !== 'string') {
    throw new ArtifactoryHttpError(400, "'description' must be a string");
  }
  return { repoKey, member, ...(description === undefined ? {} : { description }) };
}

/**
 * The member gets the repository's configuration with another description, and this JPD lists
 * the repository in `inconsistentRepos` until a push to that member succeeds (configSync).
 */
export async function makeInconsistent(jpd: JpdHost, request: InconsistencyRequest): Promise<void> {
  const target = resolveTarget(jpd, request.repoKey, request.member);
  const repo = jpd.federation.requireFederated(request.repoKey);
  const description = request.description ?? 'diverged: a configuration push was lost';
  await jpd.federation.pushConfigTo(
    { ...repo, settings: { ...repo.settings, description } },
    target,
  );
  const current = jpd.state.repos.get(repo.key) ?? repo;
  if (!current.inconsistentMembers.includes(target)) {
    jpd.state.repos.set(repo.key, {
      ...current,
      inconsistentMembers: [...current.inconsistentMembers, target],
    });
    await jpd.persist();
  }
}
