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
 * vaults, log groups (also under an AWS service path such as /aws/rds/cluster/<name>/...),
 * and S3 buckets. Verb wildcards (rds:Delete*) are used only where the resources are restricted
 * by name and every verb the wildcard matches deletes or weakens, to keep the policy (and the
 * boundary that repeats it) within IAM's size limit. Each list names every verb whose effect is
 * deletion, found by sweeping the service authorization data (test/security/guardrails.test.ts
 * checks the sweep); verbs left out are said why.
 */
const BY_NAME: Protected[] = [
  // Each resource type spelled out (automated snapshots are named rds:<db>-...): a wildcard
  // spanning the colon in `db:<name>` is read differently by different evaluators. ModifyDB*
  // covers ModifyDBSnapshotAttribute (sharing a snapshot with another account or the public) and
  // turning deletion protection off. Global clusters have no region in their ARN (`rds::`, which
  // `rds:*:` matches). Not denied: StopDBInstance/StopDBCluster (they restart by themselves after
  // 7 days and delete nothing), DeleteDBClusterEndpoint (an endpoint holds no data), restores
  // (they create a new database and never overwrite one). A tenant database is deleted through
  // its instance's ARN too; activity streams are the database's audit trail; stopping backup
  // replication deletes the replicated backups.
  { sid: 'ProtectDatabases', actions: ['rds:DeleteDB*', 'rds:DeleteGlobalCluster', 'rds:DeleteTenantDatabase', 'rds:ModifyDB*', 'rds:ModifyGlobalCluster', 'rds:RemoveFromGlobalCluster', 'rds:StopActivityStream', 'rds:StopDBInstanceAutomatedBackupsReplication'],
    arns: (p, a, n) => ['db', 'cluster', 'snapshot', 'cluster-snapshot', 'global-cluster'].flatMap((kind) => [`arn:${p}:rds:*:${a}:${kind}:${n}`, ...(kind.includes('snapshot') ? [`arn:${p}:rds:*:${a}:${kind}:rds:${n}`] : [])]) },
  // UpdateTimeToLive deletes every item whose attribute has passed; DeleteTableReplica deletes
  // the table's copy in a region; a resource policy decides who else may delete. Not denied:
  // UpdateTable (removing a replica also needs DeleteTableReplica; turning DeletionProtection
  // off needs DeleteTable to matter) and restores (they create a new table, never overwrite).
  { sid: 'ProtectTables', actions: ['dynamodb:DeleteBackup', 'dynamodb:DeleteGlobalTableWitness', 'dynamodb:DeleteResourcePolicy', 'dynamodb:DeleteTable', 'dynamodb:DeleteTableReplica', 'dynamodb:PutResourcePolicy', 'dynamodb:UpdateContinuousBackups', 'dynamodb:UpdateTimeToLive'],
    arns: (p, a, n) => withSuffix(`arn:${p}:dynamodb:*:${a}:table/`, n, '/backup/*') },
  // Multi-party approval guards a logically air-gapped vault's recovery.
  { sid: 'ProtectBackupVaults', actions: ['backup:DeleteBackupVault*', 'backup:DisassociateBackupVaultMpaApprovalTeam', 'backup:PutBackupVaultAccessPolicy', 'backup:PutBackupVaultLockConfiguration'], arns: (p, a, n) => [`arn:${p}:backup:*:${a}:backup-vault:${n}`] },
  // logs:Delete* covers log streams (log-group:<name>:log-stream:...), subscription filters and
  // metric filters; a transformer rewrites events before they are stored; DisassociateKmsKey
  // leaves new events unencrypted.
  { sid: 'ProtectLogGroups', actions: ['logs:Delete*', 'logs:DisassociateKmsKey', 'logs:PutLogGroupDeletionProtection', 'logs:PutRetentionPolicy', 'logs:PutTransformer'],
    arns: (p, a, n) => [...withSuffix(`arn:${p}:logs:*:${a}:log-group:`, n, ':*'), ...withSuffix(`arn:${p}:logs:*:${a}:log-group:*/`, n, ':*')] },
  // Objects: s3:DeleteObject* (the object, a version, their tags and annotations); retention and
  // legal holds cannot be shortened or lifted. Overwriting (s3:PutObject) stays allowed, or no
  // workload could write: a protected bucket keeps the old version because versioning cannot be
  // suspended (PutBucketVersioning) nor versions expired (PutLifecycleConfiguration). Keep
  // versioning on in protected buckets (README "Guardrails").
  { sid: 'ProtectBuckets', actions: ['s3:BypassGovernanceRetention', 's3:DeleteBucket*', 's3:DeleteObject*', 's3:PutBucketAcl', 's3:PutBucketObjectLockConfiguration', 's3:PutBucketPolicy', 's3:PutBucketPublicAccessBlock', 's3:PutBucketVersioning', 's3:PutLifecycleConfiguration', 's3:PutObjectLegalHold', 's3:PutObjectRetention', 's3:PutReplicationConfiguration'],
    arns: (p, _a, n) => withSuffix(`arn:${p}:s3:::`, n, '/*') },
];

