import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RosterPlan } from '../../lib/plan/types.js';
import { bucketOf } from '../../lib/plan/names.js';
import { USER_BUCKETS } from '../../lib/plan/placement.js';
import { baseFiles, acmePlan, planOf, templatesOf } from '../helpers.js';

let plan: RosterPlan;
let t: ReturnType<typeof templatesOf>;

beforeAll(() => {
  plan = planOf(baseFiles());
  t = templatesOf(plan);
});

/** All resources of a type across the central stack and its nested stacks. */
function centralResources(type: string): Record<string, { Properties: Record<string, unknown>; DependsOn?: string[] }> {
  const all = [t.central, ...t.nested.values()].map((tpl) => tpl.findResources(type));
  return Object.assign({}, ...all);
}

describe('CentralStack', () => {
  it('is deployed to the central account with termination protection', () => {
    expect(t.rendered.central.account).toBe('111111111111');
    expect(t.rendered.central.region).toBe('us-east-1');
    expect(t.rendered.central.terminationProtection).toBe(true);
  });

  it('creates each user with its groups and ManageYourAccount, and no credentials', () => {
    const users = Object.values(centralResources('AWS::IAM::User')).map((r) => r.Properties);
    expect(users).toHaveLength(2);
    expect(users).toContainEqual(expect.objectContaining({
      UserName: 'bob',
      Groups: ['devs'],
      ManagedPolicyArns: ['arn:aws:iam::111111111111:policy/ManageYourAccount'],
      Tags: [{ Key: 'email', Value: 'bob@example.com' }, { Key: 'managed-by', Value: 'iam-roster' }],
    }));
    for (const user of users) expect(user).not.toHaveProperty('LoginProfile');
    expect(centralResources('AWS::IAM::AccessKey')).toEqual({});
  });

  it('creates groups with their assume policies attached by ARN, after those policies exist', () => {
    t.central.resourceCountIs('AWS::IAM::Group', 2);
    const groups = t.central.findResources('AWS::IAM::Group');
    const admins = Object.values(groups).find((g) => g.Properties.GroupName === 'admins')!;
    expect(admins.Properties.ManagedPolicyArns).toEqual([
      'arn:aws:iam::111111111111:policy/DevAssumeFullAdministrator',
      'arn:aws:iam::111111111111:policy/ProdAssumeFullAdministrator',
    ]);
    const nestedStacks = Object.keys(t.central.findResources('AWS::CloudFormation::Stack'));
    expect(admins.DependsOn.length).toBeGreaterThan(0);
    for (const dep of admins.DependsOn) expect(nestedStacks).toContain(dep);
  });

  it('creates the <Type>Assume<Role> policies: MFA required and session name = user name', () => {
    const policies = Object.values(centralResources('AWS::IAM::ManagedPolicy')).map((p) => p.Properties);
    expect(policies.map((p) => p.ManagedPolicyName).sort()).toEqual([
      'DevAssumeFullAdministrator', 'DevAssumePowerUser', 'ManageYourAccount', 'ProdAssumeFullAdministrator', 'ProdAssumeReadOnly',
    ]);
    const devPower = policies.find((p) => p.ManagedPolicyName === 'DevAssumePowerUser')!;
    expect(devPower.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'AssumePowerUserInDev',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: ['arn:aws:iam::333333333333:role/PowerUser'],
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'sts:RoleSessionName': '${aws:username}' } },
      }],
    });
  });

  it('ManageYourAccount lets users manage their own credentials and denies everything else without MFA', () => {
    t.central.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'ManageYourAccount',
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'ManageOwnVirtualMFADevice', Effect: 'Allow', Resource: 'arn:aws:iam::111111111111:mfa/${aws:username}' }),
          Match.objectLike({ Sid: 'ManageOwnMFA', Effect: 'Allow', Resource: 'arn:aws:iam::111111111111:user/${aws:username}' }),
          Match.objectLike({ Sid: 'NoMFAChangesWithAccessKeys', Effect: 'Deny', Condition: { Null: { 'aws:MultiFactorAuthPresent': 'true' } } }),
          Match.objectLike({
            Sid: 'DenyAllExceptMFASetupWithoutMFA',
            Effect: 'Deny',
            NotAction: Match.arrayWith(['iam:ChangePassword', 'iam:EnableMFADevice']),
            Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
          }),
        ]),
      },
    });
  });

  it('user stacks wait for ManageYourAccount and the groups their users join', () => {
    const stacks = t.central.findResources('AWS::CloudFormation::Stack');
    const groupIds = Object.keys(t.central.findResources('AWS::IAM::Group'));
    const userStacks = Object.entries(stacks).filter(([id]) => id.startsWith('Users'));
    expect(userStacks.length).toBeGreaterThan(0);
    for (const [, stack] of userStacks) {
      expect(stack.DependsOn).toContain('PolicyManageYourAccount');
      expect(stack.DependsOn.some((d: string) => groupIds.includes(d))).toBe(true);
    }
  });

  it('outputs the ARN of every user and every policy', () => {
    const outputs = [t.central, ...t.nested.values()].flatMap((tpl) => Object.keys(tpl.toJSON().Outputs ?? {}));
    for (const user of plan.users) expect(outputs).toContain(`Arn${user.logicalId}`);
    for (const policy of plan.assumePolicies) expect(outputs).toContain(`Arn${policy.logicalId}`);
    expect(outputs).toContain('ManageYourAccountPolicyArn');
  });
});

