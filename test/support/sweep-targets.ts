// Concrete resources for each swept action, in two classes:
// - protected: what iam-roster's guarantees are about (its roles, policies, handlers and stacks,
//   CDK's bootstrap roles, assets bucket and repository, the pipeline, buckets/tables/databases/
//   log groups/trails/keys whose names match the config's protectedNamePatterns, the account's
//   detectors and recorders, the organization), labelled `protected:<kind>`;
// - ordinary: the same resource type owned by a workload (`ordinary:<kind>`), which an
//   administrator may well be meant to change.
// Actions that take `*` only are labelled by what they act on: `protected:detection` and
// `protected:organization` for those services, `account-wide` otherwise. A central user's own
// user and MFA device are `self:user`, `self:mfa`. Each target carries the request context IAM
// would see (tags of iam-roster's resources, key aliases, the boundary a role carries, ...).
import type { AccountFacts, SweptPrincipal } from './sweep-principals.js';
import { SWEPT_SERVICES, type SweptAction, type SweptResourceType } from './sweep-actions.js';

type Doc = Record<string, unknown>;

export interface Target {
  label: string;
  arn: string;
  context: Record<string, string | string[]>;
  resourcePolicy?: Doc;
  resourceAccount?: string;
}

/** CDK's default bootstrap qualifier. */
const QUALIFIER = 'hnb659fds';
const ROSTER_TAG = { 'aws:ResourceTag/managed-by': 'iam-roster' };

/** The other iam-roster role the sweep targets: FullAdministrator, or for FullAdministrator itself a role most accounts have. */
export function otherRosterRole(facts: AccountFacts, self: string | undefined): string | undefined {
  const others = facts.rosterRoles.filter((r) => r !== self);
  return ['FullAdministrator', 'ReadOnly', 'Auditor', 'PowerUser'].find((r) => others.includes(r)) ?? others[0];
}

/** A name matching the config's first protected pattern (`prod-*` -> `prod-data`). */
export function protectedName(facts: AccountFacts): string | undefined {
  const pattern = facts.protectedNamePatterns[0];
  return pattern?.replace(/[*?]/g, (c) => (c === '*' ? 'data' : 'x'));
}

/** Fill an ARN template: partition, region, account, then every other variable from `names` (or a generic value). */
function fill(template: string, facts: AccountFacts, names: Record<string, string>, fallback: string): string {
  return template.replace(/\$\{([A-Za-z]+)\}/g, (_, v: string) => {
    if (v === 'Partition') return 'aws';
    if (v === 'Region') return facts.region;
    if (v === 'Account') return facts.account;
    if (v in names) return names[v];
    return /Name/.test(v) ? fallback : 'a1b2c3d4e5f60789';
  });
}

const keyPolicy = (account: string): Doc => ({ Version: '2012-10-17', Statement: [{ Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }] });
const trustAccounts = (accounts: string[]): Doc => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [...new Set(accounts)].map((a) => `arn:aws:iam::${a}:root`) }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] }] });

/** Detection services have no ordinary resources: every detector, filter, rule or recorder is theirs. */
const isDetection = (service: string) => SWEPT_SERVICES[service] === 'detection' && service !== 'cloudtrail';

/** Resource types protected by name (the deletion-protection patterns). */
const BY_NAME = new Set([
  'rds:db', 'rds:cluster', 'rds:snapshot', 'rds:cluster-snapshot', 'dynamodb:table', 'dynamodb:backup', 'dynamodb:index', 'dynamodb:stream', 'dynamodb:global-table',
  'logs:log-group', 'logs:log-stream', 'backup:backupvault', 'cloudtrail:trail', 's3:bucket', 's3:object',
]);
/** Resource types protected whatever their name (recovery points, plans, automated backups, event data stores). */
const UNNAMED = new Set(['backup:recoverypoint', 'backup:backupplan', 'rds:auto-backup', 'rds:cluster-auto-backup', 'cloudtrail:eventdatastore']);

