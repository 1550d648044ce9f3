// The templates of issue 23's features, and what they allow once deployed (policy simulation over
// the synthesized templates): a policy naming the role's own ID attached without a circular
// dependency, existing customer managed policies attached by ARN, the organisation's deny
// statements in the guardrails and the boundary, a role nobody signs into.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { executionPolicy } from '../../lib/plan/execution-policy.js';
import { baseFiles, planOf } from '../helpers.js';
import { fakeRoleId } from '../support/assembly.js';
import { iamModel, simulateAssumeRole, type IamModel } from '../support/iam-model.js';
import { decide, memberAccounts, roleSession, type AccountModel, type Principal } from '../support/member-model.js';

const files = baseFiles();
files['users.yaml'] = files['users.yaml'].replace('groups:\n', 'security:\n  guardrails:\n    denyStatements: [dnssec]\ngroups:\n').replace('      ReadOnly: [prod]\n', '      ReadOnly: [prod]\n      DataUser: [prod, dev]\n');
files['policies/dnssec.json'] = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoDnssecOff', Effect: 'Deny', Action: ['route53:DisableHostedZoneDNSSEC', 'route53:DeactivateKeySigningKey'], Resource: '*' }] });
files['accounts/prod.yaml'] += 'guardrails:\n  permissionsBoundary: true\n';
files['roles/DataUser.yaml'] = [
  'name: DataUser', 'description: Query the warehouse', 'enabled: true',
  'customerManagedPolicies: [DNSSecDisablePrevent]',
  'statements:',
  '  - Sid: Describe', '    Effect: Allow', '    Action: [redshift:DescribeClusters, route53:ChangeResourceRecordSets]', '    Resource: "*"',
  '  - Sid: OwnDbUser', '    Effect: Allow', '    Action: redshift:GetClusterCredentials', '    Resource: "arn:{partition}:redshift:{region}:{account}:dbuser:*/*"',
  '    Condition:', '      StringEqualsIgnoreCase: {aws:userid: "{roleId}:${redshift:DbUser}"}',
  'justification:', '  wildcards: "Describe calls are not resource-scoped in Redshift."', '',
].join('\n');
files['roles/AutoDeploy.yaml'] = 'name: AutoDeploy\ndescription: CI deploys\nenabled: true\npeople: false\ntrust:\n  principals:\n    - arn: arn:aws:iam::999999999999:role/CI\n';

const DNSSEC_ARN = (account: string) => `arn:aws:iam::${account}:policy/DNSSecDisablePrevent`;
/** What the account's existing policy is assumed to hold: iam-roster never sees it. */
const EXISTING = (account: string) => ({ [DNSSEC_ARN(account)]: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'route53:DeleteKeySigningKey', Resource: '*' }] } });

let outdir: string;
let prod: Template;
let members: Map<string, AccountModel>;
let central: IamModel;
beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'roster-org-'));
  const app = newApp({ outdir });
  renderApp(planOf(files), app);
  app.synth();
  prod = Template.fromJSON(JSON.parse(readFileSync(join(outdir, 'Account-prod.template.json'), 'utf8')));
  members = memberAccounts(outdir);
  central = iamModel(outdir, '111111111111');
});

describe('a policy naming {roleId}', () => {
  it('holds Fn::GetAtt <Role>.RoleId and attaches itself to the role (Roles), which does not name it', () => {
    prod.hasResource('AWS::IAM::ManagedPolicy', {
      Properties: {
        ManagedPolicyName: 'IamRoster-DataUser-1',
        Roles: ['DataUser'],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
          Sid: 'OwnDbUser',
          Condition: { StringEqualsIgnoreCase: { 'aws:userid': { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['RoleDataUser', 'RoleId'] }, ':${redshift:DbUser}']] } } },
        })]) },
      },
    });
    const role = prod.findResources('AWS::IAM::Role', { Properties: { RoleName: 'DataUser' } }).RoleDataUser;
    expect(role.Properties.ManagedPolicyArns).not.toContain('arn:aws:iam::222222222222:policy/IamRoster-DataUser-1');
    expect(role.DependsOn.filter((d: string) => d.startsWith('PolicyIamRosterDataUser'))).toEqual([]);
  });

  it('makes no circular dependency (cfn-lint, which checks them, finds nothing)', () => {
    const run = spawnSync('cfn-lint', ['--format', 'json', '--ignore-checks', 'E3703', 'W3005', '--', join(outdir, 'Account-prod.template.json'), join(outdir, 'Account-dev.template.json')], { encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(JSON.parse(run.stdout || '[]')).toEqual([]);
  }, 60_000);

  it('lets a session get credentials for its own database user only (the match ignores case)', async () => {
    for (const prefix of ['prod', 'dev']) {
      const m = members.get(prefix)!;
      const session = roleSession(m, 'DataUser', 'alice', EXISTING(m.account));
      const creds = (dbUser: string, userid = `${fakeRoleId('DataUser')}:alice`) => decide(session, {
        action: 'redshift:GetClusterCredentials', resource: `arn:aws:redshift:${m.region}:${m.account}:dbuser:warehouse/${dbUser}`,
        context: { 'redshift:DbUser': dbUser, 'aws:userid': userid },
      }, m.region);
      expect(await creds('alice')).toBe('Allowed');
      expect(await creds('ALICE')).toBe('Allowed');
      expect(await creds('bob')).toBe('ImplicitlyDenied');
      // another role's session named alice does not match this role's ID
      expect(await creds('alice', `${fakeRoleId('PowerUser')}:alice`)).toBe('ImplicitlyDenied');
    }
  });
});

