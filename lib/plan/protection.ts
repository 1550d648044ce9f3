import type { PolicyStatement } from '../config/iam-policy.js';
import { policyArn, roleArn } from './assume-policies.js';

export const PROTECTION_POLICY = 'IamRosterProtection';
export const PROTECT_CENTRAL_POLICY = 'IamRosterProtectCentral';

/** Every customer managed policy iam-roster creates in a member account starts with this. */
export const ROSTER_POLICY_PREFIX = 'IamRoster';

/** The tag on everything iam-roster creates (scoping handlers, protection and the execution policy). */
export const MANAGED_BY_TAG = 'managed-by';
export const MANAGED_BY_VALUE = 'iam-roster';

/** Fixed names of iam-roster's custom-resource handlers (functions and their roles). */
export const HANDLER_PREFIX = 'iam-roster-';

/** CDK's bootstrap roles (deploy, file and image publishing, lookup, CloudFormation execution). */
export const CDK_ROLE_PATTERN = 'cdk-*';

/** IAM actions that change a role: its policies, boundary, trust, tags or existence. */
export const ROLE_WRITE_ACTIONS = [
  'iam:AttachRolePolicy', 'iam:DeleteRole', 'iam:DeleteRolePermissionsBoundary', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:TagRole', 'iam:UntagRole', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole',
  'iam:UpdateRoleDescription',
];

/** IAM actions that change a customer managed policy. */
export const POLICY_WRITE_ACTIONS = [
  'iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy',
];

export interface ProtectionInput {
  partition: string;
  account: string;
  /** Roles people assume (catalog roles): never passed to a service. */
  peopleRoles: readonly string[];
  /** Every role iam-roster creates here (people's and service roles). */
  rosterRoles: readonly string[];
  instanceProfiles: readonly string[];
  /** iam-roster sets the account password policy here (member policy, or the central account). */
  managesPasswordPolicy: boolean;
  /** The CloudFormation stacks iam-roster deploys into this account. */
  stacks: readonly string[];
}

/**
 * What iam-roster protects in every account, for every role it creates, even where the account
 * opted out of the guardrails: nothing inside the account may change iam-roster's roles, their
 * policies, its handlers or stacks, nor use the deployment roles; only CloudFormation, through the
 * deployment, changes them. This closes the classic escalation paths: editing one's own policies
 * (CreatePolicyVersion, SetDefaultPolicyVersion, Attach/PutRolePolicy), rewriting a trust policy,
 * swapping or removing a boundary, passing a person's role or a deployment role to a service
 * (EC2, Lambda, CloudFormation, Glue, SageMaker, CodeBuild, Data Pipeline...), assuming CDK's
 * deployment roles, and rewriting a handler that runs with IAM permissions.
 */
export function protectionStatements(input: ProtectionInput): PolicyStatement[] {
  const { partition: p, account: a } = input;
  const roles = input.rosterRoles.map((r) => roleArn(p, a, r));
  const handlerRoles = `arn:${p}:iam::${a}:role/${HANDLER_PREFIX}*`;
  const cdkRoles = `arn:${p}:iam::${a}:role/${CDK_ROLE_PATTERN}`;
  const statements: PolicyStatement[] = [
    { Sid: 'ProtectRosterRoles', Effect: 'Deny', Action: ROLE_WRITE_ACTIONS, Resource: [...roles, handlerRoles, cdkRoles].sort() },
    { Sid: 'ProtectRosterPolicies', Effect: 'Deny', Action: POLICY_WRITE_ACTIONS, Resource: policyArn(p, a, `${ROSTER_POLICY_PREFIX}*`) },
    {
      Sid: 'NeverPassPeoplesOrDeploymentRoles',
      Effect: 'Deny',
      Action: 'iam:PassRole',
      Resource: [...input.peopleRoles.map((r) => roleArn(p, a, r)), handlerRoles, cdkRoles].sort(),
    },
    { Sid: 'NeverUseDeploymentRoles', Effect: 'Deny', Action: 'sts:AssumeRole', Resource: cdkRoles },
    {
      Sid: 'ProtectRosterHandlers',
      Effect: 'Deny',
      Action: [
        'lambda:AddPermission', 'lambda:DeleteFunction', 'lambda:InvokeFunction', 'lambda:PutFunctionConcurrency', 'lambda:RemovePermission',
        'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration',
      ],
      Resource: `arn:${p}:lambda:*:${a}:function:${HANDLER_PREFIX}*`,
    },
    {
      Sid: 'ProtectRosterStacks',
      Effect: 'Deny',
      Action: [
        'cloudformation:CancelUpdateStack', 'cloudformation:ContinueUpdateRollback', 'cloudformation:CreateChangeSet', 'cloudformation:DeleteStack',
        'cloudformation:ExecuteChangeSet', 'cloudformation:SetStackPolicy', 'cloudformation:UpdateStack', 'cloudformation:UpdateTerminationProtection',
      ],
      Resource: input.stacks.map((s) => `arn:${p}:cloudformation:*:${a}:stack/${s}/*`),
    },
  ];
  if (input.instanceProfiles.length > 0) {
    statements.push({
      Sid: 'ProtectRosterInstanceProfiles',
      Effect: 'Deny',
      Action: ['iam:AddRoleToInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:RemoveRoleFromInstanceProfile'],
      Resource: input.instanceProfiles.map((n) => `arn:${p}:iam::${a}:instance-profile/${n}`),
    });
  }
  if (input.managesPasswordPolicy) {
    statements.push({ Sid: 'KeepPasswordPolicy', Effect: 'Deny', Action: ['iam:DeleteAccountPasswordPolicy', 'iam:UpdateAccountPasswordPolicy'], Resource: '*' });
  }
  return statements;
}

