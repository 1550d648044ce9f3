// Every catalog role does what its description (and the comments and justification of its file)
// says, and nothing its description says it cannot: each claim of the example catalogs (and of
// the acme fixture, whose roles/ are the shipped ones) as simulated requests over the synthesized
// templates. "Cannot" claims that a role's own file makes are also checked without the guardrails
// (its own policies alone), so the role keeps its word in an account that opts out of them.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RosterPlan } from '../../lib/plan/types.js';
import { loadRoster } from '../../lib/roster.js';
import { acmePlan, repoRoot, TEST_NOW } from '../helpers.js';
import { fakeRoleId, synthesize } from '../support/assembly.js';
import { decide, defaultKeyPolicy, memberAccounts, roleSession, type AccountModel, type Attempt, type Principal } from '../support/member-model.js';

const synth = (plan: RosterPlan): Map<string, AccountModel> => memberAccounts(synthesize(plan, 'roster-claims-'));

type Request = Attempt & { label: string };
/** A request; a KMS key carries the default key policy (the account's IAM policies decide). */
/** Administrators carry the boundary by default (no organization guardrails): they create roles with it. */
const bounded = (account: string) => ({ 'iam:PermissionsBoundary': `arn:aws:iam::${account}:policy/IamRosterBoundary` });
const r = (action: string, resource = '*', context?: Record<string, string | string[]>): Request => ({
  label: `${action} ${resource === '*' ? '' : resource} ${context ? JSON.stringify(context) : ''}`.trim(), action, resource, context,
  ...(resource.includes(':kms:') ? { resourcePolicy: defaultKeyPolicy(resource.split(':')[4]) } : {}),
});

interface Claim {
  role: string;
  account: string;
  /** The user whose session it is (the session name). */
  user?: string;
  can: Request[];
  cannot: Request[];
  /** Cannot-claims the role's own policies make, guardrails aside. */
  ownCannot?: Request[];
}

/** The role's own policies only: its AWS managed and own customer managed policies, no iam-roster guardrail. */
function withoutGuardrails(principal: Principal): Principal {
  return { ...principal, identity: principal.identity.filter((p) => !/:policy\/IamRoster(Protection|ProtectCentral|Guardrails|Sessions)\d*$/.test(p.name)), boundary: undefined };
}

async function check(accounts: Map<string, AccountModel>, claims: Claim[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const claim of claims) {
    const m = accounts.get(claim.account);
    if (!m) throw new Error(`no account ${claim.account}`);
    // Customer managed policies the account already has, attached by name (login-gov-style's DNSSecDisablePrevent).
    const existing = { [`arn:aws:iam::${m.account}:policy/DNSSecDisablePrevent`]: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'route53:DisableHostedZoneDNSSEC', Resource: '*' }] } };
    const session = roleSession(m, claim.role, claim.user ?? 'alice', existing);
    const run = async (principal: Principal, requests: Request[], want: boolean, how: string) => {
      for (const q of requests) {
        const result = await decide(principal, q, m.region);
        if ((result === 'Allowed') !== want) wrong.push(`${claim.role} in ${claim.account} ${how} ${q.label}: ${result}`);
      }
    };
    await run(session, claim.can, true, 'can');
    await run(session, claim.cannot, false, 'cannot');
    await run(withoutGuardrails(session), claim.ownCannot ?? [], false, 'by its own policies cannot');
  }
  return wrong;
}

const DETECTION_OFF = [
  'guardduty:DeleteDetector', 'guardduty:UpdateDetector', 'guardduty:StopMonitoringMembers', 'guardduty:UpdateMemberDetectors', 'guardduty:DisassociateFromAdministratorAccount',
  'guardduty:DisassociateFromMasterAccount', 'guardduty:DeleteMembers', 'guardduty:UpdateMalwareScanSettings', 'guardduty:DeletePublishingDestination',
  'securityhub:DisableSecurityHub', 'securityhub:BatchDisableStandards', 'securityhub:DisableImportFindingsForProduct', 'securityhub:DisassociateFromAdministratorAccount',
  'securityhub:UpdateSecurityHubConfiguration', 'macie2:DisableMacie', 'macie2:UpdateMacieSession', 'macie2:PutFindingsPublicationConfiguration',
  'inspector2:Disable', 'inspector2:UpdateConfiguration', 'detective:DeleteGraph', 'detective:UpdateDatasourcePackages', 'access-analyzer:DeleteAnalyzer', 'access-analyzer:UpdateAnalyzer',
].map((a) => r(a));

