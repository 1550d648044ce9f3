// The sweep's machinery on small inputs, so its verdicts can be trusted: the allow-list judge
// reports unlisted findings, stale entries and TODO reasons; the organization hook puts SCPs and
// RCPs into the simulation.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judge, judgeChains, loadAllowList } from '../support/allow-list.js';
import { fromPolicies } from '../support/org-policies.js';
import type { SweptPrincipal } from '../support/sweep-principals.js';
import { simulate, type Finding } from '../support/sweep.js';

const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

function principal(over: Partial<SweptPrincipal> = {}): SweptPrincipal {
  const account = '444444444401';
  return {
    id: 'acme/dev/FullAdministrator', config: 'acme', variant: 'shipped', account, accountPrefix: 'dev', region: 'us-east-1', role: 'FullAdministrator',
    boundary: false, guardrails: true, mfa: true, session: 'alice@example.com', principalTags: {},
    principal: { arn: `arn:aws:sts::${account}:assumed-role/FullAdministrator/alice@example.com`, account, principalArn: `arn:aws:iam::${account}:role/FullAdministrator`, identity: [{ name: 'admin', policy: ADMIN }] },
    facts: { account, prefix: 'dev', region: 'us-east-1', centralAccount: '111111111111', protectedNamePatterns: ['prod-*'], rosterRoles: ['FullAdministrator'], instanceProfiles: [], rosterPolicies: [], users: [], groups: [], trust: new Map() },
    scps: [], rcps: [],
    ...over,
  };
}

function listFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sweep-list-')), 'list.yaml');
  writeFileSync(file, yaml);
  return file;
}

const finding = (action: string, target: string, p = principal()): Finding => ({ principal: p, action, target });

describe('the allow-list judge', () => {
  const yaml = [
    'allowed:',
    '  - roles: [FullAdministrator]',
    '    boundary: false',
    '    actions: ["iam:*"]',
    '    targets: ["ordinary:*"]',
    '    reason: administers IAM',
    '  - roles: [PowerUser]',
    '    actions: ["s3:*"]',
    '    targets: ["ordinary:bucket"]',
    '    reason: stale on purpose',
    'gaps:',
    '  - roles: ["*"]',
    '    actions: ["lambda:InvokeAsync"]',
    '    targets: ["protected:handler"]',
    '    gap: true',
    '    issue: "17.8"',
    '    reason: not denied yet',
    '  - chains: ["*:shadow-admin:*"]',
    '    gap: true',
    '    issue: "17.2"',
    '    reason: shadow principals',
  ].join('\n');

  it('matches findings by role, principal facts, action glob and target glob; reports unlisted and stale entries', () => {
    const list = loadAllowList(listFile(yaml));
    expect(list.problems).toEqual([]);
    const v = judge(list, [
      finding('iam:CreateRole', 'ordinary:role'),
      finding('iam:CreateRole', 'ordinary:role', principal({ boundary: true })), // boundary: false does not match
      finding('lambda:InvokeAsync', 'protected:handler'),
      finding('iam:CreateRole', 'protected:roster-role'),
    ]);
    expect(v.unlisted.map((f) => `${f.action} ${f.target} boundary=${f.principal.boundary}`)).toEqual(['iam:CreateRole ordinary:role boundary=true', 'iam:CreateRole protected:roster-role boundary=false']);
    expect(v.stale.map((e) => `${e.section}[${e.index}]`)).toEqual(['allowed[1]']);
  });

  it('refuses TODO or missing reasons and gaps without an issue class', () => {
    const list = loadAllowList(listFile('allowed:\n  - roles: [X]\n    actions: ["*"]\n    targets: ["*"]\n    reason: TODO\ngaps:\n  - roles: [X]\n    actions: ["*"]\n    targets: ["*"]\n    reason: open\n'));
    expect(list.problems).toEqual([
      'allowed[0] (X *): reason is TODO; decide and write why',
      'gaps[0]: a gap needs gap: true and issue: <the issue class>',
    ]);
  });

  it('chains: a successful chain no entry names is unlisted; an entry no chain matches is stale', () => {
    const list = loadAllowList(listFile(yaml));
    expect(judgeChains(list, ['acme/dev/FullAdministrator:outside-door'])).toEqual({ unlisted: ['acme/dev/FullAdministrator:outside-door'], stale: list.chains });
    expect(judgeChains(list, ['acme/dev/FullAdministrator:shadow-admin:guardduty:DeleteDetector'])).toEqual({ unlisted: [], stale: [] });
  });
});

describe('organization policies in the simulation', () => {
  const role = { label: 'ordinary:role', arn: 'arn:aws:iam::444444444401:role/escape', context: {} };

  it('without an organization layer an administrator creates a role; an SCP on its account denies it; an SCP elsewhere does not', async () => {
    expect(await simulate(principal(), 'iam:CreateRole', role)).toBe('Allowed');
    const scp = { name: 'deny-create-role', type: 'SERVICE_CONTROL_POLICY' as const, document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:CreateRole', Resource: '*' }] } };
    const here = fromPolicies([{ ...scp, targets: ['444444444401'] }]);
    expect(await simulate(principal({ scps: here.scpsFor('444444444401') }), 'iam:CreateRole', role)).toBe('ExplicitlyDenied');
    const elsewhere = fromPolicies([{ ...scp, targets: ['555555555501'] }]);
    expect(await simulate(principal({ scps: elsewhere.scpsFor('444444444401') }), 'iam:CreateRole', role)).toBe('Allowed');
  });

  it('an RCP that accepts only the organization denies an outside principal assuming a role whose trust lets it in', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }] };
    const outsider = principal({ account: '999999999999', principal: { arn: 'arn:aws:sts::999999999999:assumed-role/x/y', account: '999999999999', principalArn: 'arn:aws:iam::999999999999:role/x', identity: [{ name: 'admin', policy: ADMIN }] } });
    const target = { label: 'ordinary:role', arn: 'arn:aws:iam::444444444401:role/vendor', context: { 'aws:PrincipalOrgID': 'o-other' }, resourcePolicy: trust, resourceAccount: '444444444401' };
    expect(await simulate(outsider, 'sts:AssumeRole', target)).toBe('Allowed');
    const rcp = fromPolicies([{
      name: 'org-only', type: 'RESOURCE_CONTROL_POLICY', targets: ['444444444401'],
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-example' }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } } }] },
    }]);
    expect(await simulate({ ...outsider, rcps: rcp.rcpsFor('444444444401') }, 'sts:AssumeRole', target)).toBe('ExplicitlyDenied');
  });
});
