// Deploys an account stack with issue 23's features into moto (an AWS API emulator): a policy
// naming the role's own ID ({roleId}) is created after the role, holds the role's real unique ID
// and is attached to it; an existing customer managed policy is attached by ARN; everything is
// deleted again without a dependency left behind.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { buildPlan } from '../../lib/plan/plan.js';
import { Deployer } from '../support/cfn-driver.js';
import { motoForFile } from '../support/moto.js';
import { baseFiles, configOf } from '../helpers.js';

const files = baseFiles();
files['roles/DataUser.yaml'] = [
  'name: DataUser', 'description: Query the warehouse', 'enabled: true',
  'customerManagedPolicies: [DNSSecDisablePrevent]',
  'statements:',
  '  - Sid: OwnDbUser', '    Effect: Allow', '    Action: redshift:GetClusterCredentials', '    Resource: "arn:{partition}:redshift:{region}:{account}:dbuser:*/*"',
  '    Condition:', '      StringEqualsIgnoreCase: {aws:userid: "{roleId}:${redshift:DbUser}"}',
  // a wildcard resource needs its reason recorded (cdk-nag AwsSolutions-IAM5, checked by validate)
  'justification:', '  wildcards: "Database users of every cluster, matched to the session by the role\'s own ID"', '',
].join('\n');

const moto = motoForFile();

describe('deploying {roleId} and an existing customer managed policy (moto)', () => {
  it('creates the policy after the role, with its real ID, attached to it; and deletes both', async () => {
    const { plan, issues } = buildPlan(configOf(files));
    if (!plan) throw new Error(issues.map((i) => i.message).join('\n'));
    const outdir = mkdtempSync(join(tmpdir(), 'roster-deploy-org-'));
    const app = newApp({ outdir });
    renderApp(plan, app);
    app.synth();
    const deployer = new Deployer(moto());
    const { iam } = deployer.clients('222222222222', 'us-east-1');
    // The policy that exists in the account already, created outside iam-roster.
    await iam.createPolicy({ PolicyName: 'DNSSecDisablePrevent', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'route53:DisableHostedZoneDNSSEC', Resource: '*' }] }) });
    await deployer.deploy(outdir, 'Account-prod');

    const { Role: role } = await iam.getRole({ RoleName: 'DataUser' });
    expect(role!.RoleId).toMatch(/^AROA/);
    const attached = ((await iam.listAttachedRolePolicies({ RoleName: 'DataUser' })).AttachedPolicies ?? []).map((p) => p.PolicyName).sort();
    expect(attached).toEqual(['DNSSecDisablePrevent', 'IamRoster-DataUser-1', ...plan.accounts.find((a) => a.prefix === 'prod')!.roles.find((r) => r.name === 'DataUser')!.sharedPolicyNames].sort());
    const arn = 'arn:aws:iam::222222222222:policy/IamRoster-DataUser-1';
    const { Policy: policy } = await iam.getPolicy({ PolicyArn: arn });
    const version = await iam.getPolicyVersion({ PolicyArn: arn, VersionId: policy!.DefaultVersionId! });
    const document = JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!));
    expect(document.Statement[0].Condition).toEqual({ StringEqualsIgnoreCase: { 'aws:userid': `${role!.RoleId}:\${redshift:DbUser}` } });

    await deployer.destroy(outdir, 'Account-prod');
    const roles = ((await iam.listRoles({})).Roles ?? []).map((r) => r.RoleName).filter((r) => !/^iam-roster-/.test(r!));
    expect(roles).toEqual([]);
    expect(((await iam.listPolicies({ Scope: 'Local' })).Policies ?? []).map((p) => p.PolicyName)).toEqual(['DNSSecDisablePrevent']);
  }, 170_000);
});
