import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RosterPlan } from '../../lib/plan/types.js';
import { baseFiles, acmePlan, planOf, templatesOf, validate } from '../helpers.js';
import { simulateUnder } from '../support/iam-model.js';

let plan: RosterPlan;
let t: ReturnType<typeof templatesOf>;
beforeAll(() => {
  plan = acmePlan();
  t = templatesOf(plan);
});

const allCentral = () => [t.central, ...t.nested.values()];
const centralResources = (type: string) => Object.assign({}, ...allCentral().map((tpl) => tpl.findResources(type)));

describe('account password policy', () => {
  it('is set in the central account from users.yaml, strong defaults for what it leaves out', () => {
    t.central.hasResourceProperties('Custom::AccountPasswordPolicy', {
      MinimumPasswordLength: 16, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, RequireNumbers: true,
      RequireSymbols: true, PasswordReusePrevention: 24, MaxPasswordAge: 90, AllowUsersToChangePassword: true, HardExpiry: false,
    });
    t.central.hasResourceProperties('AWS::Lambda::Function', { Handler: 'password-policy.handler', Runtime: 'nodejs24.x' });
  });

  it('is set in every member account only when memberAccountPasswordPolicy is on', () => {
    for (const template of t.accounts.values()) template.resourceCountIs('Custom::AccountPasswordPolicy', 1);
    const base = templatesOf(planOf(baseFiles()));
    base.central.hasResourceProperties('Custom::AccountPasswordPolicy', { MinimumPasswordLength: 14 });
    for (const template of base.accounts.values()) template.resourceCountIs('Custom::AccountPasswordPolicy', 0);
  });
});

describe('the password-policy handler asks CloudFormation about its own stack only', () => {
  it.each([['CentralStack', '111111111111'], ['Account-prod-us', '222222222201']])('%s', (stackName, account) => {
    const template = stackName === 'CentralStack' ? t.central : t.accounts.get(stackName)!;
    const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'iam-roster-password-policy' } }));
    expect(fn).toHaveLength(1);
    expect(fn[0].Properties.Environment.Variables).toEqual({ ROSTER_ACCOUNT: account, ROSTER_PARTITION: 'aws', ROSTER_STACK_PREFIXES: stackName });
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('PasswordPolicyHandlerRole'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const describe = statements.filter((s: { Action: string | string[] }) => [s.Action].flat().includes('cloudformation:DescribeStackResource'));
    expect(describe.map((s: { Resource: unknown }) => s.Resource)).toEqual([`arn:aws:cloudformation:us-east-1:${account}:stack/${stackName}/*`]);
  });
});

/** The roles iam-roster creates for people and services (not its handlers' roles). */
const rosterRoles = (template: ReturnType<typeof templatesOf>['central']) =>
  Object.values(template.findResources('AWS::IAM::Role')).filter((r) => r.Properties.RoleName && !String(r.Properties.RoleName).startsWith('iam-roster-'));

