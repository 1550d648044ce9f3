// The organization layer against principals iam-roster does not know: a role an administrator
// creates for themselves (a "shadow" role with AdministratorAccess) is bound by the SCPs, an
// outside account by the RCP. Evaluated with iam-simulate over the synthesized OrganizationStack
// (SCPs with FullAWSAccess, as Organizations attaches it) and the account stacks. Every must-deny
// is paired with must-allow cases: the deployment, the approvers and ordinary work still pass.
import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../../lib/config/errors.js';
import { loadRoster } from '../../lib/roster.js';
import { organizationFixture, repoRoot, TEST_NOW } from '../helpers.js';
import { synthesize } from '../support/assembly.js';
import { awsManagedDocument, decide, memberAccounts, organizationPolicies, roleSession, type AccountModel, type Attempt, type OrgPolicies, type Principal } from '../support/member-model.js';

const ORG = 'o-a1b2c3d4e5';
const OUTSIDE = '999988887777';
const TRUSTED_OUTSIDE = '777777777777'; // organizationFixture's trustedAccounts

let accounts: Map<string, AccountModel>;
let org: Map<string, OrgPolicies>;
beforeAll(() => {
  const { plan, issues } = loadRoster(organizationFixture(), TEST_NOW);
  if (!plan) throw new Error(issues.map(formatIssue).join('\n'));
  const outdir = synthesize(plan, 'roster-org-out-');
  accounts = memberAccounts(outdir);
  org = organizationPolicies(outdir);
});

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** A role of the account that iam-roster knows nothing of, with AdministratorAccess. */
function shadow(m: AccountModel, name = 'shadow-admin', sourceIdentity?: string): Principal & { sourceIdentity?: string } {
  return {
    arn: `arn:aws:sts::${m.account}:assumed-role/${name}/whatever`,
    account: m.account,
    principalArn: `arn:aws:iam::${m.account}:role/${name}`,
    identity: [{ name: ADMIN, policy: awsManagedDocument(ADMIN) }],
    sourceIdentity,
  };
}

type Case = Attempt & { label: string; region?: string };

/** Attempts whose outcome under the organization layer differs from `want`. */
async function wrongOutcomes(principal: Principal & { sourceIdentity?: string }, cases: Case[], want: 'deny' | 'allow'): Promise<string[]> {
  const wrong: string[] = [];
  for (const c of cases) {
    const context = { 'aws:PrincipalOrgID': ORG, ...(principal.sourceIdentity ? { 'aws:SourceIdentity': principal.sourceIdentity } : {}), ...c.context };
    const result = await decide(principal, { ...c, context }, c.region, { principal: org.get(principal.account), resource: org.get(c.resourceAccount ?? principal.account) });
    if ((result === 'Allowed') !== (want === 'allow')) wrong.push(`${principal.principalArn}: ${c.label} -> ${result}`);
  }
  return wrong;
}

const iam = (m: AccountModel, r: string) => `arn:aws:iam::${m.account}:${r}`;

/** A trust policy that admits the whole central account: what decides is then the principal's side. */
const TRUSTS_CENTRAL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Resource: '*' }] };

