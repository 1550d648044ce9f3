import type { PolicyDocument, PolicyStatement } from '../config/iam-policy.js';
import { policyArn } from './assume-policies.js';
import { BOUNDARY_POLICY } from './boundary.js';
import { centralPolicyPatterns, HANDLER_PREFIX, MANAGED_BY_TAG, MANAGED_BY_VALUE, ROSTER_POLICY_PREFIX } from './protection.js';
import type { RosterPlan } from './types.js';

/** The name the runbook gives the execution policy in each account (README "Bootstrapping"). */
export const EXECUTION_POLICY_NAME = 'iam-roster-cfn-exec';

const ROLE_ACTIONS = [
  'iam:AttachRolePolicy', 'iam:DeleteRole', 'iam:DeleteRolePermissionsBoundary', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy', 'iam:GetRole',
  'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:ListRoleTags', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy',
  'iam:TagRole', 'iam:UntagRole', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole', 'iam:UpdateRoleDescription',
];
const POLICY_ACTIONS = [
  'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:GetPolicy', 'iam:GetPolicyVersion',
  'iam:ListPolicyTags', 'iam:ListPolicyVersions', 'iam:SetDefaultPolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy',
];

/**
 * The CloudFormation execution policy for one account (CDK bootstrap's
 * `--cloudformation-execution-policies`): what deploying iam-roster's stacks there needs, and no
 * more. IAM writes only on roles tagged managed-by=iam-roster (created with that tag), policies
 * under iam-roster's names, attachments of AWS managed or iam-roster policies (and of the existing
 * customer managed policies the config names, by exact ARN), the handlers'
 * functions and log groups, and (central account) users created with the tag and iam-roster's
 * groups and policies. No `iam:*`, no users or access keys in member accounts.
 */
