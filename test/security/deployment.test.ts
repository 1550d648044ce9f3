// The deployment, iam-roster's handlers and the permissions boundary's credential denies,
// simulated against the synthesized templates (AWS managed policies from their real documents):
// every must-deny paired with what the same roles must still do.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RosterPlan } from '../../lib/plan/types.js';
import { loadRoster } from '../../lib/roster.js';
import { acmePlan, baseFiles, planOf, repoRoot, TEST_NOW } from '../helpers.js';
import { synthesize } from '../support/assembly.js';
import { decide, memberAccounts, roleSession, type AccountModel, type Attempt, type Principal } from '../support/member-model.js';

const synth = (plan: RosterPlan) => synthesize(plan, 'roster-deployment-');

let acme: Map<string, AccountModel>;
let login: Map<string, AccountModel>;
beforeAll(() => {
  acme = memberAccounts(synth(acmePlan()));
  login = memberAccounts(synth(loadRoster(join(repoRoot, 'examples', 'login-gov-style'), TEST_NOW).plan!));
});

type Labelled = Attempt & { label: string };

/** The attempts whose outcome is not `want`, as `role: label -> result`. */
async function wrongOf(principal: Principal, attempts: Labelled[], want: 'deny' | 'allow', region: string): Promise<string[]> {
  const wrong: string[] = [];
  for (const a of attempts) {
    const result = await decide(principal, a, region);
    if ((result === 'Allowed') !== (want === 'allow')) wrong.push(`${principal.arn.split('/')[1]}: ${a.label} -> ${result}`);
  }
  return wrong;
}

const PEOPLE = (m: AccountModel) => [...m.roles.keys()].filter((r) => !r.startsWith('iam-roster-') && m.roles.get(r)!.tags['managed-by'] === 'iam-roster' && !['AppServer', 'GlueJobs'].includes(r));
const lambda = (m: AccountModel, fn: string) => `arn:aws:lambda:${m.region}:${m.account}:function:${fn}`;

