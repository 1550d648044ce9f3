import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { renderApp } from '../../lib/app.js';
import { ORGANIZATIONS_LIMITS } from '../../lib/config/limits.js';
import { buildPlan } from '../../lib/plan/plan.js';
import { policyJson } from '../../lib/plan/policy-size.js';
import { baseFiles, configOf, issueLines, planOf } from '../helpers.js';

const ORG_SECTION = ['organization:', '  id: o-a1b2c3d4e5', '  policyAccount: "999999999999"', ''].join('\n');

function withOrganization(section = ORG_SECTION, files = baseFiles()): Record<string, string> {
  return { ...files, 'users.yaml': `${files['users.yaml']}${section}` };
}

describe('organization: config', () => {
  it('positions every mistake at its line, all at once', () => {
    const section = [
      'organization:',
      '  id: o-BAD',
      '  policyAccount: "99999"',
      '  targets:',
      '    prd: [ou-ab12-prod1234]',
      '    dev: [not-an-ou]',
      '  deploymentPrincipals: [arn:aws:iam::111111111111:user/me]',
      '',
    ].join('\n');
    expect(issueLines(withOrganization(section))).toEqual([
      'users.yaml:18:7: error: \'organization.id\': "o-BAD" is not the organization ID (o-...)',
      'users.yaml:19:18: error: \'organization.policyAccount\': "99999" is not a 12-digit AWS account ID in quotes, e.g. "123456789012"',
      "users.yaml:21:5: error: account type 'prd' has no accounts",
      'users.yaml:22:11: error: \'organization.targets.dev.0\': "not-an-ou" is not an OU ID (ou-xxxx-xxxxxxxx) or a 12-digit account ID',
      'users.yaml:23:26: error: \'organization.deploymentPrincipals.0\': "arn:aws:iam::111111111111:user/me" is not a role ARN pattern, e.g. arn:aws:iam::*:role/Deployer',
    ]);
  });

  it('is optional: without it there is no organization plan and no OrganizationStack', () => {
    const plan = planOf(baseFiles());
    expect(plan.organization).toBeUndefined();
    expect(renderApp(plan).organization).toBeUndefined();
  });
});

describe('organization: plan', () => {
  const plan = planOf(withOrganization());
  const org = plan.organization!;
  const scps = org.policies.filter((p) => p.type === 'SERVICE_CONTROL_POLICY');

  it('every SCP and RCP fits Organizations\' 5,120 characters', () => {
    for (const p of org.policies) expect(policyJson(p.document).length, p.name).toBeLessThanOrEqual(ORGANIZATIONS_LIMITS.scpChars);
  });

  it('binds every account, the central one included, with at most 4 SCPs of iam-roster besides FullAWSAccess', () => {
    for (const id of ['111111111111', '222222222222', '333333333333']) {
      const attached = scps.filter((p) => p.targets.includes(id));
      expect(attached.length, id).toBeGreaterThan(0);
      expect(attached.length, id).toBeLessThanOrEqual(ORGANIZATIONS_LIMITS.scpsPerTarget - 1);
      expect(org.scpsByAccount[id]).toEqual(attached.map((p) => p.name).sort());
    }
    const rcp = org.policies.find((p) => p.type === 'RESOURCE_CONTROL_POLICY')!;
    expect(rcp.targets).toEqual(['111111111111', '222222222222', '333333333333']);
  });

  it('the central account gets the protection of its users and groups; member accounts get no-IAM-users instead', () => {
    const statements = (id: string) => scps.filter((p) => p.targets.includes(id)).flatMap((p) => p.document.Statement);
    const sids = (id: string) => statements(id).map((s) => s.Sid);
    expect(sids('111111111111')).toContain('OnlyTheDeploymentChangesPeople');
    expect(statements('222222222222').find((s) => s.Sid === 'OnlyTheDeploymentOpensDoors')!.Action).toContain('iam:CreateUser');
    expect(statements('111111111111').find((s) => s.Sid === 'OnlyTheDeploymentOpensDoors')!.Action).not.toContain('iam:CreateUser');
    expect(sids('222222222222')).toContain('DenyOutsideAllowedRegions');
  });

  it('attaches to the OUs a type names, and refuses an account whose guardrails differ inside such an OU', () => {
    const targeted = planOf(withOrganization(`${ORG_SECTION.trimEnd()}\n  targets:\n    prod: [ou-ab12-prod1234]\n`));
    expect(targeted.organization!.policies.filter((p) => p.name.startsWith('iam-roster-type-prod-')).every((p) => p.targets.join() === 'ou-ab12-prod1234')).toBe(true);
    const files = withOrganization(`${ORG_SECTION.trimEnd()}\n  targets:\n    prod: [ou-ab12-prod1234]\n`);
    files['accounts/prod-eu.yaml'] = 'id: "222222222223"\nalias: acme-prod-eu\ntype: prod\nguardrails: false\n';
    const { issues } = buildPlan(configOf(files));
    expect(issues.filter((i) => i.severity === 'error').map((i) => `${i.file}:${i.line}: ${i.message}`)).toEqual([
      "accounts/prod-eu.yaml:4: prod-eu's guardrails differ from the other prod accounts', but organization.targets attaches the prod policies to OUs: the account would get both",
    ]);
  });

  it('an account whose guardrails differ from its type\'s gets its own policies, attached to it alone', () => {
    const files = withOrganization();
    files['accounts/prod-eu.yaml'] = 'id: "222222222223"\nalias: acme-prod-eu\ntype: prod\nguardrails: false\n';
    const own = planOf(files).organization!.policies.filter((p) => p.name.startsWith('iam-roster-account-prod-eu-'));
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((p) => p.targets.join() === '222222222223')).toBe(true);
  });

  it('refuses more SCPs than the targets have room for, at the config entry, with a hint', () => {
    const { issues } = buildPlan(configOf(withOrganization(`${ORG_SECTION.trimEnd()}\n  policySlotsInUse: 3\n`)));
    const errors = issues.filter((i) => i.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e.message).toMatch(/need \d SCPs \(\d+ characters\); a target has room for 1 besides FullAWSAccess and the 3 already in use/);
      expect(e.hint).toMatch(/free SCP slots/);
    }
  });

  it('warns that SCPs do not bind the management account when users or roles live there', () => {
    const { issues } = buildPlan(configOf(withOrganization(ORG_SECTION.replace('999999999999', '111111111111'))));
    expect(issues.map((i) => i.message)).toContain("organization.policyAccount 111111111111 is the central account: if it is the organization's management account, no SCP or RCP binds it");
  });

  it('the RCP lets in the outside accounts role files trust, and those declared, nobody else', () => {
    const files = withOrganization(`${ORG_SECTION.trimEnd()}\n  trustedAccounts: ["777777777777"]\n`);
    const rcp = planOf(files).organization!.policies.find((p) => p.type === 'RESOURCE_CONTROL_POLICY')!;
    expect(rcp.document.Statement[0].Condition).toEqual({
      StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'aws:PrincipalAccount': ['777777777777'] },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    });
    const off = planOf(withOrganization(`${ORG_SECTION.trimEnd()}\n  resourcePerimeter: false\n`));
    expect(off.organization!.policies.some((p) => p.type === 'RESOURCE_CONTROL_POLICY')).toBe(false);
  });
});

