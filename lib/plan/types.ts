import type { Origin, PasswordPolicyConfig } from '../config/types.js';
import type { PolicyDocument } from '../roles/types.js';
import type { PipelinePlan } from './pipeline.js';

/** A customer managed policy to create. */
export interface ManagedPolicyPlan {
  name: string;
  logicalId: string;
  description: string;
  document: PolicyDocument;
  /** ARN it will have once created (names are fixed, so ARNs are known before deployment). */
  arn: string;
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
  /** Deny statements for time-bound access (`expires`), attached to this user only. */
  expiryPolicies: readonly ManagedPolicyPlan[];
  /** Console password generated in Secrets Manager, reset at first sign-in. */
  console: boolean;
  email?: string;
  description?: string;
  /** Which users nested stack holds it: a function of the name alone. */
  bucket: number;
  origin: Origin;
}

export interface RolePlan {
  name: string;
  logicalId: string;
  arn: string;
  description: string;
  maxSessionDuration: number;
  trustPolicy: PolicyDocument;
  /** Full ARNs of AWS managed policies. */
  awsManagedPolicyArns: readonly string[];
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
  origin: Origin;
}

/** Everything to deploy, as plain data: the CDK layer only renders this. */
export interface RosterPlan {
  partition: string;
  central: { account: string; region: string; stackName: string; passwordPolicy: PasswordPolicyConfig };
  manageYourAccount: ManagedPolicyPlan;
  assumePolicies: readonly AssumePolicyPlan[];
  groups: readonly GroupPlan[];
  users: readonly UserPlan[];
  accounts: readonly AccountPlan[];
  /** CDK Pipelines rollout, when `pipeline:` is configured. */
  pipeline?: PipelinePlan;
}
