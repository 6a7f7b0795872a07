/**
 * The imported topology as a YAML file, built with the `yaml` package's Document (comments
 * through `commentBefore` / `comment`, never hand-formatted text). Deterministic: the same model
 * and header always give the same bytes.
 *
 * Shorter where that changes nothing: a federation's package type is its repositories' most
 * common one (the others override it), a description every repository shares moves to the
 * federation, and `defaults` takes the most common package type and mode only when that saves
 * lines. Values equal to the schema's defaults (`enabled: true`) are left out.
 */
import { Document, isMap, isScalar } from 'yaml';
import { InternalError } from '../errors.js';
import { renderCanonical } from '../format/canonical.js';
import type {
  ImportedFederation,
  ImportedMember,
  ImportedRepo,
  ImportedTopology,
  SourceBasis,
} from './infer.js';
import { compareCodeUnits, type MemberMode, type PackageType } from '../topology/model.js';

export interface ImportHeader {
  /** What the yaml-language-server `$schema` line points at, relative to the written file. */
  readonly schemaRef: string;
}

interface Defaults {
  readonly packageType?: PackageType;
  readonly mode?: MemberMode;
}

const TRUST_COMMENT = [
  ' Inferred from the federations below: each source already federates to each member, so trust',
  ' exists between them. Artifactory has no API that reads a pairing, so whether one was made',
  ' receiving-only (/federated-repo/r) cannot be known; receivingOnly: false claims no more than',
  ' that. Set it to true where you know the pairing is receiving-only. While a federation',
  ' connects two JPDs, plan never pairs them again: these entries record the trust, and take',
  ' effect only for a pair no federation connects any more.',
].join('\n');

const CHOICE: Readonly<Record<Exclude<SourceBasis, 'inferred'>, string>> = {
  'prefer-source': 'several members send, so the source is a choice: --prefer-source',
  'first-jpd': 'several members send, so the source is a choice: the first --jpd given',
};

/**
 * Which part of the imported topology a file holds: all of it, or (for `--split-by`) the shared
 * part (defaults, JPDs, trust, what was skipped) or a group of federations.
 */
export type ImportPart =
  | { readonly kind: 'all' }
  | { readonly kind: 'shared' }
  | {
      readonly kind: 'federations';
      readonly name: string;
      readonly federations: readonly ImportedFederation[];
    };

export function renderImportedTopology(
  model: ImportedTopology,
  header: ImportHeader,
  part: ImportPart = { kind: 'all' },
): string {
  // Chosen over every federation, so that the files of a split share one `defaults`.
  const defaults = chooseDefaults(model.federations.map(federationShape));
  const own = part.kind === 'federations' ? part.federations : model.federations;
  const federations = part.kind === 'shared' ? [] : own.map(federationShape);
  const shared = part.kind !== 'federations';
  const doc = new Document({
    version: 1,
    ...(!shared || (defaults.packageType === undefined && defaults.mode === undefined)
      ? {}
      : { defaults }),
    ...(shared
      ? {
          jpds: Object.fromEntries(
            model.jpds.map((j) => [
              j.name,
              {
                url: j.url,
                token: `\${${j.tokenEnv}}`,
                ...(j.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
              },
            ]),
          ),
        }
      : {}),
    ...(!shared || model.pairings.length === 0
      ? {}
      : { trust: model.pairings.map((p) => ({ ...p, receivingOnly: false })) }),
    ...(part.kind === 'shared'
      ? {}
      : { federations: federations.map((f) => federationObject(f, defaults)) }),
  });
  const jpds = model.jpds.map((j) => j.name).join(', ');
  doc.commentBefore = [
    ` yaml-language-server: $schema=${header.schemaRef}`,
    part.kind === 'federations'
      ? ` Written by \`fedctl import\` from the federated repositories of ${jpds}: ${part.name}.`
      : ` Written by \`fedctl import\` from the federated repositories of ${jpds}.`,
    part.kind === 'federations'
      ? ' The JPDs and the trust between them are in the shared file of this directory.'
      : " Each JPD's token is read from the environment variable it names; no token is written here.",
  ].join('\n');
  if (isMap(doc.contents)) {
    const trust = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'trust');
    if (trust !== undefined && isScalar(trust.key)) trust.key.commentBefore = TRUST_COMMENT;
  }
  own.forEach((f, i) => {
    if (part.kind === 'shared' || f.basis === 'inferred') return;
    const source: unknown = doc.getIn(['federations', i, 'source'], true);
    if (isScalar(source)) source.comment = ` ${CHOICE[f.basis]}`;
  });
  if (shared && model.skipped.length > 0) {
    doc.comment = [
      ' Not imported (also listed on stderr):',
      ...model.skipped.map(
        (s) =>
          `   ${s.jpd}/${JSON.stringify(s.repoKey)}${s.memberUrl === undefined ? '' : ` member ${JSON.stringify(s.memberUrl)}`}: ${s.reason}`,
      ),
    ].join('\n');
  }
  // The same canonical form `fedctl fmt` writes, so fmt of an import changes nothing.
  return renderCanonical(doc);
}

