// The examples shipped under examples/ validate, synthesize within every limit, and grant exactly
// what they declare (policy simulation over the synthesized templates).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../lib/app.js';
import { loadRoster } from '../lib/roster.js';
import { repoRoot, TEST_NOW } from './helpers.js';
import { fakeRoleId } from './support/assembly.js';
import { decide, memberAccounts, roleSession } from './support/member-model.js';
import { proveAccess, synthesize } from './support/prove.js';

const examples = ['small-team', 'login-gov-style'];

describe.each(examples)('examples/%s', (name) => {
  const dir = join(repoRoot, 'examples', name);

  it('validates without errors and grants exactly what it declares, through every simulated path', async () => {
    const { config, plan, issues } = loadRoster(dir, TEST_NOW);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(plan).toBeDefined();
    const { model } = synthesize(config!);
    const allowed = await proveAccess(config!, model);
    expect(allowed).toBeGreaterThan(3);
  });

  it('passes cdk-nag with every finding acknowledged', () => {
    const app = newApp({ outdir: mkdtempSync(join(tmpdir(), 'roster-nag-')) });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    renderApp(loadRoster(dir, TEST_NOW).plan!, app);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('examples/login-gov-style', () => {
  const dir = join(repoRoot, 'examples', 'login-gov-style');
  const { config } = loadRoster(dir, TEST_NOW);

  it('models login.gov: 16 roles, 6 account types in their spelling, ~20 groups, extra trust, session tags, a per-account policy', () => {
    expect(config!.roles).toHaveLength(16);
    expect(config!.accountTypes).toEqual(['DataWarehouseProd', 'DataWarehouseSandbox', 'Master', 'Prod', 'Sandbox', 'SecOps']);
    expect(config!.groups.length).toBeGreaterThanOrEqual(20);
    expect(config!.roles.find((r) => r.name === 'Auditor')!.trustExtras.map((t) => t.principal)).toEqual(['arn:aws:iam::340000000099:root']);
    expect(config!.roles.filter((r) => r.sessionTags.SSMSessionRunAs === 'ec2_username').length).toBeGreaterThan(0);
    expect(config!.accounts.find((a) => a.prefix === 'prod')!.roleSettings.PowerUser.extraPolicies).toEqual(['dashboard_logos_bucket_write']);
    expect(config!.security.passwordPolicy.minimumLength).toBe(32);
    expect(config!.accounts.find((a) => a.type === 'Master')!.id).toBe(config!.central.account); // users and roles in one account
  });
});

describe('examples/login-gov-style: what issue 23 added', () => {
  const dir = join(repoRoot, 'examples', 'login-gov-style');
  const { config, plan } = loadRoster(dir, TEST_NOW);
  const role = (prefix: string, name: string) => plan!.accounts.find((a) => a.prefix === prefix)!.roles.find((r) => r.name === name);

  it('attaches the existing DNSSecDisablePrevent by name in prod and sandbox', () => {
    expect(role('prod', 'FullAdministrator')!.customerManagedPolicyArns).toEqual(['arn:aws:iam::340000000002:policy/DNSSecDisablePrevent']);
    expect(role('prod', 'PowerUser')!.customerManagedPolicyArns).toEqual(['arn:aws:iam::340000000002:policy/DNSSecDisablePrevent']);
    expect(role('sandbox', 'FullAdministrator')!.customerManagedPolicyArns).toEqual(['arn:aws:iam::340000000004:policy/DNSSecDisablePrevent']);
    expect(role('dw-prod', 'FullAdministrator')!.customerManagedPolicyArns).toEqual([]);
  });

  it("puts the organisation's deny statements in every account's guardrails", () => {
    for (const account of plan!.accounts) {
      const sids = account.sharedPolicies.filter((p) => p.name.startsWith('IamRosterGuardrails')).flatMap((p) => p.document.Statement.map((s) => s.Sid));
      expect([account.prefix, sids.filter((s) => s!.startsWith('Org'))]).toEqual([account.prefix, ['OrgDNSSecDisablePrevent', 'OrgDNSSecKeyProtect', 'OrgRDSDeletionPrevention']]);
    }
  });

  it('has AutoTerraform, which nobody signs into, trusted by the tooling account\'s CI role only', () => {
    expect(config!.roles.find((r) => r.name === 'AutoTerraform')!.people).toBe(false);
    expect(role('prod', 'AutoTerraform')!.trustPolicy.Statement.map((s) => s.Principal)).toEqual([{ AWS: 'arn:aws:iam::340000000050:role/CodeBuildTerraformApply' }]);
    expect(plan!.assumePolicies.filter((p) => p.role === 'AutoTerraform')).toEqual([]);
  });

  it('gives DWUser and DWAdmin database credentials for their own database user only (simulated)', async () => {
    const { outdir } = synthesize(config!);
    const m = memberAccounts(outdir).get('dw-prod')!;
    for (const name of ['DWUser', 'DWAdmin']) {
      const session = roleSession(m, name, 'amelia.adams');
      const creds = (dbUser: string) => decide(session, {
        action: 'redshift:GetClusterCredentials', resource: `arn:aws:redshift:us-west-2:${m.account}:dbuser:warehouse/${dbUser}`,
        context: { 'redshift:DbUser': dbUser, 'aws:userid': `${fakeRoleId(name)}:amelia.adams` },
      }, 'us-west-2');
      expect([name, await creds('Amelia.Adams')]).toEqual([name, 'Allowed']);
      expect([name, await creds('ben.brooks')]).toEqual([name, name === 'DWAdmin' ? 'ExplicitlyDenied' : 'ImplicitlyDenied']);
    }
  });
});

describe('examples/small-team', () => {
  it('grants roles directly on users, in one account that is both central and member', () => {
    const { config, plan } = loadRoster(join(repoRoot, 'examples', 'small-team'), TEST_NOW);
    expect(config!.groups).toEqual([]);
    expect(plan!.users.map((u) => [u.name, u.directPolicyNames])).toEqual([
      ['alice', ['MainAssumeAdminRole']],
      ['bob', ['MainAssumeDataEngineerRole']],
      ['carol', ['MainAssumeDataEngineerRole', 'MainAssumeInfrastructureAdminRole']],
    ]);
    expect(plan!.accounts.map((a) => [a.prefix, a.isCentral, a.passwordPolicy])).toEqual([['main', true, undefined]]);
  });
});
