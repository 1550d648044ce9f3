// Planning what a real organisation's roles need (issue 23): existing customer managed policies
// (counted, explained, diffed as unreviewed), the organisation's deny statements (packed into the
// guardrails and the boundary, fitted within 6,144 characters), {roleId} and {accountAlias}, and
// roles nobody signs into.
import { describe, expect, it } from 'vitest';
import { IAM_LIMITS } from '../../lib/config/limits.js';
import { explainAccess } from '../../lib/plan/explain.js';
import { accessMatrix } from '../../lib/plan/access.js';
import { buildPlan } from '../../lib/plan/plan.js';
import { policyChars } from '../../lib/plan/policy-size.js';
import type { AccountPlan, RosterPlan } from '../../lib/plan/types.js';
import { formatIssue } from '../../lib/config/errors.js';
import { TEST_NOW, baseFiles, configOf, diffOf, planOf } from '../helpers.js';

type Files = Record<string, string>;

const account = (plan: RosterPlan, prefix: string): AccountPlan => plan.accounts.find((a) => a.prefix === prefix)!;
const role = (plan: RosterPlan, prefix: string, name: string) => account(plan, prefix).roles.find((r) => r.name === name)!;
const planErrors = (files: Files) => buildPlan(configOf(files)).issues.filter((i) => i.severity === 'error').map((i) => formatIssue({ ...i, hint: '' }));

function changes(base: Files, edit: (f: Files) => void) {
  const after = { ...base };
  edit(after);
  return diffOf(base, after);
}

const denyDoc = (sid: string, action: string, extra: object = {}) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Deny', Action: action, Resource: '*', ...extra }] });

/** Base files with security.guardrails `yaml` (indented under guardrails:). */
function withGuardrails(yaml: string, files = baseFiles()): Files {
  files['users.yaml'] = files['users.yaml'].replace('groups:\n', `security:\n  guardrails:\n${yaml}groups:\n`);
  return files;
}

describe('existing customer managed policies', () => {
  const files = baseFiles();
  files['roles/ReadOnly.yaml'] += 'customerManagedPolicies: [DNSSecDisablePrevent]\n';
  files['accounts/prod.yaml'] += 'roles:\n  ReadOnly:\n    customerManagedPolicies: [/security/ProdGuard]\n';
  const plan = planOf(files);

  it('are attached by ARN in each account where the role is, the account file adding its own', () => {
    expect(role(plan, 'prod', 'ReadOnly').customerManagedPolicyArns).toEqual(['arn:aws:iam::222222222222:policy/DNSSecDisablePrevent', 'arn:aws:iam::222222222222:policy/security/ProdGuard']);
    expect(role(plan, 'dev', 'ReadOnly').customerManagedPolicyArns).toEqual(['arn:aws:iam::333333333333:policy/DNSSecDisablePrevent']);
    expect(role(plan, 'dev', 'PowerUser').customerManagedPolicyArns).toEqual([]);
  });

  it('may not name one policy under two paths (role file and account file)', () => {
    const twice = baseFiles();
    twice['roles/ReadOnly.yaml'] += 'customerManagedPolicies: [Guard]\n';
    twice['accounts/prod.yaml'] += 'roles:\n  ReadOnly:\n    customerManagedPolicies: [/sec/Guard]\n';
    expect(planErrors(twice)).toEqual(["accounts/prod.yaml:6:30: error: ReadOnly in prod attaches 'Guard' and 'sec/Guard', one policy name under two paths"]);
  });

  it('count in the 10 managed policies of a role', () => {
    const many = baseFiles();
    many['roles/ReadOnly.yaml'] += `customerManagedPolicies: [${Array.from({ length: 9 }, (_, i) => `Existing${i + 1}`).join(', ')}]\n`;
    const issue = buildPlan(configOf(many)).issues.find((i) => i.message.startsWith('role ReadOnly needs'))!;
    const shared = role(plan, 'prod', 'ReadOnly').sharedPolicyNames.length;
    expect(issue.message).toBe(`role ReadOnly needs ${1 + 9 + shared} managed policies in dev (1 AWS managed, 9 existing customer managed, 0 of its own, ${shared} of iam-roster's); IAM allows ${IAM_LIMITS.managedPoliciesPerRole} per role`);
    expect(`${issue.file}:${issue.line}`).toBe('roles/ReadOnly.yaml:2'); // the role file (its name: line)
  });

  it('are shown by explain, said to be unreviewed', () => {
    const config = configOf(files);
    const readOnly = config.roles.find((r) => r.name === 'ReadOnly')!;
    const lines = explainAccess(config, plan, 'bob', account(plan, 'prod'), readOnly, TEST_NOW).lines;
    expect(lines[0]).toMatch(/^ALLOWED/);
    expect(lines.filter((l) => l.includes('DNSSecDisablePrevent') || l.includes('not reviewed')).map((l) => l.trim())).toEqual([
      'also    DNSSecDisablePrevent, security/ProdGuard',
      'existing customer managed policies of the account, attached by name: content not reviewed by iam-roster',
    ]);
  });

  it('are a growth in the diff when attached (high: content not reviewed), a shrink when detached', () => {
    const attached = changes(baseFiles(), (f) => { f['roles/ReadOnly.yaml'] += 'customerManagedPolicies: [DNSSecDisablePrevent]\n'; });
    expect(attached.map((c) => [c.direction, c.risk, c.why, c.cause, c.detail])).toEqual([[
      'grew', 'high', 'an existing customer managed policy attached: content not reviewed by iam-roster', 'role `ReadOnly` in 2 accounts (dev, prod)',
      ['+ existing customer managed policy DNSSecDisablePrevent attached (content not reviewed by iam-roster)'],
    ]]);
    const detached = changes(files, (f) => { f['accounts/prod.yaml'] = baseFiles()['accounts/prod.yaml']; });
    expect(detached.map((c) => [c.direction, c.cause, c.detail])).toEqual([['shrank', 'role `ReadOnly` in `prod`', ['- existing customer managed policy security/ProdGuard detached (content not reviewed by iam-roster)']]]);
  });
});

