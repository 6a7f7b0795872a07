/**
 * The semantic rules: what the schema cannot say about a topology file. Each entry is a rule
 * module in the spirit of ESLint's: `meta` (a stable code, a default severity, one line of
 * description) and `check(context)`, a pure function of the file and the model `resolveTopology`
 * built, returning findings with YAML paths. No rule reads another rule's findings.
 *
 * To add a rule:
 *   1. write `src/core/topology/rules/<code>.ts` exporting one `TopologyRule`, and add it to `RULES`;
 *   2. add `test/fixtures/invalid/<code>.yaml` (or `warnings/` for a warning) and its
 *      `.expected`, the exact output of `fedctl validate`. test/core/topology/rules.test.ts fails
 *      for a code no fixture produces.
 * If the rule needs a fact only resolution knows (which members were dropped, ...), add it to
 * the model in types.ts and resolve.ts rather than recomputing it.
 *
 * Issues are sorted by position afterwards, so the order here matters only between issues at
 * the same position, which keep table order: a URL's own problem comes before duplicate-url,
 * and invalid-repo-key before an ownership conflict on the same key.
 */
import { bidirectionalOverReceivingOnly } from './bidirectional-over-receiving-only.js';
import { duplicateMember } from './duplicate-member.js';
import { duplicatePairing } from './duplicate-pairing.js';
import { duplicateUrl } from './duplicate-url.js';
import { invalidRepoKey } from './invalid-repo-key.js';
import { memberKeyNotMember } from './member-key-not-member.js';
import { noMode } from './no-mode.js';
import { noPackageType } from './no-package-type.js';
import { projectKeyPrefix } from './project-key-prefix.js';
import { receiverWithoutPairing } from './receiver-without-pairing.js';
import { removedEntry } from './removed-entry.js';
import { repositoryOwnership } from './repository-ownership.js';
import { selfFederation } from './self-federation.js';
import { selfPairing } from './self-pairing.js';
import { sendOverReceivingOnly } from './send-over-receiving-only.js';
import { tooManyMembers } from './too-many-members.js';
import type { TopologyRule } from './types.js';
import { undeclaredJpd } from './undeclared-jpd.js';
import { unsetEnv } from './unset-env.js';
import { unusedPairing } from './unused-pairing.js';
import { insecureHttp, invalidUrl, urlArtifactorySuffix, urlCredentials } from './url.js';

export const RULES: readonly TopologyRule[] = [
  // JPDs
  invalidUrl,
  urlCredentials,
  urlArtifactorySuffix,
  insecureHttp,
  duplicateUrl,
  unsetEnv,
  // References and trust pairings
  undeclaredJpd,
  selfPairing,
  duplicatePairing,
  unusedPairing,
  // Federations and their members
  noPackageType,
  selfFederation,
  duplicateMember,
  noMode,
  tooManyMembers,
  bidirectionalOverReceivingOnly,
  sendOverReceivingOnly,
  receiverWithoutPairing,
  // Repositories
  invalidRepoKey,
  memberKeyNotMember,
  repositoryOwnership,
  projectKeyPrefix,
  removedEntry,
];

export type { Finding, RuleContext, RuleMeta, TopologyRule } from './types.js';
