import type { PolicyStatement } from '../../config/iam-policy.js';
import type { RosterConfig } from '../../config/types.js';
import { centralPolicyPatterns, CDK_ROLE_PATTERN, HANDLER_PREFIX, MANAGED_BY_TAG, MANAGED_BY_VALUE, ROSTER_POLICY_PREFIX } from '../protection.js';
import { deploymentRoleArns, PIPELINE_BUCKET_PATTERN, PIPELINE_NAME, unlessDeployment } from './deployment.js';

/** CloudFormation verbs that change a stack (its template, policy, resources or existence). */
export const STACK_WRITE_ACTIONS = [
  'cloudformation:CancelUpdateStack', 'cloudformation:ContinueUpdateRollback', 'cloudformation:CreateChangeSet', 'cloudformation:CreateStack',
  'cloudformation:DeleteStack', 'cloudformation:ExecuteChangeSet', 'cloudformation:RollbackStack', 'cloudformation:SetStackPolicy',
  'cloudformation:SignalResource', 'cloudformation:TagResource', 'cloudformation:UntagResource', 'cloudformation:UpdateStack',
  'cloudformation:UpdateTerminationProtection',
];

/** Verbs that create or change an identity provider or a Roles Anywhere trust: new doors into an account. */
export const IDENTITY_PROVIDER_ACTIONS = [
  'iam:AddClientIDToOpenIDConnectProvider', 'iam:CreateOpenIDConnectProvider', 'iam:CreateSAMLProvider', 'iam:TagOpenIDConnectProvider',
  'iam:TagSAMLProvider', 'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:UpdateSAMLProvider',
  'rolesanywhere:Create*', 'rolesanywhere:Enable*', 'rolesanywhere:Import*', 'rolesanywhere:Put*', 'rolesanywhere:Update*',
];

/** Verbs that give an IAM user a way in (member accounts have no people's IAM users: they live in the central account). */
export const USER_CREDENTIAL_ACTIONS = [
  'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:CreateServiceSpecificCredential', 'iam:CreateUser', 'iam:ResetServiceSpecificCredential',
  'iam:UpdateLoginProfile', 'iam:UploadSigningCertificate', 'iam:UploadSSHPublicKey',
];

/** The pipeline's own verbs: starting, approving, retrying or changing a run or the pipeline. */
export const PIPELINE_WRITE_ACTIONS = [
  'codepipeline:CreatePipeline', 'codepipeline:DeletePipeline', 'codepipeline:DisableStageTransition', 'codepipeline:EnableStageTransition',
  'codepipeline:OverrideStageCondition', 'codepipeline:PutActionRevision', 'codepipeline:RetryStageExecution', 'codepipeline:RollbackStage',
  'codepipeline:StartPipelineExecution', 'codepipeline:StopPipelineExecution', 'codepipeline:TagResource', 'codepipeline:UntagResource', 'codepipeline:UpdatePipeline',
];

/** CodeBuild verbs that run or change a project (a build runs with the project's role and any buildspec it is given). */
export const BUILD_WRITE_ACTIONS = [
  'codebuild:BatchDeleteBuilds', 'codebuild:CreateProject', 'codebuild:CreateWebhook', 'codebuild:DeleteProject', 'codebuild:DeleteWebhook',
  'codebuild:RetryBuild', 'codebuild:RetryBuildBatch', 'codebuild:StartBuild', 'codebuild:StartBuildBatch', 'codebuild:StartSandbox', 'codebuild:UpdateProject',
  'codebuild:UpdateProjectVisibility', 'codebuild:UpdateWebhook',
];

/**
 * Every IAM verb that creates, changes or deletes what it names (role, policy, user, group):
 * restricted to iam-roster's own ARNs, they are exactly the writes on them (iam:PassRole and the
 * reads are not among them), in a tenth of the characters of the verbs spelled out.
 */
export const IAM_WRITE_VERBS = ['iam:Attach*', 'iam:Create*', 'iam:Delete*', 'iam:Detach*', 'iam:Put*', 'iam:Set*', 'iam:Tag*', 'iam:Untag*', 'iam:Update*'];