describe("the organisation's deny statements", () => {
  const base = () => {
    const files = withGuardrails('    denyStatements: [dnssec]\n');
    files['policies/dnssec.json'] = denyDoc('NoDnssecOff', 'route53:DisableHostedZoneDNSSEC');
    files['policies/alias-keys.json'] = denyDoc('', 'kms:ScheduleKeyDeletion', { Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/{accountAlias}-*' } } }).replace('"Sid":"",', '');
    return files;
  };

  it('go once into the account guardrails, after iam-roster\'s own, under Org Sids, filled in per account', () => {
    const files = base();
    files['accounts/prod.yaml'] += 'guardrails:\n  denyStatements: [alias-keys]\n';
    const plan = planOf(files);
    const orgStatements = (prefix: string) => account(plan, prefix).sharedPolicies.filter((p) => p.name.startsWith('IamRosterGuardrails')).flatMap((p) => p.document.Statement).filter((s) => s.Sid!.startsWith('Org'));
    expect(orgStatements('prod')).toEqual([
      { Sid: 'OrgNoDnssecOff', Effect: 'Deny', Action: 'route53:DisableHostedZoneDNSSEC', Resource: '*' },
      { Sid: 'OrgAliasKeys1', Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/acme-prod-*' } } },
    ]);
    expect(orgStatements('dev').map((s) => s.Sid)).toEqual(['OrgNoDnssecOff']);
    // every role carries them: the guardrail policies are attached to each
    for (const r of account(plan, 'prod').roles) expect(r.sharedPolicyNames).toContain('IamRosterGuardrails');
  });

  it('are left out with the guardrails (guardrails: false)', () => {
    const files = base();
    files['accounts/dev.yaml'] += 'guardrails: false\n';
    expect(account(planOf(files), 'dev').sharedPolicies.flatMap((p) => p.document.Statement).filter((s) => s.Sid!.startsWith('Org'))).toEqual([]);
  });

  it('go into the permissions boundary too, where it is on', () => {
    const files = withGuardrails('    permissionsBoundary: true\n    denyStatements: [dnssec]\n');
    files['policies/dnssec.json'] = denyDoc('NoDnssecOff', 'route53:DisableHostedZoneDNSSEC');
    const boundary = account(planOf(files), 'prod').sharedPolicies.find((p) => p.name === 'IamRosterBoundary')!;
    expect(boundary.document.Statement.filter((s) => s.Sid!.startsWith('Org'))).toEqual([{ Sid: 'OrgNoDnssecOff', Effect: 'Deny', Action: 'route53:DisableHostedZoneDNSSEC', Resource: '*' }]);
    expect(policyChars(boundary.document)).toBeLessThanOrEqual(IAM_LIMITS.managedPolicyChars);
  });

  it('that do not fit in the boundary are an error at the entry naming them, with the room computed', () => {
    const files = withGuardrails('    permissionsBoundary: true\n    denyStatements: [dnssec, wide]\n');
    files['policies/dnssec.json'] = denyDoc('NoDnssecOff', 'route53:DisableHostedZoneDNSSEC');
    files['policies/wide.json'] = JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 6 }, (_, i) => ({ Sid: `Big${i}`, Effect: 'Deny', Action: Array.from({ length: 20 }, (_, k) => `ec2:DeleteSomething${k}`), Resource: '*' })) });
    const withoutBig = withGuardrails('    permissionsBoundary: true\n    denyStatements: [dnssec]\n');
    withoutBig['policies/dnssec.json'] = files['policies/dnssec.json'];
    const fitting = planOf(withoutBig);
    const left = (prefix: string) => IAM_LIMITS.managedPolicyChars - policyChars(account(fitting, prefix).sharedPolicies.find((p) => p.name === 'IamRosterBoundary')!.document);
    // one error per account with the boundary, at the entry `wide` of users.yaml (line 7, column 30)
    expect(planErrors(files)).toEqual(['dev', 'prod'].map((prefix) => expect.stringMatching(new RegExp(`^users\\.yaml:7:30: error: the deny statements of wide need \\d+ characters in the permissions boundary of ${prefix}, which has ${left(prefix)} left of 6144 \\(iam-roster's own part takes \\d+\\)$`))));
    // the guardrails (no single-policy limit) still take them; the boundary administrators get by
    // default (not asked for) keeps iam-roster's own part, with a warning
    const again = withGuardrails('    denyStatements: [dnssec, wide]\n');
    Object.assign(again, { 'policies/dnssec.json': files['policies/dnssec.json'], 'policies/wide.json': files['policies/wide.json'] });
    expect(planErrors(again)).toEqual([]);
    expect(buildPlan(configOf(again)).issues.filter((i) => i.severity === 'warning').map((i) => i.message)).toEqual(['dev', 'prod'].map((prefix) => expect.stringMatching(new RegExp(`^the deny statements of wide need \\d+ characters in the permissions boundary of ${prefix}`))));
  });

  it('are packed in name order: reordering the YAML list changes nothing', () => {
    const two = (list: string) => {
      const files = withGuardrails(`    denyStatements: ${list}\n`);
      files['policies/dnssec.json'] = denyDoc('NoDnssecOff', 'route53:DisableHostedZoneDNSSEC');
      files['policies/rds.json'] = denyDoc('NoRdsDelete', 'rds:DeleteDBCluster');
      return account(planOf(files), 'prod').sharedPolicies.map((p) => JSON.stringify(p.document));
    };
    expect(two('[rds, dnssec]')).toEqual(two('[dnssec, rds]'));
    expect(two('[rds, dnssec]').join()).toContain('"Sid":"OrgNoDnssecOff"');
  });

  it('removed or loosened are a growth in the diff, like iam-roster\'s own guardrails', () => {
    const removed = changes(base(), (f) => { f['users.yaml'] = f['users.yaml'].replace('denyStatements: [dnssec]', 'denyStatements: []'); });
    expect(removed.map((c) => [c.direction, c.risk, c.cause, c.detail])).toEqual([
      ['grew', 'high', '`IamRosterBoundary` in 2 accounts (dev, prod)', ['+ no longer denies route53:DisableHostedZoneDNSSEC on *']],
      ['grew', 'high', '`IamRosterGuardrails` in 2 accounts (dev, prod)', ['+ no longer denies route53:DisableHostedZoneDNSSEC on *']],
    ]);
    const loosened = changes(base(), (f) => { f['policies/dnssec.json'] = denyDoc('NoDnssecOff', 'route53:DisableHostedZoneDNSSEC', { Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } }); });
    // in the guardrails and in the boundary FullAdministrator carries by default
    const loosenedLine = '+ Deny route53:DisableHostedZoneDNSSEC on * when StringEquals aws:RequestedRegion=["us-east-1"] (conditions changed)';
    expect(loosened.map((c) => [c.direction, c.detail])).toEqual([['grew', [loosenedLine]], ['grew', [loosenedLine]]]);
    const without = base();
    without['users.yaml'] = without['users.yaml'].replace('denyStatements: [dnssec]', 'denyStatements: []');
    const added = changes(without, (f) => { f['users.yaml'] = base()['users.yaml']; });
    expect(added.map((c) => c.direction)).toEqual(['shrank', 'shrank']);
  });
});

