import { describe, expect, it } from 'vitest';
import { accessMatrix } from '../../lib/plan/access.js';
import { buildPlan } from '../../lib/plan/plan.js';
import { policyChars } from '../../lib/plan/policy-size.js';
import { roleCatalog, type RoleDefinition } from '../../lib/roles/index.js';
import { baseFiles, configOf, planOf } from '../helpers.js';

describe('assume policies', () => {
  it('creates one <Type>Assume<Role> policy per granted (type, role), reaching every account of the type with the role', () => {
    const plan = planOf(baseFiles());
    expect(plan.assumePolicies.map((p) => p.name)).toEqual(['DevAssumeFullAdministrator', 'DevAssumePowerUser', 'ProdAssumeFullAdministrator', 'ProdAssumeReadOnly']);
    const prodAdmin = plan.assumePolicies.find((p) => p.name === 'ProdAssumeFullAdministrator')!;
    expect(prodAdmin.arn).toBe('arn:aws:iam::111111111111:policy/ProdAssumeFullAdministrator');
    expect(prodAdmin.document).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'AssumeFullAdministratorInProd',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: ['arn:aws:iam::222222222222:role/FullAdministrator'],
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'sts:RoleSessionName': '${aws:username}' } },
      }],
    });
  });

  it('leaves out accounts where the role is turned off', () => {
    const files = baseFiles();
    files['accounts/prod2.yaml'] = 'id: "444444444444"\nalias: acme-prod2\ntype: prod\nroles:\n  FullAdministrator: false\n';
    files['accounts/prod3.yaml'] = 'id: "155555555555"\nalias: acme-prod3\ntype: prod\n';
    const policy = planOf(files).assumePolicies.find((p) => p.name === 'ProdAssumeFullAdministrator')!;
    expect(policy.accountIds).toEqual(['155555555555', '222222222222']);
  });

  it('uses the partition of the central region', () => {
    const files = baseFiles();
    files['users.yaml'] = files['users.yaml'].replace('us-east-1', 'us-gov-west-1');
    const plan = planOf(files);
    expect(plan.partition).toBe('aws-us-gov');
    expect(plan.assumePolicies[0].document.Statement[0].Resource).toEqual(['arn:aws-us-gov:iam::333333333333:role/FullAdministrator']);
  });

  it('splits a type with too many accounts for one policy into <Type>Assume<Role>2, … under 6,144 characters', () => {
    const files = baseFiles();
    for (let i = 0; i < 200; i++) {
      files[`accounts/p${i}.yaml`] = `id: "${String(500000000000 + i)}"\nalias: acme-p${i}\ntype: prod\n`;
    }
    const policies = planOf(files).assumePolicies.filter((p) => p.accountType === 'prod' && p.role === 'ReadOnly');
    expect(policies.map((p) => p.name)).toEqual(['ProdAssumeReadOnly', 'ProdAssumeReadOnly2']);
    for (const p of policies) expect(policyChars(p.document)).toBeLessThanOrEqual(6144);
    expect(policies.flatMap((p) => p.accountIds)).toHaveLength(201);
  });
});

describe('groups', () => {
  it('attach their shared assume policies when they need at most 10', () => {
    const plan = planOf(baseFiles());
    expect(plan.groups.map((g) => [g.name, g.policyNames])).toEqual([
      ['admins', ['DevAssumeFullAdministrator', 'ProdAssumeFullAdministrator']],
      ['devs', ['DevAssumePowerUser', 'ProdAssumeReadOnly']],
    ]);
  });

  it('pack their statements into group policies when they would need more than 10', () => {
    const files = baseFiles();
    const types = Array.from({ length: 6 }, (_, i) => `t${i}`);
    types.forEach((t, i) => (files[`accounts/${t}.yaml`] = `id: "90000000000${i}"\nalias: acme-${t}\ntype: ${t}\n`));
    files['users.yaml'] = files['users.yaml'].replace('      FullAdministrator: [prod, dev]', `      FullAdministrator: [${types}]\n      ReadOnly: [${types}]`);
    const admins = planOf(files).groups.find((g) => g.name === 'admins')!;
    expect(admins.policyNames).toEqual(['admins-assume-1']);
    const statements = admins.packedPolicies[0].document.Statement;
    expect(statements).toHaveLength(12);
    expect(statements.map((s) => s.Sid)).toContain('AssumeReadOnlyInT5');
  });
});