function iamTargets(key: string, p: SweptPrincipal, action: SweptAction): Target[] {
  const f = p.facts;
  const iam = (r: string) => `arn:aws:iam::${f.account}:${r}`;
  const wants = (k: string) => action.conditionKeys.includes(k);
  const boundaryCtx = (boundary?: string): Record<string, string> => (wants('iam:PermissionsBoundary') && boundary ? { 'iam:PermissionsBoundary': boundary } : {});
  const policyCtx: Record<string, string> = wants('iam:PolicyARN') ? { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } : {};
  const tags = (keys: string[]): Record<string, string | string[]> => (wants('aws:TagKeys') ? { 'aws:TagKeys': keys, ...Object.fromEntries(keys.map((k) => [`aws:RequestTag/${k}`, 'x'])) } : {});
  const isUser = p.role === 'CentralUser';
  const otherUser = f.users.find((u) => u !== p.session);
  const out: Target[] = [];
  switch (key) {
    case 'role': {
      const self = isUser ? undefined : p.role;
      const other = otherRosterRole(f, self);
      const rosterCtx = { ...ROSTER_TAG, ...boundaryCtx(f.boundaryArn), ...policyCtx, ...tags(['managed-by']) };
      if (self) out.push({ label: 'protected:roster-role:self', arn: iam(`role/${self}`), context: rosterCtx });
      if (other) out.push({ label: 'protected:roster-role', arn: iam(`role/${other}`), context: rosterCtx });
      out.push({ label: 'protected:cdk-role', arn: iam(`role/cdk-${QUALIFIER}-deploy-role-${f.account}-${f.region}`), context: { ...policyCtx, ...tags(['team']) } });
      out.push({ label: 'protected:handler-role', arn: iam('role/iam-roster-password-policy'), context: { ...ROSTER_TAG, ...policyCtx, ...tags(['managed-by']) } });
      out.push({ label: 'ordinary:role', arn: iam('role/workload-app'), context: { ...boundaryCtx(f.boundaryArn), ...policyCtx, ...tags(['team']) } });
      if (f.boundaryArn) out.push({ label: 'ordinary:unbounded-role', arn: iam('role/OrganizationAccountAccessRole'), context: { ...policyCtx, ...tags(['team']) } });
      if (wants('iam:PassedToService')) for (const t of out) t.context['iam:PassedToService'] = 'ec2.amazonaws.com';
      return out;
    }
    case 'policy': {
      const roster = f.rosterPolicies.find((n) => n === 'IamRosterProtection') ?? f.rosterPolicies.find((n) => n === 'ManageYourAccount') ?? f.rosterPolicies[0];
      if (roster) out.push({ label: 'protected:roster-policy', arn: iam(`policy/${roster}`), context: { ...tags(['managed-by']) } });
      out.push({ label: 'ordinary:policy', arn: iam('policy/WorkloadPolicy'), context: { ...tags(['team']) } });
      return out;
    }
    case 'user': {
      if (isUser) out.push({ label: 'self:user', arn: iam(`user/${p.session}`), context: { ...tags(['team']) } });
      if (otherUser) out.push({ label: 'protected:roster-user', arn: iam(`user/${otherUser}`), context: { ...ROSTER_TAG, ...boundaryCtx(undefined), ...policyCtx, ...tags(['managed-by']) } });
      out.push({ label: 'ordinary:user', arn: iam('user/legacy-admin'), context: { ...boundaryCtx(f.boundaryArn), ...policyCtx, ...tags(['team']) } });
      return out;
    }
    case 'group': {
      if (f.groups[0]) out.push({ label: 'protected:roster-group', arn: iam(`group/${f.groups[0]}`), context: { ...policyCtx } });
      out.push({ label: 'ordinary:group', arn: iam('group/legacy-group'), context: { ...policyCtx } });
      return out;
    }
    case 'instance-profile': {
      if (f.instanceProfiles[0]) out.push({ label: 'protected:roster-instance-profile', arn: iam(`instance-profile/${f.instanceProfiles[0]}`), context: {} });
      out.push({ label: 'ordinary:instance-profile', arn: iam('instance-profile/workload-app'), context: { ...tags(['team']) } });
      return out;
    }
    case 'mfa':
    case 'sms-mfa': {
      if (isUser) out.push({ label: 'self:mfa', arn: iam(`${key}/${p.session}`), context: {} });
      if (otherUser) out.push({ label: 'protected:roster-user-mfa', arn: iam(`${key}/${otherUser}`), context: {} });
      out.push({ label: 'ordinary:mfa', arn: iam(`${key}/legacy-admin`), context: {} });
      return out;
    }
    default:
      return [];
  }
}