/** What the next deployment reads: written only by the deployment. */
export const DEPLOYMENT_INPUT_ACTIONS = [
  'ecr:BatchDeleteImage', 'ecr:CompleteLayerUpload', 'ecr:Delete*', 'ecr:InitiateLayerUpload', 'ecr:Put*', 'ecr:SetRepositoryPolicy', 'ecr:UploadLayerPart',
  's3:Delete*', 's3:Put*', 's3:Replicate*', 's3:RestoreObject', 'ssm:DeleteParameter*', 'ssm:LabelParameterVersion', 'ssm:PutParameter',
];

/** The organization's policies: changed only by the deployment (SCPs bind a delegated administrator, not the management account). */
export const ORGANIZATION_POLICY_ACTIONS = ['organizations:AttachPolicy', 'organizations:DeletePolicy', 'organizations:DetachPolicy', 'organizations:DisablePolicyType', 'organizations:UpdatePolicy'];

/** Every role name iam-roster creates somewhere: catalog roles and declared service roles. */
export function rosterRoleNames(config: Pick<RosterConfig, 'roles' | 'accounts'>): string[] {
  return [...new Set([...config.roles.map((r) => r.name), ...config.accounts.flatMap((a) => a.serviceRoles.map((s) => s.name))])].sort();
}

/**
 * The protection SCP: what only the deployment may change, in every account of the organization,
 * whoever asks (roles iam-roster does not know of included: that is what identity policies on
 * iam-roster's own roles cannot do). `central` adds the central account's users, groups and
 * policies. Region restriction and deletion protection are in the guardrail statements.
 */
export function protectStatements(config: RosterConfig, central: boolean): PolicyStatement[] {
  const p = config.central.partition;
  const exempt = unlessDeployment(config);
  const deploymentRoles = deploymentRoleArns(config);
  const rosterRoles = rosterRoleNames(config).map((n) => `arn:${p}:iam::*:role/${n}`);
  const peopleRoles = config.roles.map((r) => `arn:${p}:iam::*:role/${r.name}`).sort();
  const stacks = ['Account-*', 'CentralStack*', 'PipelineStack*', 'OrganizationStack', 'CDKToolkit'].map((s) => `arn:${p}:cloudformation:*:*:stack/${s}/*`);
  const statements: PolicyStatement[] = [
    // One statement for every deployment-only resource of every service: each verb here acts on
    // one service's resources, and each ARN pattern names one service's resources, so the union
    // denies exactly what the separate statements would (IAM matches a request's own resource).
    // Creating a role is included: one created under a roster or deployment name would be trusted as one.
    {
      Sid: 'OnlyTheDeploymentChangesRoster',
      Effect: 'Deny',
      Action: [
        ...IAM_WRITE_VERBS, 'lambda:*', ...STACK_WRITE_ACTIONS, ...DEPLOYMENT_INPUT_ACTIONS,
        ...(config.pipeline ? PIPELINE_WRITE_ACTIONS : []),
      ],
      Resource: [
        ...rosterRoles, ...deploymentRoles,
        `arn:${p}:iam::*:policy/${ROSTER_POLICY_PREFIX}*`, ...(central ? centralPolicyPatterns(p, config.central.account) : []),
        // Every verb on a handler, reads included: its configuration names what it may do, and nobody needs it.
        `arn:${p}:lambda:*:*:function:${HANDLER_PREFIX}*`,
        ...stacks,
        // What the next deployment reads: CDK's assets, the pipeline's artifacts, the bootstrap version, container images.
        `arn:${p}:s3:::${CDK_ROLE_PATTERN}`, `arn:${p}:s3:::${CDK_ROLE_PATTERN}/*`, `arn:${p}:s3:::${PIPELINE_BUCKET_PATTERN}`, `arn:${p}:s3:::${PIPELINE_BUCKET_PATTERN}/*`,
        `arn:${p}:ecr:*:*:repository/${CDK_ROLE_PATTERN}`, `arn:${p}:ssm:*:*:parameter/cdk-bootstrap/*`,
        ...(config.pipeline ? pipelineArns(config) : []),
      ],
      Condition: exempt,
    },
    {
      // Roles iam-roster created (tagged) and the pipeline's build projects, whatever their names.
      Sid: 'OnlyTheDeploymentChangesTagged', Effect: 'Deny',
      Action: [...IAM_WRITE_VERBS, ...(config.pipeline ? BUILD_WRITE_ACTIONS : [])],
      Resource: [`arn:${p}:iam::*:role/*`, ...(config.pipeline ? [`arn:${p}:codebuild:*:${config.pipeline.account}:project/*`] : [])],
      Condition: { StringEquals: { [`aws:ResourceTag/${MANAGED_BY_TAG}`]: MANAGED_BY_VALUE }, ...exempt },
    },
    {
      Sid: 'KeepRosterTag', Effect: 'Deny', Action: ['iam:TagPolicy', 'iam:TagRole', 'iam:UntagPolicy', 'iam:UntagRole'], Resource: '*',
      Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [MANAGED_BY_TAG] }, ...exempt },
    },
    { Sid: 'DeploymentRolesOnlyForDeployment', Effect: 'Deny', Action: ['iam:PassRole', 'sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'], Resource: deploymentRoles, Condition: exempt },
    {
      // New doors into an account (identity providers, Roles Anywhere), member accounts' IAM users,
      // and the organization's policies: only through the deployment.
      Sid: 'OnlyTheDeploymentOpensDoors', Effect: 'Deny',
      Action: [...IDENTITY_PROVIDER_ACTIONS, ...ORGANIZATION_POLICY_ACTIONS, ...(central ? [] : USER_CREDENTIAL_ACTIONS)],
      Resource: '*', Condition: exempt,
    },
    // People's roles run people's sessions; no service runs with one (no exemption: the deployment never passes them).
    { Sid: 'NeverPassPeoplesRoles', Effect: 'Deny', Action: 'iam:PassRole', Resource: peopleRoles },
    {
      Sid: 'ProtectDeploymentKeys', Effect: 'Deny', Action: ['kms:DeleteAlias', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:UpdateAlias'], Resource: '*',
      Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': ['alias/cdk-*', 'alias/pipelinestack*'] }, ...exempt },
    },
    { Sid: 'NoLeavingTheOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
    {
      // A session of a people's role without a source identity (a console switch) cannot start
      // other sessions: every session a person starts beyond their role carries their name.
      Sid: 'NoChainingWithoutSourceIdentity', Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*',
      Condition: { Null: { 'aws:SourceIdentity': 'true' }, ArnLike: { 'aws:PrincipalArn': peopleRoles } },
    },
  ];
  if (config.pipeline) statements.push(...approvalStatements(config));
  if (central) statements.push(...centralStatements(config));
  return statements;
}

