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

export interface GroupRoleGrant {
  role: string;
  accountTypes: readonly string[];
}

export interface GroupConfig {
  name: string;
  description?: string;
  /** Sorted by role name. */
  grants: readonly GroupRoleGrant[];
  origin: Origin;
}

export interface UserConfig {
  name: string;
  /** Sorted. */
  groups: readonly string[];
  /** Group name -> last day (YYYY-MM-DD) of a time-bound membership. */
  membershipExpiry: Readonly<Record<string, string>>;
  /** Last day (YYYY-MM-DD) the user may assume any role. */
  expires?: string;
  /** Whether the user gets a console password. */
  console: boolean;
  email?: string;
  description?: string;
  origin: Origin;
}

/** Resolved guardrails for one account (defaults, then security.guardrails, then the account file). */
export interface GuardrailsConfig {
  allowedRegions: readonly string[];
  protectedNamePatterns: readonly string[];
  permissionsBoundary: boolean;
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
  /** User name -> UTC time: role sessions of that user issued before it are denied everywhere. */
  revokedSessions: Readonly<Record<string, string>>;
  passwordPolicy: PasswordPolicyConfig;
  memberAccountPasswordPolicy: boolean;
}

/** A role trusted by an AWS service rather than by people, e.g. EC2 through an instance profile. */
export interface ServiceRoleConfig {
  name: string;
  service: string;
  description?: string;
  awsManagedPolicies: readonly string[];
  instanceProfile: boolean;
  maxSessionDuration?: number;
}

export interface AccountConfig {
  /** The file name without `.yaml`: the account's short name on the command line and in stack names. */
  prefix: string;
  id: string;
  alias: string;
  type: string;
  region: string;
  maxSessionDuration?: number;
  /** Explicit per-account role toggles (`roles: {KMSAdministrator: true}`). */
  roleToggles: Readonly<Record<string, boolean>>;
  /** `false` when the account opts out. */
  guardrails: GuardrailsConfig | false;
  serviceRoles: readonly ServiceRoleConfig[];
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
  pipeline?: PipelineConfig;
  /** Derived from the account files: the sorted set of their `type`s. */
  accountTypes: readonly string[];
  /** Parsed files, for locating problems found after loading. */
  sources: ReadonlyMap<string, SourceFile>;
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
  origin: Origin;
}