/**
 * What deletion protection guards whatever its name: recovery points and backup plans, and
 * retained automated database backups (named by ID, not by name). Trails and event data stores
 * are detection: every one is kept on (DETECTION_OFF_SWITCHES).
 */
function unnamedProtection(p: string, a: string): PolicyStatement[] {
  return [
    { Sid: 'ProtectRecoveryPoints', Effect: 'Deny', Action: ['backup:DeleteBackupPlan', 'backup:DeleteBackupSelection', 'backup:DeleteRecoveryPoint', 'backup:DisassociateRecoveryPoint*', 'backup:UpdateBackupPlan', 'backup:UpdateRecoveryPointLifecycle'],
      Resource: [`arn:${p}:backup:*:${a}:recovery-point:*`, `arn:${p}:backup:*:${a}:backup-plan:*`] },
    { Sid: 'ProtectAutomatedBackups', Effect: 'Deny', Action: ['rds:DeleteDBInstanceAutomatedBackup', 'rds:DeleteDBClusterAutomatedBackup'], Resource: [`arn:${p}:rds:*:${a}:auto-backup:*`, `arn:${p}:rds:*:${a}:cluster-auto-backup:*`] },
  ];
}

/**
 * Verbs that turn detection off, cut an account from its administrator, or shorten what is
 * recorded and kept: denied to every role (changes go through deployments, whose CloudFormation
 * role carries no guardrails). Found by sweeping every Write action of GuardDuty, Security Hub,
 * Config, IAM Access Analyzer, Macie, Inspector, Detective and CloudTrail in the service
 * authorization data; test/security/guardrails.test.ts fails when AWS adds one nobody sorted.
 * A verb wildcard is used only where every action it matches is such a verb (Disable*,
 * Disassociate*). guardduty:UpdateDetector is here although it
 * also changes harmless settings: IAM cannot tell an Enable=false or a feature turned off from
 * those (no condition key), and the same holds for PutConfigurationRecorder (an empty recording
 * group), macie2:UpdateMacieSession (status PAUSED) and
 * securityhub:StartConfigurationPolicyAssociation (a configuration policy may turn the hub off).
 */
