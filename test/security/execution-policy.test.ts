// The narrow CloudFormation execution policy: it must allow every call CloudFormation makes to
// deploy iam-roster's templates (derived here from the synthesized templates, resource by
// resource), and refuse what a broad `iam:*` would let a deployment do to anything else.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { executionPolicy } from '../../lib/plan/execution-policy.js';
import { policyChars } from '../../lib/plan/policy-size.js';
import type { RosterPlan } from '../../lib/plan/types.js';
import { acmePlan } from '../helpers.js';
import { readAssembly, resolveValue, type DeployedStack } from '../support/assembly.js';
import { decide, type Attempt, type Principal } from '../support/member-model.js';

let plan: RosterPlan;
let stacks: DeployedStack[];
beforeAll(() => {
  plan = acmePlan();
  const outdir = mkdtempSync(join(tmpdir(), 'roster-exec-'));
  const app = newApp({ outdir });
  renderApp(plan, app);
  app.synth();
  stacks = readAssembly(outdir);
});

const TAG = { 'aws:ResourceTag/managed-by': 'iam-roster' };
const NEW_TAG = { 'aws:RequestTag/managed-by': 'iam-roster', 'aws:TagKeys': ['managed-by'] };

function execRole(account: string, region: string): Principal {
  return {
    arn: `arn:aws:sts::${account}:assumed-role/cdk-hnb659fds-cfn-exec-role-${account}-${region}/AWSCloudFormation`,
    account,
    principalArn: `arn:aws:iam::${account}:role/cdk-hnb659fds-cfn-exec-role-${account}-${region}`,
    identity: [{ name: 'iam-roster-cfn-exec', policy: executionPolicy(plan, account) as unknown as Record<string, unknown> }],
  };
}

/** The IAM calls CloudFormation makes to create, update and delete each resource of a stack. */
function callsFor(stack: DeployedStack): (Attempt & { label: string })[] {
  const { account, region } = stack;
  const iam = (r: string) => `arn:aws:iam::${account}:${r}`;
  const calls: (Attempt & { label: string })[] = [];
  for (const [id, resource] of Object.entries(stack.template.Resources ?? {})) {
    const p = resolveValue(stack, resource.Properties ?? {}) as Record<string, any>;
    const add = (action: string, target: string, context: Record<string, string | string[]> = {}) => calls.push({ label: `${id}: ${action}`, action, resource: target, context });
    switch (resource.Type) {
      case 'AWS::IAM::Role': {
        const role = iam(`role/${p.RoleName}`);
        expect(p.RoleName, `${stack.name}/${id} needs a fixed name under iam-roster's control`).toBeTruthy();
        add('iam:CreateRole', role, NEW_TAG);
        add('iam:TagRole', role, NEW_TAG);
        add('iam:UpdateAssumeRolePolicy', role, TAG);
        add('iam:DeleteRole', role, TAG);
        for (const policy of p.ManagedPolicyArns ?? []) add('iam:AttachRolePolicy', role, { ...TAG, 'iam:PolicyARN': policy });
        if (p.PermissionsBoundary) add('iam:PutRolePermissionsBoundary', role, { ...TAG, 'iam:PermissionsBoundary': p.PermissionsBoundary });
        break;
      }
      case 'AWS::IAM::Policy':
        for (const role of p.Roles ?? []) add('iam:PutRolePolicy', iam(`role/${role}`), TAG);
        break;
      case 'AWS::IAM::ManagedPolicy':
        for (const action of ['iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:DeletePolicy']) add(action, iam(`policy/${p.ManagedPolicyName}`));
        break;
      case 'AWS::IAM::InstanceProfile':
        add('iam:CreateInstanceProfile', iam(`instance-profile/${p.InstanceProfileName}`));
        for (const role of p.Roles) {
          add('iam:AddRoleToInstanceProfile', iam(`instance-profile/${p.InstanceProfileName}`));
          add('iam:PassRole', iam(`role/${role}`), TAG);
        }
        break;
      case 'AWS::Lambda::Function':
        add('lambda:CreateFunction', `arn:aws:lambda:${region}:${account}:function:${p.FunctionName}`);
        add('iam:PassRole', p.Role, { ...TAG, 'iam:PassedToService': 'lambda.amazonaws.com' });
        break;
      case 'AWS::Logs::LogGroup':
        add('logs:CreateLogGroup', `arn:aws:logs:${region}:${account}:log-group:${p.LogGroupName}`);
        add('logs:PutRetentionPolicy', `arn:aws:logs:${region}:${account}:log-group:${p.LogGroupName}`);
        break;
      case 'AWS::IAM::User': {
        const user = iam(`user/${p.UserName}`);
        add('iam:CreateUser', user, NEW_TAG);
        add('iam:TagUser', user, NEW_TAG);
        add('iam:DeleteUser', user, TAG);
        for (const policy of p.ManagedPolicyArns ?? []) add('iam:AttachUserPolicy', user, { ...TAG, 'iam:PolicyARN': policy });
        for (const group of p.Groups ?? []) add('iam:AddUserToGroup', iam(`group/${group}`));
        break;
      }
      case 'AWS::IAM::Group':
        add('iam:CreateGroup', iam(`group/${p.GroupName}`));
        for (const policy of p.ManagedPolicyArns ?? []) add('iam:AttachGroupPolicy', iam(`group/${p.GroupName}`), { 'iam:PolicyARN': policy });
        break;
      case 'AWS::CloudFormation::Stack':
        add('cloudformation:CreateStack', `arn:aws:cloudformation:${region}:${account}:stack/${stack.name.split('/')[0]}-${id}-ABC123/1f2e3d4c-aaaa-bbbb-cccc-123456789012`);
        break;
      default:
        if (resource.Type.startsWith('Custom::')) add('lambda:InvokeFunction', String(p.ServiceToken));
    }
  }
  calls.push(
    { label: 'read assets', action: 's3:GetObject', resource: `arn:aws:s3:::cdk-hnb659fds-assets-${account}-${region}/abc.json` },
    { label: 'read the bootstrap version', action: 'ssm:GetParameters', resource: `arn:aws:ssm:${region}:${account}:parameter/cdk-bootstrap/hnb659fds/version` },
  );
  return calls;
}