describe('guardrails', () => {
  it('are attached to every role of an account unless it opts out; the protection always is', () => {
    for (const [name, template] of t.accounts) {
      const roles = rosterRoles(template);
      const carrying = (policy: string) => roles.filter((r) => r.Properties.ManagedPolicyArns.some((a: string) => a.endsWith(`:policy/${policy}`)) && r.DependsOn.includes(`Policy${policy}`));
      expect(carrying('IamRosterGuardrails').length, name).toBe(name === 'Account-sandbox' ? 0 : roles.length);
      expect(carrying('IamRosterProtection').length, name).toBe(roles.length);
    }
  });

  it('restrict regions to the ones the config uses unless told otherwise, exempting global services', () => {
    const guardrails = t.accounts.get('Account-dev')!.findResources('AWS::IAM::ManagedPolicy', { Properties: { ManagedPolicyName: 'IamRosterGuardrails' } });
    const deny = Object.values(guardrails)[0].Properties.PolicyDocument.Statement.find((s: { Sid: string }) => s.Sid === 'DenyOutsideAllowedRegions');
    expect(deny.Condition).toEqual({ StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1', 'us-west-2'] } });
    expect(deny.NotAction).toEqual(expect.arrayContaining(['iam:*', 'sts:*', 'organizations:*', 'route53:*', 'cloudfront:*']));
  });

  it('set a permissions boundary where the account asks for one', () => {
    const prodUs = t.accounts.get('Account-prod-us')!;
    const named = rosterRoles(prodUs);
    expect(named.length).toBe(7);
    for (const role of named) {
      expect(role.Properties.PermissionsBoundary).toBe('arn:aws:iam::222222222201:policy/IamRosterBoundary');
      expect(role.DependsOn).toContain('PolicyIamRosterBoundary');
    }
    prodUs.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'IamRosterBoundary',
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'CreateOnlyWithThisBoundary', Effect: 'Deny' }), Match.objectLike({ Sid: 'KeepBoundaries', Effect: 'Deny' })]) },
    });
    // Elsewhere, without organization guardrails, only the roles that can write IAM or do everything carry it.
    const dev = t.accounts.get('Account-dev')!;
    const boundedInDev = Object.values(dev.findResources('AWS::IAM::Role', { Properties: { PermissionsBoundary: Match.anyValue() } })).map((r) => r.Properties.RoleName).sort();
    expect(boundedInDev).toEqual(['FullAdministrator']);
  });

  it('deny, when simulated, actions outside the allowed regions and deleting protected resources', async () => {
    const account = plan.accounts.find((a) => a.prefix === 'dev')!;
    // Every part of the packed guardrails, as one document.
    const guardrails = { Version: '2012-10-17' as const, Statement: account.sharedPolicies.filter((p) => p.name.startsWith('IamRosterGuardrails')).flatMap((p) => p.document.Statement) };
    const decide = (action: string, resource: string, region: string) =>
      simulateUnder(guardrails, { accountId: account.id, session: 'alice', action, resource, context: { 'aws:RequestedRegion': region } });
    const instance = (region: string) => `arn:aws:ec2:${region}:${account.id}:instance/i-0123456789abcdef0`;
    expect(await decide('ec2:TerminateInstances', instance('us-east-1'), 'us-east-1')).toBe('Allowed');
    expect(await decide('ec2:TerminateInstances', instance('ap-southeast-2'), 'ap-southeast-2')).toBe('ExplicitlyDenied');
    expect(await decide('iam:CreateRole', `arn:aws:iam::${account.id}:role/x`, 'ap-southeast-2')).toBe('Allowed'); // global
    const db = (name: string) => `arn:aws:rds:us-east-1:${account.id}:db:${name}`;
    expect(await decide('rds:DeleteDBInstance', db('prod-orders'), 'us-east-1')).toBe('ExplicitlyDenied');
    expect(await decide('rds:DeleteDBInstance', db('scratch'), 'us-east-1')).toBe('Allowed');
    const trail = `arn:aws:cloudtrail:us-east-1:${account.id}:trail/org-cloudtrail`;
    expect(await decide('cloudtrail:StopLogging', trail, 'us-east-1')).toBe('ExplicitlyDenied');
  });
});

describe('MFA', () => {
  it('assume and trust policies require a recent MFA sign-in when mfaMaxAgeSeconds is set', () => {
    const assume = plan.assumePolicies[0].document.Statement[0].Condition!;
    expect(assume.NumericLessThan).toEqual({ 'aws:MultiFactorAuthAge': '43200' });
    const trust = plan.accounts[0].roles[0].trustPolicy.Statement[0].Condition!;
    expect(trust).toMatchObject({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '43200' } });
  });
});