describe('a user with an email name', () => {
  it('keeps the exact name and a logical ID derived from it', () => {
    const users = centralResources('AWS::IAM::User');
    const alice = Object.entries(users).find(([, r]) => r.Properties.UserName === 'alice@example.com')!;
    expect(alice[0]).toMatch(/^UserAliceexamplecom[0-9A-F]{8}$/);
    expect(alice[1].Properties.Groups).toEqual(['admins']);
  });
});

export { Template };

describe('offboarding', () => {
  it('gives every user a Custom::UserCleanup that depends on it, served by the fixed-name handler', () => {
    const cleanups = Object.entries(centralResources('Custom::UserCleanup'));
    expect(cleanups).toHaveLength(plan.users.length);
    for (const user of plan.users) {
      const [, resource] = cleanups.find(([id]) => id === `Cleanup${user.logicalId}`)!;
      expect(resource.Properties).toEqual({ ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:iam-roster-user-cleanup', UserName: user.name });
      expect(resource.DependsOn).toEqual([user.logicalId]); // deleted before the user
    }
    t.central.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'iam-roster-user-cleanup', Handler: 'user-cleanup.handler' });
    const fn = Object.keys(t.central.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'iam-roster-user-cleanup' } }))[0];
    for (const [id, stack] of Object.entries(t.central.findResources('AWS::CloudFormation::Stack'))) {
      if (id.startsWith('Users')) expect(stack.DependsOn).toContain(fn);
    }
  });
});

describe('nothing retained or orphaned by surprise', () => {
  it('no resource of any stack is retained on deletion, and the handlers declare their log groups', () => {
    const all = templatesOf(acmePlan());
    const templates = [all.central, ...all.nested.values(), ...all.accounts.values()];
    for (const template of templates) {
      for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, { DeletionPolicy?: string; UpdateReplacePolicy?: string }>)) {
        expect(resource.DeletionPolicy ?? 'Delete', id).toBe('Delete');
        expect(resource.UpdateReplacePolicy ?? 'Delete', id).toBe('Delete');
      }
    }
    const functions = Object.values(all.central.findResources('AWS::Lambda::Function'));
    expect(functions.map((f) => f.Properties.FunctionName).sort()).toEqual(['iam-roster-console-access', 'iam-roster-password-policy', 'iam-roster-user-cleanup']);
    const groups = all.central.findResources('AWS::Logs::LogGroup');
    for (const fn of functions) {
      const group = groups[fn.Properties.LoggingConfig.LogGroup.Ref];
      expect(group.Properties.LogGroupName).toBe(`/aws/lambda/${fn.Properties.FunctionName}`);
      expect(group.DeletionPolicy).toBe('Delete');
    }
  });

  it('removing an account file leaves every central user and group untouched', () => {
    const files = baseFiles();
    files['accounts/prod2.yaml'] = 'id: "444444444444"\nalias: acme-prod2\ntype: prod\n';
    const before = templatesOf(planOf(files));
    delete files['accounts/prod2.yaml'];
    const after = templatesOf(planOf(files));
    const users = (t: ReturnType<typeof templatesOf>) => [...t.nested.values()].map((n) => n.findResources('AWS::IAM::User'));
    expect(users(after)).toEqual(users(before));
    expect(after.central.findResources('AWS::IAM::Group')).toEqual(before.central.findResources('AWS::IAM::Group'));
  });
});

describe('logical IDs of owned resources', () => {
  it('never collide with another user whose name ends like a suffix (alice and aliceArn in one user stack)', () => {
    let name = '';
    for (let i = 0; !name; i++) if (bucketOf(`u${i}`, USER_BUCKETS) === bucketOf(`u${i}Arn`, USER_BUCKETS)) name = `u${i}`;
    const files = baseFiles();
    files['users.yaml'] += `  ${name}: [admins]\n  ${name}Arn: [admins]\n  ${name}Cleanup: [admins]\n`;
    const plan = planOf(files);
    const { nested } = templatesOf(plan);
    const stack = [...nested.values()].find((n) => Object.keys(n.findResources('AWS::IAM::User')).includes(`User${name[0].toUpperCase()}${name.slice(1)}`))!;
    const ids = [...Object.keys(stack.toJSON().Resources), ...Object.keys(stack.toJSON().Outputs)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([`ArnUserU${name.slice(1)}`, `UserU${name.slice(1)}Arn`]));
  });
});