async function outcomes(principal: Principal, attempts: (Attempt & { label: string })[], region: string) {
  const results = await Promise.all(attempts.map(async (a) => ({ a, result: await decide(principal, a, region) })));
  return { allowed: results.filter((r) => r.result === 'Allowed').map((r) => r.a.label), refused: results.filter((r) => r.result !== 'Allowed').map((r) => `${r.a.label} on ${r.a.resource} -> ${r.result}`) };
}

describe('the CloudFormation execution policy (roster exec-policy)', () => {
  it.each(['Account-dev', 'Account-prod-us', 'CentralStack'])('allows every call deploying %s needs', async (name) => {
    const ofStack = stacks.filter((s) => s.name.split('/')[0] === name);
    const { account, region } = ofStack[0];
    const { refused, allowed } = await outcomes(execRole(account, region), ofStack.flatMap(callsFor), region);
    expect(refused).toEqual([]);
    expect(allowed.length).toBeGreaterThan(20);
  });

  it('fits one managed policy, and grants no iam:* nor anything on "*" but reads', () => {
    for (const id of [plan.central.account, ...plan.accounts.map((a) => a.id)]) {
      const doc = executionPolicy(plan, id);
      expect(policyChars(doc)).toBeLessThanOrEqual(6144);
      for (const s of doc.Statement) {
        expect([s.Action].flat()).not.toContain('iam:*');
        if (s.Resource === '*') expect([s.Action].flat().every((a) => /:(Describe|Get|List)/.test(String(a)))).toBe(true);
      }
    }
  });

  it('refuses what a deployment of iam-roster never does', async () => {
    const dev = plan.accounts.find((a) => a.prefix === 'dev')!;
    const iam = (r: string) => `arn:aws:iam::${dev.id}:${r}`;
    const member = execRole(dev.id, dev.region);
    const { allowed } = await outcomes(member, [
      { label: 'CreateRole without the tag', action: 'iam:CreateRole', resource: iam('role/backdoor') },
      { label: 'AttachRolePolicy to an untagged role', action: 'iam:AttachRolePolicy', resource: iam('role/OrganizationAccountAccessRole'), context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      { label: 'UpdateAssumeRolePolicy of the CDK execution role', action: 'iam:UpdateAssumeRolePolicy', resource: iam(`role/cdk-hnb659fds-cfn-exec-role-${dev.id}-${dev.region}`) },
      { label: 'attach a customer policy that is not iam-roster\'s', action: 'iam:AttachRolePolicy', resource: iam('role/PowerUser'), context: { ...TAG, 'iam:PolicyARN': iam('policy/HandMade') } },
      { label: 'set a boundary other than iam-roster\'s', action: 'iam:PutRolePermissionsBoundary', resource: iam('role/PowerUser'), context: { ...TAG, 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      { label: 'CreateUser in a member account', action: 'iam:CreateUser', resource: iam('user/backdoor'), context: NEW_TAG },
      { label: 'CreateAccessKey', action: 'iam:CreateAccessKey', resource: iam('user/anyone') },
      { label: 'CreatePolicyVersion of a policy that is not iam-roster\'s', action: 'iam:CreatePolicyVersion', resource: iam('policy/HandMade') },
      { label: 'PassRole an untagged role to EC2', action: 'iam:PassRole', resource: iam('role/AppAdmin'), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      { label: 'UpdateFunctionCode of another function', action: 'lambda:UpdateFunctionCode', resource: `arn:aws:lambda:${dev.region}:${dev.id}:function:payments` },
      { label: 'read another bucket', action: 's3:GetObject', resource: 'arn:aws:s3:::prod-data/x' },
      { label: 'ec2:RunInstances', action: 'ec2:RunInstances', resource: `arn:aws:ec2:${dev.region}:${dev.id}:instance/*` },
    ], dev.region);
    expect(allowed).toEqual([]);
    const central = execRole(plan.central.account, plan.central.region);
    const c = (r: string) => `arn:aws:iam::${plan.central.account}:${r}`;
    const centralAbuse = await outcomes(central, [
      { label: 'AttachUserPolicy AdministratorAccess', action: 'iam:AttachUserPolicy', resource: c('user/alice@example.com'), context: { ...TAG, 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      { label: 'AttachGroupPolicy AdministratorAccess', action: 'iam:AttachGroupPolicy', resource: c('group/admins'), context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      { label: 'CreateAccessKey for a user', action: 'iam:CreateAccessKey', resource: c('user/alice@example.com') },
      { label: 'CreateLoginProfile for a user', action: 'iam:CreateLoginProfile', resource: c('user/alice@example.com') },
      { label: 'CreateUser without the tag', action: 'iam:CreateUser', resource: c('user/backdoor') },
    ], plan.central.region);
    expect(centralAbuse.allowed).toEqual([]);
  });
});