export function executionPolicy(plan: RosterPlan, accountId: string): PolicyDocument {
  const p = plan.partition;
  const account = plan.accounts.find((a) => a.id === accountId);
  const isCentral = accountId === plan.central.account;
  const region = account?.region ?? plan.central.region;
  const iam = (r: string) => `arn:${p}:iam::${accountId}:${r}`;
  const tagged = { StringEquals: { [`aws:ResourceTag/${MANAGED_BY_TAG}`]: MANAGED_BY_VALUE } };
  const taggedOnCreate = { StringEquals: { [`aws:RequestTag/${MANAGED_BY_TAG}`]: MANAGED_BY_VALUE } };
  const rosterPolicies = [policyArn(p, accountId, `${ROSTER_POLICY_PREFIX}*`), ...(isCentral ? centralPolicyPatterns(p, accountId) : [])];
  // Existing customer managed policies the role files name: attached by their exact ARNs, never edited.
  const existing = [...new Set(account?.roles.flatMap((r) => r.customerManagedPolicyArns) ?? [])].sort();
  const statements: PolicyStatement[] = [
    { Sid: 'CreateTaggedRoles', Effect: 'Allow', Action: ['iam:CreateRole', 'iam:TagRole'], Resource: iam('role/*'), Condition: taggedOnCreate },
    { Sid: 'ManageTaggedRoles', Effect: 'Allow', Action: ROLE_ACTIONS.filter((a) => !['iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary'].includes(a)), Resource: iam('role/*'), Condition: tagged },
    {
      Sid: 'AttachManagedOrRosterPolicies', Effect: 'Allow', Action: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'], Resource: iam('role/*'),
      Condition: { ...tagged, ArnLike: { 'iam:PolicyARN': [`arn:${p}:iam::aws:policy/*`, ...rosterPolicies, ...existing] } },
    },
    { Sid: 'SetRosterBoundary', Effect: 'Allow', Action: 'iam:PutRolePermissionsBoundary', Resource: iam('role/*'), Condition: { ...tagged, StringEquals: { ...tagged.StringEquals, 'iam:PermissionsBoundary': policyArn(p, accountId, BOUNDARY_POLICY) } } },
    { Sid: 'RosterPolicies', Effect: 'Allow', Action: POLICY_ACTIONS, Resource: rosterPolicies },
    {
      Sid: 'InstanceProfiles', Effect: 'Allow',
      Action: ['iam:AddRoleToInstanceProfile', 'iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:GetInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:TagInstanceProfile'],
      Resource: iam('instance-profile/*'),
    },
    // Adding a role to an instance profile and creating a handler function pass the role.
    { Sid: 'PassTaggedRoles', Effect: 'Allow', Action: 'iam:PassRole', Resource: iam('role/*'), Condition: { ...tagged, StringEqualsIfExists: { 'iam:PassedToService': ['ec2.amazonaws.com', 'lambda.amazonaws.com'] } } },
    {
      Sid: 'HandlerFunctions', Effect: 'Allow',
      Action: [
        'lambda:CreateFunction', 'lambda:DeleteFunction', 'lambda:GetFunction', 'lambda:GetFunctionConfiguration', 'lambda:InvokeFunction', 'lambda:ListTags',
        'lambda:TagResource', 'lambda:UntagResource', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration',
      ],
      Resource: `arn:${p}:lambda:${region}:${accountId}:function:${HANDLER_PREFIX}*`,
    },
    {
      Sid: 'HandlerLogGroups', Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:DeleteRetentionPolicy', 'logs:ListTagsForResource', 'logs:PutRetentionPolicy', 'logs:TagLogGroup', 'logs:TagResource', 'logs:UntagResource'],
      Resource: [`arn:${p}:logs:${region}:${accountId}:log-group:/aws/lambda/${HANDLER_PREFIX}*`, `arn:${p}:logs:${region}:${accountId}:log-group:/aws/lambda/${HANDLER_PREFIX}*:*`],
    },
    { Sid: 'DescribeLogGroups', Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
    { Sid: 'ReadAssets', Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:${p}:s3:::cdk-*-assets-${accountId}-${region}/*` },
    { Sid: 'ReadBootstrapVersion', Effect: 'Allow', Action: 'ssm:GetParameters', Resource: `arn:${p}:ssm:${region}:${accountId}:parameter/cdk-bootstrap/*` },
  ];
  if (isCentral) {
    statements.push(
      { Sid: 'CreateTaggedUsers', Effect: 'Allow', Action: ['iam:CreateUser', 'iam:TagUser'], Resource: iam('user/*'), Condition: taggedOnCreate },
      {
        Sid: 'ManageTaggedUsers', Effect: 'Allow',
        Action: ['iam:DeleteUser', 'iam:GetUser', 'iam:ListAttachedUserPolicies', 'iam:ListGroupsForUser', 'iam:ListUserTags', 'iam:TagUser', 'iam:UntagUser', 'iam:UpdateUser'],
        Resource: iam('user/*'), Condition: tagged,
      },
      {
        Sid: 'AttachRosterPoliciesToUsers', Effect: 'Allow', Action: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'], Resource: iam('user/*'),
        Condition: { ...tagged, ArnLike: { 'iam:PolicyARN': centralPolicyPatterns(p, accountId) } },
      },
      {
        Sid: 'RosterGroups', Effect: 'Allow',
        Action: ['iam:AddUserToGroup', 'iam:CreateGroup', 'iam:DeleteGroup', 'iam:GetGroup', 'iam:ListAttachedGroupPolicies', 'iam:RemoveUserFromGroup', 'iam:UpdateGroup'],
        Resource: iam('group/*'),
      },
      {
        Sid: 'AttachRosterPoliciesToGroups', Effect: 'Allow', Action: ['iam:AttachGroupPolicy', 'iam:DetachGroupPolicy'], Resource: iam('group/*'),
        Condition: { ArnLike: { 'iam:PolicyARN': centralPolicyPatterns(p, accountId) } },
      },
      {
        Sid: 'NestedStacks', Effect: 'Allow',
        Action: ['cloudformation:CreateStack', 'cloudformation:DeleteStack', 'cloudformation:DescribeStacks', 'cloudformation:DescribeStackEvents', 'cloudformation:GetTemplate', 'cloudformation:UpdateStack'],
        Resource: `arn:${p}:cloudformation:${region}:${accountId}:stack/${plan.central.stackName}-*/*`,
      },
      { Sid: 'PasswordPolicy', Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy'], Resource: '*' },
    );
  }
  return { Version: '2012-10-17', Statement: statements };
}