describe('existing customer managed policies', () => {
  it('are attached by ARN to the role', () => {
    prod.hasResourceProperties('AWS::IAM::Role', { RoleName: 'DataUser', ManagedPolicyArns: Match.arrayWith([DNSSEC_ARN('222222222222')]) });
  });

  it('may be attached by the narrow execution role, by exact ARN only; the {roleId} policy attaches itself', async () => {
    const exec: Principal = {
      arn: 'arn:aws:sts::222222222222:assumed-role/cdk-hnb659fds-cfn-exec-role-222222222222-us-east-1/AWSCloudFormation', account: '222222222222',
      principalArn: 'arn:aws:iam::222222222222:role/cdk-hnb659fds-cfn-exec-role-222222222222-us-east-1',
      identity: [{ name: 'iam-roster-cfn-exec', policy: executionPolicy(planOf(files), '222222222222') as unknown as Record<string, unknown> }],
    };
    const attach = (policy: string) => decide(exec, { action: 'iam:AttachRolePolicy', resource: 'arn:aws:iam::222222222222:role/DataUser', context: { 'aws:ResourceTag/managed-by': 'iam-roster', 'iam:PolicyARN': policy } });
    expect(await attach(DNSSEC_ARN('222222222222'))).toBe('Allowed');
    expect(await attach('arn:aws:iam::222222222222:policy/IamRoster-DataUser-1')).toBe('Allowed');
    expect(await attach('arn:aws:iam::222222222222:policy/SomeoneElsesPolicy')).toBe('ImplicitlyDenied');
    expect(await decide(exec, { action: 'iam:CreatePolicyVersion', resource: DNSSEC_ARN('222222222222') })).toBe('ImplicitlyDenied'); // never edited
  });
});

describe("the organisation's deny statements", () => {
  const principal = (m: AccountModel, role: string): Principal => roleSession(m, role, 'alice', EXISTING(m.account));

  it('deny what they say to every role, in every account, while the roles keep the rest', async () => {
    for (const prefix of ['prod', 'dev']) {
      const m = members.get(prefix)!;
      for (const role of ['FullAdministrator', 'DataUser']) {
        const s = principal(m, role);
        const zone = 'arn:aws:route53:::hostedzone/Z1';
        expect([role, await decide(s, { action: 'route53:DisableHostedZoneDNSSEC', resource: zone }, m.region)]).toEqual([role, 'ExplicitlyDenied']);
        expect([role, await decide(s, { action: 'route53:DeactivateKeySigningKey', resource: zone }, m.region)]).toEqual([role, 'ExplicitlyDenied']);
        expect([role, await decide(s, { action: 'route53:ChangeResourceRecordSets', resource: zone }, m.region)]).toEqual([role, 'Allowed']);
      }
    }
  });

  it('are in the boundary too, where it is on: a role created under it cannot turn DNSSEC off', async () => {
    const m = members.get('prod')!;
    const boundaryArn = m.roles.get('FullAdministrator')!.boundaryArn!;
    expect(boundaryArn).toBe('arn:aws:iam::222222222222:policy/IamRosterBoundary');
    const created: Principal = {
      arn: 'arn:aws:sts::222222222222:assumed-role/AppDeployer/x', account: '222222222222', principalArn: 'arn:aws:iam::222222222222:role/AppDeployer',
      identity: [{ name: 'allow-all', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
      boundary: { name: boundaryArn, policy: m.policies.get(boundaryArn)! },
    };
    const zone = 'arn:aws:route53:::hostedzone/Z1';
    expect(await decide(created, { action: 'route53:DisableHostedZoneDNSSEC', resource: zone }, m.region)).toBe('ExplicitlyDenied');
    expect(await decide(created, { action: 'route53:ChangeResourceRecordSets', resource: zone }, m.region)).toBe('Allowed');
  });
});

describe('a role nobody signs into (people: false)', () => {
  it('trusts its extras only, in the template', () => {
    prod.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'AutoDeploy',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Sid: 'TrustExtra1', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:role/CI' }, Action: 'sts:AssumeRole' }] },
    });
  });

  it('can be assumed by the CI role of the other account, never by a central user (even one allowed everything)', async () => {
    const ci = { user: 'ci', account: '222222222222', role: 'AutoDeploy', mfa: false, identityAllowsAll: true, fromAccount: '999999999999', principalArn: 'arn:aws:iam::999999999999:role/CI' };
    expect(await simulateAssumeRole(central, ci)).toBe('Allowed');
    expect(await simulateAssumeRole(central, { ...ci, principalArn: 'arn:aws:iam::999999999999:role/Other' })).toBe('ImplicitlyDenied');
    expect(await simulateAssumeRole(central, { user: 'alice@example.com', account: '222222222222', role: 'AutoDeploy', mfa: true, identityAllowsAll: true })).toBe('ImplicitlyDenied');
    // while a people's role still admits the central user
    expect(await simulateAssumeRole(central, { user: 'alice@example.com', account: '222222222222', role: 'FullAdministrator', mfa: true })).toBe('Allowed');
  });
});
