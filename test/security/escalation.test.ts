// Adversarial suite: for every role iam-roster creates, and for a central IAM user, the known IAM
// privilege-escalation methods (Rhino Security Labs' list and more), KMS and deletion APIs, and
// regional actions outside the allowed regions, each evaluated with an IAM policy simulator
// against the synthesized templates (AWS managed policies from their real documents). Every
// must-deny is paired with must-allow cases, so the roles stay usable.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RosterPlan } from '../../lib/plan/types.js';
import { loadRoster } from '../../lib/roster.js';
import { acmePlan, baseFiles, planOf, repoRoot, TEST_NOW } from '../helpers.js';
import { synthesize } from '../support/assembly.js';
import { iamModel, simulateAssumeRole, type IamModel } from '../support/iam-model.js';
import { decide, defaultKeyPolicy, memberAccounts, roleSession, type AccountModel, type Attempt, type Principal } from '../support/member-model.js';

const synth = (plan: RosterPlan) => synthesize(plan, 'roster-adversarial-');

let accounts: Map<string, AccountModel>;
let central: IamModel;
beforeAll(() => {
  const dir = synth(acmePlan());
  accounts = memberAccounts(dir);
  central = iamModel(dir, '111111111111');
});

const PEOPLE_ROLES = ['Auditor', 'BillingReadOnly', 'FullAdministrator', 'KMSAdministrator', 'PowerUser', 'ReadOnly', 'SupportEngineer'];
const SERVICES_THAT_RUN_ROLES = ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'cloudformation.amazonaws.com', 'glue.amazonaws.com', 'sagemaker.amazonaws.com', 'codebuild.amazonaws.com', 'datapipeline.amazonaws.com', 'ecs-tasks.amazonaws.com'];

const arn = (m: AccountModel, service: string, resource: string, region = '*') =>
  service === 'iam' ? `arn:aws:iam::${m.account}:${resource}` : service === 's3' ? `arn:aws:s3:::${resource}` : `arn:aws:${service}:${region === '*' ? m.region : region}:${m.account}:${resource}`;

/** Run attempts for a principal; returns the ones whose outcome differs from `want`. */
async function expectAll(principal: Principal, attempts: (Attempt & { label: string; region?: string })[], want: 'deny' | 'allow'): Promise<string[]> {
  const wrong: string[] = [];
  for (const a of attempts) {
    const result = await decide(principal, a, a.region);
    if ((result === 'Allowed') !== (want === 'allow')) wrong.push(`${principal.arn.split('/')[1]}: ${a.label} -> ${result}`);
  }
  return wrong;
}

