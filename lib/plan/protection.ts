import type { PolicyStatement } from '../config/iam-policy.js';
import { policyArn, roleArn } from './assume-policies.js';
import { mergeDisjointDenies } from './merge-denies.js';

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

/**
 * ROLE_WRITE_ACTIONS in fewer characters, for the one 6,144-character boundary policy: every
 * pattern matches only role writes (DeleteRole* is DeleteRole, DeleteRolePermissionsBoundary and
 * DeleteRolePolicy; PutRole* and UpdateRole* likewise), and a role write IAM adds under these
 * names is covered too.
 */
export const ROLE_WRITE_PATTERNS = [
  'iam:AttachRolePolicy', 'iam:DeleteRole*', 'iam:DetachRolePolicy', 'iam:PutRole*', 'iam:TagRole', 'iam:UntagRole', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole*',
];

/** IAM actions that change a customer managed policy. */
export const POLICY_WRITE_ACTIONS = [
  'iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy',
];

/**
 * The stacks of the deployment, in every account: account stacks, CentralStack and its nested
 * stacks, the pipeline's stack and its cross-region support stacks (`PipelineStack-support-<region>`).
 */
export const DEPLOYMENT_STACKS = ['Account-*', 'CentralStack*', 'PipelineStack*'];

/** CDK's bootstrap assets bucket (`cdk-<qualifier>-assets-<account>-<region>`), read by every deployment. */
export const CDK_ASSETS_BUCKETS = 'cdk-*-assets-*';
/** CDK's bootstrap image repository (`cdk-<qualifier>-container-assets-<account>-<region>`). */
export const CDK_ASSETS_REPOSITORIES = 'cdk-*-container-assets-*';

/**
 * What the pipeline creates in its account (lib/stacks/pipeline-stack.ts): the pipeline `iam-roster`,
 * its CodeBuild projects (named by CloudFormation after their logical IDs, `Pipeline...-<random>`,
 * and the self-mutation project `iam-roster-selfupdate`), its artifact and replication buckets
 * (generated names starting with the stack's, `pipelinestack-...`) and its roles (`PipelineStack-...`).
 */
export const PIPELINE_NAME = 'iam-roster';
export const PIPELINE_PROJECTS = ['Pipeline*', 'iam-roster-*'];
export const PIPELINE_BUCKETS = 'pipelinestack-*';
export const PIPELINE_ROLES = 'PipelineStack-*';

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
  /**
   * The pipeline runs in this account: its pipeline, projects, buckets and roles are changed by
   * the deployment only, and its manual approvals are given only by these roles (none: by no role
   * iam-roster creates).
   */
  pipeline?: { approvers: readonly string[] };
}

/**
 * What iam-roster protects in every account, for every role it creates, even where the account
 * opted out of the guardrails: nothing inside the account may change iam-roster's roles, their
 * policies, its handlers or stacks, nor use the deployment roles; only CloudFormation, through the
 * deployment, changes them. This closes the classic escalation paths: editing one's own policies
 * (CreatePolicyVersion, SetDefaultPolicyVersion, Attach/PutRolePolicy), rewriting a trust policy,
 * swapping or removing a boundary, passing a person's role or a deployment role to a service
 * (EC2, Lambda, CloudFormation, Glue, SageMaker, CodeBuild, Data Pipeline...), assuming CDK's
 * deployment roles (of any account: the central account may hold the pipeline, trusted by every
 * member's), rewriting or invoking a handler that runs with IAM permissions, and taking over the
 * deployment (its stacks, CDK's assets, the pipeline's projects, buckets and approvals).
 * Denies by resource use NotAction with the reads, so every write or invocation a service adds
 * later is denied too.
 */