describe('{roleId} and {accountAlias}', () => {
  const files = baseFiles();
  files['roles/ReadOnly.yaml'] += [
    'statements:',
    '  - Sid: OwnDbUser',
    '    Effect: Allow',
    '    Action: redshift:GetClusterCredentials',
    '    Resource: "arn:{partition}:redshift:{region}:{account}:dbuser:{accountAlias}/*"',
    '    Condition:',
    '      StringEqualsIgnoreCase: {aws:userid: "{roleId}:${redshift:DbUser}"}',
    '',
  ].join('\n');
  // A wildcard resource needs its reason recorded (cdk-nag AwsSolutions-IAM5, checked by validate).
  files['roles/ReadOnly.yaml'] = files['roles/ReadOnly.yaml'].replace(/justification:\n  awsManagedPolicies: (.*)\n/, 'justification:\n  awsManagedPolicies: $1\n  wildcards: Database users are matched by the session\'s own role ID; the cluster is the account\'s.\n');
  const plan = planOf(files);

  it('{accountAlias} is filled in per account; {roleId} stays for CloudFormation, and the policy is marked to attach from its side', () => {
    const [policy] = role(plan, 'prod', 'ReadOnly').policies;
    expect(policy.refersToRoleId).toBe(true);
    expect(policy.document.Statement).toEqual([{
      Sid: 'OwnDbUser', Effect: 'Allow', Action: 'redshift:GetClusterCredentials', Resource: 'arn:aws:redshift:us-east-1:222222222222:dbuser:acme-prod/*',
      Condition: { StringEqualsIgnoreCase: { 'aws:userid': '{roleId}:${redshift:DbUser}' } },
    }]);
    expect(role(plan, 'dev', 'ReadOnly').policies[0].document.Statement[0].Resource).toBe('arn:aws:redshift:eu-west-1:333333333333:dbuser:acme-dev/*');
    expect(role(plan, 'prod', 'PowerUser').policies.every((p) => p.refersToRoleId === undefined)).toBe(true);
  });
});

