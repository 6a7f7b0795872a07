/* Generated from schemas/federation.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * Package type of federations that do not set one.
 */
export type PackageType =
  | 'alpine'
  | 'ansible'
  | 'bower'
  | 'cargo'
  | 'chef'
  | 'cocoapods'
  | 'composer'
  | 'conan'
  | 'conda'
  | 'cran'
  | 'debian'
  | 'docker'
  | 'gems'
  | 'generic'
  | 'gitlfs'
  | 'go'
  | 'gradle'
  | 'helm'
  | 'helmoci'
  | 'huggingfaceml'
  | 'ivy'
  | 'maven'
  | 'npm'
  | 'nuget'
  | 'oci'
  | 'opkg'
  | 'puppet'
  | 'pypi'
  | 'rpm'
  | 'sbt'
  | 'swift'
  | 'terraform'
  | 'vagrant'
  | 'yum';
/**
 * Transmission mode of members that do not set one.
 */
export type MemberMode = 'receiver' | 'bidirectional';
/**
 * Project of federations and repositories that do not set their own. Project (its key) the repository and every member's copy are assigned to: `projectKey` in Artifactory's repository configuration. Federation does not carry it to the copies it creates on members, so fedctl sets it on each copy. Absent: fedctl leaves any project as it is, never removes one.
 */
export type ProjectKey = string;
/**
 * Environments of federations and repositories that do not set their own. Environments (e.g. DEV, PROD) of the repository and of every member's copy: `environments` in Artifactory's repository configuration, set on each copy as `project` is. Absent: left as they are.
 */
export type Environments = string[];
/**
 * A short name for a JPD: letters, digits, '-' and '_', starting with a letter.
 */
export type JpdName = string;
/**
 * A short name for a JPD: letters, digits, '-' and '_', starting with a letter.
 */
export type JpdName1 = string;
/**
 * A short name for a JPD: letters, digits, '-' and '_', starting with a letter.
 */
export type JpdName2 = string;
/**
 * Package type of every repository here, unless a repository sets its own. Falls back to defaults.packageType.
 */
export type PackageType1 =
  | 'alpine'
  | 'ansible'
  | 'bower'
  | 'cargo'
  | 'chef'
  | 'cocoapods'
  | 'composer'
  | 'conan'
  | 'conda'
  | 'cran'
  | 'debian'
  | 'docker'
  | 'gems'
  | 'generic'
  | 'gitlfs'
  | 'go'
  | 'gradle'
  | 'helm'
  | 'helmoci'
  | 'huggingfaceml'
  | 'ivy'
  | 'maven'
  | 'npm'
  | 'nuget'
  | 'oci'
  | 'opkg'
  | 'puppet'
  | 'pypi'
  | 'rpm'
  | 'sbt'
  | 'swift'
  | 'terraform'
  | 'vagrant'
  | 'yum';
/**
 * Project of every repository here, unless a repository sets its own; falls back to defaults.project. Project (its key) the repository and every member's copy are assigned to: `projectKey` in Artifactory's repository configuration. Federation does not carry it to the copies it creates on members, so fedctl sets it on each copy. Absent: fedctl leaves any project as it is, never removes one.
 */
export type ProjectKey1 = string;
/**
 * Environments of every repository here, unless a repository sets its own; falls back to defaults.environments. Environments (e.g. DEV, PROD) of the repository and of every member's copy: `environments` in Artifactory's repository configuration, set on each copy as `project` is. Absent: left as they are.
 */
export type Environments1 = string[];
/**
 * A repository key, or an object with overrides for this repository.
 */
export type Repository = RepoKey | RepositoryOverride;
/**
 * An Artifactory repository key: at most 64 characters, none of / \ : | ? * " < > or whitespace. Always literal: a key is an identity, and ${NAME} is never expanded in it.
 */
export type RepoKey = string;
/**
 * An Artifactory repository key: at most 64 characters, none of / \ : | ? * " < > or whitespace. Always literal: a key is an identity, and ${NAME} is never expanded in it.
 */
export type RepoKey1 = string;
/**
 * Package type of this repository.
 */
export type PackageType2 =
  | 'alpine'
  | 'ansible'
  | 'bower'
  | 'cargo'
  | 'chef'
  | 'cocoapods'
  | 'composer'
  | 'conan'
  | 'conda'
  | 'cran'
  | 'debian'
  | 'docker'
  | 'gems'
  | 'generic'
  | 'gitlfs'
  | 'go'
  | 'gradle'
  | 'helm'
  | 'helmoci'
  | 'huggingfaceml'
  | 'ivy'
  | 'maven'
  | 'npm'
  | 'nuget'
  | 'oci'
  | 'opkg'
  | 'puppet'
  | 'pypi'
  | 'rpm'
  | 'sbt'
  | 'swift'
  | 'terraform'
  | 'vagrant'
  | 'yum';
/**
 * Project of this repository. Project (its key) the repository and every member's copy are assigned to: `projectKey` in Artifactory's repository configuration. Federation does not carry it to the copies it creates on members, so fedctl sets it on each copy. Absent: fedctl leaves any project as it is, never removes one.
 */
export type ProjectKey2 = string;
/**
 * Environments of this repository. Environments (e.g. DEV, PROD) of the repository and of every member's copy: `environments` in Artifactory's repository configuration, set on each copy as `project` is. Absent: left as they are.
 */
export type Environments2 = string[];
/**
 * A short name for a JPD: letters, digits, '-' and '_', starting with a letter.
 */
export type JpdName3 = string;
/**
 * Transmission mode of this member. Required unless defaults.mode is set.
 */
export type MemberMode1 = 'receiver' | 'bidirectional';
/**
 * A short name for a JPD: letters, digits, '-' and '_', starting with a letter.
 */