describe('OrganizationStack', () => {
  it('renders each planned policy as AWS::Organizations::Policy in the policy account, with its targets', () => {
    const plan = planOf(withOrganization());
    const stack = renderApp(plan).organization!;
    expect(stack.account).toBe('999999999999');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Organizations::Policy', plan.organization!.policies.length);
    for (const p of plan.organization!.policies) {
      template.hasResource('AWS::Organizations::Policy', { Properties: { Name: p.name, Type: p.type, TargetIds: [...p.targets], Content: p.document } });
    }
  });

  it('is byte-identical when users.yaml lists groups and users in another order', () => {
    const files = withOrganization();
    const reordered = { ...files, 'users.yaml': files['users.yaml'].replace(/users:\n([\s\S]*?)\norganization:/, (_, body: string) => {
      const entries = body.split(/\n(?=  \S)/);
      return `users:\n${entries.reverse().join('\n')}\norganization:`;
    }) };
    expect(reordered['users.yaml']).not.toBe(files['users.yaml']);
    const json = (f: Record<string, string>) => JSON.stringify(Template.fromStack(renderApp(planOf(f)).organization!).toJSON());
    expect(json(reordered)).toBe(json(files));
  });
});

describe('the permissions boundary without organization guardrails', () => {
  it('bounds the roles that can write IAM or do everything by default, and none by default with organization guardrails', () => {
    const bounded = (files: Record<string, string>) => planOf(files).accounts.flatMap((a) => a.roles.filter((r) => r.boundaryPolicyName).map((r) => `${a.prefix}/${r.name}`)).sort();
    expect(bounded(baseFiles())).toEqual(['dev/FullAdministrator', 'prod/FullAdministrator']);
    expect(bounded(withOrganization())).toEqual([]);
  });

  it('an opt-out needs a written reason where no organization guardrails bind administrators', () => {
    const files = baseFiles();
    files['accounts/prod.yaml'] += 'guardrails:\n  permissionsBoundary: false\n';
    expect(issueLines(files)).toEqual(['accounts/prod.yaml:5:24: error: permissionsBoundary: false leaves administrators free to create roles without it, and no organization guardrails bind them']);
    files['accounts/prod.yaml'] += '  permissionsBoundaryOptOut: "vendor tooling creates its own roles"\n';
    expect(issueLines(files)).toEqual([]);
    expect(planOf(files).accounts.find((a) => a.prefix === 'prod')!.roles.every((r) => !r.boundaryPolicyName)).toBe(true);
    const global = baseFiles();
    global['users.yaml'] += 'security:\n  guardrails:\n    permissionsBoundary: false\n';
    expect(issueLines(global)).toEqual([`users.yaml:${global['users.yaml'].split('\n').length - 1}:26: error: permissionsBoundary: false leaves administrators free to create roles without it, and no organization guardrails bind them`]);
    expect(issueLines(withOrganization(ORG_SECTION, global))).toEqual([]);
  });
});

describe('organization guardrails at the size of a large organisation', () => {
  it('5,000 users and 300 accounts: every account bound within Organizations\' quotas, with the session cut-offs of every time-bound user', async () => {
    const { LARGE, syntheticFiles } = await import('../../bench/synthetic.js');
    const files = syntheticFiles(LARGE);
    const plan = planOf({ ...files, 'users.yaml': `${files['users.yaml']}\n${ORG_SECTION}` });
    const org = plan.organization!;
    const accounts = plan.accounts.map((a) => a.id);
    expect(accounts.length).toBe(300);
    for (const id of accounts) {
      const scps = org.scpsByAccount[id] ?? [];
      expect(scps.length, id).toBeGreaterThan(0);
      expect(scps.length, id).toBeLessThanOrEqual(ORGANIZATIONS_LIMITS.scpsPerTarget - 1);
    }
    for (const p of org.policies) expect(policyJson(p.document).length, p.name).toBeLessThanOrEqual(ORGANIZATIONS_LIMITS.scpChars);
    expect(org.policies.length).toBeLessThan(ORGANIZATIONS_LIMITS.policiesPerType);
  });
});
