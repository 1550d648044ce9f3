// Deploys every stack of a fixture organisation into moto (an AWS API emulator), then checks the
// IAM state in every account equals the plan; applies a change (one user added, one removed)
// through change sets and checks only those users changed; deletes everything and checks nothing
// is left. Custom resources run the project's own handler code against moto's IAM; the moto gaps
// worked around are listed in test/support/cfn-driver.ts.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import type { PolicyDocument } from '../../lib/config/iam-policy.js';
import { buildPlan } from '../../lib/plan/plan.js';
import type { RosterPlan } from '../../lib/plan/types.js';
import { Deployer } from '../support/cfn-driver.js';
import { startMoto, type AwsClients, type MotoServer } from '../support/moto.js';
import { baseFiles, configOf } from '../helpers.js';

type Files = Record<string, string>;

const ONBOARDING = 'arn:aws:iam::111111111111:role/Onboarding';

/** The organisation deployed: central, prod (with the permissions boundary) and dev (another region, a service role with an instance profile), a console user, time-bound access. */
function fixture(): Files {
  const files = baseFiles();
  files['users.yaml'] = files['users.yaml']
    .replace('  alice@example.com: [admins]\n', [
      '  alice@example.com: [admins]',
      '  carol:',
      '    groups: [devs]',
      '    console: true',
      '  dave:',
      '    groups:',
      '      - devs',
      '      - group: admins',
      '        expires: 2027-01-31',
      '  erin:',
      '    groups: [devs]',
      '    expires: 2027-06-30',
      '',
    ].join('\n'))
    + `security:\n  onboardingPrincipal: ${ONBOARDING}\n  memberAccountPasswordPolicy: true\n`;
  files['accounts/prod.yaml'] += 'guardrails:\n  permissionsBoundary: true\n';
  files['accounts/dev.yaml'] += [
    'serviceRoles:',
    '  AppServer:',
    '    service: ec2.amazonaws.com',
    '    awsManagedPolicies: [AmazonSSMManagedInstanceCore]',
    '    instanceProfile: true',
    '',
  ].join('\n');
  return files;
}

/** The same organisation a commit later: dave leaves, frank joins. */
function changed(): Files {
  const files = fixture();
  files['users.yaml'] = files['users.yaml'].replace('  dave:\n    groups:\n      - devs\n      - group: admins\n        expires: 2027-01-31\n', '  frank: [admins]\n');
  return files;
}

function synth(files: Files): { plan: RosterPlan; outdir: string } {
  const { plan, issues } = buildPlan(configOf(files));
  if (!plan) throw new Error(issues.map((i) => i.message).join('\n'));
  const outdir = mkdtempSync(join(tmpdir(), 'roster-deploy-'));
  const app = newApp({ outdir });
  renderApp(plan, app);
  app.synth();
  return { plan, outdir };
}

const stackNames = (plan: RosterPlan) => [plan.central.stackName, ...plan.accounts.map((a) => a.stackName)];

const decode = (document: string | undefined): PolicyDocument => JSON.parse(decodeURIComponent(document ?? '{}'));

/** Everything IAM holds in one account, as the deploy test compares it. */
async function iamState({ iam }: AwsClients) {
  const users = new Map<string, { id: string; groups: string[]; policies: string[]; tags: Record<string, string> }>();
  for (const u of (await iam.listUsers({})).Users ?? []) {
    const UserName = u.UserName!;
    users.set(UserName, {
      id: u.UserId!,
      groups: ((await iam.listGroupsForUser({ UserName })).Groups ?? []).map((g) => g.GroupName!).sort(),
      policies: ((await iam.listAttachedUserPolicies({ UserName })).AttachedPolicies ?? []).map((p) => p.PolicyArn!).sort(),
      tags: Object.fromEntries(((await iam.listUserTags({ UserName })).Tags ?? []).map((t) => [t.Key!, t.Value!])),
    });
  }
  const groups = new Map<string, string[]>();
  for (const g of (await iam.listGroups({})).Groups ?? []) {
    groups.set(g.GroupName!, ((await iam.listAttachedGroupPolicies({ GroupName: g.GroupName! })).AttachedPolicies ?? []).map((p) => p.PolicyArn!).sort());
  }
  const policies = new Map<string, PolicyDocument>();
  for (const p of (await iam.listPolicies({ Scope: 'Local' })).Policies ?? []) {
    const version = await iam.getPolicyVersion({ PolicyArn: p.Arn!, VersionId: p.DefaultVersionId! });
    policies.set(p.PolicyName!, decode(version.PolicyVersion?.Document));
  }
  const roles = new Map<string, { trust: PolicyDocument; policies: string[]; boundary?: string; maxSession?: number }>();
  for (const r of (await iam.listRoles({})).Roles ?? []) {
    const { Role: role } = await iam.getRole({ RoleName: r.RoleName! });
    roles.set(r.RoleName!, {
      trust: decode(role!.AssumeRolePolicyDocument),
      policies: ((await iam.listAttachedRolePolicies({ RoleName: r.RoleName! })).AttachedPolicies ?? []).map((p) => p.PolicyArn!).sort(),
      boundary: role!.PermissionsBoundary?.PermissionsBoundaryArn,
      maxSession: role!.MaxSessionDuration,
    });
  }
  const instanceProfiles = ((await iam.listInstanceProfiles({})).InstanceProfiles ?? []).map((p) => [p.InstanceProfileName!, (p.Roles ?? []).map((r) => r.RoleName!)] as const);
  let passwordPolicy: unknown;
  try {
    passwordPolicy = (await iam.getAccountPasswordPolicy({})).PasswordPolicy;
  } catch {
    passwordPolicy = undefined;
  }
  return { users, groups, policies, roles, instanceProfiles: new Map(instanceProfiles), passwordPolicy };
}