/** Escalations no role may perform from inside an account, FullAdministrator included. */
function nobodyMay(m: AccountModel, role: string): (Attempt & { label: string })[] {
  const self = arn(m, 'iam', `role/${role}`);
  const own = m.roles.get(role)!.policyArns.filter((p) => !p.includes(':iam::aws:policy/'));
  const attempts: (Attempt & { label: string })[] = [
    ...own.flatMap((policy) => [
      { label: `CreatePolicyVersion on its own ${policy.split('/')[1]}`, action: 'iam:CreatePolicyVersion', resource: policy },
      { label: `SetDefaultPolicyVersion on its own ${policy.split('/')[1]}`, action: 'iam:SetDefaultPolicyVersion', resource: policy },
      { label: `DeletePolicy ${policy.split('/')[1]}`, action: 'iam:DeletePolicy', resource: policy },
      { label: `DetachRolePolicy ${policy.split('/')[1]} from itself`, action: 'iam:DetachRolePolicy', resource: self, context: { 'iam:PolicyARN': policy } },
    ]),
    { label: 'AttachRolePolicy AdministratorAccess to itself', action: 'iam:AttachRolePolicy', resource: self, context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
    { label: 'PutRolePolicy on itself', action: 'iam:PutRolePolicy', resource: self },
    { label: 'PutRolePermissionsBoundary AdministratorAccess on itself', action: 'iam:PutRolePermissionsBoundary', resource: self, context: { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
    { label: 'DeleteRolePermissionsBoundary on itself', action: 'iam:DeleteRolePermissionsBoundary', resource: self },
    { label: 'DeleteRole itself', action: 'iam:DeleteRole', resource: self },
    { label: 'UntagRole managed-by from itself', action: 'iam:UntagRole', resource: self, context: { 'aws:TagKeys': ['managed-by'] } },
    ...[...m.roles.keys()].filter((r) => !r.startsWith('iam-roster-')).map((r) => ({ label: `UpdateAssumeRolePolicy on ${r}`, action: 'iam:UpdateAssumeRolePolicy', resource: arn(m, 'iam', `role/${r}`) })),
    ...PEOPLE_ROLES.filter((r) => m.roles.has(r)).flatMap((r) => SERVICES_THAT_RUN_ROLES.map((service) => ({
      label: `PassRole ${r} to ${service}`, action: 'iam:PassRole', resource: arn(m, 'iam', `role/${r}`), context: { 'iam:PassedToService': service },
    }))),
    { label: 'PassRole the CDK execution role to CloudFormation', action: 'iam:PassRole', resource: arn(m, 'iam', `role/cdk-hnb659fds-cfn-exec-role-${m.account}-${m.region}`), context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    { label: 'AssumeRole the CDK deploy role', action: 'sts:AssumeRole', resource: arn(m, 'iam', `role/cdk-hnb659fds-deploy-role-${m.account}-${m.region}`) },
    { label: 'UpdateAssumeRolePolicy on the CDK execution role', action: 'iam:UpdateAssumeRolePolicy', resource: arn(m, 'iam', `role/cdk-hnb659fds-cfn-exec-role-${m.account}-${m.region}`) },
    { label: 'UpdateFunctionCode of the password-policy handler', action: 'lambda:UpdateFunctionCode', resource: arn(m, 'lambda', 'function:iam-roster-password-policy') },
    { label: 'InvokeFunction the password-policy handler', action: 'lambda:InvokeFunction', resource: arn(m, 'lambda', 'function:iam-roster-password-policy') },
    { label: 'PassRole the password-policy handler role', action: 'iam:PassRole', resource: arn(m, 'iam', 'role/iam-roster-password-policy'), context: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    { label: 'AttachRolePolicy to the password-policy handler role', action: 'iam:AttachRolePolicy', resource: arn(m, 'iam', 'role/iam-roster-password-policy'), context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
    { label: 'DeleteStack of its own account stack', action: 'cloudformation:DeleteStack', resource: arn(m, 'cloudformation', `stack/Account-${[...accounts.entries()].find(([, a]) => a === m)![0]}/abc`) },
    { label: 'weaken the account password policy', action: 'iam:UpdateAccountPasswordPolicy', resource: '*' },
  ];
  if (m.roles.has('AppServer')) {
    attempts.push(
      { label: 'RemoveRoleFromInstanceProfile AppServer', action: 'iam:RemoveRoleFromInstanceProfile', resource: arn(m, 'iam', 'instance-profile/AppServer') },
      { label: 'PutRolePolicy on the AppServer service role', action: 'iam:PutRolePolicy', resource: arn(m, 'iam', 'role/AppServer') },
    );
  }
  return attempts;
}

/** IAM escalations on resources that are not iam-roster's: only an (unbounded) administrator may. */
function onlyAdminsMay(m: AccountModel): (Attempt & { label: string })[] {
  return [
    { label: 'CreateAccessKey for another user', action: 'iam:CreateAccessKey', resource: arn(m, 'iam', 'user/legacy-admin') },
    { label: 'CreateLoginProfile for another user', action: 'iam:CreateLoginProfile', resource: arn(m, 'iam', 'user/legacy-admin') },
    { label: 'UpdateLoginProfile of another user', action: 'iam:UpdateLoginProfile', resource: arn(m, 'iam', 'user/legacy-admin') },
    { label: 'AttachUserPolicy', action: 'iam:AttachUserPolicy', resource: arn(m, 'iam', 'user/legacy-admin'), context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
    { label: 'AddUserToGroup', action: 'iam:AddUserToGroup', resource: arn(m, 'iam', 'group/admins') },
    { label: 'CreateRole', action: 'iam:CreateRole', resource: arn(m, 'iam', 'role/escape') },
    { label: 'CreatePolicyVersion of an application policy', action: 'iam:CreatePolicyVersion', resource: arn(m, 'iam', 'policy/AppPolicy') },
    { label: 'UpdateAssumeRolePolicy of OrganizationAccountAccessRole', action: 'iam:UpdateAssumeRolePolicy', resource: arn(m, 'iam', 'role/OrganizationAccountAccessRole') },
    { label: 'PassRole an application role to EC2', action: 'iam:PassRole', resource: arn(m, 'iam', 'role/AppAdminRole'), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
  ];
}

const ROLES_IN = (m: AccountModel) => PEOPLE_ROLES.filter((r) => m.roles.has(r));

describe.each(['dev', 'prod-us', 'sandbox'])('account %s: escalation from every role iam-roster creates', (prefix) => {
  it('no role can change iam-roster\'s roles, policies, boundary, handlers or stack, pass people\'s or deployment roles, or assume CDK\'s roles', async () => {
    const m = accounts.get(prefix)!;
    const wrong: string[] = [];
    for (const role of [...ROLES_IN(m), ...(m.roles.has('AppServer') ? ['AppServer'] : [])]) wrong.push(...await expectAll(roleSession(m, role), nobodyMay(m, role), 'deny'));
    expect(wrong).toEqual([]);
    expect(ROLES_IN(m).length).toBeGreaterThanOrEqual(5);
  });

  it('no role but an unbounded FullAdministrator can grow access through IAM elsewhere in the account', async () => {
    const m = accounts.get(prefix)!;
    const wrong: string[] = [];
    const boundedAdmin = m.roles.get('FullAdministrator')!.boundaryArn !== undefined;
    for (const role of ROLES_IN(m)) {
      if (role === 'FullAdministrator' && !boundedAdmin) continue;
      wrong.push(...await expectAll(roleSession(m, role), onlyAdminsMay(m), 'deny'));
    }
    expect(wrong).toEqual([]);
  });
});

describe('FullAdministrator with the permissions boundary (prod-us)', () => {
  const boundary = () => `arn:aws:iam::${accounts.get('prod-us')!.account}:policy/IamRosterBoundary`;
  const admin = () => roleSession(accounts.get('prod-us')!, 'FullAdministrator');
  const role = (name: string) => `arn:aws:iam::${accounts.get('prod-us')!.account}:role/${name}`;

  it('cannot create roles or users without the boundary, swap it, lift it, or change unbounded principals', async () => {
    expect(await expectAll(admin(), [
      { label: 'CreateRole without a boundary', action: 'iam:CreateRole', resource: role('escape') },
      { label: 'CreateRole with AdministratorAccess as boundary', action: 'iam:CreateRole', resource: role('escape'), context: { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      { label: 'CreateUser without a boundary', action: 'iam:CreateUser', resource: `arn:aws:iam::${admin().account}:user/escape` },
      { label: 'PutRolePermissionsBoundary to AdministratorAccess', action: 'iam:PutRolePermissionsBoundary', resource: role('bounded-app'), context: { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      { label: 'DeleteRolePermissionsBoundary of an app role', action: 'iam:DeleteRolePermissionsBoundary', resource: role('bounded-app') },
      { label: 'AttachRolePolicy to OrganizationAccountAccessRole (no boundary)', action: 'iam:AttachRolePolicy', resource: role('OrganizationAccountAccessRole'), context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      { label: 'UpdateAssumeRolePolicy of OrganizationAccountAccessRole', action: 'iam:UpdateAssumeRolePolicy', resource: role('OrganizationAccountAccessRole') },
      { label: 'CreateAccessKey for a legacy user', action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${admin().account}:user/legacy-admin` },
      { label: 'edit the boundary policy', action: 'iam:CreatePolicyVersion', resource: boundary() },
    ], 'deny')).toEqual([]);
  });

  it('still administers: roles and users created with the boundary, and policies on them', async () => {
    expect(await expectAll(admin(), [
      { label: 'CreateRole with the boundary', action: 'iam:CreateRole', resource: role('bounded-app'), context: { 'iam:PermissionsBoundary': boundary() } },
      { label: 'AttachRolePolicy to a bounded role', action: 'iam:AttachRolePolicy', resource: role('bounded-app'), context: { 'iam:PermissionsBoundary': boundary(), 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonS3FullAccess' } },
      { label: 'PutRolePolicy on a bounded role', action: 'iam:PutRolePolicy', resource: role('bounded-app'), context: { 'iam:PermissionsBoundary': boundary() } },
      { label: 'CreateUser with the boundary', action: 'iam:CreateUser', resource: `arn:aws:iam::${admin().account}:user/service-x`, context: { 'iam:PermissionsBoundary': boundary() } },
      { label: 's3:CreateBucket', action: 's3:CreateBucket', resource: 'arn:aws:s3:::new-bucket' },
      { label: 'ec2:RunInstances', action: 'ec2:RunInstances', resource: `arn:aws:ec2:us-east-1:${admin().account}:instance/*` },
    ], 'allow')).toEqual([]);
  });
});

describe('FullAdministrator (dev), under the boundary it gets by default without organization guardrails, stays an administrator', () => {
  const bounded = (m: AccountModel) => ({ 'iam:PermissionsBoundary': arn(m, 'iam', 'policy/IamRosterBoundary') });
  it('manages IAM and everything else in the allowed regions', async () => {
    const m = accounts.get('dev')!;
    expect(m.roles.get('FullAdministrator')!.boundaryArn).toBe(arn(m, 'iam', 'policy/IamRosterBoundary'));
    expect(await expectAll(roleSession(m, 'FullAdministrator'), [
      { label: 'CreateRole with the boundary', action: 'iam:CreateRole', resource: arn(m, 'iam', 'role/app'), context: bounded(m) },
      { label: 'AttachRolePolicy to a bounded app role', action: 'iam:AttachRolePolicy', resource: arn(m, 'iam', 'role/app'), context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonS3FullAccess', ...bounded(m) } },
      { label: 'CreateUser with the boundary', action: 'iam:CreateUser', resource: arn(m, 'iam', 'user/app'), context: bounded(m) },
      { label: 'ec2:TerminateInstances', action: 'ec2:TerminateInstances', resource: arn(m, 'ec2', 'instance/i-0123456789abcdef0') },
      { label: 'PassRole the declared service role', action: 'iam:PassRole', resource: arn(m, 'iam', 'role/AppServer'), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    ], 'allow')).toEqual([]);
  });

  it('cannot create a role or user without the boundary, nor give an unbounded role more', async () => {
    const m = accounts.get('dev')!;
    expect(await expectAll(roleSession(m, 'FullAdministrator'), [
      { label: 'CreateRole without the boundary', action: 'iam:CreateRole', resource: arn(m, 'iam', 'role/app') },
      { label: 'CreateUser without the boundary', action: 'iam:CreateUser', resource: arn(m, 'iam', 'user/app') },
      { label: 'AttachRolePolicy to an unbounded role', action: 'iam:AttachRolePolicy', resource: arn(m, 'iam', 'role/OrganizationAccountAccessRole'), context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
    ], 'deny')).toEqual([]);
  });

  it('roles that cannot write IAM stay outside it (the default bounds administrators only)', () => {
    const m = accounts.get('dev')!;
    expect(m.roles.get('ReadOnly')!.boundaryArn).toBeUndefined();
    expect(m.roles.get('PowerUser')!.boundaryArn).toBeUndefined();
  });
});

describe('PowerUser (dev)', () => {
  it('passes only declared service roles, only to their own service', async () => {
    const m = accounts.get('dev')!;
    const pu = roleSession(m, 'PowerUser');
    const appServer = arn(m, 'iam', 'role/AppServer');
    expect(await decide(pu, { action: 'iam:PassRole', resource: appServer, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } })).toBe('Allowed');
    for (const service of SERVICES_THAT_RUN_ROLES.filter((s) => s !== 'ec2.amazonaws.com')) {
      expect(await decide(pu, { action: 'iam:PassRole', resource: appServer, context: { 'iam:PassedToService': service } }), service).not.toBe('Allowed');
    }
  });

  it('runs workloads: EC2 with the instance profile, Lambda, S3, DynamoDB, KMS, service-linked roles', async () => {
    const m = accounts.get('dev')!;
    expect(await expectAll(roleSession(m, 'PowerUser'), [
      { label: 'ec2:RunInstances', action: 'ec2:RunInstances', resource: arn(m, 'ec2', 'instance/*') },
      { label: 'lambda:CreateFunction', action: 'lambda:CreateFunction', resource: arn(m, 'lambda', 'function:app') },
      { label: 's3:CreateBucket', action: 's3:CreateBucket', resource: 'arn:aws:s3:::dev-app-bucket' },
      { label: 'dynamodb:CreateTable', action: 'dynamodb:CreateTable', resource: arn(m, 'dynamodb', 'table/app') },
      { label: 'kms:Encrypt', action: 'kms:Encrypt', resource: arn(m, 'kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'), resourcePolicy: defaultKeyPolicy(m.account) },
      { label: 'iam:CreateServiceLinkedRole', action: 'iam:CreateServiceLinkedRole', resource: arn(m, 'iam', 'role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing') },
      { label: 'iam:GetRole', action: 'iam:GetRole', resource: arn(m, 'iam', 'role/AppServer') },
      { label: 'rds:DeleteDBInstance of a scratch database', action: 'rds:DeleteDBInstance', resource: arn(m, 'rds', 'db:scratch') },
      { label: 'logs:DeleteLogGroup of a scratch group', action: 'logs:DeleteLogGroup', resource: arn(m, 'logs', 'log-group:/aws/lambda/scratch:*') },
    ], 'allow')).toEqual([]);
  });
});

describe('KMSAdministrator (prod-us)', () => {
  const key = () => arn(accounts.get('prod-us')!, 'kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab');
  const kms = (action: string, context: Record<string, string | string[]> = {}): Attempt & { label: string } =>
    ({ label: `${action} ${JSON.stringify(context)}`, action, resource: key(), context, resourcePolicy: defaultKeyPolicy(accounts.get('prod-us')!.account) });

  it('never uses keys for data nor changes who may, and deletes keys only after 30 days', async () => {
    expect(await expectAll(roleSession(accounts.get('prod-us')!, 'KMSAdministrator'), [
      kms('kms:Decrypt'), kms('kms:Encrypt'), kms('kms:GenerateDataKey'), kms('kms:ReEncryptFrom'), kms('kms:Sign'),
      kms('kms:CreateGrant'), kms('kms:PutKeyPolicy'), kms('kms:ImportKeyMaterial'), kms('kms:ReplicateKey', { 'kms:ReplicaRegion': 'us-west-2' }),
      kms('kms:ScheduleKeyDeletion', { 'kms:ScheduleKeyDeletionPendingWindowInDays': '7' }),
      kms('kms:ScheduleKeyDeletion', { 'kms:ScheduleKeyDeletionPendingWindowInDays': '30', 'kms:ResourceAliases': ['alias/prod-orders'] }),
      { label: 'kms:CreateKey bypassing the lockout check', action: 'kms:CreateKey', resource: '*', context: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
    ], 'deny')).toEqual([]);
  });

  it('creates, rotates, describes, disables, tags and schedules deletion of keys', async () => {
    expect(await expectAll(roleSession(accounts.get('prod-us')!, 'KMSAdministrator'), [
      { label: 'kms:CreateKey', action: 'kms:CreateKey', resource: '*' },
      kms('kms:EnableKeyRotation'), kms('kms:RotateKeyOnDemand'), kms('kms:DescribeKey'), kms('kms:DisableKey'), kms('kms:TagResource'),
      kms('kms:ScheduleKeyDeletion', { 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' }),
      { label: 'kms:CreateAlias', action: 'kms:CreateAlias', resource: arn(accounts.get('prod-us')!, 'kms', 'alias/app') },
    ], 'allow')).toEqual([]);
  });
});

describe('guardrails (dev, prod-us)', () => {
  const elsewhere = 'ap-southeast-2';
  const regional = (m: AccountModel): (Attempt & { label: string; region: string })[] => [
    { label: 'kms:CreateKey elsewhere', action: 'kms:CreateKey', resource: '*', region: elsewhere },
    { label: 'kms:ScheduleKeyDeletion elsewhere', action: 'kms:ScheduleKeyDeletion', resource: arn(m, 'kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab', elsewhere), region: elsewhere, context: { 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' }, resourcePolicy: defaultKeyPolicy(m.account) },
    { label: 'config:PutConfigRule elsewhere', action: 'config:PutConfigRule', resource: '*', region: elsewhere },
    { label: 'acm:RequestCertificate elsewhere', action: 'acm:RequestCertificate', resource: '*', region: elsewhere },
    { label: 'wafv2:CreateWebACL elsewhere', action: 'wafv2:CreateWebACL', resource: arn(m, 'wafv2', 'regional/webacl/x/1', elsewhere), region: elsewhere },
    { label: 'fms:PutPolicy elsewhere', action: 'fms:PutPolicy', resource: arn(m, 'fms', 'policy/x', elsewhere), region: elsewhere },
    { label: 'directconnect:CreateConnection elsewhere', action: 'directconnect:CreateConnection', resource: '*', region: elsewhere },
    { label: 'wellarchitected:CreateWorkload elsewhere', action: 'wellarchitected:CreateWorkload', resource: '*', region: elsewhere },
    { label: 'ec2:RunInstances elsewhere', action: 'ec2:RunInstances', resource: arn(m, 'ec2', 'instance/*', elsewhere), region: elsewhere },
    { label: 'kms:ReplicateKey to another region', action: 'kms:ReplicateKey', resource: arn(m, 'kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'), context: { 'kms:ReplicaRegion': elsewhere }, resourcePolicy: defaultKeyPolicy(m.account), region: m.region },
  ];
  const protectedNames = (m: AccountModel): (Attempt & { label: string })[] => [
    { label: 'rds:DeleteDBInstance prod-orders', action: 'rds:DeleteDBInstance', resource: arn(m, 'rds', 'db:prod-orders') },
    { label: 'rds:DeleteDBSnapshot', action: 'rds:DeleteDBSnapshot', resource: arn(m, 'rds', 'snapshot:prod-orders-final') },
    { label: 'rds:DeleteDBSnapshot (automated)', action: 'rds:DeleteDBSnapshot', resource: arn(m, 'rds', 'snapshot:rds:prod-orders-2026-11-20-03-00') },
    { label: 'rds:DeleteDBClusterSnapshot', action: 'rds:DeleteDBClusterSnapshot', resource: arn(m, 'rds', 'cluster-snapshot:prod-orders-2026') },
    { label: 'rds:DeleteDBInstanceAutomatedBackup', action: 'rds:DeleteDBInstanceAutomatedBackup', resource: arn(m, 'rds', 'auto-backup:ab-abcdefghijklmnop') },
    { label: 'dynamodb:DeleteBackup', action: 'dynamodb:DeleteBackup', resource: arn(m, 'dynamodb', 'table/prod-orders/backup/01600000000000-abcdefgh') },
    { label: 'dynamodb:DeleteTable', action: 'dynamodb:DeleteTable', resource: arn(m, 'dynamodb', 'table/prod-orders') },
    { label: 'backup:UpdateRecoveryPointLifecycle', action: 'backup:UpdateRecoveryPointLifecycle', resource: arn(m, 'backup', 'recovery-point:abc') },
    { label: 'backup:DeleteBackupVaultAccessPolicy', action: 'backup:DeleteBackupVaultAccessPolicy', resource: arn(m, 'backup', 'backup-vault:org-backups-main') },
    { label: 'backup:DeleteBackupPlan', action: 'backup:DeleteBackupPlan', resource: arn(m, 'backup', 'backup-plan:abc') },
    { label: 'cloudtrail:DeleteEventDataStore', action: 'cloudtrail:DeleteEventDataStore', resource: arn(m, 'cloudtrail', 'eventdatastore/abc') },
    { label: 'cloudtrail:StopLogging', action: 'cloudtrail:StopLogging', resource: arn(m, 'cloudtrail', 'trail/org-cloudtrail') },
    { label: 's3:DeleteBucket', action: 's3:DeleteBucket', resource: 'arn:aws:s3:::prod-data' },
    { label: 's3:PutBucketPolicy', action: 's3:PutBucketPolicy', resource: 'arn:aws:s3:::prod-data' },
    { label: 's3:PutLifecycleConfiguration', action: 's3:PutLifecycleConfiguration', resource: 'arn:aws:s3:::prod-data' },
    { label: 's3:DeleteObjectVersion', action: 's3:DeleteObjectVersion', resource: 'arn:aws:s3:::prod-data/orders.csv' },
    { label: 'kms:ScheduleKeyDeletion of a prod key', action: 'kms:ScheduleKeyDeletion', resource: arn(m, 'kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'), context: { 'kms:ResourceAliases': ['alias/prod-orders'], 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' }, resourcePolicy: defaultKeyPolicy(m.account) },
    { label: 'guardduty:DeleteDetector', action: 'guardduty:DeleteDetector', resource: arn(m, 'guardduty', 'detector/abc') },
    { label: 'config:StopConfigurationRecorder', action: 'config:StopConfigurationRecorder', resource: '*' },
    { label: 'securityhub:DisableSecurityHub', action: 'securityhub:DisableSecurityHub', resource: arn(m, 'securityhub', 'hub/default') },
    { label: 'logs:DeleteLogGroup of an RDS service log group', action: 'logs:DeleteLogGroup', resource: arn(m, 'logs', 'log-group:/aws/rds/cluster/prod-orders/error:*') },
  ];

  it.each(['dev', 'prod-us'])('%s: regional services are denied outside the allowed regions, protected resources cannot be deleted', async (prefix) => {
    const m = accounts.get(prefix)!;
    const wrong: string[] = [];
    for (const role of ['FullAdministrator', 'PowerUser'].filter((r) => m.roles.has(r))) {
      wrong.push(...await expectAll(roleSession(m, role), regional(m), 'deny'));
      wrong.push(...await expectAll(roleSession(m, role), protectedNames(m), 'deny'));
    }
    expect(wrong).toEqual([]);
  });

  it('global services stay usable from anywhere, and CloudFront certificates and web ACLs in us-east-1', async () => {
    const m = accounts.get('prod-eu')!; // allowed regions include us-east-1 in acme; use a region the account does not use
    const admin = roleSession(m, 'FullAdministrator');
    expect(await expectAll(admin, [
      { label: 'iam:CreateRole', action: 'iam:CreateRole', resource: arn(m, 'iam', 'role/x'), region: 'us-east-1', context: { 'iam:PermissionsBoundary': arn(m, 'iam', 'policy/IamRosterBoundary') } },
      { label: 'route53:ChangeResourceRecordSets', action: 'route53:ChangeResourceRecordSets', resource: 'arn:aws:route53:::hostedzone/Z1', region: 'us-east-1' },
      { label: 'cloudfront:CreateDistribution', action: 'cloudfront:CreateDistribution', resource: '*', region: 'us-east-1' },
      { label: 'acm:RequestCertificate in us-east-1', action: 'acm:RequestCertificate', resource: '*', region: 'us-east-1' },
      { label: 'sts:GetCallerIdentity', action: 'sts:GetCallerIdentity', resource: '*', region: 'us-east-1' },
    ], 'allow')).toEqual([]);
  });

  it('where an account opts out (sandbox), deletion is allowed but iam-roster\'s protection still holds', async () => {
    const m = accounts.get('sandbox')!;
    expect(await decide(roleSession(m, 'FullAdministrator'), { action: 'rds:DeleteDBSnapshot', resource: arn(m, 'rds', 'snapshot:prod-orders-final') })).toBe('Allowed');
    expect(await decide(roleSession(m, 'FullAdministrator'), { action: 'iam:UpdateAssumeRolePolicy', resource: arn(m, 'iam', 'role/FullAdministrator') })).toBe('ExplicitlyDenied');
  });
});

describe('the other catalog roles stay within their job', () => {
  it.each([
    ['ReadOnly', 'prod-us', [['s3:GetObject', 'arn:aws:s3:::prod-data/x'], ['ec2:DescribeInstances', '*']], [['s3:PutObject', 'arn:aws:s3:::prod-data/x'], ['ec2:RunInstances', '*'], ['iam:CreateRole', 'role']]],
    ['Auditor', 'prod-us', [['securityhub:GetFindings', '*'], ['guardduty:ListDetectors', '*'], ['config:GetResourceConfigHistory', '*']], [['guardduty:DeleteDetector', 'detector'], ['s3:PutObject', 'arn:aws:s3:::prod-data/x'], ['iam:CreateRole', 'role']]],
    ['BillingReadOnly', 'prod-us', [['ce:GetCostAndUsage', '*'], ['budgets:ViewBudget', '*']], [['ec2:RunInstances', '*'], ['budgets:ModifyBudget', '*'], ['iam:CreateRole', 'role']]],
    ['SupportEngineer', 'prod-us', [['support:CreateCase', '*'], ['health:DescribeEvents', '*']], [['ec2:RunInstances', '*'], ['s3:PutObject', 'arn:aws:s3:::prod-data/x'], ['iam:CreateRole', 'role']]],
  ] as const)('%s (%s): allowed its reads, denied writes', async (role, prefix, allowed, denied) => {
    const m = accounts.get(prefix)!;
    const fix = (r: string) => (r === 'role' ? arn(m, 'iam', 'role/x') : r === 'detector' ? arn(m, 'guardduty', 'detector/abc') : r);
    const session = roleSession(m, role);
    expect(await expectAll(session, allowed.map(([action, r]) => ({ label: action, action, resource: fix(r) })), 'allow')).toEqual([]);
    expect(await expectAll(session, denied.map(([action, r]) => ({ label: action, action, resource: fix(r) })), 'deny')).toEqual([]);
  });
});

describe('role sessions end with access', () => {
  it('an expired user\'s live session is cut at the expiry time, a revoked one at once; others run on', async () => {
    const files = baseFiles();
    files['users.yaml'] = files['users.yaml']
      .replace('  bob:\n    groups: [devs]', '  bob:\n    groups: [devs]\n    expires: 2026-12-01T18:00:00Z')
      + 'revokeSessions:\n  alice@example.com: "2026-11-22T10:00:00Z"\n';
    const m = memberAccounts(synth(planOf(files))).get('dev')!;
    const work = { action: 's3:GetObject', resource: 'arn:aws:s3:::dev-data/report.csv' };
    const at = (time: string, issued = '2026-12-01T17:00:00Z') => ({ ...work, context: { 'aws:CurrentTime': time, 'aws:TokenIssueTime': issued } });
    const bob = roleSession(m, 'PowerUser', 'bob');
    expect(await decide(bob, at('2026-12-01T17:59:00Z'))).toBe('Allowed');
    expect(await decide(bob, at('2026-12-01T18:00:01Z'))).toBe('ExplicitlyDenied');
    const alice = roleSession(m, 'FullAdministrator', 'alice@example.com');
    expect(await decide(alice, at('2026-11-22T10:30:00Z', '2026-11-22T09:59:00Z'))).toBe('ExplicitlyDenied');
    expect(await decide(alice, at('2026-11-22T10:30:00Z', '2026-11-22T10:01:00Z'))).toBe('Allowed');
    expect(await decide(roleSession(m, 'PowerUser', 'carol'), at('2026-12-02T00:00:00Z'))).toBe('Allowed');
  });
});

describe('the central account', () => {
  const user = (name: string): Principal => {
    const u = central.users.get(name)!;
    const arns = [...u.managedPolicyArns, ...u.groups.flatMap((g) => central.groups.get(g)!.managedPolicyArns)];
    return {
      arn: `arn:aws:iam::111111111111:user/${name}`, account: '111111111111', principalArn: `arn:aws:iam::111111111111:user/${name}`,
      identity: [...arns.map((a) => ({ name: a, policy: central.policies.get(a) as Record<string, unknown> })), ...u.inline],
    };
  };
  const iamArn = (r: string) => `arn:aws:iam::111111111111:${r}`;

  it('a user cannot grow their own access or anyone else\'s, whatever their groups', async () => {
    for (const name of ['alice@example.com', 'dave@example.com']) {
      expect(await expectAll(user(name), [
        { label: 'AttachUserPolicy to self', action: 'iam:AttachUserPolicy', resource: iamArn(`user/${name}`), context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
        { label: 'PutUserPolicy on self', action: 'iam:PutUserPolicy', resource: iamArn(`user/${name}`) },
        { label: 'AddUserToGroup admins', action: 'iam:AddUserToGroup', resource: iamArn('group/admins') },
        { label: 'CreateAccessKey for another user', action: 'iam:CreateAccessKey', resource: iamArn('user/bob@example.com') },
        { label: 'CreateLoginProfile for another user', action: 'iam:CreateLoginProfile', resource: iamArn('user/bob@example.com') },
        { label: 'UpdateLoginProfile of another user', action: 'iam:UpdateLoginProfile', resource: iamArn('user/bob@example.com') },
        { label: 'DeactivateMFADevice of another user', action: 'iam:DeactivateMFADevice', resource: iamArn('user/bob@example.com') },
        { label: 'CreatePolicyVersion of an assume policy', action: 'iam:CreatePolicyVersion', resource: iamArn('policy/ProdAssumeReadOnly') },
        { label: 'PassRole', action: 'iam:PassRole', resource: iamArn('role/anything'), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        { label: 'invoke the user clean-up handler', action: 'lambda:InvokeFunction', resource: 'arn:aws:lambda:us-east-1:111111111111:function:iam-roster-user-cleanup' },
        { label: 'read an initial password', action: 'secretsmanager:GetSecretValue', resource: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:iam-roster/initial-password/ivan@example.com-AbCdEf' },
      ], 'deny'), name).toEqual([]);
    }
  });

  it('a user manages their own credentials, with MFA', async () => {
    const name = 'dave@example.com';
    expect(await expectAll(user(name), [
      { label: 'CreateAccessKey for self', action: 'iam:CreateAccessKey', resource: iamArn(`user/${name}`) },
      { label: 'ChangePassword', action: 'iam:ChangePassword', resource: iamArn(`user/${name}`) },
      { label: 'EnableMFADevice for self', action: 'iam:EnableMFADevice', resource: iamArn(`user/${name}`) },
    ], 'allow')).toEqual([]);
    expect(await decide(user(name), { action: 'iam:CreateAccessKey', resource: iamArn(`user/${name}`), context: { 'aws:MultiFactorAuthPresent': 'false' } })).toBe('ExplicitlyDenied');
  });

  it('trust: only central users, under their own name, with MFA; never a central role (CI), never with arbitrary session tags', async () => {
    const model = iamModel(synth(acmePlan()), '111111111111');
    const prod = { account: '222222222201', role: 'FullAdministrator', mfa: true, identityAllowsAll: true } as const;
    expect(await simulateAssumeRole(model, { ...prod, user: 'admin-with-sts-star' })).toBe('Allowed');
    expect(await simulateAssumeRole(model, { ...prod, user: 'admin-with-sts-star', sessionName: 'sybil@example.com' })).not.toBe('Allowed');
    expect(await simulateAssumeRole(model, { ...prod, user: 'ci', principalArn: 'arn:aws:iam::111111111111:role/ci', sessionName: 'sybil@example.com' })).not.toBe('Allowed');
    expect(await simulateAssumeRole(model, { ...prod, user: 'sybil@example.com', action: 'sts:TagSession', tags: { Team: 'admins' } })).not.toBe('Allowed');
    expect(await simulateAssumeRole(model, { ...prod, user: 'alice@example.com', mfa: false })).not.toBe('Allowed');
  });
});

describe('the central account as a member (examples/small-team)', () => {
  it('roles there other than full administrators cannot touch iam-roster\'s users, groups, policies, secrets or handlers', async () => {
    const { plan } = loadRoster(join(repoRoot, 'examples', 'small-team'), TEST_NOW);
    const m = memberAccounts(synth(plan!)).get('main')!;
    const iamArn = (r: string) => `arn:aws:iam::${m.account}:${r}`;
    const attacks: (Attempt & { label: string })[] = [
      { label: 'CreateAccessKey for alice', action: 'iam:CreateAccessKey', resource: iamArn('user/alice') },
      { label: 'CreateLoginProfile for alice', action: 'iam:CreateLoginProfile', resource: iamArn('user/alice') },
      { label: 'DeactivateMFADevice of alice', action: 'iam:DeactivateMFADevice', resource: iamArn('user/alice') },
      { label: 'AttachUserPolicy to bob', action: 'iam:AttachUserPolicy', resource: iamArn('user/bob'), context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      { label: 'CreatePolicyVersion of an assume policy', action: 'iam:CreatePolicyVersion', resource: iamArn('policy/MainAssumeAdminRole') },
      { label: 'CreatePolicyVersion of ManageYourAccount', action: 'iam:CreatePolicyVersion', resource: iamArn('policy/ManageYourAccount') },
      { label: 'read an initial password', action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:eu-west-1:${m.account}:secret:iam-roster/initial-password/bob-AbCdEf` },
      { label: 'invoke the user clean-up handler', action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:eu-west-1:${m.account}:function:iam-roster-user-cleanup` },
      { label: 'DeleteStack CentralStack', action: 'cloudformation:DeleteStack', resource: `arn:aws:cloudformation:eu-west-1:${m.account}:stack/CentralStack/abc` },
    ];
    const wrong: string[] = [];
    for (const role of ['DataEngineerRole', 'InfrastructureAdminRole']) wrong.push(...await expectAll(roleSession(m, role, 'carol'), attacks, 'deny'));
    expect(wrong).toEqual([]);
    // the administrators, bounded by default (no organization guardrails), do not mint other users'
    // credentials (users do, through ManageYourAccount; the deployment creates users), and still
    // administer the account's IAM under the boundary
    expect(await decide(roleSession(m, 'AdminRole', 'alice'), { action: 'iam:CreateAccessKey', resource: iamArn('user/bob') }, 'eu-west-1')).toBe('ExplicitlyDenied');
    expect(await decide(roleSession(m, 'AdminRole', 'alice'), { action: 'iam:CreateRole', resource: iamArn('role/app'), context: { 'iam:PermissionsBoundary': iamArn('policy/IamRosterBoundary') } }, 'eu-west-1')).toBe('Allowed');
    // and its roles still do their jobs
    expect(await decide(roleSession(m, 'DataEngineerRole', 'bob'), { action: 'iam:PassRole', resource: iamArn('role/GlueJobs'), context: { 'iam:PassedToService': 'glue.amazonaws.com' } }, 'eu-west-1')).toBe('Allowed');
    expect(await decide(roleSession(m, 'DataEngineerRole', 'bob'), { action: 'athena:StartQueryExecution', resource: `arn:aws:athena:eu-west-1:${m.account}:workgroup/primary` }, 'eu-west-1')).toBe('Allowed');
  });
});