describe('people: false', () => {
  const files = baseFiles();
  files['roles/AutoDeploy.yaml'] = 'name: AutoDeploy\ndescription: CI deploys\nenabled: true\npeople: false\ntrust:\n  principals:\n    - arn: arn:aws:iam::999999999999:role/CI\n';
  files['users.yaml'] = files['users.yaml'].replace('users:\n', 'revokeSessions:\n  bob: 2026-11-21T23:00:00Z\nusers:\n');
  const plan = planOf(files);

  it('trusts only its extras: no central users, no session tags', () => {
    expect(role(plan, 'prod', 'AutoDeploy').trustPolicy.Statement).toEqual([{ Sid: 'TrustExtra1', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:role/CI' }, Action: 'sts:AssumeRole' }]);
    expect(role(plan, 'prod', 'ReadOnly').trustPolicy.Statement[0].Sid).toBe('TrustCentralUsersWithMFA');
  });

  it('has no assume policy, no access entry, and no revocation policy of people\'s sessions', () => {
    expect(plan.assumePolicies.filter((p) => p.role === 'AutoDeploy')).toEqual([]);
    expect(accessMatrix(plan).filter((e) => e.role === 'AutoDeploy')).toEqual([]);
    expect(role(plan, 'prod', 'ReadOnly').sharedPolicyNames).toContain('IamRosterSessions');
    expect(role(plan, 'prod', 'AutoDeploy').sharedPolicyNames).not.toContain('IamRosterSessions');
    expect(role(plan, 'prod', 'AutoDeploy').sharedPolicyNames).toContain('IamRosterGuardrails');
  });

  it('explain says nobody signs into it, and where', () => {
    const config = configOf(files);
    const lines = explainAccess(config, plan, 'alice@example.com', account(plan, 'prod'), config.roles.find((r) => r.name === 'AutoDeploy')!, TEST_NOW).lines;
    expect(lines).toEqual([
      'DENIED: alice@example.com may not assume AutoDeploy in prod (acme-prod, 222222222222, type prod)',
      '',
      '  - nobody signs into AutoDeploy (people: false at roles/AutoDeploy.yaml:4:1): only the principals under its trust may assume it',
    ]);
  });
});