describe('examples/login-gov-style: every role does what its description says', () => {
  let accounts: Map<string, AccountModel>;
  beforeAll(() => { accounts = synth(loadRoster(join(repoRoot, 'examples', 'login-gov-style'), TEST_NOW).plan!); });
  const region = 'us-west-2';
  const arn = (account: string, service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;
  const PROD = '340000000002';
  const DW = '340000000006';
  const bucket = (name: string, key = '') => `arn:aws:s3:::${name}${key}`;

  it('DWUser queries the warehouse as its own database user only, and reads only its own statements', async () => {
    const own = 'AROAEXAMPLEROLEID:alice';
    // aws:userid of DWUser's session: the role's unique ID ({roleId}, resolved by CloudFormation; the model's stand-in) and the session name
    const userid = { 'aws:userid': `${fakeRoleId('DWUser')}:alice` };
    const dbUser = (name: string) => r('redshift:GetClusterCredentials', arn(DW, 'redshift', `dbuser:warehouse/${name}`), { 'redshift:DbUser': name, 'redshift:DbName': 'analytics', ...userid });
    expect(await check(accounts, [{
      role: 'DWUser', account: 'dw-prod', user: 'alice',
      can: [
        dbUser('alice'), r('redshift:GetClusterCredentials', arn(DW, 'redshift', 'dbname:warehouse/analytics'), { 'redshift:DbUser': 'alice', ...userid }),
        r('redshift-data:ExecuteStatement', arn(DW, 'redshift', 'cluster:warehouse')), r('redshift-data:GetStatementResult', '*', { 'redshift-data:statement-owner-iam-userid': own }),
        r('redshift-data:ListStatements', '*', { 'redshift-data:statement-owner-iam-userid': own }), r('redshift:DescribeClusters', arn(DW, 'redshift', 'cluster:warehouse')),
      ],
      cannot: [
        dbUser('bob'), dbUser('admin'), dbUser('ali'), dbUser('xalice'),
        r('redshift:GetClusterCredentialsWithIAM', arn(DW, 'redshift', 'dbname:warehouse/analytics')), r('redshift:CreateClusterUser', arn(DW, 'redshift', 'dbuser:warehouse/alice'), { 'redshift:DbUser': 'alice' }),
        r('redshift:JoinGroup', arn(DW, 'redshift', 'dbgroup:warehouse/admins')), r('redshift-serverless:GetCredentials', arn(DW, 'redshift-serverless', 'workgroup/abc')),
        r('redshift-data:GetStatementResult', '*', { 'redshift-data:statement-owner-iam-userid': 'AROAEXAMPLEROLEID:bob' }),
        r('redshift-data:ExecuteStatement', arn(DW, 'redshift', 'cluster:warehouse'), { 'redshift-data:session-owner-iam-userid': 'AROAEXAMPLEROLEID:bob' }),
        r('secretsmanager:GetSecretValue', arn(DW, 'secretsmanager', 'secret:warehouse-admin-AbCdEf')),
      ],
    }])).toEqual([]);
  });

  it('SOCAdministrator triages and tunes findings, and never turns a detector off (guardrails or not)', async () => {
    expect(await check(accounts, [{
      role: 'SOCAdministrator', account: 'prod',
      can: ['guardduty:GetFindings', 'guardduty:ArchiveFindings', 'guardduty:CreateFilter', 'guardduty:CreateIPSet', 'guardduty:UpdateThreatIntelSet', 'securityhub:BatchUpdateFindings',
        'securityhub:CreateAutomationRule', 'securityhub:GetFindings', 'inspector2:CreateFilter', 'macie2:CreateFindingsFilter', 'detective:StartInvestigation', 'access-analyzer:CreateArchiveRule',
        'guardduty:CreateDetector', 'securityhub:EnableSecurityHub'].map((a) => r(a)),
      cannot: DETECTION_OFF,
      ownCannot: DETECTION_OFF,
    }])).toEqual([]);
  });

  it('the other roles keep to their descriptions', async () => {
    expect(await check(accounts, [
      { role: 'Analytics', account: 'prod',
        can: [r('athena:StartQueryExecution', arn(PROD, 'athena', 'workgroup/primary')), r('glue:GetTable', arn(PROD, 'glue', 'table/db/t')), r('s3:GetObject', bucket(`login-gov-analytics-${PROD}-${region}`, '/x'))],
        cannot: [r('s3:GetObject', bucket(`login-gov-reports-${PROD}-${region}`, '/x')), r('glue:DeleteTable', arn(PROD, 'glue', 'table/db/t')), r('iam:CreateRole', `arn:aws:iam::${PROD}:role/x`)] },
      { role: 'Auditor', account: 'prod',
        can: ['cloudtrail:LookupEvents', 'guardduty:GetFindings', 'securityhub:GetFindings', 'config:GetResourceConfigHistory', 'iam:GetAccountAuthorizationDetails'].map((a) => r(a)),
        cannot: [r('guardduty:UpdateDetector'), r('cloudtrail:StopLogging', arn(PROD, 'cloudtrail', 'trail/x')), r('s3:PutObject', bucket('x', '/y')), r('iam:CreateRole', `arn:aws:iam::${PROD}:role/x`)] },
      { role: 'DWAdmin', account: 'dw-prod',
        can: [r('redshift:CreateCluster', arn(DW, 'redshift', 'cluster:warehouse')), r('s3:PutObject', bucket(`login-gov-dw-${DW}-${region}`, '/x')), r('s3:GetObject', bucket(`login-gov-dw-${DW}-${region}`, '/x'))],
        // login-gov-* buckets are protected: objects leave by lifecycle rules that deployments set
        cannot: [r('s3:DeleteObject', bucket(`login-gov-dw-${DW}-${region}`, '/x')), r('s3:GetObject', bucket(`login-gov-reports-${DW}-${region}`, '/x')), r('iam:CreateRole', `arn:aws:iam::${DW}:role/x`)] },
      { role: 'EKSAdmin', account: 'prod',
        can: [r('eks:UpdateClusterConfig', arn(PROD, 'eks', 'cluster/idp')), r('ec2:DescribeInstances')],
        cannot: [r('ec2:RunInstances', arn(PROD, 'ec2', 'instance/*')), r('iam:PassRole', `arn:aws:iam::${PROD}:role/x`, { 'iam:PassedToService': 'eks.amazonaws.com' })] },
      { role: 'FraudOps', account: 'prod',
        can: [r('logs:FilterLogEvents', arn(PROD, 'logs', 'log-group:idp:*')), r('ssm:StartSession', arn(PROD, 'ec2', 'instance/i-0123'), { 'ssm:resourceTag/role': 'fraud-investigation' })],
        cannot: [r('ssm:StartSession', arn(PROD, 'ec2', 'instance/i-0123'), { 'ssm:resourceTag/role': 'idp' }), r('logs:DeleteLogGroup', arn(PROD, 'logs', 'log-group:idp:*')), r('s3:GetObject', bucket('x', '/y'))] },
      { role: 'ReportsReadOnly', account: 'prod',
        can: [r('s3:GetObject', bucket(`login-gov-reports-${PROD}-${region}`, '/r.csv')), r('s3:ListBucket', bucket(`login-gov-reports-${PROD}-${region}`))],
        cannot: [r('s3:PutObject', bucket(`login-gov-reports-${PROD}-${region}`, '/r.csv')), r('s3:GetObject', bucket(`login-gov-analytics-${PROD}-${region}`, '/x'))] },
      { role: 'KMSAdministrator', account: 'prod',
        can: [r('kms:CreateKey'), r('kms:EnableKeyRotation', arn(PROD, 'kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab')), r('kms:CreateAlias', arn(PROD, 'kms', 'alias/app'))],
        cannot: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:CreateGrant', 'kms:PutKeyPolicy', 'kms:ReEncryptFrom', 'kms:Sign'].map((a) => r(a, arn(PROD, 'kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'))) },
      { role: 'SupportEngineer', account: 'prod', can: [r('support:CreateCase'), r('health:DescribeEvents')], cannot: [r('ec2:RunInstances', arn(PROD, 'ec2', 'instance/*')), r('s3:GetObject', bucket('x', '/y'))] },
      { role: 'BillingReadOnly', account: 'prod', can: [r('ce:GetCostAndUsage'), r('budgets:ViewBudget', `arn:aws:budgets::${PROD}:budget/b`)], cannot: [r('budgets:ModifyBudget', `arn:aws:budgets::${PROD}:budget/b`), r('ec2:RunInstances', arn(PROD, 'ec2', 'instance/*'))] },
      { role: 'ReadOnly', account: 'prod', can: [r('ec2:DescribeInstances'), r('s3:ListAllMyBuckets')], cannot: [r('s3:PutObject', bucket('x', '/y')), r('ec2:RunInstances', arn(PROD, 'ec2', 'instance/*'))] },
      { role: 'PowerUser', account: 'prod',
        can: [r('ec2:RunInstances', arn(PROD, 'ec2', 'instance/*')), r('s3:CreateBucket', bucket('idp-scratch'))],
        cannot: [r('iam:CreateRole', `arn:aws:iam::${PROD}:role/x`), r('organizations:LeaveOrganization'), r('guardduty:UpdateDetector'), r('s3:DeleteBucket', bucket('login-gov-logs'))] },
      { role: 'FullAdministrator', account: 'prod',
        can: [r('iam:CreateRole', `arn:aws:iam::${PROD}:role/app`, bounded(PROD)), r('ec2:RunInstances', arn(PROD, 'ec2', 'instance/*'))],
        cannot: [r('guardduty:UpdateDetector'), r('s3:DeleteBucket', bucket('login-gov-logs')), r('ec2:RunInstances', `arn:aws:ec2:eu-west-1:${PROD}:instance/*`, { 'aws:RequestedRegion': 'eu-west-1' })] },
      { role: 'Terraform', account: 'sandbox',
        can: [r('iam:CreateRole', 'arn:aws:iam::340000000004:role/app', bounded('340000000004')), r('ec2:RunInstances', 'arn:aws:ec2:us-west-2:340000000004:instance/*')],
        cannot: [r('guardduty:DeleteDetector'), r('iam:UpdateAssumeRolePolicy', 'arn:aws:iam::340000000004:role/FullAdministrator')] },
    ])).toEqual([]);
  });
});

describe('the acme fixture (the shipped roles/): every role does what its description says', () => {
  let accounts: Map<string, AccountModel>;
  beforeAll(() => { accounts = synth(acmePlan()); });
  const PROD = '222222222201';
  const key = `arn:aws:kms:us-east-1:${PROD}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

  it('each role, its can and cannot', async () => {
    expect(await check(accounts, [
      { role: 'Auditor', account: 'prod-us', can: ['securityhub:GetFindings', 'guardduty:ListDetectors', 'access-analyzer:ListFindings', 'config:GetResourceConfigHistory'].map((a) => r(a)),
        cannot: [r('guardduty:UpdateDetector'), r('access-analyzer:UpdateFindings'), r('s3:PutObject', 'arn:aws:s3:::prod-data/x')] },
      { role: 'BillingReadOnly', account: 'prod-us', can: [r('ce:GetCostAndUsage'), r('savingsplans:DescribeSavingsPlans')], cannot: [r('budgets:ModifyBudget', `arn:aws:budgets::${PROD}:budget/b`), r('ec2:RunInstances', `arn:aws:ec2:us-east-1:${PROD}:instance/*`)] },
      // "without using keys for data or granting anyone their use": no encryption, no grants, no key policies
      { role: 'KMSAdministrator', account: 'prod-us', can: [r('kms:CreateKey'), r('kms:DisableKey', key), r('kms:RevokeGrant', key), r('kms:ScheduleKeyDeletion', key, { 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' })],
        cannot: ['kms:Decrypt', 'kms:Encrypt', 'kms:CreateGrant', 'kms:PutKeyPolicy', 'kms:ImportKeyMaterial', 'kms:ReplicateKey'].map((a) => r(a, key)),
        ownCannot: ['kms:Decrypt', 'kms:CreateGrant', 'kms:PutKeyPolicy'].map((a) => r(a, key)) },
      { role: 'PowerUser', account: 'dev', can: [r('ec2:RunInstances', 'arn:aws:ec2:us-east-1:444444444401:instance/*'), r('s3:CreateBucket', 'arn:aws:s3:::dev-scratch')],
        cannot: [r('iam:CreateRole', 'arn:aws:iam::444444444401:role/x'), r('organizations:LeaveOrganization'), r('account:CloseAccount')] },
      { role: 'ReadOnly', account: 'prod-us', can: [r('ec2:DescribeInstances'), r('s3:GetObject', 'arn:aws:s3:::prod-data/x')], cannot: [r('s3:PutObject', 'arn:aws:s3:::prod-data/x'), r('ec2:RunInstances', `arn:aws:ec2:us-east-1:${PROD}:instance/*`)] },
      { role: 'SupportEngineer', account: 'prod-us', can: [r('support:CreateCase'), r('health:DescribeEvents'), r('ec2:DescribeInstances')], cannot: [r('ec2:RunInstances', `arn:aws:ec2:us-east-1:${PROD}:instance/*`), r('s3:GetObject', 'arn:aws:s3:::prod-data/x')] },
      { role: 'FullAdministrator', account: 'dev', can: [r('iam:CreateRole', 'arn:aws:iam::444444444401:role/app', bounded('444444444401')), r('ec2:RunInstances', 'arn:aws:ec2:us-east-1:444444444401:instance/*')],
        cannot: [r('guardduty:UpdateDetector'), r('s3:DeleteBucket', 'arn:aws:s3:::prod-data')] },
    ])).toEqual([]);
  });
});

describe('examples/small-team: every role does what its description says', () => {
  let accounts: Map<string, AccountModel>;
  beforeAll(() => { accounts = synth(loadRoster(join(repoRoot, 'examples', 'small-team'), TEST_NOW).plan!); });

  it('each role, its can and cannot', async () => {
    const m = () => accounts.get('main')!.account;
    expect(await check(accounts, [
      { role: 'DataEngineerRole', account: 'main', user: 'bob',
        can: [r('s3:GetObject', `arn:aws:s3:::smallteam-datalake-${m()}/x`), r('glue:StartJobRun', `arn:aws:glue:eu-west-1:${m()}:job/etl`), r('athena:StartQueryExecution', `arn:aws:athena:eu-west-1:${m()}:workgroup/primary`)],
        cannot: [r('iam:CreateRole', `arn:aws:iam::${m()}:role/x`), r('iam:AttachRolePolicy', `arn:aws:iam::${m()}:role/GlueJobs`), r('s3:GetObject', 'arn:aws:s3:::other-bucket/x')] },
      { role: 'InfrastructureAdminRole', account: 'main', user: 'carol',
        can: [r('ec2:RunInstances', `arn:aws:ec2:eu-west-1:${m()}:instance/*`), r('cloudformation:CreateStack', `arn:aws:cloudformation:eu-west-1:${m()}:stack/app/abc`)],
        cannot: [r('iam:CreateRole', `arn:aws:iam::${m()}:role/x`), r('iam:PutRolePolicy', `arn:aws:iam::${m()}:role/GlueJobs`)] },
      { role: 'AdminRole', account: 'main', can: [r('iam:CreateRole', `arn:aws:iam::${m()}:role/app`, bounded(m())), r('ec2:RunInstances', `arn:aws:ec2:eu-west-1:${m()}:instance/*`)], cannot: [r('guardduty:UpdateDetector')] },
    ])).toEqual([]);
  });
});