describe('iam-roster\'s handlers: no write or invocation by any role (every account of acme)', () => {
  const writes = ['lambda:InvokeFunction', 'lambda:InvokeAsync', 'lambda:InvokeFunctionUrl', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:AddPermission',
    'lambda:RemovePermission', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency', 'lambda:CreateAlias', 'lambda:UpdateAlias', 'lambda:PublishVersion', 'lambda:DeleteFunction',
    'lambda:CreateFunctionUrlConfig', 'lambda:UpdateFunctionUrlConfig', 'lambda:PutFunctionEventInvokeConfig', 'lambda:PutFunctionRecursionConfig', 'lambda:TagResource', 'lambda:UntagResource',
    'lambda:PutRuntimeManagementConfig'];
  // actions on a version or alias of the function
  const qualified = ['lambda:InvokeFunction', 'lambda:UpdateAlias', 'lambda:DeleteFunction'];

  it('every non-read lambda action on iam-roster-* functions is denied to every role', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const m of acme.values()) {
      for (const role of PEOPLE(m)) {
        for (const fn of ['iam-roster-password-policy', 'iam-roster-user-cleanup', 'iam-roster-console-access']) {
          wrong.push(...await wrongOf(roleSession(m, role), writes.map((action) => ({ label: `${action} ${fn}`, action, resource: lambda(m, fn) })), 'deny', m.region));
          wrong.push(...await wrongOf(roleSession(m, role), qualified.map((action) => ({ label: `${action} ${fn}:live`, action, resource: `${lambda(m, fn)}:live` })), 'deny', m.region));
          checked += writes.length + qualified.length;
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  it('no role wires an event source to a handler (an event source mapping invokes the function it names)', async () => {
    const wrong: string[] = [];
    for (const m of acme.values()) {
      const esm = `arn:aws:lambda:${m.region}:${m.account}:event-source-mapping:0a1b2c3d-4e5f-6789-abcd-ef0123456789`;
      for (const role of PEOPLE(m).filter((r) => ['FullAdministrator', 'PowerUser'].includes(r))) {
        wrong.push(...await wrongOf(roleSession(m, role), ['lambda:CreateEventSourceMapping', 'lambda:UpdateEventSourceMapping'].map((action) => ({
          label: `${action} to iam-roster-user-cleanup`, action, resource: action === 'lambda:CreateEventSourceMapping' ? '*' : esm, context: { 'lambda:FunctionArn': lambda(m, 'iam-roster-user-cleanup') },
        })), 'deny', m.region));
        wrong.push(...await wrongOf(roleSession(m, role), [
          { label: 'CreateEventSourceMapping to app', action: 'lambda:CreateEventSourceMapping', resource: '*', context: { 'lambda:FunctionArn': lambda(m, 'app') } },
        ], 'allow', m.region));
      }
    }
    expect(wrong).toEqual([]);
  });

  it('roles still read the handlers and use their own functions', async () => {
    const m = acme.get('dev')!;
    const wrong: string[] = [];
    for (const role of ['PowerUser', 'FullAdministrator']) {
      wrong.push(...await wrongOf(roleSession(m, role), [
        { label: 'GetFunction of a handler', action: 'lambda:GetFunction', resource: lambda(m, 'iam-roster-password-policy') },
        { label: 'InvokeFunction app', action: 'lambda:InvokeFunction', resource: lambda(m, 'app') },
        { label: 'InvokeAsync app', action: 'lambda:InvokeAsync', resource: lambda(m, 'app') },
        { label: 'UpdateFunctionCode app', action: 'lambda:UpdateFunctionCode', resource: lambda(m, 'app') },
        { label: 'PublishVersion app', action: 'lambda:PublishVersion', resource: lambda(m, 'app') },
        { label: 'CreateAlias app', action: 'lambda:CreateAlias', resource: lambda(m, 'app') },
      ], 'allow', m.region));
    }
    expect(wrong).toEqual([]);
  });
});

describe('the permissions boundary: no new credential or trust path (acme prod-us, bounded FullAdministrator)', () => {
  const iam = (m: AccountModel, r: string) => `arn:aws:iam::${m.account}:${r}`;
  const ra = (m: AccountModel, r: string) => `arn:aws:rolesanywhere:${m.region}:${m.account}:${r}`;
  const mints = (m: AccountModel): Labelled[] => [
    { label: 'CreateOpenIDConnectProvider', action: 'iam:CreateOpenIDConnectProvider', resource: iam(m, 'oidc-provider/token.actions.githubusercontent.com') },
    { label: 'AddClientIDToOpenIDConnectProvider', action: 'iam:AddClientIDToOpenIDConnectProvider', resource: iam(m, 'oidc-provider/token.actions.githubusercontent.com') },
    { label: 'UpdateOpenIDConnectProviderThumbprint', action: 'iam:UpdateOpenIDConnectProviderThumbprint', resource: iam(m, 'oidc-provider/token.actions.githubusercontent.com') },
    { label: 'TagOpenIDConnectProvider', action: 'iam:TagOpenIDConnectProvider', resource: iam(m, 'oidc-provider/token.actions.githubusercontent.com') },
    { label: 'CreateSAMLProvider', action: 'iam:CreateSAMLProvider', resource: iam(m, 'saml-provider/outside') },
    { label: 'UpdateSAMLProvider', action: 'iam:UpdateSAMLProvider', resource: iam(m, 'saml-provider/corp') },
    { label: 'TagSAMLProvider', action: 'iam:TagSAMLProvider', resource: iam(m, 'saml-provider/corp') },
    { label: 'rolesanywhere:CreateTrustAnchor', action: 'rolesanywhere:CreateTrustAnchor', resource: '*' },
    { label: 'rolesanywhere:CreateProfile', action: 'rolesanywhere:CreateProfile', resource: '*' },
    { label: 'rolesanywhere:UpdateTrustAnchor', action: 'rolesanywhere:UpdateTrustAnchor', resource: ra(m, 'trust-anchor/abc') },
    { label: 'rolesanywhere:EnableTrustAnchor', action: 'rolesanywhere:EnableTrustAnchor', resource: ra(m, 'trust-anchor/abc') },
    { label: 'rolesanywhere:UpdateProfile', action: 'rolesanywhere:UpdateProfile', resource: ra(m, 'profile/abc') },
    { label: 'rolesanywhere:PutAttributeMapping', action: 'rolesanywhere:PutAttributeMapping', resource: ra(m, 'profile/abc') },
    { label: 'rolesanywhere:ImportCrl', action: 'rolesanywhere:ImportCrl', resource: '*' },
    { label: 'ResetServiceSpecificCredential', action: 'iam:ResetServiceSpecificCredential', resource: iam(m, 'user/legacy-admin') },
    { label: 'CreateServiceSpecificCredential', action: 'iam:CreateServiceSpecificCredential', resource: iam(m, 'user/legacy-admin') },
    { label: 'UpdateServiceSpecificCredential', action: 'iam:UpdateServiceSpecificCredential', resource: iam(m, 'user/legacy-admin') },
    { label: 'UploadSigningCertificate', action: 'iam:UploadSigningCertificate', resource: iam(m, 'user/legacy-admin') },
    { label: 'UpdateSigningCertificate', action: 'iam:UpdateSigningCertificate', resource: iam(m, 'user/legacy-admin') },
    { label: 'UploadSSHPublicKey', action: 'iam:UploadSSHPublicKey', resource: iam(m, 'user/legacy-admin') },
    { label: 'UpdateSSHPublicKey', action: 'iam:UpdateSSHPublicKey', resource: iam(m, 'user/legacy-admin') },
    { label: 'CreateAccessKey for another user', action: 'iam:CreateAccessKey', resource: iam(m, 'user/legacy-admin') },
    { label: 'UpdateAccessKey (reactivate) of another user', action: 'iam:UpdateAccessKey', resource: iam(m, 'user/legacy-admin') },
    { label: 'CreateLoginProfile for another user', action: 'iam:CreateLoginProfile', resource: iam(m, 'user/legacy-admin') },
    { label: 'CreateAccessKey for a user it created with the boundary', action: 'iam:CreateAccessKey', resource: iam(m, 'user/service-x'), context: { 'iam:PermissionsBoundary': `arn:aws:iam::${m.account}:policy/IamRosterBoundary` } },
    { label: 'EnableMFADevice on another user', action: 'iam:EnableMFADevice', resource: iam(m, 'user/legacy-admin') },
    { label: 'DeactivateMFADevice of another user', action: 'iam:DeactivateMFADevice', resource: iam(m, 'user/legacy-admin') },
    { label: 'sso:CreateInstance (an account instance of Identity Center)', action: 'sso:CreateInstance', resource: '*' },
    { label: 'sso:CreateTrustedTokenIssuer', action: 'sso:CreateTrustedTokenIssuer', resource: '*' },
    { label: 'cognito-identity:SetIdentityPoolRoles', action: 'cognito-identity:SetIdentityPoolRoles', resource: '*' },
  ];

  it('a bounded FullAdministrator cannot mint a credential or open a trust path', async () => {
    const m = acme.get('prod-us')!;
    expect(m.roles.get('FullAdministrator')!.boundaryArn).toBeDefined();
    expect(await wrongOf(roleSession(m, 'FullAdministrator'), mints(m), 'deny', m.region)).toEqual([]);
  });

  it('and still administers: bounded roles, service-linked roles, reads of providers and trust anchors, removing a provider', async () => {
    const m = acme.get('prod-us')!;
    const boundary = `arn:aws:iam::${m.account}:policy/IamRosterBoundary`;
    expect(await wrongOf(roleSession(m, 'FullAdministrator'), [
      { label: 'CreateRole with the boundary', action: 'iam:CreateRole', resource: iam(m, 'role/bounded-app'), context: { 'iam:PermissionsBoundary': boundary } },
      { label: 'AttachRolePolicy to a bounded role', action: 'iam:AttachRolePolicy', resource: iam(m, 'role/bounded-app'), context: { 'iam:PermissionsBoundary': boundary, 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonS3FullAccess' } },
      { label: 'CreateServiceLinkedRole', action: 'iam:CreateServiceLinkedRole', resource: iam(m, 'role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing') },
      { label: 'ListOpenIDConnectProviders', action: 'iam:ListOpenIDConnectProviders', resource: '*' },
      { label: 'GetSAMLProvider', action: 'iam:GetSAMLProvider', resource: iam(m, 'saml-provider/corp') },
      { label: 'DeleteOpenIDConnectProvider', action: 'iam:DeleteOpenIDConnectProvider', resource: iam(m, 'oidc-provider/token.actions.githubusercontent.com') },
      { label: 'rolesanywhere:ListTrustAnchors', action: 'rolesanywhere:ListTrustAnchors', resource: '*' },
      { label: 'rolesanywhere:DisableTrustAnchor', action: 'rolesanywhere:DisableTrustAnchor', resource: ra(m, 'trust-anchor/abc') },
      { label: 'UploadServerCertificate (TLS for a load balancer)', action: 'iam:UploadServerCertificate', resource: iam(m, 'server-certificate/app') },
      { label: 'ec2:RunInstances', action: 'ec2:RunInstances', resource: `arn:aws:ec2:${m.region}:${m.account}:instance/*` },
    ], 'allow', m.region)).toEqual([]);
  });

  it('a FullAdministrator whose account opted out of the boundary (with a reason) still creates identity providers: the boundary is what denies them', async () => {
    const files = baseFiles();
    files['accounts/dev.yaml'] += 'guardrails:\n  permissionsBoundary: false\n  permissionsBoundaryOptOut: "a test of what the boundary denies"\n';
    const m = memberAccounts(synth(planOf(files))).get('dev')!;
    expect(m.roles.get('FullAdministrator')!.boundaryArn).toBeUndefined();
    expect(await decide(roleSession(m, 'FullAdministrator'), { action: 'iam:CreateOpenIDConnectProvider', resource: iam(m, 'oidc-provider/token.actions.githubusercontent.com') }, m.region)).toBe('Allowed');
  });
});

describe('the deployment cannot be taken over (login-gov-style: the central account is a member and holds the pipeline)', () => {
  const region = 'us-west-2';
  const at = (m: AccountModel, service: string, resource: string) => `arn:aws:${service}:${region}:${m.account}:${resource}`;
  const takeovers = (master: AccountModel, prod: AccountModel): Labelled[] => [
    ...[prod, master].flatMap((m) => ['deploy-role', 'cfn-exec-role', 'file-publishing-role', 'image-publishing-role'].flatMap((r) => {
      const role = `arn:aws:iam::${m.account}:role/cdk-hnb659fds-${r}-${m.account}-${region}`;
      return ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'].map((action) => ({ label: `${action} ${r} of ${m.account}`, action, resource: role, resourceAccount: m.account }));
    })),
    ...['iam-roster-selfupdate', 'PipelineBuildSynthCdkBuildProject6BEFA8E6-Ab12Cd34Ef56', 'PipelineAssetsFileAsset185A67CB4-Xy98Zw76Vu54'].flatMap((project) =>
      ['codebuild:StartBuild', 'codebuild:StartBuildBatch', 'codebuild:UpdateProject', 'codebuild:RetryBuild', 'codebuild:StopBuild', 'codebuild:DeleteProject', 'codebuild:CreateWebhook']
        .map((action) => ({ label: `${action} ${project}`, action, resource: at(master, 'codebuild', `project/${project}`) }))),
    ...['codepipeline:StartPipelineExecution', 'codepipeline:UpdatePipeline', 'codepipeline:StopPipelineExecution', 'codepipeline:DeletePipeline', 'codepipeline:TagResource']
      .map((action) => ({ label: `${action} iam-roster`, action, resource: at(master, 'codepipeline', 'iam-roster') })),
    ...['codepipeline:RetryStageExecution', 'codepipeline:DisableStageTransition', 'codepipeline:EnableStageTransition']
      .map((action) => ({ label: `${action} iam-roster/Prod`, action, resource: at(master, 'codepipeline', 'iam-roster/Prod') })),
    { label: 'PutActionRevision on the source action', action: 'codepipeline:PutActionRevision', resource: at(master, 'codepipeline', 'iam-roster/Source/login-gov-example_identity-roster') },
    ...['PipelineStack', 'PipelineStack-support-us-east-1', 'CentralStack', 'CentralStack-Users01NestedStack-X', 'Account-prod', 'Account-master'].flatMap((stack) =>
      ['cloudformation:UpdateStack', 'cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DeleteStack', 'cloudformation:RollbackStack', 'cloudformation:SetStackPolicy']
        .map((action) => ({ label: `${action} ${stack}`, action, resource: at(master, 'cloudformation', `stack/${stack}/abc`) }))),
    ...[`pipelinestack-pipelineartifactsbucketaea9a052-1a2b3c4d5e6f`, `cdk-hnb659fds-assets-${master.account}-${region}`].flatMap((bucket) =>
      [['s3:PutObject', `${bucket}/asset.zip`], ['s3:DeleteObject', `${bucket}/asset.zip`], ['s3:PutObjectAcl', `${bucket}/asset.zip`], ['s3:PutBucketPolicy', bucket], ['s3:DeleteBucket', bucket], ['s3:PutBucketVersioning', bucket]]
        .map(([action, r]) => ({ label: `${action} ${r}`, action, resource: `arn:aws:s3:::${r}` }))),
    ...['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:BatchDeleteImage', 'ecr:SetRepositoryPolicy', 'ecr:DeleteRepository']
      .map((action) => ({ label: `${action} container assets`, action, resource: at(master, 'ecr', `repository/cdk-hnb659fds-container-assets-${master.account}-${region}`) })),
    { label: 'PassRole a pipeline role to CodeBuild', action: 'iam:PassRole', resource: `arn:aws:iam::${master.account}:role/PipelineStack-PipelineBuildSynthCdkBuildProjectRole-ABC`, context: { 'iam:PassedToService': 'codebuild.amazonaws.com' } },
    { label: 'AssumeRole a pipeline role', action: 'sts:AssumeRole', resource: `arn:aws:iam::${master.account}:role/PipelineStack-PipelineCodeBuildActionRole-ABC` },
  ];
  const approve = (m: AccountModel, stage: string, action: string): Labelled => ({ label: `approve ${stage}/${action}`, action: 'codepipeline:PutApprovalResult', resource: at(m, 'codepipeline', `iam-roster/${stage}/${action}`) });
  const approvals = (m: AccountModel) => [approve(m, 'Prod', 'Approve-Prod'), approve(m, 'Account-master', 'Approve-Master'), approve(m, 'Central', 'CheckCentralPermissions.Confirm')];

  it('no role of the pipeline\'s account can use CDK\'s roles of any account, run or change the pipeline, its projects, stacks, buckets or CDK\'s assets', async () => {
    const master = login.get('master')!;
    const prod = login.get('prod')!;
    expect(master.account).toBe('340000000001');
    const roles = PEOPLE(master);
    expect(roles).toEqual(expect.arrayContaining(['FullAdministrator', 'SOCAdministrator', 'KMSAdministrator', 'ReadOnly']));
    const wrong: string[] = [];
    for (const role of roles) wrong.push(...await wrongOf(roleSession(master, role, 'amelia.adams'), takeovers(master, prod), 'deny', region));
    expect(wrong).toEqual([]);
  });

  it('only the declared approvers (pipeline.approvers: FullAdministrator) give the manual approvals', async () => {
    const master = login.get('master')!;
    expect(await wrongOf(roleSession(master, 'FullAdministrator', 'amelia.adams'), approvals(master), 'allow', region)).toEqual([]);
    const wrong: string[] = [];
    for (const role of PEOPLE(master).filter((r) => r !== 'FullAdministrator')) wrong.push(...await wrongOf(roleSession(master, role, 'farid.farah'), approvals(master), 'deny', region));
    expect(wrong).toEqual([]);
  });

  it('roles stay usable: the pipeline is readable, and their own stacks, buckets, projects, pipelines, repositories and functions are theirs', async () => {
    const master = login.get('master')!;
    const prod = login.get('prod')!;
    const own = (m: AccountModel): Labelled[] => [
      { label: 'UpdateStack of a workload stack', action: 'cloudformation:UpdateStack', resource: at(m, 'cloudformation', 'stack/orders-service/abc') },
      { label: 'CreateChangeSet of a workload stack', action: 'cloudformation:CreateChangeSet', resource: at(m, 'cloudformation', 'stack/orders-service/abc') },
      { label: 'PutObject in an app bucket', action: 's3:PutObject', resource: 'arn:aws:s3:::orders-uploads/x.csv' },
      { label: 'StartBuild of an app project', action: 'codebuild:StartBuild', resource: at(m, 'codebuild', 'project/orders-build') },
      { label: 'StartPipelineExecution of an app pipeline', action: 'codepipeline:StartPipelineExecution', resource: at(m, 'codepipeline', 'orders-pipeline') },
      { label: 'PutApprovalResult in an app pipeline', action: 'codepipeline:PutApprovalResult', resource: at(m, 'codepipeline', 'orders-pipeline/Prod/Approve') },
      { label: 'ecr:PutImage to an app repository', action: 'ecr:PutImage', resource: at(m, 'ecr', 'repository/orders') },
      { label: 'InvokeFunction of an app function', action: 'lambda:InvokeFunction', resource: at(m, 'lambda', 'function:orders') },
    ];
    const reads = (m: AccountModel): Labelled[] => [
      { label: 'GetPipelineState', action: 'codepipeline:GetPipelineState', resource: at(m, 'codepipeline', 'iam-roster') },
      { label: 'BatchGetBuilds', action: 'codebuild:BatchGetBuilds', resource: at(m, 'codebuild', 'project/iam-roster-selfupdate') },
      { label: 'DescribeStacks PipelineStack', action: 'cloudformation:DescribeStacks', resource: at(m, 'cloudformation', 'stack/PipelineStack/abc') },
      { label: 'GetObject of an asset', action: 's3:GetObject', resource: `arn:aws:s3:::cdk-hnb659fds-assets-${m.account}-${region}/asset.zip` },
    ];
    const wrong: string[] = [];
    wrong.push(...await wrongOf(roleSession(master, 'FullAdministrator', 'amelia.adams'), [...own(master), ...reads(master)], 'allow', region));
    // prod's PowerUser also carries the account's existing DNSSecDisablePrevent (attached by name): a deny of DNSSEC changes
    const dnssec = { [`arn:aws:iam::${prod.account}:policy/DNSSecDisablePrevent`]: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'route53:DisableHostedZoneDNSSEC', Resource: '*' }] } };
    wrong.push(...await wrongOf(roleSession(prod, 'PowerUser', 'chloe.chen', dnssec), own(prod), 'allow', region));
    wrong.push(...await wrongOf(roleSession(master, 'ReadOnly', 'amelia.adams'), reads(master).filter((r) => r.action !== 's3:GetObject'), 'allow', region));
    expect(wrong).toEqual([]);
  });

  it('in every account (acme), no role writes CDK\'s assets or assumes another account\'s CDK roles', async () => {
    const wrong: string[] = [];
    const other = '999999999999';
    for (const m of acme.values()) {
      for (const role of PEOPLE(m).filter((r) => ['FullAdministrator', 'PowerUser'].includes(r))) {
        wrong.push(...await wrongOf(roleSession(m, role), [
          { label: 'PutObject in CDK\'s assets bucket', action: 's3:PutObject', resource: `arn:aws:s3:::cdk-hnb659fds-assets-${m.account}-${m.region}/asset.zip` },
          { label: 'PutImage to CDK\'s container assets', action: 'ecr:PutImage', resource: `arn:aws:ecr:${m.region}:${m.account}:repository/cdk-hnb659fds-container-assets-${m.account}-${m.region}` },
          { label: 'AssumeRole another account\'s deploy role', action: 'sts:AssumeRole', resource: `arn:aws:iam::${other}:role/cdk-hnb659fds-deploy-role-${other}-${m.region}`, resourceAccount: other },
          { label: 'DeleteStack of the account stack', action: 'cloudformation:DeleteStack', resource: `arn:aws:cloudformation:${m.region}:${m.account}:stack/Account-${[...acme.entries()].find(([, a]) => a === m)![0]}/abc` },
        ], 'deny', m.region));
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the central account as a member (small-team with an IAM operator role): users\' MFA devices', () => {
  /** examples/small-team, plus a role that writes IAM without being a full administrator. */
  function files(): Record<string, string> {
    const dir = join(repoRoot, 'examples', 'small-team');
    const read = (rel: string) => readFileSync(join(dir, rel), 'utf8');
    const all: Record<string, string> = { 'users.yaml': read('users.yaml') };
    for (const sub of ['accounts', 'roles']) for (const f of readdirSync(join(dir, sub))) all[`${sub}/${f}`] = read(`${sub}/${f}`);
    all['roles/IamOperatorRole.yaml'] = 'name: IamOperatorRole\ndescription: IAM operations, not an administrator\nenabled: true\nstatements:\n  - Effect: Allow\n    Action: ["iam:*"]\n    Resource: "*"\njustification:\n  wildcards: IAM operations across the whole account\n';
    all['users.yaml'] = all['users.yaml'].replace('      InfrastructureAdminRole: [main]\n', '      InfrastructureAdminRole: [main]\n      IamOperatorRole: [main]\n');
    return all;
  }

  it('no role creates, squats or deletes a user\'s virtual MFA device, or resyncs one: full administrators neither, under the boundary they carry by default', async () => {
    const m = memberAccounts(synth(planOf(files()))).get('main')!;
    const attempts = (user: string): Labelled[] => [
      { label: `CreateVirtualMFADevice mfa/${user}`, action: 'iam:CreateVirtualMFADevice', resource: `arn:aws:iam::${m.account}:mfa/${user}` },
      { label: `DeleteVirtualMFADevice mfa/${user}`, action: 'iam:DeleteVirtualMFADevice', resource: `arn:aws:iam::${m.account}:mfa/${user}` },
      { label: `ResyncMFADevice of ${user}`, action: 'iam:ResyncMFADevice', resource: `arn:aws:iam::${m.account}:user/${user}` },
    ];
    const wrong: string[] = [];
    wrong.push(...await wrongOf(roleSession(m, 'IamOperatorRole', 'carol'), attempts('alice'), 'deny', m.region));
    wrong.push(...await wrongOf(roleSession(m, 'AdminRole', 'alice'), attempts('bob'), 'deny', m.region));
    // the operator still does IAM work that is not iam-roster's users
    wrong.push(...await wrongOf(roleSession(m, 'IamOperatorRole', 'carol'), [{ label: 'CreateServiceLinkedRole', action: 'iam:CreateServiceLinkedRole', resource: `arn:aws:iam::${m.account}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing` }], 'allow', m.region));
    expect(wrong).toEqual([]);
  });
});