export type JpdName4 = string;

/**
 * Declares JFrog Platform Deployments (JPDs), the trust pairings between them and the hub-and-spoke federated repositories fedctl keeps them in, with a transmission mode per member. A topology is one file, or a directory of files (fedctl -f DIR reads every *.yaml and *.yml in it, by name) that together declare it: each file has its version; jpds, defaults, trust and federations may be in any of them, each JPD and each default declared in one file only (see docs/multi-file.md).
 */
export interface TopologyFile {
  /**
   * Optional path or URL of this schema, for editors that read it from the document.
   */
  $schema?: string;
  /**
   * Format version of this file. Only 1 exists.
   */
  version: 1;
  /**
   * Values used wherever a federation or member does not set its own. In a directory of files, they apply to the federations of every file; each default is set in one file only.
   */
  defaults?: {
    packageType?: PackageType;
    mode?: MemberMode;
    project?: ProjectKey;
    environments?: Environments;
  };
  /**
   * The JPDs fedctl talks to, by a short name used everywhere else in the topology. Required in one file of the topology (in a directory, usually a shared file owned by the platform team).
   */
  jpds?: {
    [k: string]: Jpd | undefined;
  };
  /**
   * Service Trust pairings, one per source -> target pair (step 1 of JFrog's unidirectional sync guide). fedctl establishes a pairing when a federation between the two JPDs first needs it.
   */
  trust?: Pairing[];
  /**
   * Hub-and-spoke federations: repositories owned by a source JPD and federated to its members. In a directory of files, each team's file lists its own; the lists of all files are one list.
   */
  federations?: Federation[];
  /**
   * Repositories to stop managing without deleting them, like Terraform's `removed` block: apply drops fedctl's record from each (its line in `notes`) and leaves the repository, its members and its artifacts as they are. Once applied, the entry changes nothing and can be deleted from the file.
   */
  removed?: Removal[];
}
/**
 * One JFrog Platform Deployment.
 */
export interface Jpd {
  /**
   * Platform base URL, e.g. https://eu.example.com. Artifactory lives under /artifactory; do not include it. May use ${NAME} variables (--var NAME=VALUE, --var-file FILE), e.g. ${HUB_URL}, so one topology serves several environments.
   */
  url: string;
  /**
   * An environment variable reference such as ${EU_TOKEN} holding an admin access token. Literal tokens are refused so that secrets never enter version control. Always the environment: a token is never a --var variable.
   */
  token: string;
  /**
   * Allow a plain http:// URL to a host that is not loopback. Tokens then cross the network unencrypted.
   */
  allowInsecureHttp?: boolean;
  /**
   * PEM file with extra CA certificates to trust for this JPD, relative to the file that declares the JPD. NODE_EXTRA_CA_CERTS is honoured as well. May use ${NAME} variables.
   */
  caFile?: string;
  /**
   * Most requests fedctl has in flight to this JPD at once.
   */
  concurrency?: number;
}
/**
 * A Service Trust pairing: the source issues a pairing token, the target exchanges it for a master token.
 */
export interface Pairing {
  source: JpdName;
  target: JpdName1;
  /**
   * true (Option A, recommended): a read pairing token (/federated-repo/r) whose master token is receiving-only, so the target can never push back to the source. false (Option B): a full-permission pairing (/federated-repo/*); receiver mode is then enforced only by each repository's configuration.
   */
  receivingOnly?: boolean;
}
/**
 * Repositories owned by one source JPD, each federated to the same members.
 */
export interface Federation {
  source: JpdName2;
  packageType?: PackageType1;
  /**
   * Repository description written to every repository here, unless a repository sets its own. May use ${NAME} variables.
   */
  description?: string;
  project?: ProjectKey1;
  environments?: Environments1;
  /**
   * Repository keys, or objects with per-repository overrides.
   *
   * @minItems 1
   */
  repositories: [Repository, ...Repository[]];
  /**
   * The JPDs that receive (or exchange) these repositories. At most 10 JPDs take part in one federation, the source included.
   *
   * @minItems 1
   */
  members: [Member, ...Member[]];
}
/**
 * A repository with overrides.
 */
export interface RepositoryOverride {
  key: RepoKey1;
  packageType?: PackageType2;
  /**
   * Repository description. May use ${NAME} variables.
   */
  description?: string;
  project?: ProjectKey2;
  environments?: Environments2;
  /**
   * Never delete this repository: no plan deletes it, even with --allow-delete, and fedctl records the protection on the repository so that it holds after the repository leaves this file. To delete it, set false (or remove the line) and apply, then delete.
   */
  protect?: boolean;
  /**
   * A different repository key on some members, by JPD name. Members not listed use the source key.
   */
  memberKeys?: {
    [k: string]: RepoKey | undefined;
  };
  /**
   * Opt-in conversion: when the source JPD holds a local repository with this key, fedctl converts it to a federated repository (POST /api/federation/migrate/{key}; artifacts are kept) and then sets its members in the same apply. Without it, such a local repository is a conflict. Only the source's repository is converted; members' copies are created by federation.
   */
  convert?: 'local';
}
/**
 * A JPD taking part in the federation, and how.
 */
export interface Member {
  jpd: JpdName3;
  mode?: MemberMode1;
  /**
   * Whether federation to this member is enabled. A member disabled on the JPD is re-enabled when this is true.
   */
  enabled?: boolean;
}
/**
 * Repositories on one source JPD that fedctl stops managing.
 */
export interface Removal {
  source: JpdName4;
  /**
   * Their keys on the source.
   *
   * @minItems 1
   */
  repositories: [RepoKey, ...RepoKey[]];
}
