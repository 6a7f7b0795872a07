/**
 * Writes of repositories with receiver members, checked. A JPD without Transmission Mode either
 * drops the member field `mode` (it stores the member, bidirectional) or refuses it with 400 (an
 * unknown-property error). Either way apply must fail that step with one clear line on the first
 * run: otherwise every later plan would find the same `set-member-mode` again, for ever.
 */
import { FedctlError, RemoteError } from '../../core/errors.js';
import { normalizeMemberUrl } from '../../core/live/state.js';
import type { MemberWire } from '../../core/apply/repo-update.js';
import type { ArtifactoryClient, RepositoryConfig } from '../artifactory/types.js';

/**
 * Runs a create or update, then reads the repository back and checks that every member written
 * as a receiver is one. The read-back is skipped when no member is a receiver; when it happens,
 * its answer is returned, so that a caller checking the write in other ways reads only once.
 * `landed` sees the read-back first and throws when someone else's write replaced this one: a
 * member list written over by another apply must not pass for a JPD that dropped `mode`.
 */
export async function writeWithReceivers(
  c: ArtifactoryClient,
  repoKey: string,
  members: readonly MemberWire[],
  write: () => Promise<void>,
  landed: (live: RepositoryConfig) => void = () => undefined,
): Promise<RepositoryConfig | undefined> {
  const receivers = members.filter((m) => m.mode === 'receiver').map((m) => m.url);
  const [first] = receivers;
  try {
    await write();
  } catch (error) {
    // Jackson-style servers name the field they refuse ("Unrecognized field \"mode\" ..."). A 400
    // that names the field is taken as a refusal of it (the server's own words are kept in the
    // message, in case it meant something else); any other 400 is reported as it is.
    if (
      first !== undefined &&
      error instanceof RemoteError &&
      error.status === 400 &&
      /\bmode\b/i.test(error.details.serverMessage ?? '')
    ) {
      throw await receiverUnsupported(c, repoKey, first, error);
    }
    throw error;
  }
  if (first === undefined) return undefined;
  const live = await c.getRepository(repoKey);
  if (live === undefined) {
    throw new FedctlError(
      `${c.jpd}: repository ${repoKey} was not found right after it was written`,
      { code: 'E_CONCURRENT_CHANGE' },
    );
  }
  landed(live);
  const modes = new Map((live.members ?? []).map((m) => [normalizeMemberUrl(m.url), m.mode]));
  const dropped = receivers.find((url) => modes.get(normalizeMemberUrl(url)) !== 'receiver');
  if (dropped !== undefined) throw await receiverUnsupported(c, repoKey, dropped);
  return live;
}

/**
 * JFrog's unidirectional sync document names no Artifactory version for Transmission Mode ("Both JPDs should be on the
 * supported versions"), so the message names the JPD's own version and the feature.
 */
async function receiverUnsupported(
  c: ArtifactoryClient,
  repoKey: string,
  memberUrl: string,
  cause?: RemoteError,
): Promise<FedctlError> {
  let version = '(version unknown)';
  try {
    version = (await c.version()).version;
  } catch (error) {
    if (!(error instanceof FedctlError)) throw error;
  }
  const answer =
    cause === undefined
      ? ''
      : `; it answered ${String(cause.status)}: ${cause.details.serverMessage ?? ''}`;
  return new FedctlError(
    `${c.jpd}: Artifactory ${version} did not keep "mode": "receiver" for member ${memberUrl} of ${repoKey}; this version does not support receiver (Transmission Mode) members (a version with Transmission Mode and the Federation Service is needed)${answer}`,
    { code: 'E_JPD_UNSUPPORTED', ...(cause === undefined ? {} : { cause }) },
  );
}