interface FederationShape {
  readonly source: ImportedFederation;
  readonly packageType: PackageType;
  /** Shared by every repository, so written once on the federation. */
  readonly description?: string;
}

function federationShape(f: ImportedFederation): FederationShape {
  const packageType = mostCommon(f.repos.map((r) => r.packageType));
  const descriptions = new Set(f.repos.map((r) => r.description));
  const [shared] = descriptions;
  if (packageType === undefined) throw new InternalError(`a federation of ${f.source} is empty`);
  return {
    source: f,
    packageType,
    ...(descriptions.size === 1 && shared !== undefined ? { description: shared } : {}),
  };
}

/**
 * `defaults` costs a line for itself and one per field; each federation or member that can then
 * leave its own field out saves one. Keep what saves most; on a tie, write less in defaults.
 */
function chooseDefaults(federations: readonly FederationShape[]): Defaults {
  const packageType = mostCommon(federations.map((f) => f.packageType));
  const modes = federations.flatMap((f) => f.source.members.map((m) => m.mode));
  const mode = mostCommon(modes);
  const savedPt = federations.filter((f) => f.packageType === packageType).length;
  const savedMode = modes.filter((m) => m === mode).length;
  const options: { defaults: Defaults; gain: number }[] = [
    { defaults: {}, gain: 0 },
    { defaults: { ...(packageType === undefined ? {} : { packageType }) }, gain: savedPt - 2 },
    { defaults: { ...(mode === undefined ? {} : { mode }) }, gain: savedMode - 2 },
    {
      defaults: {
        ...(packageType === undefined ? {} : { packageType }),
        ...(mode === undefined ? {} : { mode }),
      },
      gain: savedPt + savedMode - 3,
    },
  ];
  let best = options[0] ?? { defaults: {}, gain: 0 };
  for (const option of options) if (option.gain > best.gain) best = option;
  return best.defaults;
}

function federationObject(f: FederationShape, defaults: Defaults): Record<string, unknown> {
  return {
    source: f.source.source,
    ...(f.packageType === defaults.packageType ? {} : { packageType: f.packageType }),
    ...(f.description === undefined ? {} : { description: f.description }),
    repositories: f.source.repos.map((r) => repositoryEntry(r, f)),
    members: f.source.members.map((m) => memberEntry(m, defaults)),
  };
}

function repositoryEntry(r: ImportedRepo, f: FederationShape): string | Record<string, unknown> {
  const overrides = {
    ...(r.packageType === f.packageType ? {} : { packageType: r.packageType }),
    ...(r.description === undefined || f.description !== undefined
      ? {}
      : { description: r.description }),
    ...(r.protect === true ? { protect: true } : {}),
    ...(r.memberKeys.length === 0 ? {} : { memberKeys: Object.fromEntries(r.memberKeys) }),
  };
  return Object.keys(overrides).length === 0 ? r.key : { key: r.key, ...overrides };
}

function memberEntry(m: ImportedMember, defaults: Defaults): Record<string, unknown> {
  return {
    jpd: m.jpd,
    ...(m.mode === defaults.mode ? {} : { mode: m.mode }),
    ...(m.enabled ? {} : { enabled: false }),
  };
}

/** The most frequent value; on a tie, the first by code unit. */
function mostCommon<T extends string>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || compareCodeUnits(a[0], b[0]))[0]?.[0];
}
