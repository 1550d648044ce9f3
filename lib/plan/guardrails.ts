import type { PolicyStatement } from '../config/iam-policy.js';
import type { GuardrailsConfig } from '../config/types.js';

export const GUARDRAILS_POLICY = 'IamRosterGuardrails';

/**
 * Actions exempt from the region restriction: services with one global endpoint (physically in
 * us-east-1, or us-west-2 for a few), whose requests carry that region whatever region the user
 * works in. Compared with AWS's documented region-deny examples (IAM user guide, Organizations)
 * and Control Tower's GRREGIONDENY list, iam-roster exempts only truly global endpoints:
 * Control Tower also exempts regional services it needs for its own controls (kms, config,
 * access-analyzer, fms, wafv2, acm, directconnect, wellarchitected, cloudtrail reads). Those stay
 * restricted here, so a key, a rule or a recorder cannot be created or deleted in a region the
 * account does not use. ACM and WAFv2 for CloudFront live in us-east-1 and are allowed there (see
 * CLOUDFRONT_US_EAST_1_ACTIONS).
 */
export const GLOBAL_SERVICE_ACTIONS = [
  'account:*', 'artifact:*', 'aws-marketplace-management:*', 'aws-marketplace:*', 'aws-portal:*', 'billing:*', 'billingconductor:*',
  'budgets:*', 'ce:*', 'chatbot:*', 'chime:*', 'cloudfront:*', 'consolidatedbilling:*', 'cost-optimization-hub:*', 'cur:*',
  'ec2:DescribeRegions', 'freetier:*', 'globalaccelerator:*', 'health:*', 'iam:*', 'importexport:*', 'invoicing:*',
  'networkmanager:*', 'notifications:*', 'organizations:*', 'payments:*', 'pricing:*', 'purchase-orders:*',
  'route53-recovery-cluster:*', 'route53-recovery-control-config:*', 'route53-recovery-readiness:*', 'route53:*', 'route53domains:*',
  's3:GetAccountPublicAccessBlock', 's3:ListAllMyBuckets', 's3:ListMultiRegionAccessPoints', 's3:PutAccountPublicAccessBlock',
  'savingsplans:*', 'shield:*', 'sts:*', 'support:*', 'supportplans:*', 'tax:*', 'trustedadvisor:*', 'waf:*',
];

/** The region-restriction statements: the part of the guardrails the permissions boundary repeats. */
export const REGION_SIDS = ['DenyOutsideAllowedRegions', 'DenyCloudFrontResourcesOutsideAllowedRegions', 'DenyKeyReplicasOutsideAllowedRegions'];

/** Regional services whose CloudFront-facing resources must be in us-east-1 (certificates, web ACLs). */
export const CLOUDFRONT_US_EAST_1_ACTIONS = ['acm:*', 'wafv2:*'];

interface Protected {
  sid: string;
  actions: string[];
  /** ARNs of a resource whose name matches `name` (a protected pattern). */
  arns: (p: string, a: string, name: string) => string[];
}

/** `name` and `name<suffix>`, or just `name` when its trailing `*` already covers the suffix. */
const withSuffix = (base: string, name: string, suffix: string) => (name.endsWith('*') ? [`${base}${name}`] : [`${base}${name}`, `${base}${name}${suffix}`]);

/**
 * Deletion protection by name: databases and their snapshots, tables and their backups, backup
 * vaults, trails, log groups (also under an AWS service path such as /aws/rds/cluster/<name>/...),
 * and S3 buckets. Verb wildcards (rds:Delete*) are used only where the resources are restricted
 * by name, to keep the policy (and the boundary that repeats it) within IAM's size limit.
 */
const BY_NAME: Protected[] = [
  // Each resource type spelled out (automated snapshots are named rds:<db>-...): a wildcard
  // spanning the colon in `db:<name>` is read differently by different evaluators.
  { sid: 'ProtectDatabases', actions: ['rds:DeleteDB*', 'rds:ModifyDB*'],
    arns: (p, a, n) => ['db', 'cluster', 'snapshot', 'cluster-snapshot'].flatMap((kind) => [`arn:${p}:rds:*:${a}:${kind}:${n}`, ...(kind.includes('snapshot') ? [`arn:${p}:rds:*:${a}:${kind}:rds:${n}`] : [])]) },
  { sid: 'ProtectTables', actions: ['dynamodb:DeleteBackup', 'dynamodb:DeleteTable', 'dynamodb:UpdateContinuousBackups'], arns: (p, a, n) => withSuffix(`arn:${p}:dynamodb:*:${a}:table/`, n, '/backup/*') },
  { sid: 'ProtectBackupVaults', actions: ['backup:DeleteBackupVault*', 'backup:PutBackupVaultAccessPolicy'], arns: (p, a, n) => [`arn:${p}:backup:*:${a}:backup-vault:${n}`] },
  { sid: 'ProtectTrails', actions: ['cloudtrail:DeleteTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail'], arns: (p, a, n) => [`arn:${p}:cloudtrail:*:${a}:trail/${n}`] },
  { sid: 'ProtectLogGroups', actions: ['logs:Delete*', 'logs:PutRetentionPolicy'], arns: (p, a, n) => [...withSuffix(`arn:${p}:logs:*:${a}:log-group:`, n, ':*'), ...withSuffix(`arn:${p}:logs:*:${a}:log-group:*/`, n, ':*')] },
  { sid: 'ProtectBuckets', actions: ['s3:BypassGovernanceRetention', 's3:DeleteBucket*', 's3:DeleteObjectVersion', 's3:PutBucketAcl', 's3:PutBucketObjectLockConfiguration', 's3:PutBucketPolicy', 's3:PutBucketPublicAccessBlock', 's3:PutBucketVersioning', 's3:PutLifecycleConfiguration', 's3:PutReplicationConfiguration'],
    arns: (p, _a, n) => withSuffix(`arn:${p}:s3:::`, n, '/*') },
];

