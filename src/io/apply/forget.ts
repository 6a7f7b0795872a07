/**
 * A `forget-repository` step (the topology's `removed:` list): fedctl's record leaves the
 * repository's `notes`, the user's own notes stay, and nothing else is written. The repository,
 * its members and its artifacts are no longer fedctl's to change or delete.
 */
import { parseNotes } from '../../core/live/state.js';
import type { ArtifactoryClient } from '../artifactory/types.js';

export async function forgetRepository(c: ArtifactoryClient, repoKey: string): Promise<void> {
  const current = await c.getRepository(repoKey);
  // Deleted since the plan: there is no record left to drop.
  if (current === undefined) return;
  await c.updateRepository(repoKey, { notes: parseNotes(current.notes).userNotes ?? '' });
}