function stsTargets(key: string, p: SweptPrincipal): Target[] {
  const f = p.facts;
  if (key !== 'role') return [];
  const out: Target[] = [];
  // CDK's bootstrap roles trust their own account and the accounts given to `cdk bootstrap --trust` (the pipeline's).
  const cdkTrust = trustAccounts([f.account, ...(f.pipelineAccount ? [f.pipelineAccount] : [])]);
  out.push({ label: 'protected:cdk-role', arn: `arn:aws:iam::${f.account}:role/cdk-${QUALIFIER}-deploy-role-${f.account}-${f.region}`, context: {}, resourcePolicy: cdkTrust });
  const other = otherRosterRole(f, undefined);
  const otherArn = other ? `arn:aws:iam::${f.account}:role/${other}` : undefined;
  if (otherArn && f.trust.has(otherArn)) out.push({ label: 'protected:roster-role', arn: otherArn, context: { 'sts:RoleSessionName': p.session }, resourcePolicy: f.trust.get(otherArn) });
  out.push({ label: 'ordinary:role', arn: `arn:aws:iam::${f.account}:role/workload-app`, context: { 'sts:RoleSessionName': p.session }, resourcePolicy: trustAccounts([f.account]) });
  return out;
}

function namedTargets(service: string, type: SweptResourceType, p: SweptPrincipal): Target[] {
  const f = p.facts;
  const tid = `${service}:${type.key.toLowerCase()}`;
  const out: Target[] = [];
  const add = (label: string, names: Record<string, string>, fallback: string, context: Target['context'] = {}, extra: Partial<Target> = {}) =>
    out.push({ label, arn: fill(type.arn, f, names, fallback), context, ...extra });
  const prot = protectedName(f);
  const isCentral = f.account === f.centralAccount;
  const isPipeline = f.account === f.pipelineAccount;
  switch (tid) {
    case 'lambda:function': case 'lambda:function alias': case 'lambda:function version': case 'lambda:durable execution': {
      for (const fn of ['iam-roster-password-policy', ...(isCentral ? ['iam-roster-user-cleanup'] : [])]) add('protected:handler', { FunctionName: fn }, 'x', { ...ROSTER_TAG });
      add('ordinary:function', { FunctionName: 'workload-fn' }, 'workload');
      return out;
    }
    case 'cloudformation:stack': {
      add('protected:roster-stack', { StackName: `Account-${f.prefix}` }, 'abc', { ...ROSTER_TAG });
      if (isCentral) add('protected:roster-stack', { StackName: 'CentralStack' }, 'abc', { ...ROSTER_TAG });
      if (isPipeline) add('protected:roster-stack', { StackName: 'PipelineStack' }, 'abc', { ...ROSTER_TAG });
      add('protected:cdk-bootstrap-stack', { StackName: 'CDKToolkit' }, 'abc');
      add('ordinary:stack', { StackName: 'workload-stack' }, 'abc');
      return out;
    }
    case 's3:bucket': case 's3:object': {
      const object: Record<string, string> = tid === 's3:object' ? { ObjectName: 'asset.zip' } : {};
      add('protected:cdk-assets', { BucketName: `cdk-${QUALIFIER}-assets-${f.account}-${f.region}`, ...object }, 'x');
      if (isPipeline) add('protected:pipeline-artifacts', { BucketName: 'pipelinestack-pipelineartifactsbucketaea9a052-1a2b3c4d5e6f', ...object }, 'x');
      if (prot) add('protected:protected-name', { BucketName: prot, ...object }, 'x');
      add('ordinary:bucket', { BucketName: 'workload-data', ...object }, 'x');
      return out;
    }
    case 'ecr:repository':
      add('protected:cdk-assets', { RepositoryName: `cdk-${QUALIFIER}-container-assets-${f.account}-${f.region}` }, 'x');
      add('ordinary:repository', { RepositoryName: 'workload-app' }, 'x');
      return out;
    case 'codepipeline:pipeline': case 'codepipeline:stage': case 'codepipeline:action':
      if (isPipeline) add('protected:pipeline', { PipelineName: 'iam-roster', StageName: 'Approve-prod', ActionName: 'Approve' }, 'x');
      add('ordinary:pipeline', { PipelineName: 'workload-pipeline', StageName: 'Deploy', ActionName: 'Deploy' }, 'x');
      return out;
    case 'codebuild:project':
      if (isPipeline) add('protected:pipeline', { ProjectName: 'PipelineUpdatePipelineSelfMutation7A3D3B7B-AbCdEfGh' }, 'x');
      add('ordinary:project', { ProjectName: 'workload-build' }, 'x');
      return out;
    case 'kms:key': {
      const keyArn = `arn:aws:kms:${f.region}:${f.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      if (prot) out.push({ label: 'protected:protected-name', arn: keyArn, context: { 'kms:ResourceAliases': [`alias/${prot}`] }, resourcePolicy: keyPolicy(f.account) });
      out.push({ label: 'ordinary:key', arn: keyArn, context: { 'kms:ResourceAliases': ['alias/workload'] }, resourcePolicy: keyPolicy(f.account) });
      return out;
    }
    case 'kms:alias':
      if (prot) add('protected:protected-name', { Alias: prot }, 'x');
      add('ordinary:alias', { Alias: 'workload' }, 'x');
      return out;
    case 'secretsmanager:secret':
      if (isCentral && f.users[0]) out.push({ label: 'protected:initial-password', arn: `arn:aws:secretsmanager:${f.region}:${f.account}:secret:iam-roster/initial-password/${f.users[0]}-AbCdEf`, context: { ...ROSTER_TAG } });
      out.push({ label: 'ordinary:secret', arn: `arn:aws:secretsmanager:${f.region}:${f.account}:secret:workload/db-AbCdEf`, context: {} });
      return out;
    default:
      break;
  }
  if (service === 'organizations') {
    add('protected:organization', { OrganizationId: 'exampleorgid', AccountId: f.account }, 'example');
    return out;
  }
  if (isDetection(service)) {
    add('protected:detection', {}, 'example');
    return out;
  }
  if (UNNAMED.has(tid)) {
    add('protected:backups', {}, 'example');
    return out;
  }
  if (BY_NAME.has(tid) && prot) {
    add('protected:protected-name', {}, prot);
    if (tid === 'logs:log-group' || tid === 'logs:log-stream') add('protected:protected-name', { LogGroupName: `/aws/rds/cluster/${prot}/error` }, 'x');
  }
  add(`ordinary:${service}:${type.key.toLowerCase()}`, {}, 'workload');
  return out;
}

/** Every target of an action for a principal (its own account's resources, and CDK's roles of other accounts for the pipeline account). */
export function targetsOf(action: SweptAction, p: SweptPrincipal): Target[] {
  if (action.resourceTypes.length === 0) {
    const service = SWEPT_SERVICES[action.service];
    const label = service === 'detection' ? 'protected:detection' : action.service === 'organizations' ? 'protected:organization' : 'account-wide';
    return [{ label, arn: '*', context: {} }];
  }
  const out: Target[] = [];
  for (const type of action.resourceTypes) {
    if (action.service === 'iam') out.push(...iamTargets(type.key, p, action));
    else if (action.service === 'sts') out.push(...stsTargets(type.key, p));
    else out.push(...namedTargets(action.service, type, p));
    if (action.service === 'iam' && out.length === 0) out.push({ label: `ordinary:iam:${type.key}`, arn: fill(type.arn, p.facts, {}, 'workload'), context: {} });
    if (action.service === 'sts' && out.length === 0) out.push({ label: `ordinary:sts:${type.key}`, arn: fill(type.arn, p.facts, {}, 'workload'), context: {} });
  }
  // Tagging and creation requests carry the tags they set.
  const tagging = action.conditionKeys.includes('aws:TagKeys');
  for (const t of out) {
    if (tagging && !t.context['aws:TagKeys']) {
      const key = t.label.startsWith('protected:') ? 'managed-by' : 'team';
      t.context['aws:TagKeys'] = [key];
      t.context[`aws:RequestTag/${key}`] = 'x';
    }
  }
  // Dedupe (several resource types of one action can give the same ARN).
  const seen = new Set<string>();
  return out.filter((t) => (seen.has(`${t.label} ${t.arn}`) ? false : (seen.add(`${t.label} ${t.arn}`), true)));
}