const HANDLER_ROLE = /^iam-roster-/;

/** The IAM state of every account must be what the plan says, name for name and document for document. */
async function expectStateIsThePlan(deployer: Deployer, plan: RosterPlan) {
  const central = await iamState(deployer.clients(plan.central.account, plan.central.region));
  const policyArn = (name: string) => `arn:aws:iam::${plan.central.account}:policy/${name}`;
  expect([...central.users.keys()].sort()).toEqual(plan.users.map((u) => u.name).sort());
  for (const user of plan.users) {
    expect(central.users.get(user.name)).toMatchObject({
      groups: [...user.groups].sort(),
      policies: [plan.manageYourAccount.name, ...user.directPolicyNames, ...user.packedPolicies.map((p) => p.name), ...user.expiryPolicies.map((p) => p.name)].map(policyArn).sort(),
      tags: { ...user.tags, 'managed-by': 'iam-roster' },
    });
  }
  expect(Object.fromEntries(central.groups)).toEqual(Object.fromEntries(plan.groups.map((g) => [g.name, [...g.policyNames, ...g.packedPolicies.map((p) => p.name)].map(policyArn).sort()])));
  const centralPolicies = [plan.manageYourAccount, ...plan.assumePolicies, ...plan.groups.flatMap((g) => g.packedPolicies), ...plan.users.flatMap((u) => [...u.packedPolicies, ...u.expiryPolicies])];
  expect(Object.fromEntries(central.policies)).toEqual(Object.fromEntries(centralPolicies.map((p) => [p.name, p.document])));
  expect([...central.roles.keys()].filter((r) => !HANDLER_ROLE.test(r))).toEqual([]);
  expect(central.passwordPolicy).toMatchObject({ MinimumPasswordLength: plan.central.passwordPolicy.minimumLength });

  for (const account of plan.accounts) {
    const state = await iamState(deployer.clients(account.id, account.region));
    const shared = new Map(account.sharedPolicies.map((p) => [p.name, p]));
    expect([...state.users.keys()]).toEqual([]);
    expect([...state.roles.keys()].filter((r) => !HANDLER_ROLE.test(r)).sort()).toEqual(account.roles.map((r) => r.name).sort());
    for (const role of account.roles) {
      const arn = (name: string) => `arn:aws:iam::${account.id}:policy/${name}`;
      expect(state.roles.get(role.name), role.name).toEqual({
        trust: role.trustPolicy,
        policies: [...role.awsManagedPolicyArns, ...role.policies.map((p) => p.arn), ...role.sharedPolicyNames.map(arn)].sort(),
        boundary: role.boundaryPolicyName ? arn(role.boundaryPolicyName) : undefined,
        maxSession: role.maxSessionDuration,
      });
      if (role.instanceProfile) expect(state.instanceProfiles.get(role.name)).toEqual([role.name]);
    }
    const expected = [...shared.values(), ...account.roles.flatMap((r) => r.policies)];
    expect(Object.fromEntries(state.policies)).toEqual(Object.fromEntries(expected.map((p) => [p.name, p.document])));
    if (account.passwordPolicy) expect(state.passwordPolicy).toMatchObject({ MinimumPasswordLength: account.passwordPolicy.minimumLength });
  }
}

let moto: MotoServer;

