import type { PolicyStatement } from './iam-policy.js';
import type { PathSegment, SourceFile } from './source.js';

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** Where a config entry was written, so later stages can report problems at the right line. */
export interface Origin {
  file: string;
  path: readonly PathSegment[];
}

export interface CentralConfig {
  account: string;
  region: string;
  partition: Partition;
  /** Largest trust policy the member accounts accept (IAM default 2,048; 4,096 after a quota raise). */
  trustPolicyLimit: number;
  origin: Origin;
}

/** Role -> account types where it may be assumed (from a group, or directly on a user). */
export interface RoleGrant {
  role: string;
  accountTypes: readonly string[];
}

export interface GroupConfig {
  name: string;
  description?: string;
  /** Sorted by role name. */
  grants: readonly RoleGrant[];
  origin: Origin;
}

export interface UserConfig {
  name: string;
  /** Sorted. */
  groups: readonly string[];
  /** Group name -> end of a time-bound membership, as written (a day or a UTC time). */
  membershipExpiry: Readonly<Record<string, string>>;
  /** Roles granted to the user directly (`roles: {DataEngineer: [prod]}`), sorted by role. */
  directGrants: readonly RoleGrant[];
  /** End of all the user's access, as written (a day or a UTC time). */
  expires?: string;
  /**
   * Console access: false; `true` while onboarding (an initial password in Secrets Manager for the
   * onboarding principal); `onboarded` once the user has set their own password (secret removed).
   */
  console: false | 'initial-password' | 'onboarded';
  email?: string;
  description?: string;
  /** IAM user tags from YAML, sorted by key (email and description included). */
  tags: Readonly<Record<string, string>>;
  origin: Origin;
}

/** Resolved guardrails for one account (defaults, then security.guardrails, then the account file). */
export interface GuardrailsConfig {
  allowedRegions: readonly string[];
  protectedNamePatterns: readonly string[];
  /**
   * IDs of KMS keys of this account protected by ID (key IDs or mrk- IDs, from key ARNs or IDs
   * in users.yaml and the account file, merged): what neither an alias nor a tag change can undo.
   */
  protectedKeyIds: readonly string[];
  /**
   * Roles that tune detection (suppression rules, trusted IP lists, finding workflow), with the
   * reason: exempt from the guardrail that keeps findings visible, never from the one that keeps
   * detection on.
   */
  detectionManagers: Readonly<Record<string, string>>;
  permissionsBoundary: boolean;
  /**
   * The organisation's own deny statements: policy files named in security.guardrails, then in the
   * account file (the account's add to the organisation's, never replace them), each with where it
   * was named so a problem found while planning points at that entry.
   */
  denyStatements: readonly DenyStatementsRef[];
}

/** A `denyStatements` entry: a policy file (all Deny) and where it is named. */
export interface DenyStatementsRef {
  policy: string;
  origin: Origin;
}

export interface PasswordPolicyConfig {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  passwordReusePrevention: number;
  maxPasswordAge: number;
  allowUsersToChangePassword: boolean;
  hardExpiry: boolean;
}

export interface SecurityConfig {
  mfaMaxAgeSeconds?: number;
  /** Trusts require the user's name as source identity: console switch-role (which sets none) refused. */
  requireSourceIdentity: boolean;
  /** User name -> UTC time: role sessions of that user issued before it are denied everywhere. */
  revokedSessions: Readonly<Record<string, string>>;
  passwordPolicy: PasswordPolicyConfig;
  memberAccountPasswordPolicy: boolean;
  /** The one principal (ARN) that may read initial console passwords. */
  onboardingPrincipal?: string;
}

/** A role trusted by an AWS service rather than by people, e.g. EC2 through an instance profile. */
export interface ServiceRoleConfig {
  name: string;
  service: string;
  description?: string;
  awsManagedPolicies: readonly string[];
  /** Shared policy files attached to the role (policies/<name>). */
  policies: readonly string[];
  instanceProfile: boolean;
  maxSessionDuration?: number;
}

/**
 * Which roles of an account carry the permissions boundary: `every-role` (permissionsBoundary:
 * true), `administrators` (the default without organization guardrails: roles that can write IAM
 * or do everything), or `none` (permissionsBoundary: false, or the default with organization
 * guardrails, which bind administrators instead).
 */
export interface BoundaryConfig {
  mode: 'every-role' | 'administrators' | 'none';
  /** The written reason for `none` (permissionsBoundaryOptOut). */
  optOut?: string;
}

/** What an account file says about one role: on/off and extra shared policies. */
export interface AccountRoleSetting {
  enabled?: boolean;
  extraPolicies: readonly string[];
  /** Existing customer managed policies attached in this account too (see RoleConfig.customerManagedPolicies). */
  customerManagedPolicies: readonly string[];
}

export interface AccountConfig {
  /** The file name without `.yaml`: the account's short name on the command line and in stack names. */
  prefix: string;
  id: string;
  alias: string;
  type: string;
  region: string;
  maxSessionDuration?: number;
  /** Role name -> what the account file says about it (`roles: {KMSAdministrator: true}`). */
  roleSettings: Readonly<Record<string, AccountRoleSetting>>;
  /** `false` when the account opts out. */
  guardrails: GuardrailsConfig | false;
  boundary: BoundaryConfig;
  serviceRoles: readonly ServiceRoleConfig[];
  origin: Origin;
}