function pipelineArns(config: RosterConfig): string[] {
  const { account, region } = config.pipeline!;
  const base = `arn:${config.central.partition}:codepipeline:${region}:${account}:${PIPELINE_NAME}`;
  return [base, `${base}/*`];
}

/** The pipeline's manual approvals: only the roles in pipeline.approvers (nobody, if none is declared). */
function approvalStatements(config: RosterConfig): PolicyStatement[] {
  const { account, approvers } = config.pipeline!;
  return [{
    Sid: 'OnlyApproversApprove', Effect: 'Deny', Action: 'codepipeline:PutApprovalResult', Resource: pipelineArns(config),
    ...(approvers.length > 0 ? { Condition: { ArnNotLike: { 'aws:PrincipalArn': [...approvers].sort().map((r) => `arn:${config.central.partition}:iam::${account}:role/${r}`) } } } : {}),
  }];
}

/** The central account: its users and groups change only through the deployment (not the self-service verbs: own password, keys, MFA). */
function centralStatements(config: RosterConfig): PolicyStatement[] {
  const iam = (r: string) => `arn:${config.central.partition}:iam::${config.central.account}:${r}`;
  return [{
    Sid: 'OnlyTheDeploymentChangesPeople', Effect: 'Deny',
    Action: [
      'iam:AddUserToGroup', 'iam:AttachGroupPolicy', 'iam:AttachUserPolicy', 'iam:CreateGroup', 'iam:CreateLoginProfile', 'iam:CreateUser', 'iam:DeleteGroup',
      'iam:DeleteGroupPolicy', 'iam:DeleteUser', 'iam:DeleteUserPermissionsBoundary', 'iam:DeleteUserPolicy', 'iam:DetachGroupPolicy', 'iam:DetachUserPolicy',
      'iam:PutGroupPolicy', 'iam:PutUserPermissionsBoundary', 'iam:PutUserPolicy', 'iam:RemoveUserFromGroup', 'iam:TagUser', 'iam:UntagUser', 'iam:UpdateGroup',
      'iam:UpdateLoginProfile', 'iam:UpdateUser',
    ],
    Resource: [iam('group/*'), iam('user/*')], Condition: unlessDeployment(config),
  }];
}