/**
 * What deletion protection guards whatever its name: recovery points and backup plans, event
 * data stores, retained automated database backups (named by ID, not by name), and the account's
 * detectors and recorders (GuardDuty, Config, Security Hub), which have no name to match.
 */
function unnamedProtection(p: string, a: string): PolicyStatement[] {
  return [
    { Sid: 'ProtectRecoveryPoints', Effect: 'Deny', Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle', 'backup:DeleteBackupPlan', 'backup:UpdateBackupPlan', 'backup:DeleteBackupSelection'],
      Resource: [`arn:${p}:backup:*:${a}:recovery-point:*`, `arn:${p}:backup:*:${a}:backup-plan:*`] },
    { Sid: 'ProtectAutomatedBackups', Effect: 'Deny', Action: ['rds:DeleteDBInstanceAutomatedBackup', 'rds:DeleteDBClusterAutomatedBackup'], Resource: [`arn:${p}:rds:*:${a}:auto-backup:*`, `arn:${p}:rds:*:${a}:cluster-auto-backup:*`] },
    { Sid: 'ProtectEventDataStores', Effect: 'Deny', Action: ['cloudtrail:DeleteEventDataStore', 'cloudtrail:UpdateEventDataStore', 'cloudtrail:StopEventDataStoreIngestion'], Resource: `arn:${p}:cloudtrail:*:${a}:eventdatastore/*` },
    { Sid: 'KeepDetectorsAndRecorders', Effect: 'Deny', Resource: '*', Action: [
      'config:DeleteConfigurationRecorder', 'config:DeleteDeliveryChannel', 'config:DeleteRetentionConfiguration', 'config:StopConfigurationRecorder',
      'guardduty:DeleteDetector', 'guardduty:DisassociateFromAdministratorAccount', 'guardduty:DisassociateFromMasterAccount', 'guardduty:StopMonitoringMembers',
      'securityhub:DisableSecurityHub', 'securityhub:DisassociateFromAdministratorAccount', 'securityhub:DisassociateFromMasterAccount',
    ] },
  ];
}

/** KMS keys whose aliases match a protected pattern: never disabled, deleted or emptied. */
function keyProtection(patterns: readonly string[]): PolicyStatement {
  return {
    Sid: 'ProtectKeys',
    Effect: 'Deny',
    Action: ['kms:DeleteImportedKeyMaterial', 'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:ScheduleKeyDeletion'],
    Resource: '*',
    Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': patterns.map((n) => `alias/${n}`) } },
  };
}

/**
 * Deny statements every role of an account carries unless the account opts out: the region
 * restriction and deletion protection.
 */
export function guardrailStatements(partition: string, account: string, guardrails: GuardrailsConfig): PolicyStatement[] {
  const regions = [...guardrails.allowedRegions];
  const statements: PolicyStatement[] = [
    {
      Sid: 'DenyOutsideAllowedRegions',
      Effect: 'Deny',
      NotAction: [...GLOBAL_SERVICE_ACTIONS, ...CLOUDFRONT_US_EAST_1_ACTIONS],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': regions } },
    },
    {
      Sid: 'DenyCloudFrontResourcesOutsideAllowedRegions',
      Effect: 'Deny',
      Action: CLOUDFRONT_US_EAST_1_ACTIONS,
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': [...new Set([...regions, 'us-east-1'])].sort() } },
    },
    {
      Sid: 'DenyKeyReplicasOutsideAllowedRegions',
      Effect: 'Deny',
      Action: 'kms:ReplicateKey',
      Resource: '*',
      Condition: { StringNotEquals: { 'kms:ReplicaRegion': regions } },
    },
  ];
  if (guardrails.protectedNamePatterns.length > 0) {
    for (const { sid, actions, arns } of BY_NAME) {
      statements.push({
        Sid: sid,
        Effect: 'Deny',
        Action: actions,
        Resource: [...new Set(guardrails.protectedNamePatterns.flatMap((n) => arns(partition, account, n)))],
      });
    }
    statements.push(keyProtection(guardrails.protectedNamePatterns), ...unnamedProtection(partition, account));
  }
  return statements;
}