export function protectionStatements(input: ProtectionInput): PolicyStatement[] {
  const { partition: p, account: a, pipeline } = input;
  const roles = input.rosterRoles.map((r) => roleArn(p, a, r));
  const handlerRoles = `arn:${p}:iam::${a}:role/${HANDLER_PREFIX}*`;
  const cdkRoles = `arn:${p}:iam::${a}:role/${CDK_ROLE_PATTERN}`;
  const pipelineRoles = pipeline ? [`arn:${p}:iam::${a}:role/${PIPELINE_ROLES}`] : [];
  const pipelineResources = pipeline
    ? [`arn:${p}:codepipeline:*:${a}:${PIPELINE_NAME}`, `arn:${p}:codepipeline:*:${a}:${PIPELINE_NAME}/*`, ...PIPELINE_PROJECTS.map((n) => `arn:${p}:codebuild:*:${a}:project/${n}`)]
    : [];
  const statements: PolicyStatement[] = [
    { Sid: 'ProtectRosterRoles', Effect: 'Deny', Action: ROLE_WRITE_ACTIONS, Resource: [...roles, handlerRoles, cdkRoles, ...pipelineRoles].sort() },
    { Sid: 'ProtectRosterPolicies', Effect: 'Deny', Action: POLICY_WRITE_ACTIONS, Resource: policyArn(p, a, `${ROSTER_POLICY_PREFIX}*`) },
    {
      Sid: 'NeverPassPeoplesOrDeploymentRoles',
      Effect: 'Deny',
      Action: 'iam:PassRole',
      Resource: [...input.peopleRoles.map((r) => roleArn(p, a, r)), handlerRoles, cdkRoles, ...pipelineRoles].sort(),
    },
    // CDK's roles of every account: the deploy role of a member trusts the pipeline's account.
    { Sid: 'NeverUseDeploymentRoles', Effect: 'Deny', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'], Resource: [`arn:${p}:iam::*:role/${CDK_ROLE_PATTERN}`, ...pipelineRoles] },
    { Sid: 'ProtectRosterHandlers', Effect: 'Deny', NotAction: ['lambda:Get*', 'lambda:List*'], Resource: `arn:${p}:lambda:*:${a}:function:${HANDLER_PREFIX}*` },
    // An event source mapping is a resource of its own that invokes the function it names.
    {
      Sid: 'NoEventSourcesForHandlers', Effect: 'Deny', Action: 'lambda:*EventSourceMapping', Resource: '*',
      Condition: { ArnLike: { 'lambda:FunctionArn': `arn:${p}:lambda:*:${a}:function:${HANDLER_PREFIX}*` } },
    },
    {
      Sid: 'ProtectRosterStacks',
      Effect: 'Deny',
      NotAction: ['cloudformation:Describe*', 'cloudformation:Detect*', 'cloudformation:Get*', 'cloudformation:List*'],
      Resource: DEPLOYMENT_STACKS.map((s) => `arn:${p}:cloudformation:*:${a}:stack/${s}/*`),
    },
    {
      // What the next deployment reads: CDK's assets (every account), the pipeline's artifacts.
      Sid: 'ProtectDeploymentAssets',
      Effect: 'Deny',
      NotAction: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGet*', 'ecr:Describe*', 'ecr:Get*', 'ecr:List*', 's3:Get*', 's3:List*'],
      Resource: [`arn:${p}:ecr:*:${a}:repository/${CDK_ASSETS_REPOSITORIES}`, `arn:${p}:s3:::${CDK_ASSETS_BUCKETS}`, ...(pipeline ? [`arn:${p}:s3:::${PIPELINE_BUCKETS}`] : [])],
    },
  ];
  if (pipeline) {
    statements.push(
      {
        Sid: 'ProtectThePipeline',
        Effect: 'Deny',
        NotAction: ['codebuild:BatchGet*', 'codebuild:List*', 'codepipeline:Get*', 'codepipeline:List*', 'codepipeline:PutApprovalResult'],
        Resource: pipelineResources,
      },
      {
        Sid: 'OnlyApproversApprove',
        Effect: 'Deny',
        Action: 'codepipeline:PutApprovalResult',
        Resource: `arn:${p}:codepipeline:*:${a}:${PIPELINE_NAME}/*`,
        ...(pipeline.approvers.length > 0 ? { Condition: { ArnNotLike: { 'aws:PrincipalArn': pipeline.approvers.map((r) => roleArn(p, a, r)).sort() } } } : {}),
      },
    );
  }
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
  // The boundary lets only the declared service roles be passed (PassOnlyDeclaredServiceRoles in
  // lib/plan/boundary.ts), which already keeps people's, handlers' and deployment roles from
  // being passed: their list would only take room the boundary does not have.
  const inBoundary = (sid?: string) => sid !== 'ProtectRosterRoles' && sid !== 'ProtectRosterInstanceProfiles' && sid !== 'NeverPassPeoplesOrDeploymentRoles';
  const explicit = protectionStatements(input).filter((s) => inBoundary(s.Sid));
  return mergeDisjointDenies([
    { Sid: 'ProtectTaggedRoles', Effect: 'Deny', Action: ROLE_WRITE_PATTERNS, Resource: `arn:${p}:iam::${a}:role/*`, Condition: { StringEquals: { [`aws:ResourceTag/${MANAGED_BY_TAG}`]: MANAGED_BY_VALUE } } },
    { Sid: 'KeepRosterTag', Effect: 'Deny', Action: ['iam:TagRole', 'iam:UntagRole'], Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [MANAGED_BY_TAG] } } },
    {
      Sid: 'ProtectHandlerAndDeploymentRoles', Effect: 'Deny', Action: ROLE_WRITE_PATTERNS,
      Resource: [`arn:${p}:iam::${a}:role/${CDK_ROLE_PATTERN}`, `arn:${p}:iam::${a}:role/${HANDLER_PREFIX}*`, ...(input.pipeline ? [`arn:${p}:iam::${a}:role/${PIPELINE_ROLES}`] : [])],
    },
    ...explicit,
  ], 'ProtectRosterResources');
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
        'iam:DetachUserPolicy', 'iam:EnableMFADevice', 'iam:PutUserPermissionsBoundary', 'iam:PutUserPolicy', 'iam:RemoveUserFromGroup', 'iam:ResyncMFADevice', 'iam:TagUser',
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
    // Users' virtual MFA devices are named after them (ManageYourAccount): nobody else creates (squats) or deletes one.
    { Sid: 'ProtectRosterMFADevices', Effect: 'Deny', Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice', 'iam:TagMFADevice', 'iam:UntagMFADevice'], Resource: iam('mfa/*') },
    { Sid: 'ProtectRosterCentralPolicies', Effect: 'Deny', Action: POLICY_WRITE_ACTIONS, Resource: centralPolicyPatterns(partition, central) },
    { Sid: 'ProtectRosterSecrets', Effect: 'Deny', Action: ['secretsmanager:*'], Resource: `arn:${partition}:secretsmanager:*:${central}:secret:iam-roster/*` },
  ];
}