/** What no principal outside the deployment may do in a member account, whoever created it. */
function onlyTheDeployment(m: AccountModel): Case[] {
  return [
    { label: 'rewrite FullAdministrator\'s trust', action: 'iam:UpdateAssumeRolePolicy', resource: iam(m, 'role/FullAdministrator') },
    { label: 'detach IamRosterSessions from FullAdministrator', action: 'iam:DetachRolePolicy', resource: iam(m, 'role/FullAdministrator'), context: { 'iam:PolicyARN': iam(m, 'policy/IamRosterSessions') } },
    { label: 'new version of IamRosterGuardrails', action: 'iam:CreatePolicyVersion', resource: iam(m, 'policy/IamRosterGuardrails') },
    { label: 'create a role named like a CDK role', action: 'iam:CreateRole', resource: iam(m, 'role/cdk-hnb659fds-cfn-exec-role-x') },
    { label: 'create a role named like a catalog role', action: 'iam:CreateRole', resource: iam(m, 'role/PowerUser') },
    { label: 'remove the managed-by tag of a roster role', action: 'iam:UntagRole', resource: iam(m, 'role/PowerUser'), context: { 'aws:TagKeys': ['managed-by'] } },
    { label: 'assume the CDK deploy role', action: 'sts:AssumeRole', resource: iam(m, `role/cdk-hnb659fds-deploy-role-${m.account}-${m.region}`) },
    { label: 'pass the CDK execution role', action: 'iam:PassRole', resource: iam(m, `role/cdk-hnb659fds-cfn-exec-role-${m.account}-${m.region}`), context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    { label: 'pass a people\'s role to EC2', action: 'iam:PassRole', resource: iam(m, 'role/FullAdministrator'), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    { label: 'invoke a handler asynchronously', action: 'lambda:InvokeAsync', resource: `arn:aws:lambda:${m.region}:${m.account}:function:iam-roster-password-policy` },
    { label: 'rewrite a handler', action: 'lambda:UpdateFunctionCode', resource: `arn:aws:lambda:${m.region}:${m.account}:function:iam-roster-password-policy` },
    { label: 'delete the account stack', action: 'cloudformation:DeleteStack', resource: `arn:aws:cloudformation:${m.region}:${m.account}:stack/Account-x/abc` },
    { label: 'overwrite a CDK asset', action: 's3:PutObject', resource: `arn:aws:s3:::cdk-hnb659fds-assets-${m.account}-${m.region}/asset.zip` },
    { label: 'push to CDK\'s container repository', action: 'ecr:PutImage', resource: `arn:aws:ecr:${m.region}:${m.account}:repository/cdk-hnb659fds-container-assets-${m.account}-${m.region}` },
    { label: 'create an OIDC provider', action: 'iam:CreateOpenIDConnectProvider', resource: iam(m, 'oidc-provider/token.actions.githubusercontent.com') },
    { label: 'create a SAML provider', action: 'iam:CreateSAMLProvider', resource: iam(m, 'saml-provider/outside') },
    { label: 'create a Roles Anywhere trust anchor', action: 'rolesanywhere:CreateTrustAnchor', resource: '*' },
    { label: 'create an IAM user', action: 'iam:CreateUser', resource: iam(m, 'user/backdoor') },
    { label: 'create an access key', action: 'iam:CreateAccessKey', resource: iam(m, 'user/backdoor') },
    { label: 'leave the organization', action: 'organizations:LeaveOrganization', resource: '*' },
    { label: 'detach an SCP', action: 'organizations:DetachPolicy', resource: `arn:aws:organizations::999999999999:policy/${ORG}/service_control_policy/p-x` },
  ];
}

describe('organization guardrails bind principals iam-roster did not create', () => {
  it('a shadow administrator role in every member account cannot touch what only the deployment changes', async () => {
    const wrong: string[] = [];
    for (const m of accounts.values()) wrong.push(...await wrongOutcomes(shadow(m), onlyTheDeployment(m), 'deny'));
    expect(wrong).toEqual([]);
  });

  it('without the organization layer the same attempts succeed: the SCPs are what deny them', async () => {
    const wrong: string[] = [];
    for (const m of accounts.values()) {
      for (const c of onlyTheDeployment(m)) {
        const result = await decide(shadow(m), c, c.region);
        if (result !== 'Allowed') wrong.push(`${m.account}: ${c.label} -> ${result}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the shadow role keeps ordinary administration: its own roles, policies, buckets (must-allow)', async () => {
    const wrong: string[] = [];
    for (const m of accounts.values()) {
      wrong.push(...await wrongOutcomes(shadow(m), [
        { label: 'create an ordinary role', action: 'iam:CreateRole', resource: iam(m, 'role/app-role') },
        { label: 'attach a policy to an ordinary role', action: 'iam:AttachRolePolicy', resource: iam(m, 'role/app-role'), context: { 'iam:PolicyARN': iam(m, 'policy/app') } },
        { label: 'pass an ordinary role to Lambda', action: 'iam:PassRole', resource: iam(m, 'role/app-role'), context: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
        { label: 'write an ordinary bucket', action: 's3:PutObject', resource: 'arn:aws:s3:::app-data/x', region: m.region },
        { label: 'deploy its own stack', action: 'cloudformation:UpdateStack', resource: `arn:aws:cloudformation:${m.region}:${m.account}:stack/app/abc`, region: m.region },
        { label: 'read a roster role', action: 'iam:GetRole', resource: iam(m, 'role/FullAdministrator') },
      ], 'allow'));
    }
    expect(wrong).toEqual([]);
  });

  it('the deployment principals still deploy (must-allow)', async () => {
    const wrong: string[] = [];
    for (const m of accounts.values()) {
      const exec = shadow(m, `cdk-hnb659fds-cfn-exec-role-${m.account}-${m.region}`);
      const deploy = shadow(m, `cdk-hnb659fds-deploy-role-${m.account}-${m.region}`);
      wrong.push(...await wrongOutcomes(exec, [
        { label: 'update FullAdministrator\'s trust', action: 'iam:UpdateAssumeRolePolicy', resource: iam(m, 'role/FullAdministrator') },
        { label: 'new version of IamRosterGuardrails', action: 'iam:CreatePolicyVersion', resource: iam(m, 'policy/IamRosterGuardrails') },
        { label: 'update a handler', action: 'lambda:UpdateFunctionCode', resource: `arn:aws:lambda:${m.region}:${m.account}:function:iam-roster-password-policy` },
      ], 'allow'));
      wrong.push(...await wrongOutcomes(deploy, [
        { label: 'update the account stack', action: 'cloudformation:UpdateStack', resource: `arn:aws:cloudformation:${m.region}:${m.account}:stack/Account-x/abc`, region: m.region },
        { label: 'pass the execution role', action: 'iam:PassRole', resource: iam(m, `role/cdk-hnb659fds-cfn-exec-role-${m.account}-${m.region}`), context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
      ], 'allow'));
    }
    expect(wrong).toEqual([]);
  });

  it('in the pipeline account only the pipeline starts, changes or builds it, and nobody approves when no approvers are declared', async () => {
    const central = { account: '111111111111', region: 'us-east-1' } as AccountModel;
    const pipeline = 'arn:aws:codepipeline:us-east-1:111111111111:iam-roster';
    const stage = `${pipeline}/Approve-prod/Approve-prod`;
    const project = 'arn:aws:codebuild:us-east-1:111111111111:project/PipelineBuildSynthCdkBuildProject-abc';
    const tagged = { 'aws:ResourceTag/managed-by': 'iam-roster' };
    expect(await wrongOutcomes(shadow(central), [
      { label: 'start the pipeline', action: 'codepipeline:StartPipelineExecution', resource: pipeline },
      { label: 'approve the prod wave', action: 'codepipeline:PutApprovalResult', resource: stage },
      { label: 'update the pipeline', action: 'codepipeline:UpdatePipeline', resource: pipeline },
      { label: 'start a build with its own buildspec', action: 'codebuild:StartBuild', resource: project, context: tagged },
      { label: 'update the pipeline stack', action: 'cloudformation:UpdateStack', resource: 'arn:aws:cloudformation:us-east-1:111111111111:stack/PipelineStack/abc' },
      { label: 'write the artifact bucket', action: 's3:PutObject', resource: 'arn:aws:s3:::pipelinestack-pipelineartifactsbucket-abc/x' },
      { label: 'assume the pipeline role', action: 'sts:AssumeRole', resource: 'arn:aws:iam::111111111111:role/PipelineStack-PipelineRoleB27FAA37-abc' },
      { label: 'attach a policy to a central group', action: 'iam:AttachGroupPolicy', resource: 'arn:aws:iam::111111111111:group/admins' },
      { label: 'add a user to a group', action: 'iam:AddUserToGroup', resource: 'arn:aws:iam::111111111111:group/admins' },
      { label: 'create a login profile for a user', action: 'iam:CreateLoginProfile', resource: 'arn:aws:iam::111111111111:user/alice@example.com' },
      { label: 'edit ManageYourAccount', action: 'iam:CreatePolicyVersion', resource: 'arn:aws:iam::111111111111:policy/ManageYourAccount' },
    ], 'deny')).toEqual([]);
    const pipelineRole = shadow(central, 'PipelineStack-PipelineBuildSynthCdkBuildProjectRole-abc');
    expect(await wrongOutcomes(pipelineRole, [
      { label: 'assume a member\'s CDK deploy role', action: 'sts:AssumeRole', resource: 'arn:aws:iam::222222222201:role/cdk-hnb659fds-deploy-role-222222222201-us-east-1', resourceAccount: '222222222201', resourcePolicy: TRUSTS_CENTRAL },
      { label: 'write the artifact bucket', action: 's3:PutObject', resource: 'arn:aws:s3:::pipelinestack-pipelineartifactsbucket-abc/x' },
    ], 'allow')).toEqual([]);
  });

  it('only the roles in pipeline.approvers approve, shadow roles included (login-gov-style: the pipeline in the central account)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-org-lg-'));
    cpSync(join(repoRoot, 'examples', 'login-gov-style'), dir, { recursive: true });
    appendFileSync(join(dir, 'users.yaml'), `\norganization:\n  id: ${ORG}\n  policyAccount: "999999999999"\n`);
    const { plan, issues } = loadRoster(dir, TEST_NOW);
    if (!plan) throw new Error(issues.map(formatIssue).join('\n'));
    const outdir = synthesize(plan, 'roster-org-lg-out-');
    const policies = organizationPolicies(outdir);
    const master = memberAccounts(outdir).get('master')!;
    const stage = `arn:aws:codepipeline:us-west-2:${master.account}:iam-roster/Approve-Prod/Approve-Prod`;
    const approve = async (p: Principal) => decide(p, { action: 'codepipeline:PutApprovalResult', resource: stage, context: { 'aws:PrincipalOrgID': ORG } }, 'us-west-2', { principal: policies.get(master.account), resource: policies.get(master.account) });
    expect(await approve(roleSession(master, 'FullAdministrator', 'alice'))).toBe('Allowed');
    expect(await approve(shadow(master, 'release-bot'))).toBe('ExplicitlyDenied');
    expect(await approve(shadow(master, 'FullAdministrator-copy'))).toBe('ExplicitlyDenied');
  });
});

describe('attribution and session cut-offs survive new principals', () => {
  it('a revoked user\'s shadow-role session issued before the revocation can do nothing, in every account', async () => {
    const wrong: string[] = [];
    for (const m of accounts.values()) {
      wrong.push(...await wrongOutcomes(shadow(m, 'shadow-admin', 'dave@example.com'), [
        { label: 'read a bucket', action: 's3:GetObject', resource: 'arn:aws:s3:::app-data/x', region: m.region, context: { 'aws:TokenIssueTime': '2026-11-21T11:00:00Z' } },
        { label: 'assume another role', action: 'sts:AssumeRole', resource: iam(m, 'role/another'), context: { 'aws:TokenIssueTime': '2026-11-21T11:00:00Z' } },
      ], 'deny'));
      // Issued after the revocation (a new sign-in), or another person's: allowed.
      wrong.push(...await wrongOutcomes(shadow(m, 'shadow-admin', 'dave@example.com'), [
        { label: 'read a bucket after a fresh sign-in', action: 's3:GetObject', resource: 'arn:aws:s3:::app-data/x', region: m.region, context: { 'aws:TokenIssueTime': '2026-11-21T13:00:00Z' } },
      ], 'allow'));
      wrong.push(...await wrongOutcomes(shadow(m, 'shadow-admin', 'erin@example.com'), [
        { label: 'read a bucket (not revoked)', action: 's3:GetObject', resource: 'arn:aws:s3:::app-data/x', region: m.region, context: { 'aws:TokenIssueTime': '2026-11-21T11:00:00Z' } },
      ], 'allow'));
    }
    expect(wrong).toEqual([]);
  });

  it('an expired contractor\'s chained session is cut at the end, whatever role it reached', async () => {
    const m = accounts.get('dev')!;
    const s = shadow(m, 'shadow-admin', 'rupert@example.com');
    expect(await wrongOutcomes(s, [{ label: 'after the end', action: 's3:GetObject', resource: 'arn:aws:s3:::app-data/x', region: m.region, context: { 'aws:CurrentTime': '2027-07-01T00:00:00Z' } }], 'deny')).toEqual([]);
    expect(await wrongOutcomes(s, [{ label: 'before the end', action: 's3:GetObject', resource: 'arn:aws:s3:::app-data/x', region: m.region, context: { 'aws:CurrentTime': '2027-06-30T12:00:00Z' } }], 'allow')).toEqual([]);
  });

  it('a revoked user\'s own pre-revocation GetSessionToken session cannot assume a role again (central side)', async () => {
    const user: Principal = { arn: 'arn:aws:iam::111111111111:user/dave@example.com', account: '111111111111', principalArn: 'arn:aws:iam::111111111111:user/dave@example.com', identity: [{ name: 'assume', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } }] };
    const attempt: Case = { label: 'assume PowerUser in dev', action: 'sts:AssumeRole', resource: 'arn:aws:iam::444444444401:role/PowerUser', resourceAccount: '444444444401', resourcePolicy: TRUSTS_CENTRAL };
    expect(await wrongOutcomes(user, [{ ...attempt, context: { 'aws:TokenIssueTime': '2026-11-21T11:00:00Z' } }], 'deny')).toEqual([]);
    expect(await wrongOutcomes(user, [{ ...attempt, context: { 'aws:TokenIssueTime': '2026-11-21T13:00:00Z' } }], 'allow')).toEqual([]);
  });

  it('a people\'s role session without a source identity (a console switch) cannot chain into another role', async () => {
    const m = accounts.get('dev')!;
    const admin = roleSession(m, 'FullAdministrator', 'alice@example.com');
    expect(await wrongOutcomes(admin, [{ label: 'assume a shadow role', action: 'sts:AssumeRole', resource: iam(m, 'role/shadow-admin') }], 'deny')).toEqual([]);
    expect(await wrongOutcomes({ ...admin, sourceIdentity: 'alice@example.com' } as Principal, [{ label: 'assume a role with its source identity', action: 'sts:AssumeRole', resource: iam(m, 'role/app-role') }], 'allow')).toEqual([]);
  });
});

describe('the resource perimeter (RCP) closes the organization to outside principals', () => {
  const trustAnyone = (m: AccountModel) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Resource: iam(m, 'role/door') }] });
  const outsider = (account: string): Principal => ({ arn: `arn:aws:sts::${account}:assumed-role/x/y`, account, principalArn: `arn:aws:iam::${account}:role/x`, identity: [{ name: ADMIN, policy: awsManagedDocument(ADMIN) }] });

  it('a role an administrator opened to an outside account admits nobody from outside; the declared outside account and the organization still get in', async () => {
    for (const m of accounts.values()) {
      const attempt = { action: 'sts:AssumeRole', resource: iam(m, 'role/door'), resourceAccount: m.account, resourcePolicy: trustAnyone(m) };
      const under = (p: Principal, orgId?: string) => decide(p, { ...attempt, context: orgId ? { 'aws:PrincipalOrgID': orgId } : {} }, m.region, { resource: org.get(m.account) });
      expect(await under(outsider(OUTSIDE))).toBe('ExplicitlyDenied');
      expect(await under(outsider(OUTSIDE), 'o-otherorg123'), 'another organization').toBe('ExplicitlyDenied');
      expect(await under(outsider(TRUSTED_OUTSIDE)), 'organization.trustedAccounts').toBe('Allowed');
      expect(await under(outsider('222222222202'), ORG), 'a principal of the organization').toBe('Allowed');
    }
  });
});