export const DETECTION_OFF_SWITCHES = [
  'access-analyzer:DeleteAnalyzer', 'access-analyzer:DeleteServiceLinkedAnalyzer', 'access-analyzer:UpdateAnalyzer',
  // Every trail and event data store, whatever its name: stopped, deleted, pointed elsewhere or
  // narrowed (event or insight selectors), a trail blinds the account. Trails are created freely.
  'cloudtrail:DeleteEventDataStore', 'cloudtrail:DeleteTrail', 'cloudtrail:DeregisterOrganizationDelegatedAdmin', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors',
  'cloudtrail:StopEventDataStoreIngestion', 'cloudtrail:StopLogging', 'cloudtrail:UpdateEventDataStore', 'cloudtrail:UpdateTrail',
  'config:DeleteAggregationAuthorization', 'config:DeleteConfigurationAggregator', 'config:DeleteConfigurationRecorder', 'config:DeleteDeliveryChannel',
  'config:DeleteOrganizationConfigRule', 'config:DeleteOrganizationConformancePack', 'config:DeleteRetentionConfiguration', 'config:DeleteServiceLinkedConfigurationRecorder',
  'config:DisassociateResourceTypes', 'config:PutConfigurationAggregator', 'config:PutConfigurationRecorder', 'config:PutDeliveryChannel', 'config:PutRetentionConfiguration', 'config:StopConfigurationRecorder',
  'detective:DeleteGraph', 'detective:DeleteMembers', 'detective:DisableOrganizationAdminAccount', 'detective:DisassociateMembership', 'detective:UpdateDatasourcePackages', 'detective:UpdateOrganizationConfiguration',
  'guardduty:DeleteDetector', 'guardduty:DeleteMalwareProtectionPlan', 'guardduty:DeleteMembers', 'guardduty:DeletePublishingDestination',
  'guardduty:DisableOrganizationAdminAccount', 'guardduty:Disassociate*', 'guardduty:StopMonitoringMembers', 'guardduty:UpdateDetector', 'guardduty:UpdateMalwareScanSettings',
  'guardduty:UpdateMemberDetectors', 'guardduty:UpdateOrganizationConfiguration',
  'inspector2:BatchUpdateMemberEc2DeepInspectionStatus', 'inspector2:Disable*', 'inspector2:Disassociate*', 'inspector2:UpdateConfiguration', 'inspector2:UpdateEc2DeepInspectionConfiguration',
  'inspector2:UpdateOrgEc2DeepInspectionConfiguration', 'inspector2:UpdateOrganizationConfiguration',
  'macie2:BatchUpdateAutomatedDiscoveryAccounts', 'macie2:DeleteMember', 'macie2:Disable*', 'macie2:Disassociate*', 'macie2:PutFindingsPublicationConfiguration', 'macie2:UpdateAutomatedDiscoveryConfiguration', 'macie2:UpdateMacieSession',
  'macie2:UpdateMemberSession', 'macie2:UpdateOrganizationConfiguration',
  'securityhub:BatchDisableStandards', 'securityhub:DeleteAggregatorV2', 'securityhub:DeleteConfigurationPolicy', 'securityhub:DeleteFindingAggregator', 'securityhub:DeleteMembers',
  'securityhub:Disable*', 'securityhub:Disassociate*', 'securityhub:StartConfigurationPolicyAssociation', 'securityhub:StartConfigurationPolicyDisassociation', 'securityhub:UpdateAggregatorV2', 'securityhub:UpdateConfigurationPolicy',
  'securityhub:UpdateFindingAggregator', 'securityhub:UpdateOrganizationConfiguration', 'securityhub:UpdateSecurityHubConfiguration',
];

/**
 * Verbs that keep detection running but hide what it finds: suppression and archive rules,
 * trusted IP and entity lists (GuardDuty reports nothing about them), threat lists emptied,
 * findings archived or suppressed, controls disabled, Macie allow lists and scopes, Config rules
 * and their results deleted. A security team tunes these as part of its job: denied to every role
 * except the `detectionManagers` of the guardrails, each named with its reason. Not here:
 * creating rules, detectors and insights (they add detection), deleting a filter or an IP set
 * (it shows more), config:PutEvaluations (custom rules' functions report through it, with a
 * token only the rule's invocation has).
 */
