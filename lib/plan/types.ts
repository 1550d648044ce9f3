import type { Origin, PasswordPolicyConfig, UserConfig } from '../config/types.js';
import type { PolicyDocument } from '../config/iam-policy.js';
import type { OrganizationPlan } from './organization/plan.js';
import type { PipelinePlan } from './pipeline.js';

/** A customer managed policy to create. */
export interface ManagedPolicyPlan {
  name: string;
  logicalId: string;
  description: string;
  document: PolicyDocument;
  /** ARN it will have once created (names are fixed, so ARNs are known before deployment). */
  arn: string;
  /**
   * Its document names `{roleId}` (the role's unique ID, known once the role exists): the policy is
   * attached from its own side (`Roles`), after the role, instead of from the role's
   * ManagedPolicyArns, which would make the role and the policy wait for each other.
   */
  refersToRoleId?: true;
}

/** An inline policy of a user (name unique on that user only). */
export interface InlinePolicyPlan {
  name: string;
  document: PolicyDocument;
}

/** `<Type>Assume<Role>`: sts:AssumeRole on one role in every account of one type that has the role. */
export interface AssumePolicyPlan extends ManagedPolicyPlan {
  accountType: string;
  role: string;
  /** Account IDs the policy reaches, sorted. */
  accountIds: readonly string[];
  /** Which policies nested stack holds it. */
  bucket: number;
}

export interface GroupPlan {
  name: string;
  logicalId: string;
  description?: string;
  /** Names of the managed policies attached: shared `<Type>Assume<Role>` ones, or the group's packed ones. */
  policyNames: readonly string[];
  /**
   * When the shared policies would exceed 10 per group, the group's assume permissions are packed
   * into these group-specific policies instead.
   */
  packedPolicies: readonly (ManagedPolicyPlan & { bucket: number })[];
  origin: Origin;
}

export interface UserPlan {
  name: string;
  logicalId: string;
  arn: string;
  groups: readonly string[];
  /** Assume policies attached to the user for roles granted directly (shared or packed). */
  directPolicyNames: readonly string[];
  /** The user's own packed assume policies, when its direct grants would exceed IAM's 10 policies. */
  packedPolicies: readonly (ManagedPolicyPlan & { bucket: number })[];
  /** Deny statements for time-bound access (`expires`), attached to this user only. */
  expiryPolicies: readonly ManagedPolicyPlan[];
  /** Deny for the user's own sessions issued before `revokeSessions` time, inline on the user. */
  revocationPolicy?: InlinePolicyPlan;
  /** Console access (see UserConfig.console). */
  console: UserConfig['console'];
  /** IAM tags from YAML (email and description included), sorted by key. */
  tags: Readonly<Record<string, string>>;
  email?: string;
  description?: string;
  /** Which users nested stack holds it: a function of the name alone. */
  bucket: number;
  origin: Origin;
}

export interface RolePlan {
  /** A role people assume (from roles/), or a role for an AWS service (serviceRoles: in the account file). */
  kind: 'catalog' | 'service';
  name: string;
  logicalId: string;
  arn: string;
  description: string;
  maxSessionDuration: number;
  trustPolicy: PolicyDocument;
  /** Full ARNs of AWS managed policies. */
  awsManagedPolicyArns: readonly string[];
  /**
   * Full ARNs of customer managed policies that exist in the account already (attached by name):
   * their content is not seen, nor reviewed, by iam-roster.
   */
  customerManagedPolicyArns: readonly string[];
  /** The catalog's own statements, packed under the managed-policy size limit. */
  policies: readonly ManagedPolicyPlan[];
  /** Account-wide policies (guardrails) attached to the role, by name. */
  sharedPolicyNames: readonly string[];
  /** Account-wide policy used as permissions boundary, by name. */
  boundaryPolicyName?: string;
  /** Service roles only: create an EC2 instance profile of the same name. */
  instanceProfile?: boolean;
  /** Reasons recorded for security-linter findings (see RoleDefinition.justification). */
  justification: { awsManagedPolicies?: string; wildcards?: string };
}

export interface AccountPlan {
  prefix: string;
  partition: string;
  stackName: string;
  id: string;
  alias: string;
  type: string;
  region: string;
  /** Guardrails and boundary policies, created once per account and attached to every role. */
  sharedPolicies: readonly ManagedPolicyPlan[];
  roles: readonly RolePlan[];
  /** Set when the member account gets the account password policy too. */
  passwordPolicy?: PasswordPolicyConfig;
  /** The central account is also a member: its roles can change every user's access. */
  isCentral: boolean;
  origin: Origin;
}

/** Everything to deploy, as plain data: the CDK layer only renders this. */
export interface RosterPlan {
  partition: string;
  central: { account: string; region: string; stackName: string; passwordPolicy: PasswordPolicyConfig; onboardingPrincipal?: string };
  manageYourAccount: ManagedPolicyPlan;
  assumePolicies: readonly AssumePolicyPlan[];
  groups: readonly GroupPlan[];
  users: readonly UserPlan[];
  accounts: readonly AccountPlan[];
  /** CDK Pipelines rollout, when `pipeline:` is configured. */
  pipeline?: PipelinePlan;
  /** Organization guardrails (SCPs, RCPs), when `organization:` is configured. */
  organization?: OrganizationPlan;
}