describe('member account roles', () => {
  it('follow the catalog defaults, overridden by account toggles', () => {
    const plan = planOf(baseFiles());
    const roles = (prefix: string) => plan.accounts.find((a) => a.prefix === prefix)!.roles.map((r) => r.name);
    const defaults = roleCatalog.filter((r) => r.enabled).map((r) => r.name).sort();
    expect(roles('prod')).toEqual(defaults);
    expect(roles('dev')).toEqual([...defaults, 'KMSAdministrator'].sort());
  });

  it('trust only the central account root, with MFA', () => {
    const role = planOf(baseFiles()).accounts[0].roles[0];
    expect(role.trustPolicy.Statement).toEqual([{
      Sid: 'TrustCentralAccountWithMFA',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    }]);
  });

  it('split a large catalog policy into several managed policies, each under the limit', () => {
    const huge: RoleDefinition = {
      name: 'Huge', description: 'test', enabled: true, justification: {}, awsManagedPolicies: ['ReadOnlyAccess'],
      statements: Array.from({ length: 8 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow' as const, Action: Array.from({ length: 60 }, (_, j) => `ec2:DescribeSomething${i}x${j}`), Resource: `arn:{partition}:ec2:*:{account}:*` })),
    };
    const catalog = [...roleCatalog, huge];
    const role = planOf(baseFiles(), catalog).accounts[0].roles.find((r) => r.name === 'Huge')!;
    expect(role.policies.length).toBeGreaterThan(1);
    expect(role.policies.map((p) => p.name)).toEqual(role.policies.map((_, i) => `HugePolicy${i + 1}`));
    for (const p of role.policies) expect(policyChars(p.document)).toBeLessThanOrEqual(6144);
    expect(role.policies[0].document.Statement[0].Resource).toBe('arn:aws:ec2:*:333333333333:*');
  });

  it('report a role that would need more than 10 managed policies at the account file', () => {
    const greedy: RoleDefinition = { name: 'Greedy', description: 'test', enabled: true, justification: {}, awsManagedPolicies: Array.from({ length: 11 }, (_, i) => `P${i}`), statements: [] };
    const { plan, issues } = buildPlan(configOf(baseFiles(), [...roleCatalog, greedy]), [...roleCatalog, greedy]);
    expect(plan).toBeUndefined();
    expect(issues.map((i) => `${i.file}:${i.line}:${i.col}: ${i.message}`)).toEqual([
      'accounts/dev.yaml:1:1: role Greedy needs 12 managed policies; IAM allows 10 per role',
      'accounts/prod.yaml:1:1: role Greedy needs 12 managed policies; IAM allows 10 per role',
    ]);
  });
});

describe('access matrix', () => {
  it('reads user -> group -> policy -> role ARN -> existing role from the planned policies', () => {
    const rows = accessMatrix(planOf(baseFiles())).map((e) => `${e.user} ${e.account} ${e.role} via ${e.groups.join(',')} ${e.policies.join(',')}`);
    expect(rows).toEqual([
      'alice@example.com dev FullAdministrator via admins DevAssumeFullAdministrator',
      'alice@example.com prod FullAdministrator via admins ProdAssumeFullAdministrator',
      'bob dev PowerUser via devs DevAssumePowerUser',
      'bob prod ReadOnly via devs ProdAssumeReadOnly',
    ]);
  });
});

describe('the role catalog', () => {
  it('has the required roles with their defaults, and names IAM accepts', () => {
    const defaults = Object.fromEntries(roleCatalog.map((r) => [r.name, r.enabled]));
    expect(defaults).toEqual({
      Auditor: true, BillingReadOnly: true, FullAdministrator: true, KMSAdministrator: false, PowerUser: true, ReadOnly: true, SupportEngineer: false,
    });
    for (const role of roleCatalog) {
      expect(role.name).toMatch(/^[A-Za-z0-9+=,.@_-]{1,64}$/);
      expect(role.description.length).toBeGreaterThan(10);
    }
  });

  it('reports a catalog role whose name is over 64 characters', () => {
    const long: RoleDefinition = { name: 'R'.repeat(65), description: 'test', enabled: true, justification: {}, awsManagedPolicies: [], statements: [] };
    const catalog = [...roleCatalog, long];
    const { issues } = buildPlan(configOf(baseFiles(), catalog), catalog);
    expect(issues.map((i) => `${i.file}:${i.line}:${i.col}: ${i.message}`)).toEqual([
      `accounts/dev.yaml:1:1: role name ${long.name} is longer than 64 characters`,
      `accounts/prod.yaml:1:1: role name ${long.name} is longer than 64 characters`,
    ]);
  });
});