/** A failure shows what moto said (its tracebacks name the unsupported call). */
async function withMotoLog(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const log = moto.log().split('\n').filter((l) => !/HTTP\/1\.1" 200/.test(l)).slice(-60).join('\n');
    (error as Error).message += `\n--- moto_server ---\n${log}`;
    throw error;
  }
}
beforeAll(async () => {
  moto = await startMoto();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});

describe('deploy into moto: every stack, a change through change sets, then delete', () => {
  it('creates what the plan says, changes only the users that change, and deletes everything', () => withMotoLog(async () => {
    const deployer = new Deployer(moto);
    const first = synth(fixture());
    const manifest = JSON.parse(readFileSync(join(first.outdir, 'manifest.json'), 'utf8'));
    // moto gap 4: termination protection is the manifest's, checked here rather than applied.
    expect(manifest.artifacts.CentralStack.properties.terminationProtection).toBe(true);

    for (const stack of stackNames(first.plan)) await deployer.deploy(first.outdir, stack);
    await expectStateIsThePlan(deployer, first.plan);

    const { iam, secrets } = deployer.clients('111111111111', 'us-east-1');
    // The console user's initial password: a login profile and a secret only the onboarding principal reads.
    // (moto drops CreateLoginProfile's PasswordResetRequired; test/lambda/console-access.test.ts checks the handler sets it)
    expect((await iam.getLoginProfile({ UserName: 'carol' })).LoginProfile?.UserName).toBe('carol');
    const secret = await secrets.getSecretValue({ SecretId: 'iam-roster/initial-password/carol' });
    expect(JSON.parse(secret.SecretString!)).toMatchObject({ username: 'carol' });
    expect(JSON.parse((await secrets.getResourcePolicy({ SecretId: 'iam-roster/initial-password/carol' })).ResourcePolicy!).Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Sid: 'OnboardingPrincipalReads', Effect: 'Allow', Principal: { AWS: ONBOARDING }, Action: expect.arrayContaining(['secretsmanager:GetSecretValue']) }),
        expect.objectContaining({ Sid: 'NobodyElseReads', Effect: 'Deny', Principal: '*', Action: 'secretsmanager:GetSecretValue', Condition: { StringNotEquals: { 'aws:PrincipalArn': ONBOARDING } } }),
      ]),
    );

    // dave has set himself up out of band: an access key, a virtual MFA device, a password.
    await iam.createAccessKey({ UserName: 'dave' });
    const mfa = await iam.createVirtualMFADevice({ VirtualMFADeviceName: 'dave' });
    await iam.enableMFADevice({ UserName: 'dave', SerialNumber: mfa.VirtualMFADevice!.SerialNumber!, AuthenticationCode1: '123456', AuthenticationCode2: '654321' });
    await iam.createLoginProfile({ UserName: 'dave', Password: 'Initial-Passw0rd!' });
    const before = await iamState(deployer.clients('111111111111', 'us-east-1'));

    const second = synth(changed());
    for (const stack of stackNames(second.plan)) await deployer.deploy(second.outdir, stack);
    await expectStateIsThePlan(deployer, second.plan);
    const after = await iamState(deployer.clients('111111111111', 'us-east-1'));
    expect([...after.users.keys()].filter((u) => !before.users.has(u))).toEqual(['frank']);
    expect([...before.users.keys()].filter((u) => !after.users.has(u))).toEqual(['dave']);
    for (const [name, user] of after.users) if (name !== 'frank') expect(user.id, `${name} kept its UserId`).toBe(before.users.get(name)!.id);
    // dave's clean-up ran before CloudFormation deleted him, and removed what it found.
    const cleanup = deployer.answers.find((a) => a.type === 'Custom::UserCleanup' && a.requestType === 'Delete');
    expect(cleanup).toMatchObject({ status: 'SUCCESS', data: { accessKeys: 1, mfaDevices: 1, loginProfile: 1, groups: 2, attachedPolicies: 2 } }); // ManageYourAccount and his expiry policy
    expect(cleanup!.physicalId).toBe('user-cleanup-dave');

    for (const stack of stackNames(second.plan).reverse()) await deployer.destroy(second.outdir, stack);
    for (const [account, region] of [['111111111111', 'us-east-1'], ...second.plan.accounts.map((a) => [a.id, a.region])]) {
      const left = await iamState(deployer.clients(account, region));
      expect({ account, users: [...left.users.keys()], groups: [...left.groups.keys()], roles: [...left.roles.keys()], policies: [...left.policies.keys()], passwordPolicy: left.passwordPolicy })
        .toEqual({ account, users: [], groups: [], roles: [], policies: [], passwordPolicy: undefined });
    }
    expect((await secrets.listSecrets({})).SecretList ?? []).toEqual([]);
  }), 170_000);
});