/**
 * The same protection, compact enough to sit inside the one permissions-boundary policy: the roles
 * are matched by iam-roster's `managed-by` tag instead of listed (the attached Protection policy
 * lists them; the boundary also binds roles created later, which it cannot list), and the tag
 * itself cannot be added or removed.
 */
export function boundaryProtectionStatements(input: ProtectionInput): PolicyStatement[] {
  const { partition: p, account: a } = input;
  // The boundary passes only the account's declared service roles (PassOnlyDeclaredServiceRoles),
  // which already keeps people's, handler and deployment roles from being passed: the listed
  // PassRole deny would only repeat it, at the size of the catalog.
  const explicit = protectionStatements(input).filter((s) => !['ProtectRosterRoles', 'ProtectRosterInstanceProfiles', 'NeverPassPeoplesOrDeploymentRoles'].includes(s.Sid!));
  return [
    { Sid: 'ProtectTaggedRoles', Effect: 'Deny', Action: ROLE_WRITE_ACTIONS, Resource: `arn:${p}:iam::${a}:role/*`, Condition: { StringEquals: { [`aws:ResourceTag/${MANAGED_BY_TAG}`]: MANAGED_BY_VALUE } } },
    { Sid: 'KeepRosterTag', Effect: 'Deny', Action: ['iam:TagRole', 'iam:UntagRole'], Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [MANAGED_BY_TAG] } } },
    { Sid: 'ProtectHandlerAndDeploymentRoles', Effect: 'Deny', Action: ROLE_WRITE_ACTIONS, Resource: [`arn:${p}:iam::${a}:role/${CDK_ROLE_PATTERN}`, `arn:${p}:iam::${a}:role/${HANDLER_PREFIX}*`] },
    ...explicit,
  ];
}

/** The central account's iam-roster policies, by name pattern (see lib/plan/users.ts and groups.ts). */
export function centralPolicyPatterns(partition: string, central: string): string[] {
  return ['ManageYourAccount', '*Assume*', '*-assume-*', '*-expiry*'].map((n) => policyArn(partition, central, n));
}

/**
 * The central account as a member: roles there other than full administrators must not change
 * iam-roster's users, groups and policies (whoever can, can change every user's access).
 */
export function protectCentralStatements(partition: string, central: string): PolicyStatement[] {
  const iam = (r: string) => `arn:${partition}:iam::${central}:${r}`;
  return [
    {
      Sid: 'ProtectRosterUsers',
      Effect: 'Deny',
      Action: [
        'iam:AddUserToGroup', 'iam:AttachUserPolicy', 'iam:ChangePassword', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:CreateServiceSpecificCredential',
        'iam:DeactivateMFADevice', 'iam:DeleteAccessKey', 'iam:DeleteLoginProfile', 'iam:DeleteUser', 'iam:DeleteUserPermissionsBoundary', 'iam:DeleteUserPolicy',
        'iam:DetachUserPolicy', 'iam:EnableMFADevice', 'iam:PutUserPermissionsBoundary', 'iam:PutUserPolicy', 'iam:RemoveUserFromGroup', 'iam:TagUser',
        'iam:UntagUser', 'iam:UpdateAccessKey', 'iam:UpdateLoginProfile', 'iam:UpdateUser', 'iam:UploadSSHPublicKey', 'iam:UploadSigningCertificate',
      ],
      Resource: iam('user/*'),
    },
    {
      Sid: 'ProtectRosterGroups',
      Effect: 'Deny',
      Action: ['iam:AddUserToGroup', 'iam:AttachGroupPolicy', 'iam:DeleteGroup', 'iam:DeleteGroupPolicy', 'iam:DetachGroupPolicy', 'iam:PutGroupPolicy', 'iam:RemoveUserFromGroup', 'iam:UpdateGroup'],
      Resource: iam('group/*'),
    },
    { Sid: 'ProtectRosterCentralPolicies', Effect: 'Deny', Action: POLICY_WRITE_ACTIONS, Resource: centralPolicyPatterns(partition, central) },
    { Sid: 'ProtectRosterSecrets', Effect: 'Deny', Action: ['secretsmanager:*'], Resource: `arn:${partition}:secretsmanager:*:${central}:secret:iam-roster/*` },
  ];
}