/** An extra account or principal a role trusts, besides the central account's users. */
export interface TrustExtra {
  /** `arn:<partition>:iam::<id>:root` for an account, or a role/user ARN. */
  principal: string;
  /** Only with MFA (people of another account). */
  mfa: boolean;
  /** Only with this sts:ExternalId (a third party's service). */
  externalId?: string;
  origin: Origin;
}

/** One role of the catalog, from `roles/<Name>.yaml`. */
export interface RoleConfig {
  /** IAM role name, identical in every account (so one ARN pattern reaches them all). */
  name: string;
  description: string;
  /** Default for accounts that do not mention the role. */
  enabled: boolean;
  /** Default session length; an account's maxSessionDuration wins. */
  maxSessionDuration?: number;
  /** AWS managed policies by name after `policy/`, e.g. `ReadOnlyAccess` or `job-function/Billing`. */
  awsManagedPolicies: readonly string[];
  /**
   * Customer managed policies that already exist in each account (created outside iam-roster), as
   * `path/Name` after `policy/` (`DNSSecDisablePrevent`, `security/DNSSecDisablePrevent`): attached
   * by ARN; their content is not seen, nor reviewed, by iam-roster.
   */
  customerManagedPolicies: readonly string[];
  /**
   * False for a role nobody signs into: trusted only by its trust extras (never the central
   * users), granted by no group or user, and without a `<Type>Assume<Role>` policy.
   */
  people: boolean;
  /** Inline statements; `{partition}`, `{account}`, `{region}`, `{accountAlias}` and `{roleId}` are filled in per account. */
  statements: readonly PolicyStatement[];
  /** Shared policy files (policies/<name>) whose statements follow the inline ones. */
  policies: readonly string[];
  /** May pass the account's declared service roles, each only to its own service. */
  passServiceRoles: boolean;
  /** Reasons recorded for security-linter findings (AWS managed policies, wildcards). */
  justification: { awsManagedPolicies?: string; wildcards?: string };
  /** Principals trusted besides the central account's users. */
  trustExtras: readonly TrustExtra[];
  /** Session tag key -> the user tag whose value the session must carry (e.g. SSMSessionRunAs -> ec2_username). */
  sessionTags: Readonly<Record<string, string>>;
  origin: Origin;
}

/** A shared custom policy, `policies/<name>.json` or `.yaml`. */
export interface PolicyFileConfig {
  name: string;
  statements: readonly PolicyStatement[];
  origin: Origin;
}

/**
 * A validated config. Every list is sorted by name so nothing downstream depends on YAML order.
 */
export interface RosterConfig {
  central: CentralConfig;
  security: SecurityConfig;
  groups: readonly GroupConfig[];
  users: readonly UserConfig[];
  accounts: readonly AccountConfig[];
  /** The role catalog, from roles/*.yaml. */
  roles: readonly RoleConfig[];
  /** Shared policies, from policies/*. */
  policies: readonly PolicyFileConfig[];
  pipeline?: PipelineConfig;
  /** Organization guardrails (SCPs, RCPs), from `organization:` in users.yaml. */
  organization?: OrganizationConfig;
  /** Derived from the account files: the sorted set of their `type`s. */
  accountTypes: readonly string[];
  /** Parsed files, for locating problems found after loading. */
  sources: ReadonlyMap<string, SourceFile>;
}

/** `organization:` in users.yaml: the layer that binds every principal of the member accounts. */
export interface OrganizationConfig {
  /** o-... */
  id: string;
  /** The account that manages Organizations policies (management account or delegated administrator). */
  policyAccount: string;
  /** Region of OrganizationStack (Organizations is global; the stack needs one). */
  region: string;
  /** Account type -> OU IDs or account IDs to attach to; types not listed attach to their accounts. Sorted. */
  targets: Readonly<Record<string, readonly string[]>>;
  /** Extra principal ARN patterns that deploy iam-roster (exempt from the protection SCP). */
  deploymentPrincipals: readonly string[];
  /** Accounts outside the organization the resource perimeter lets in. */
  trustedAccounts: readonly string[];
  /** The RCP (off where the organization has not enabled resource control policies). */
  resourcePerimeter: boolean;
  /** Other SCPs already on the same targets, besides FullAWSAccess. */
  policySlotsInUse: number;
  origin: Origin;
}

/** CDK Pipelines rollout, from `pipeline:` in users.yaml. */
export interface PipelineConfig {
  account: string;
  region: string;
  connectionArn: string;
  repository: string;
  branch: string;
  /** Every account type, in deployment order. */
  waveOrder: readonly string[];
  manualApproval: readonly string[];
  /** Roles of the pipeline's account whose sessions may give its manual approvals (no other role iam-roster creates may). */
  approvers: readonly string[];
  origin: Origin;
}

/** Whether a role exists in an account: the account's toggle wins over the role's default. */
export function roleEnabled(account: Pick<AccountConfig, 'roleSettings'>, role: Pick<RoleConfig, 'name' | 'enabled'>): boolean {
  return account.roleSettings[role.name]?.enabled ?? role.enabled;
}

/** Every grant a user holds: through each group (named) and directly (group undefined). */
export function grantsOf(user: UserConfig, groups: ReadonlyMap<string, GroupConfig>): { group?: string; grant: RoleGrant }[] {
  return [
    ...user.groups.flatMap((g) => (groups.get(g)?.grants ?? []).map((grant) => ({ group: g, grant }))),
    ...user.directGrants.map((grant) => ({ grant })),
  ];
}