describe('console access', () => {
  it('is a Custom::ConsoleAccess per console user: no password and no secret in any template', () => {
    const users = centralResources('AWS::IAM::User');
    for (const u of Object.values(users) as any[]) expect(u.Properties).not.toHaveProperty('LoginProfile');
    expect(centralResources('AWS::SecretsManager::Secret')).toEqual({});
    const consoles = Object.values(centralResources('Custom::ConsoleAccess')) as any[];
    expect(consoles.map((c) => c.Properties)).toEqual([{
      ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:iam-roster-console-access',
      UserName: 'ivan@example.com',
      InitialPassword: true,
      SecretName: 'iam-roster/initial-password/ivan@example.com',
      OnboardingPrincipal: 'arn:aws:iam::111111111111:role/PeopleOps',
      HandlerRoleArn: 'arn:aws:iam::111111111111:role/iam-roster-console-access',
      MinimumLength: 16,
    }]);
    const ivan = Object.entries(users).find(([, u]: [string, any]) => u.Properties.UserName === 'ivan@example.com')![0];
    expect((Object.values(centralResources('Custom::ConsoleAccess'))[0] as any).DependsOn).toEqual([ivan]);
  });

  it('console: onboarded keeps console access without an initial password', () => {
    const files = baseFiles();
    files['users.yaml'] = files['users.yaml'].replace('    email: bob@example.com', '    email: bob@example.com\n    console: onboarded')
      + 'security:\n  onboardingPrincipal: arn:aws:iam::111111111111:role/PeopleOps\n';
    const { nested } = templatesOf(planOf(files));
    const consoles = [...nested.values()].flatMap((n) => Object.values(n.findResources('Custom::ConsoleAccess'))) as any[];
    expect(consoles.map((c) => [c.Properties.UserName, c.Properties.InitialPassword])).toEqual([['bob', false]]);
  });

  it('never creates an access key anywhere', () => {
    for (const template of [...allCentral(), ...t.accounts.values()]) template.resourceCountIs('AWS::IAM::AccessKey', 0);
  });
});

describe('time-bound access', () => {
  it('attaches a deny-after-date policy to users with an expiry, and to no one else', () => {
    const policies = Object.values(centralResources('AWS::IAM::ManagedPolicy')) as any[];
    const expiry = policies.filter((p) => p.Properties.ManagedPolicyName.endsWith('-expiry'));
    expect(expiry.map((p) => p.Properties.ManagedPolicyName).sort()).toEqual(['peggy@example.com-expiry', 'rupert@example.com-expiry']);
    const rupert = expiry.find((p) => p.Properties.ManagedPolicyName.startsWith('rupert'));
    expect(rupert.Properties.PolicyDocument.Statement).toEqual([{
      Sid: 'ExpiredAfter20270630', Effect: 'Deny', Action: '*', Resource: '*',
      Condition: { DateGreaterThan: { 'aws:CurrentTime': '2027-06-30T23:59:59Z' } },
    }]);
    const peggy = expiry.find((p) => p.Properties.ManagedPolicyName.startsWith('peggy')).Properties.PolicyDocument.Statement;
    expect(peggy).toHaveLength(1);
    expect(peggy[0].Resource).toContain('arn:aws:iam::444444444401:role/ReadOnly');
    expect(peggy[0].Resource).not.toContain('arn:aws:iam::222222222201:role/SupportEngineer');
  });
});

describe('service roles', () => {
  it('are trusted by their service, get an instance profile and the guardrails', () => {
    const dev = t.accounts.get('Account-dev')!;
    dev.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'AppServer',
      AssumeRolePolicyDocument: { Statement: [{ Sid: 'TrustService', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore', 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy', 'arn:aws:iam::444444444401:policy/IamRosterProtection', 'arn:aws:iam::444444444401:policy/IamRosterGuardrails', 'arn:aws:iam::444444444401:policy/IamRosterGuardrails2', 'arn:aws:iam::444444444401:policy/IamRosterGuardrails3'],
    });
    dev.hasResource('AWS::IAM::InstanceProfile', { Properties: { InstanceProfileName: 'AppServer', Roles: ['AppServer'] }, DependsOn: ['RoleAppServer'] });
    expect(Object.keys(dev.findResources('AWS::IAM::InstanceProfile'))).toEqual(['InstanceProfileRoleAppServer']);
  });
});

