import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { accessMatrix } from '../../lib/plan/access.js';
import { toConfigIssue, type PlanIssue } from '../../lib/plan/issues.js';
import { buildPlan } from '../../lib/plan/plan.js';
import { checkQuotas } from '../../lib/plan/quotas.js';
import { policyChars } from '../../lib/plan/policy-size.js';
import { baseFiles, configOf, planOf } from '../helpers.js';

/** A role file as a generated config carries it. */
function roleFile(role: Record<string, unknown>): string {
  return stringify({ description: `Test role ${role.name}`, enabled: true, ...role });
}

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
        Action: 'sts:AssumeRole',
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
    files['accounts/dev.yaml'] = files['accounts/dev.yaml'].replace('eu-west-1', 'us-gov-east-1');
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

  it('allows sts:TagSession only for roles with session tags, only those keys, valued from the caller\'s user tags', () => {
    const files = baseFiles();
    files['roles/Ssm.yaml'] = roleFile({ name: 'Ssm', trust: { sessionTags: { SSMSessionRunAs: 'ec2_username' } }, statements: [{ Effect: 'Allow', Action: 'ssm:StartSession', Resource: '*' }], justification: { wildcards: 'Sessions to any instance the tag allows.' } });
    files['users.yaml'] = files['users.yaml'].replace('      ReadOnly: [prod]', '      ReadOnly: [prod]\n      Ssm: [dev]').replace('    email: bob@example.com', '    email: bob@example.com\n    tags: {ec2_username: bob}');
    const policy = planOf(files).assumePolicies.find((p) => p.name === 'DevAssumeSsm')!;
    expect(policy.document.Statement.map((s) => s.Action)).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(policy.document.Statement[1].Condition).toEqual({
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['SSMSessionRunAs'] },
      StringEquals: { 'aws:RequestTag/SSMSessionRunAs': '${aws:PrincipalTag/ec2_username}' },
    });
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

describe('users with direct role grants', () => {
  it('get the shared assume policies attached to the user, and show as direct in the access matrix', () => {
    const files = baseFiles();
    files['users.yaml'] += '  carol:\n    roles:\n      ReadOnly: [prod]\n      PowerUser: [dev]\n';
    const plan = planOf(files);
    const carol = plan.users.find((u) => u.name === 'carol')!;
    expect(carol.groups).toEqual([]);
    expect(carol.directPolicyNames).toEqual(['DevAssumePowerUser', 'ProdAssumeReadOnly']);
    expect(accessMatrix(plan).filter((e) => e.user === 'carol').map((e) => `${e.account} ${e.role} direct=${e.direct} groups=${e.groups}`)).toEqual([
      'dev PowerUser direct=true groups=', 'prod ReadOnly direct=true groups=',
    ]);
  });

  it('pack direct grants into the user\'s own policies when they would pass IAM\'s 10 policies per user', () => {
    const files = baseFiles();
    const types = Array.from({ length: 6 }, (_, i) => `t${i}`);
    types.forEach((t, i) => (files[`accounts/${t}.yaml`] = `id: "90000000000${i}"\nalias: acme-${t}\ntype: ${t}\n`));
    files['users.yaml'] += `  carol:\n    roles:\n      ReadOnly: [${types}]\n      Auditor: [${types}]\n`;
    const carol = planOf(files).users.find((u) => u.name === 'carol')!;
    expect(carol.directPolicyNames).toEqual(['carol-assume-1']);
    expect(carol.packedPolicies[0].document.Statement).toHaveLength(12);
  });
});

describe('member account roles', () => {
  it('follow the role files\' defaults, overridden by account toggles', () => {
    const config = configOf(baseFiles());
    const plan = planOf(baseFiles());
    const roles = (prefix: string) => plan.accounts.find((a) => a.prefix === prefix)!.roles.map((r) => r.name);
    const defaults = config.roles.filter((r) => r.enabled).map((r) => r.name).sort();
    expect(roles('prod')).toEqual(defaults);
    expect(roles('dev')).toEqual([...defaults, 'KMSAdministrator'].sort());
  });

  it('trust only IAM users of the central account, with MFA, under their own name as session name and source identity', () => {
    const role = planOf(baseFiles()).accounts[0].roles[0];
    expect(role.trustPolicy.Statement).toEqual([{
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
    }]);
  });

  it('with security.requireSourceIdentity, trust only sessions with the user\'s name as source identity too', () => {
    const files = baseFiles();
    files['users.yaml'] = files['users.yaml'].replace('  region: us-east-1\n', '  region: us-east-1\nsecurity:\n  requireSourceIdentity: true\n');
    const role = planOf(files).accounts[0].roles[0];
    expect(role.trustPolicy.Statement[0].Condition!.StringEquals).toEqual({ 'sts:RoleSessionName': '${aws:username}', 'sts:SourceIdentity': '${aws:username}' });
    expect(planOf(baseFiles()).accounts[0].roles[0].trustPolicy.Statement[0].Condition!.StringEquals).toEqual({ 'sts:RoleSessionName': '${aws:username}' });
  });

  it('trust extra accounts only with MFA or an ExternalId, and principals as declared', () => {
    const files = baseFiles();
    files['roles/ExternalAudit.yaml'] = roleFile({
      name: 'ExternalAudit', awsManagedPolicies: ['SecurityAudit'], justification: { awsManagedPolicies: 'The auditors read security configuration.' },
      trust: { accounts: [{ id: '999999999999', mfa: true }, { id: '888888888888', externalId: 'acme-audit' }], principals: [{ arn: 'arn:aws:iam::777777777777:role/Scanner', externalId: 'scan-1' }] },
    });
    const role = planOf(files).accounts[0].roles.find((r) => r.name === 'ExternalAudit')!;
    expect(role.trustPolicy.Statement.slice(2)).toEqual([
      { Sid: 'TrustExtra1', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
      { Sid: 'TrustExtra2', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::888888888888:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'acme-audit' } } },
      { Sid: 'TrustExtra3', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::777777777777:role/Scanner' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'scan-1' } } },
    ]);
  });

  it('carry their own statements, their policy files and the account\'s extra policies, with {partition}, {account} and {region} filled in', () => {
    const files = baseFiles();
    files['policies/logos-write.json'] = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'WriteLogos', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:{partition}:s3:::logos-{account}-{region}/*' }] });
    files['policies/common.yaml'] = 'Version: "2012-10-17"\nStatement:\n  - Sid: Common\n    Effect: Allow\n    Action: logs:FilterLogEvents\n    Resource: "*"\n';
    files['roles/Web.yaml'] = roleFile({ name: 'Web', policies: ['common'], statements: [{ Sid: 'Own', Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' }], justification: { wildcards: 'Describe calls have no resource-level permissions.' } });
    files['accounts/dev.yaml'] += '  Web:\n    enabled: true\n    extraPolicies: [logos-write]\n';
    const plan = planOf(files);
    const statements = (prefix: string) => plan.accounts.find((a) => a.prefix === prefix)!.roles.find((r) => r.name === 'Web')!.policies.flatMap((p) => p.document.Statement);
    expect(statements('dev').map((s) => [s.Sid, s.Resource])).toEqual([['Own', '*'], ['Common', '*'], ['WriteLogos', 'arn:aws:s3:::logos-333333333333-eu-west-1/*']]);
    expect(statements('prod').map((s) => s.Sid)).toEqual(['Own', 'Common']);
  });

  it('split a large role policy into several managed policies, each under the limit', () => {
    const files = baseFiles();
    files['roles/Huge.yaml'] = roleFile({
      name: 'Huge', awsManagedPolicies: ['ReadOnlyAccess'], justification: { awsManagedPolicies: 'Test role for packing.', wildcards: 'Test role for packing.' },
      statements: Array.from({ length: 8 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: Array.from({ length: 60 }, (_, j) => `ec2:DescribeSomething${i}x${j}`), Resource: 'arn:{partition}:ec2:*:{account}:*' })),
    });
    const role = planOf(files).accounts[0].roles.find((r) => r.name === 'Huge')!;
    expect(role.policies.length).toBeGreaterThan(1);
    expect(role.policies.map((p) => p.name)).toEqual(role.policies.map((_, i) => `IamRoster-Huge-${i + 1}`));
    for (const p of role.policies) expect(policyChars(p.document)).toBeLessThanOrEqual(6144);
    expect(role.policies[0].document.Statement[0].Resource).toBe('arn:aws:ec2:*:333333333333:*');
  });

  it('report a role that would need more than 10 managed policies, at the role file', () => {
    const files = baseFiles();
    const managed = ['ReadOnlyAccess', 'SecurityAudit', 'AmazonS3ReadOnlyAccess', 'AmazonEC2ReadOnlyAccess', 'CloudWatchReadOnlyAccess', 'AmazonRDSReadOnlyAccess', 'AmazonDynamoDBReadOnlyAccess', 'AWSLambda_ReadOnlyAccess', 'AmazonSQSReadOnlyAccess', 'AmazonSNSReadOnlyAccess'];
    files['roles/Greedy.yaml'] = roleFile({ name: 'Greedy', awsManagedPolicies: managed, justification: { awsManagedPolicies: 'Test role for the quota.', wildcards: 'Test role for the quota.' }, statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const { plan, issues } = buildPlan(configOf(files));
    expect(plan).toBeUndefined();
    expect(issues.map((i) => `${i.file}:${i.line}:${i.col}: ${i.message}`)).toEqual([
      "roles/Greedy.yaml:1:1: role Greedy needs 16 managed policies in dev (10 AWS managed, 1 of its own, 5 of iam-roster's); IAM allows 10 per role",
      "roles/Greedy.yaml:1:1: role Greedy needs 16 managed policies in prod (10 AWS managed, 1 of its own, 5 of iam-roster's); IAM allows 10 per role",
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

describe('revoked sessions, central side', () => {
  it('a revoked user gets one inline deny for their own sessions issued before the time; others none', () => {
    const files = baseFiles();
    files['users.yaml'] += 'revokeSessions:\n  bob: "2026-11-22T10:00:00Z"\n';
    const plan = planOf(files);
    expect(plan.users.map((u) => [u.name, u.revocationPolicy?.name])).toEqual([['alice@example.com', undefined], ['bob', 'IamRosterRevokedSessions']]);
    expect(plan.users[1].revocationPolicy!.document.Statement).toEqual([{
      Sid: 'RevokeSessionsIssuedBefore', Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-22T10:00:00Z' } },
    }]);
  });

  it('the inline policy size is checked against IAM\'s 2,048 characters per user, reported at the revokeSessions entry', () => {
    const files = baseFiles();
    files['users.yaml'] += 'revokeSessions:\n  bob: "2026-11-22T10:00:00Z"\n';
    const config = configOf(files);
    const plan = planOf(files);
    const issues: PlanIssue[] = [];
    const bob = plan.users[1];
    const padded = { ...bob, revocationPolicy: { ...bob.revocationPolicy!, document: { ...bob.revocationPolicy!.document, Statement: [{ ...bob.revocationPolicy!.document.Statement[0], Sid: 'X'.repeat(2000) }] } } };
    expect(policyChars(padded.revocationPolicy.document)).toBeGreaterThan(2048);
    checkQuotas({ ...plan, users: [plan.users[0], padded] }, issues);
    expect(issues.map((i) => toConfigIssue(config, i)).map((i) => `${i.file}:${i.line}:${i.col}: ${i.message}`)).toEqual([
      `users.yaml:18:3: the inline policies of user 'bob' would be ${policyChars(padded.revocationPolicy.document)} characters; IAM allows 2048 per user`,
    ]);
    const none: PlanIssue[] = [];
    checkQuotas(plan, none);
    expect(none).toEqual([]);
  });
});

describe('the pipeline\'s account: approvals by pipeline.approvers only', () => {
  const withPipeline = (approvers: string) => {
    const files = baseFiles();
    files['users.yaml'] += [
      'pipeline:',
      '  account: "222222222222"',
      '  region: us-east-1',
      '  connectionArn: arn:aws:codeconnections:us-east-1:222222222222:connection/abc',
      '  repository: acme/roster',
      '  waveOrder: [dev, prod]',
      '  manualApproval: [prod]',
      `  approvers: ${approvers}`,
      '',
    ].join('\n');
    return files;
  };
  const statement = (plan: ReturnType<typeof planOf>, prefix: string, sid: string) =>
    plan.accounts.find((a) => a.prefix === prefix)!.sharedPolicies.filter((p) => p.name.startsWith('IamRosterProtection')).flatMap((p) => p.document.Statement).find((s) => s.Sid === sid);

  it('denies approvals to every role but the approvers, and the pipeline\'s resources to all, in the pipeline\'s account only', () => {
    const plan = planOf(withPipeline('[FullAdministrator]'));
    expect(statement(plan, 'prod', 'OnlyApproversApprove')).toEqual({
      Sid: 'OnlyApproversApprove', Effect: 'Deny', Action: 'codepipeline:PutApprovalResult', Resource: 'arn:aws:codepipeline:*:222222222222:iam-roster/*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::222222222222:role/FullAdministrator'] } },
    });
    expect(statement(plan, 'prod', 'ProtectThePipeline')?.Resource).toEqual([
      'arn:aws:codepipeline:*:222222222222:iam-roster', 'arn:aws:codepipeline:*:222222222222:iam-roster/*',
      'arn:aws:codebuild:*:222222222222:project/Pipeline*', 'arn:aws:codebuild:*:222222222222:project/iam-roster-*',
    ]);
    expect(statement(plan, 'dev', 'ProtectThePipeline')).toBeUndefined();
    expect(statement(plan, 'dev', 'OnlyApproversApprove')).toBeUndefined();
  });

  it('without approvers, no role iam-roster creates approves', () => {
    expect(statement(planOf(withPipeline('[]')), 'prod', 'OnlyApproversApprove')).toEqual({
      Sid: 'OnlyApproversApprove', Effect: 'Deny', Action: 'codepipeline:PutApprovalResult', Resource: 'arn:aws:codepipeline:*:222222222222:iam-roster/*',
    });
  });

  it('an approver that is not a role of the pipeline\'s account is an error at its place, with the roles there as hint', () => {
    const files = withPipeline('[FullAdministrator, ReleaseManager]');
    const { issues } = buildPlan(configOf(files));
    const lines = files['users.yaml'].split('\n');
    const line = lines.findIndex((l) => l.startsWith('  approvers:')) + 1;
    expect(issues.map((i) => ({ file: i.file, line: i.line, col: i.col, severity: i.severity, message: i.message }))).toEqual([
      { file: 'users.yaml', line, col: lines[line - 1].indexOf('ReleaseManager') + 1, severity: 'error', message: "approver 'ReleaseManager' is not a role of prod (222222222222), the pipeline's account" },
    ]);
    expect(issues[0].hint).toMatch(/^name a role iam-roster creates in prod: .*FullAdministrator.*ReadOnly/);
  });

  it('approvers where iam-roster manages no roles of the pipeline\'s account is an error: nothing would enforce them', () => {
    const files = withPipeline('[FullAdministrator]');
    files['users.yaml'] = files['users.yaml'].replace('  account: "222222222222"\n  region: us-east-1\n  connectionArn: arn:aws:codeconnections:us-east-1:222222222222', '  account: "555555555555"\n  region: us-east-1\n  connectionArn: arn:aws:codeconnections:us-east-1:555555555555');
    const { issues } = buildPlan(configOf(files));
    expect(issues.map((i) => `${i.file}:${i.line} ${i.severity}: ${i.message}`)).toEqual([
      `users.yaml:${files['users.yaml'].split('\n').findIndex((l) => l.startsWith('  approvers:')) + 1} error: pipeline.approvers cannot be enforced: iam-roster manages no roles in the pipeline's account 555555555555`,
    ]);
  });
});