export const DETECTION_TUNING = [
  'access-analyzer:ApplyArchiveRule', 'access-analyzer:CreateArchiveRule', 'access-analyzer:UpdateArchiveRule', 'access-analyzer:UpdateFindings',
  'config:DeleteConfigRule', 'config:DeleteConformancePack', 'config:DeleteEvaluationResults', 'config:DeleteRemediationConfiguration', 'config:PutRemediationExceptions',
  // Delete* and Update*: threat lists, custom detection rules, filters, IP sets, malware plans and
  // destinations (the Delete and Update verbs that turn detection off are off switches, above, and
  // stay denied to managers too). The few harmless matches (a filter or invitation deleted,
  // feedback given) are left to the detection managers as well: nobody else needs them.
  'guardduty:ArchiveFindings', 'guardduty:CreateFilter', 'guardduty:CreateIPSet', 'guardduty:CreateTrustedEntitySet', 'guardduty:Delete*', 'guardduty:Update*',
  'inspector2:BatchDisassociateCodeSecurityScanConfiguration', 'inspector2:CreateFilter', 'inspector2:DeleteCisScanConfiguration', 'inspector2:DeleteCodeSecurityScanConfiguration',
  'inspector2:UpdateCisScanConfiguration', 'inspector2:UpdateCodeSecurityScanConfiguration', 'inspector2:UpdateFilter',
  'macie2:CreateAllowList', 'macie2:CreateFindingsFilter', 'macie2:UpdateAllowList', 'macie2:UpdateClassificationJob', 'macie2:UpdateClassificationScope', 'macie2:UpdateFindingsFilter',
  'macie2:PutClassificationExportConfiguration', 'macie2:UpdateResourceProfile', 'macie2:UpdateResourceProfileDetections', 'macie2:UpdateSensitivityInspectionTemplate',
  'securityhub:BatchUpdateAutomationRules', 'securityhub:BatchUpdateFindings', 'securityhub:BatchUpdateStandardsControlAssociations', 'securityhub:CreateAutomationRule',
  'securityhub:CreateAutomationRuleV2', 'securityhub:UpdateAutomationRuleV2', 'securityhub:UpdateFindings', 'securityhub:UpdateSecurityControl', 'securityhub:UpdateStandardsControl',
];

function detectionStatements(p: string, a: string, managers: Readonly<Record<string, string>>): PolicyStatement[] {
  const exempt = Object.keys(managers).sort().map((role) => `arn:${p}:iam::${a}:role/${role}`);
  return [
    { Sid: 'KeepDetectionOn', Effect: 'Deny', Action: DETECTION_OFF_SWITCHES, Resource: '*' },
    { Sid: 'KeepFindingsVisible', Effect: 'Deny', Action: DETECTION_TUNING, Resource: '*', ...(exempt.length > 0 ? { Condition: { ArnNotLike: { 'aws:PrincipalArn': exempt } } } : {}) },
  ];
}

/**
 * The tag that protects a KMS key: set by a deployment (CloudFormation), never added, changed or
 * removed by a role (so nobody can lift the protection, nor lock a key others manage).
 */
export const PROTECTED_KEY_TAG = 'iam-roster-protected';

/**
 * What nobody may do to a protected key, verb by verb:
 * - ScheduleKeyDeletion, DisableKey, DeleteImportedKeyMaterial: the data becomes unreadable;
 * - ImportKeyMaterial: new material, or the same with an expiry date, expires the key later;
 * - PutKeyPolicy: a policy can lock everyone out or let an outsider decrypt;
 * - ReplicateKey: a replica shares the key material under a new key policy its creator writes;
 * - UpdatePrimaryRegion: moves control of the multi-Region key's replicas;
 * - DisableKeyRotation: weakens the key.
 * CreateGrant is denied unless an AWS service asks for the grant on the caller's behalf (an EBS
 * volume or a database encrypted with the key): a grant made by hand gives use of the key to
 * another principal, outside the key policy. Not denied: RevokeGrant and RetireGrant (they take
 * access away: what an incident responder does), EnableKey, CancelKeyDeletion, tagging other than
 * the protection tag, UpdateKeyDescription.
 */