describe('revoking sessions (break-glass)', () => {
  const files = () => {
    const f = baseFiles();
    f['users.yaml'] += 'revokeSessions:\n  mallory@example.com: "2026-11-22T10:00:00Z"\n';
    f['accounts/dev.yaml'] += 'guardrails: false\nserviceRoles:\n  Worker:\n    service: ecs-tasks.amazonaws.com\n';
    return f;
  };

  it('attaches a deny for older sessions to every catalog role, even where guardrails are off', () => {
    const revokePlan = planOf(files());
    for (const account of revokePlan.accounts) {
      const policy = account.sharedPolicies.find((p) => p.name === 'IamRosterSessions')!;
      expect(policy.document.Statement).toEqual([{
        Sid: 'RevokeSessions1', Effect: 'Deny', Action: '*', Resource: '*',
        Condition: { StringLike: { 'aws:userid': '*:mallory@example.com' }, DateLessThan: { 'aws:TokenIssueTime': '2026-11-22T10:00:00Z' } },
      }, {
        Sid: 'RevokeSourceIdentity1', Effect: 'Deny', Action: '*', Resource: '*',
        Condition: { StringEquals: { 'aws:SourceIdentity': 'mallory@example.com' }, DateLessThan: { 'aws:TokenIssueTime': '2026-11-22T10:00:00Z' } },
      }, {
        Sid: 'ChainOnlyWithSourceIdentity', Effect: 'Deny', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Resource: '*',
        Condition: { Null: { 'aws:SourceIdentity': 'true' } },
      }]);
      for (const role of account.roles) {
        expect(role.sharedPolicyNames.includes('IamRosterSessions'), `${account.prefix} ${role.name}`).toBe(role.name !== 'Worker');
      }
    }
    // Without revocations or expiries it holds the chaining rule alone, on catalog roles only.
    const plain = planOf(baseFiles()).accounts[0];
    expect(plain.sharedPolicies.map((p) => p.name)).toEqual(['IamRosterProtection', 'IamRosterGuardrails', 'IamRosterGuardrails2', 'IamRosterGuardrails3', 'IamRosterSessions', 'IamRosterBoundary']);
    expect(plain.sharedPolicies.find((p) => p.name === 'IamRosterSessions')!.document.Statement.map((s) => s.Sid)).toEqual(['ChainOnlyWithSourceIdentity']);
  });

  it('denies, when simulated, the revoked user sessions issued before the time and nothing else', async () => {
    const account = planOf(files()).accounts.find((a) => a.prefix === 'prod')!;
    const revocation = account.sharedPolicies.find((p) => p.name === 'IamRosterSessions')!.document;
    const decide = (session: string, issued: string, sourceIdentity: string | undefined = session) =>
      simulateUnder(revocation, {
        accountId: account.id, session, action: 's3:ListAllMyBuckets', resource: '*',
        context: { 'aws:userid': `AROAEXAMPLEID:${session}`, 'aws:TokenIssueTime': issued, ...(sourceIdentity ? { 'aws:SourceIdentity': sourceIdentity } : {}) },
      });
    expect(await decide('mallory@example.com', '2026-11-22T09:30:00Z')).toBe('ExplicitlyDenied');
    // a console switch-role session: the session name alone says who
    expect(await decide('mallory@example.com', '2026-11-22T09:30:00Z', undefined)).toBe('ExplicitlyDenied');
    // a session chained from mallory's under another session name: the source identity says who
    expect(await decide('nightly-job', '2026-11-22T09:30:00Z', 'mallory@example.com')).toBe('ExplicitlyDenied');
    expect(await decide('mallory@example.com', '2026-11-22T10:30:00Z')).toBe('Allowed');
    expect(await decide('nightly-job', '2026-11-22T10:30:00Z', 'mallory@example.com')).toBe('Allowed');
    expect(await decide('alice@example.com', '2026-11-22T09:30:00Z')).toBe('Allowed');
    expect(await decide('nightly-job', '2026-11-22T09:30:00Z', 'alice@example.com')).toBe('Allowed');
  });

  it('warns when a revocation is old enough to remove', () => {
    const f = baseFiles();
    f['users.yaml'] += 'revokeSessions:\n  mallory@example.com: "2026-11-01T10:00:00Z"\n';
    const { issues } = validate(f);
    expect(issues.map((i) => `${i.file}:${i.line}:${i.col}: ${i.severity}: ${i.message}`)).toEqual([
      "users.yaml:18:3: warning: the revocation of mallory@example.com's sessions (2026-11-01T10:00:00Z) is over 12 hours old",
    ]);
  });
});
