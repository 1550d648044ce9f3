import type { GuardrailsConfig } from '../config/types.js';
import type { PolicyDocument, PolicyStatement } from '../config/iam-policy.js';
import { policyArn } from './assume-policies.js';

export const GUARDRAILS_POLICY = 'IamRosterGuardrails';
export const BOUNDARY_POLICY = 'IamRosterBoundary';
export const REVOKED_SESSIONS_POLICY = 'IamRosterRevokedSessions';

/**
 * Break-glass revocation: deny everything to role sessions of a user issued before a time. Role
 * session names are the user's name (the assume policies insist), so aws:userid ends with it.
 */
export function revokedSessionStatements(revoked: Readonly<Record<string, string>>): PolicyStatement[] {
  return Object.entries(revoked).map(([user, time], i) => ({
    Sid: `RevokeSessions${i + 1}`,
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: { StringLike: { 'aws:userid': `*:${user}` }, DateLessThan: { 'aws:TokenIssueTime': time } },
  }));
}

/**
 * Actions of global services (or global views of regional ones) that are exempt from the region
 * restriction, after AWS's "deny access outside the requested regions" SCP example.
 */
export const GLOBAL_SERVICE_ACTIONS = [
  'a4b:*', 'account:*', 'acm:*', 'aws-marketplace-management:*', 'aws-marketplace:*', 'aws-portal:*', 'billing:*',
  'budgets:*', 'ce:*', 'chime:*', 'cloudfront:*', 'config:*', 'cost-optimization-hub:*', 'cur:*', 'directconnect:*',
  'ec2:DescribeRegions', 'ec2:DescribeTransitGateways', 'ec2:DescribeVpnGateways', 'fms:*', 'freetier:*',
  'globalaccelerator:*', 'health:*', 'iam:*', 'importexport:*', 'invoicing:*', 'kms:*', 'networkmanager:*',
  'notifications:*', 'organizations:*', 'payments:*', 'pricing:*', 'route53-recovery-cluster:*',
  'route53-recovery-control-config:*', 'route53-recovery-readiness:*', 'route53:*', 'route53domains:*',
  's3:GetAccountPublic*', 's3:ListAllMyBuckets', 's3:ListMultiRegionAccessPoints', 's3:PutAccountPublic*',
  'savingsplans:*', 'shield:*', 'sts:*', 'support:*', 'tax:*', 'trustedadvisor:*', 'waf-regional:*', 'waf:*',
  'wafv2:*', 'wellarchitected:*',
];

/** What deletion protection covers: actions, and the ARN of a resource named `name`. */
const PROTECTED: { sid: string; actions: string[]; arn: (p: string, a: string, name: string) => string[] }[] = [
  { sid: 'ProtectDatabases', actions: ['rds:DeleteDBCluster', 'rds:DeleteDBInstance', 'rds:ModifyDBCluster', 'rds:ModifyDBInstance'],
    arn: (p, a, n) => [`arn:${p}:rds:*:${a}:cluster:${n}`, `arn:${p}:rds:*:${a}:db:${n}`] },
  { sid: 'ProtectTables', actions: ['dynamodb:DeleteTable', 'dynamodb:UpdateContinuousBackups'], arn: (p, a, n) => [`arn:${p}:dynamodb:*:${a}:table/${n}`] },
  { sid: 'ProtectBackups', actions: ['backup:DeleteBackupVault', 'backup:DeleteBackupVaultLockConfiguration', 'backup:DeleteRecoveryPoint', 'backup:PutBackupVaultAccessPolicy'],
    arn: (p, a, n) => [`arn:${p}:backup:*:${a}:backup-vault:${n}`, `arn:${p}:backup:*:${a}:recovery-point:*`] },
  { sid: 'ProtectTrails', actions: ['cloudtrail:DeleteTrail', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors'],
    arn: (p, a, n) => [`arn:${p}:cloudtrail:*:${a}:trail/${n}`] },
  { sid: 'ProtectLogGroups', actions: ['logs:DeleteLogGroup', 'logs:DeleteLogStream', 'logs:DeleteRetentionPolicy', 'logs:PutRetentionPolicy'],
    arn: (p, a, n) => [`arn:${p}:logs:*:${a}:log-group:${n}`, `arn:${p}:logs:*:${a}:log-group:${n}:*`] },
];

/** Deny statements every role of the account carries. */
export function guardrailStatements(partition: string, account: string, guardrails: GuardrailsConfig): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      Sid: 'DenyOutsideAllowedRegions',
      Effect: 'Deny',
      NotAction: GLOBAL_SERVICE_ACTIONS,
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': [...guardrails.allowedRegions] } },
    },
  ];
  if (guardrails.protectedNamePatterns.length > 0) {
    for (const { sid, actions, arn } of PROTECTED) {
      statements.push({
        Sid: sid,
        Effect: 'Deny',
        Action: actions,
        Resource: [...new Set(guardrails.protectedNamePatterns.flatMap((n) => arn(partition, account, n)))],
      });
    }
  }
  return statements;
}

/**
 * The permissions boundary: allows everything the role's own policies allow, except what the
 * guardrails deny, and forbids removing the boundary or editing iam-roster's own policies.
 */
export function boundaryDocument(partition: string, account: string, guardrails: GuardrailsConfig): PolicyDocument {
  const policy = (name: string) => policyArn(partition, account, name);
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowWithinBoundary', Effect: 'Allow', Action: '*', Resource: '*' },
      ...guardrailStatements(partition, account, guardrails),
      {
        Sid: 'KeepBoundaryAndGuardrails',
        Effect: 'Deny',
        Action: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'],
        Resource: [policy(BOUNDARY_POLICY), policy(GUARDRAILS_POLICY)],
      },
      {
        Sid: 'KeepBoundaryOnRoles',
        Effect: 'Deny',
        Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
        Resource: '*',
      },
      {
        Sid: 'KeepGuardrailsAttached',
        Effect: 'Deny',
        Action: 'iam:DetachRolePolicy',
        Resource: '*',
        Condition: { ArnEquals: { 'iam:PolicyARN': policy(GUARDRAILS_POLICY) } },
      },
    ],
  };
}