const DESTRUCTIVE_KEY_ACTIONS = ['kms:DeleteImportedKeyMaterial', 'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:ImportKeyMaterial', 'kms:PutKeyPolicy', 'kms:ReplicateKey', 'kms:ScheduleKeyDeletion', 'kms:UpdatePrimaryRegion'];
const HAND_MADE_GRANT = { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false' } };

/**
 * Protected keys: by key ID (what no alias or tag change undoes), by the protection tag, and by
 * an alias matching a protected name pattern. Protected aliases cannot be created, repointed or
 * deleted by a role, so a key keeps the alias that protects it and a protected name never points
 * at a key whose policy someone else wrote.
 */
function keyProtection(p: string, a: string, guardrails: GuardrailsConfig): PolicyStatement[] {
  const keys = guardrails.protectedKeyIds.map((id) => `arn:${p}:kms:*:${a}:key/${id}`);
  const byTag = { Null: { [`aws:ResourceTag/${PROTECTED_KEY_TAG}`]: 'false' } };
  const byAlias = { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': guardrails.protectedNamePatterns.map((n) => `alias/${n}`) } };
  const statements: PolicyStatement[] = [];
  if (keys.length > 0) {
    statements.push(
      { Sid: 'ProtectKeysById', Effect: 'Deny', Action: DESTRUCTIVE_KEY_ACTIONS, Resource: keys },
      { Sid: 'NoGrantsOnKeysById', Effect: 'Deny', Action: 'kms:CreateGrant', Resource: keys, Condition: HAND_MADE_GRANT },
    );
  }
  statements.push(
    { Sid: 'ProtectTaggedKeys', Effect: 'Deny', Action: DESTRUCTIVE_KEY_ACTIONS, Resource: '*', Condition: byTag },
    { Sid: 'NoGrantsOnTaggedKeys', Effect: 'Deny', Action: 'kms:CreateGrant', Resource: '*', Condition: { ...byTag, ...HAND_MADE_GRANT } },
    { Sid: 'KeepKeyProtectionTag', Effect: 'Deny', Action: ['kms:TagResource', 'kms:UntagResource'], Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [PROTECTED_KEY_TAG] } } },
  );
  if (guardrails.protectedNamePatterns.length > 0) {
    statements.push(
      { Sid: 'ProtectKeysByAlias', Effect: 'Deny', Action: DESTRUCTIVE_KEY_ACTIONS, Resource: '*', Condition: byAlias },
      { Sid: 'NoGrantsOnKeysByAlias', Effect: 'Deny', Action: 'kms:CreateGrant', Resource: '*', Condition: { ...byAlias, ...HAND_MADE_GRANT } },
      { Sid: 'KeepProtectedAliases', Effect: 'Deny', Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'], Resource: guardrails.protectedNamePatterns.map((n) => `arn:${p}:kms:*:${a}:alias/${n}`) },
    );
  }
  return statements;
}

/**
 * Requests that act in one region and put data in another: the region restriction on
 * aws:RequestedRegion cannot see the destination, their condition keys can (found by sweeping
 * the service authorization data for condition keys naming a region or a copy target). Copies
 * made from the destination region (ec2:CopySnapshot, ec2:CopyImage, rds:CopyDBSnapshot,
 * cross-region read replicas) are requested there, so aws:RequestedRegion already covers them.
 * Not covered by any condition key: s3:PutReplicationConfiguration (the destination bucket is in
 * the request body; replication needs a role passed to S3, and only declared service roles may
 * be passed) and dynamodb replicas, which are restricted by the replica table's ARN instead.
 */
function destinationRegionStatements(p: string, a: string, allowed: readonly string[]): PolicyStatement[] {
  const regions = [...allowed];
  return [
    // s3:LocationConstraint is absent for us-east-1 (the request's region decides then); "EU" (an
    // old name of eu-west-1) is refused even where eu-west-1 is allowed.
    { Sid: 'DenyBucketsOutsideAllowedRegions', Effect: 'Deny', Action: ['s3:CreateAccessPoint', 's3:CreateBucket'], Resource: '*',
      Condition: { StringNotEquals: { 's3:LocationConstraint': regions }, Null: { 's3:LocationConstraint': 'false' } } },
    { Sid: 'DenySecretReplicasOutsideAllowedRegions', Effect: 'Deny', Action: ['secretsmanager:CreateSecret', 'secretsmanager:ReplicateSecretToRegions'], Resource: '*',
      Condition: { 'ForAnyValue:StringNotEquals': { 'secretsmanager:AddReplicaRegions': regions } } },
    // A replica is authorized on the replica table's ARN, in its own region.
    { Sid: 'DenyTableReplicasOutsideAllowedRegions', Effect: 'Deny', Action: ['dynamodb:AssociateTableReplica', 'dynamodb:CreateTableReplica'], NotResource: regions.map((r) => `arn:${p}:dynamodb:${r}:${a}:table/*`) },
    { Sid: 'DenyBackupCopiesOutsideAllowedRegions', Effect: 'Deny', Action: 'backup:CopyFromBackupVault', Resource: '*',
      Condition: { 'ForAnyValue:ArnNotLike': { 'backup:CopyTargets': regions.map((r) => `arn:${p}:backup:${r}:*:*`) } } },
    { Sid: 'DenyStackSetsOutsideAllowedRegions', Effect: 'Deny', Action: ['cloudformation:CreateStackInstances', 'cloudformation:UpdateStackInstances', 'cloudformation:UpdateStackSet'], Resource: '*',
      Condition: { 'ForAnyValue:StringNotEquals': { 'cloudformation:TargetRegion': regions } } },
    { Sid: 'DenyDkimReplicasOutsideAllowedRegions', Effect: 'Deny', Action: 'ses:ReplicateEmailIdentityDkimSigningKey', Resource: '*',
      Condition: { 'ForAnyValue:StringNotEquals': { 'ses:ReplicaRegion': regions } } },
    // Single-valued keys, present only when the request names such a region: denied when present
    // and not allowed (a negated operator alone would also deny every request without it).
    ...([
      ['DenyWitnessesOutsideAllowedRegions', ['dsql:CreateCluster', 'dsql:PutWitnessRegion', 'dsql:UpdateCluster'], 'dsql:WitnessRegion'],
      ['DenyJobLogsOutsideAllowedRegions', 'batch:RegisterJobDefinition', 'batch:AWSLogsRegion'],
      ['DenyEndpointsToOtherRegions', ['ec2:CreateVpcEndpoint', 'ec2:ModifyVpcEndpoint'], 'ec2:VpceServiceRegion'],
      ['DenyEndpointServicesToOtherRegions', ['ec2:CreateVpcEndpointServiceConfiguration', 'ec2:ModifyVpcEndpointServiceConfiguration'], 'ec2:VpceSupportedRegion'],
      ['DenyTelemetryCopiesOutsideAllowedRegions', ['observabilityadmin:CreateCentralizationRuleForOrganization', 'observabilityadmin:UpdateCentralizationRuleForOrganization'], 'observabilityadmin:CentralizationDestinationRegion'],
      ['DenyTelemetryBackupsOutsideAllowedRegions', ['observabilityadmin:CreateCentralizationRuleForOrganization', 'observabilityadmin:UpdateCentralizationRuleForOrganization'], 'observabilityadmin:CentralizationBackupRegion'],
    ] as const).map(([Sid, Action, key]): PolicyStatement => ({
      Sid, Effect: 'Deny', Action: typeof Action === 'string' ? Action : [...Action], Resource: '*', Condition: { StringNotEquals: { [key]: regions }, Null: { [key]: 'false' } },
    })),
  ];
}

/**
 * Deny statements every role of an account carries unless the account opts out: the region
 * restriction (with the destinations of cross-region copies), deletion protection, key
 * protection and detection kept on.
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
  statements.push(...destinationRegionStatements(partition, account, regions));
  if (guardrails.protectedNamePatterns.length > 0) {
    for (const { sid, actions, arns } of BY_NAME) {
      statements.push({
        Sid: sid,
        Effect: 'Deny',
        Action: actions,
        Resource: [...new Set(guardrails.protectedNamePatterns.flatMap((n) => arns(partition, account, n)))],
      });
    }
    statements.push(...unnamedProtection(partition, account));
  }
  statements.push(...keyProtection(partition, account, guardrails), ...detectionStatements(partition, account, guardrails.detectionManagers));
  return statements;
}
