import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseFiles, planOf, templatesOf } from '../helpers.js';

let t: ReturnType<typeof templatesOf>;
beforeAll(() => {
  const files = baseFiles();
  files['accounts/dev.yaml'] += 'maxSessionDuration: 43200\n';
  files['accounts/prod.yaml'] += 'roles:\n  PowerUser: false\n';
  t = templatesOf(planOf(files));
});

const roleNames = (name: string) =>
  Object.values(t.accounts.get(name)!.findResources('AWS::IAM::Role')).map((r) => r.Properties.RoleName).sort();

describe('account stacks', () => {
  it('exist once per account file, named Account-<prefix>, in that account and region', () => {
    expect([...t.accounts.keys()].sort()).toEqual(['Account-dev', 'Account-prod']);
    const dev = t.rendered.accounts.find((s) => s.stackName === 'Account-dev')!;
    expect([dev.account, dev.region]).toEqual(['333333333333', 'eu-west-1']);
  });

  it('create the catalog roles the account enables, honouring toggles both ways', () => {
    expect(roleNames('Account-prod')).toEqual(['Auditor', 'BillingReadOnly', 'FullAdministrator', 'ReadOnly']);
    expect(roleNames('Account-dev')).toEqual(['Auditor', 'BillingReadOnly', 'FullAdministrator', 'KMSAdministrator', 'PowerUser', 'ReadOnly']);
  });

  it('trust the central account root with MFA, never a user ARN', () => {
    for (const template of t.accounts.values()) {
      for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
        expect(role.Properties.AssumeRolePolicyDocument).toEqual({
          Version: '2012-10-17',
          Statement: [{
            Sid: 'TrustCentralUsersWithMFA',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111111111111:root' },
            Action: 'sts:AssumeRole',
            Condition: {
              Bool: { 'aws:MultiFactorAuthPresent': 'true' },
              ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:user/*' },
              StringEquals: { 'sts:RoleSessionName': '${aws:username}' },
            },
          }, {
            Sid: 'SourceIdentityIsTheUserName',
            Effect: 'Allow',
            Action: 'sts:SetSourceIdentity',
            Principal: { AWS: 'arn:aws:iam::111111111111:root' },
            Condition: {
              ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:user/*' },
              StringEquals: { 'sts:SourceIdentity': '${aws:username}' },
            },
          }],
        });
        // Users are matched by the aws:PrincipalArn pattern, never listed one by one.
        expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).not.toMatch(/:user\/[^*]/);
      }
    }
  });

  it('set the max session duration per account (default one hour)', () => {
    t.accounts.get('Account-dev')!.allResourcesProperties('AWS::IAM::Role', { MaxSessionDuration: 43200 });
    t.accounts.get('Account-prod')!.allResourcesProperties('AWS::IAM::Role', { MaxSessionDuration: 3600 });
  });

  it('attach AWS managed policies and the catalog policies of each role', () => {
    const dev = t.accounts.get('Account-dev')!;
    dev.hasResource('AWS::IAM::Role', {
      Properties: Match.objectLike({
        RoleName: 'PowerUser',
        ManagedPolicyArns: ['arn:aws:iam::aws:policy/PowerUserAccess', 'arn:aws:iam::333333333333:policy/IamRoster-PowerUser-1', 'arn:aws:iam::333333333333:policy/IamRosterProtection', 'arn:aws:iam::333333333333:policy/IamRosterGuardrails', 'arn:aws:iam::333333333333:policy/IamRosterGuardrails2', 'arn:aws:iam::333333333333:policy/IamRosterGuardrails3', 'arn:aws:iam::333333333333:policy/IamRosterSessions'],
      }),
      DependsOn: ['PolicyIamRosterGuardrails', 'PolicyIamRosterGuardrails2', 'PolicyIamRosterGuardrails3', 'PolicyIamRosterPowerUser1B330BE84', 'PolicyIamRosterProtection', 'PolicyIamRosterSessions'],
    });
    dev.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'IamRoster-PowerUser-1',
      PolicyDocument: { Statement: [Match.objectLike({ Sid: 'SeeRolesAndInstanceProfiles' })] },
    });
    dev.hasResourceProperties('AWS::IAM::Role', { RoleName: 'KMSAdministrator', ManagedPolicyArns: ['arn:aws:iam::333333333333:policy/IamRoster-KMSAdministrator-1', 'arn:aws:iam::333333333333:policy/IamRosterProtection', 'arn:aws:iam::333333333333:policy/IamRosterGuardrails', 'arn:aws:iam::333333333333:policy/IamRosterGuardrails2', 'arn:aws:iam::333333333333:policy/IamRosterGuardrails3', 'arn:aws:iam::333333333333:policy/IamRosterSessions'] });
    const kms = dev.findResources('AWS::IAM::ManagedPolicy', { Properties: { ManagedPolicyName: 'IamRoster-KMSAdministrator-1' } });
    const allowed = Object.values(kms)[0].Properties.PolicyDocument.Statement.filter((s: { Effect: string }) => s.Effect === 'Allow').flatMap((s: { Action: string[] }) => s.Action);
    expect(allowed).not.toContain('kms:Decrypt');
    expect(allowed).not.toContain('kms:Encrypt');
  });
});
