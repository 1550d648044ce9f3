import { describe, expect, it } from 'vitest';
import type { PolicyStatement } from '../../lib/config/iam-policy.js';
import { compareStatements } from '../../lib/plan/diff/statements.js';
import { baseFiles, diffOf } from '../helpers.js';

type Files = Record<string, string>;

/** Every change between `base` and `base` edited, as `direction risk cause` lines. */
function changes(edit: (f: Files) => void, base: Files = baseFiles()): string[] {
  const after = { ...base };
  edit(after);
  return diffOf(base, after).map((c) => `${c.direction} ${c.risk} ${c.cause.replace(/`/g, '')}`);
}

const users = (f: Files, from: string, to: string) => { f['users.yaml'] = f['users.yaml'].replace(from, to); };
const withSecurity = (yaml: string) => { const f = baseFiles(); f['users.yaml'] += yaml; return f; };

const allow = (Action: string | string[], Resource: string | string[] = '*', Condition?: PolicyStatement['Condition']): PolicyStatement => ({ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });
const deny = (Action: string | string[], Resource: string | string[] = '*', Condition?: PolicyStatement['Condition']): PolicyStatement => ({ Effect: 'Deny', Action, Resource, ...(Condition ? { Condition } : {}) });
const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
const region = { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } };

describe('statement rules', () => {
  it.each([
    ['an Allow action added', [allow('s3:GetObject')], [allow(['s3:GetObject', 's3:PutObject'])], { grew: ['allows s3:PutObject on *'], shrank: [] }],
    ['an Allow action removed', [allow(['s3:GetObject', 's3:PutObject'])], [allow('s3:GetObject')], { grew: [], shrank: ['no longer allows s3:PutObject on *'] }],
    ['an Allow resource added', [allow('s3:GetObject', 'arn:aws:s3:::a/*')], [allow('s3:GetObject', ['arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'])], { grew: ['allows s3:GetObject on arn:aws:s3:::b/*'], shrank: [] }],
    ['a Deny removed', [allow('*'), deny('iam:*')], [allow('*')], { grew: ['no longer denies iam:* on *'], shrank: [] }],
    ['a Deny added', [allow('*')], [allow('*'), deny('iam:*')], { grew: [], shrank: ['denies iam:* on *'] }],
    ['a condition removed from an Allow', [allow('s3:GetObject', '*', mfa)], [allow('s3:GetObject')], { grew: ['Allow s3:GetObject on * (conditions changed)'], shrank: [] }],
    ['a condition added to an Allow', [allow('s3:GetObject')], [allow('s3:GetObject', '*', mfa)], { grew: [], shrank: ['Allow s3:GetObject on * when Bool aws:MultiFactorAuthPresent=["true"] (conditions changed, narrower)'] }],
    ['a condition added to a Deny (it denies less)', [deny('ec2:*')], [deny('ec2:*', '*', region)], { grew: ['Deny ec2:* on * when StringEquals aws:RequestedRegion=["eu-west-1"] (conditions changed)'], shrank: [] }],
    ['a condition removed from a Deny (it denies more)', [deny('ec2:*', '*', region)], [deny('ec2:*')], { grew: [], shrank: ['Deny ec2:* on * (conditions changed, narrower)'] }],
    ['a condition value rewritten: cannot be shown narrower, so grew', [allow('s3:GetObject', '*', region)], [allow('s3:GetObject', '*', { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } })], { grew: ['Allow s3:GetObject on * when StringEquals aws:RequestedRegion=["us-east-1"] (conditions changed)'], shrank: [] }],
    ['reordered actions, resources and condition values: no change', [allow(['a:B', 'a:C'], ['r1', 'r2'], { StringEquals: { k: ['x', 'y'] } })], [allow(['a:C', 'a:B'], ['r2', 'r1'], { StringEquals: { k: ['y', 'x'] } })], { grew: [], shrank: [] }],
    ['a Deny with one more alternative (StringLike) denies more: shrank', [deny('*', '*', { StringLike: { 'aws:userid': ['*:a'] } })], [deny('*', '*', { StringLike: { 'aws:userid': ['*:a', '*:b'] } })], { grew: [], shrank: ['Deny * on * when StringLike aws:userid=["*:a","*:b"] (conditions changed, narrower)'] }],
    ['a Deny from a later time (DateGreaterThan) denies less: grew', [deny('*', '*', { DateGreaterThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } })], [deny('*', '*', { DateGreaterThan: { 'aws:CurrentTime': '2028-01-01T00:00:00Z' } })], { grew: ['Deny * on * when DateGreaterThan aws:CurrentTime=["2028-01-01T00:00:00Z"] (conditions changed)'], shrank: [] }],
    ['a second Deny of the same action with unrelated conditions is a Deny added: shrank', [deny('*', '*', { StringLike: { 'aws:userid': '*:a' } })], [deny('*', '*', { StringLike: { 'aws:userid': '*:a' } }), deny('*', '*', { StringLike: { 'aws:userid': '*:b' } })], { grew: [], shrank: ['denies * on * when StringLike aws:userid=["*:b"]'] }],
    ['one of two Denies of the same action removed: grew', [deny('*', '*', { StringLike: { 'aws:userid': '*:a' } }), deny('*', '*', { StringLike: { 'aws:userid': '*:b' } })], [deny('*', '*', { StringLike: { 'aws:userid': '*:a' } })], { grew: ['no longer denies * on * when StringLike aws:userid=["*:b"]'], shrank: [] }],
    ['a Deny dropped that a broader new Deny covers: only the new one counts (shrank)', [deny('*', '*', { StringLike: { 'aws:userid': '*:a' }, DateGreaterThan: { 'aws:CurrentTime': '2027-03-31T23:59:59Z' }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::1:role/R' } })], [deny('*', '*', { StringLike: { 'aws:userid': ['*:a'] }, DateGreaterThan: { 'aws:CurrentTime': '2027-01-31T23:59:59Z' } })], { grew: [], shrank: ['Deny * on * when StringLike aws:userid=["*:a"], DateGreaterThan aws:CurrentTime=["2027-01-31T23:59:59Z"] (conditions changed, narrower)'] }],
    ['an Allow added that an unconditional one already covers: no change', [allow('s3:GetObject')], [allow('s3:GetObject'), allow('s3:GetObject', '*', mfa)], { grew: [], shrank: [] }],
    ['NotAction: an Allow of everything but IAM is one unit', [], [{ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' }], { grew: ['allows NOT(iam:*) on *'], shrank: [] }],
  ] as const)('%s', (_, before, after, expected) => {
    const delta = compareStatements(before as unknown as PolicyStatement[], after as unknown as PolicyStatement[]);
    expect({ grew: delta.grew, shrank: delta.shrank }).toEqual(expected);
  });

  it('flags wildcard actions and administrator-like additions for the risk rating', () => {
    expect(compareStatements([], [allow('s3:*')])).toMatchObject({ wildcards: ['s3:*'], adminLike: false });
    expect(compareStatements([], [allow('*')])).toMatchObject({ adminLike: true });
    expect(compareStatements([], [allow('iam:CreateRole')])).toMatchObject({ wildcards: [], adminLike: true });
    expect(compareStatements([], [allow('iam:GetRole')])).toMatchObject({ adminLike: false });
  });
});

const PIPELINE = 'pipeline:\n  account: "333333333333"\n  region: eu-west-1\n  connectionArn: arn:aws:codeconnections:eu-west-1:333333333333:connection/abc\n  repository: acme/roster\n  waveOrder: [dev, prod]\n  manualApproval: [prod]\n  approvers: [FullAdministrator]\n';

describe('config rules: each change, its direction and risk', () => {
  it.each<[string, (f: Files) => void, string[], Files?]>([
    ['a longer maximum session for a role: grew', (f) => { f['roles/ReadOnly.yaml'] += 'maxSessionDuration: 43200\n'; }, ['grew medium role ReadOnly in 2 accounts (dev, prod)']],
    ['a shorter one: shrank', (f) => { f['roles/ReadOnly.yaml'] = f['roles/ReadOnly.yaml'].replace('maxSessionDuration: 43200\n', ''); }, ['shrank low role ReadOnly in 2 accounts (dev, prod)'], (() => { const b = baseFiles(); b['roles/ReadOnly.yaml'] += 'maxSessionDuration: 43200\n'; return b; })()],
    ['a looser MFA age: grew, critical', (f) => users(f, 'mfaMaxAgeSeconds: 3600', 'mfaMaxAgeSeconds: 7200'), ['grew critical maximum MFA age 3600 s -> 7200 s'], withSecurity('security:\n  mfaMaxAgeSeconds: 3600\n')],
    ['a stricter MFA age: shrank', (f) => users(f, 'mfaMaxAgeSeconds: 3600', 'mfaMaxAgeSeconds: 1800'), ['shrank low maximum MFA age 3600 s -> 1800 s'], withSecurity('security:\n  mfaMaxAgeSeconds: 3600\n')],
    ['symbols no longer required in passwords: grew', (f) => users(f, 'requireSymbols: true', 'requireSymbols: false'), ['grew high password policy requireSymbols: true -> false'], withSecurity('security:\n  passwordPolicy:\n    requireSymbols: true\n')],
    ['a longer password reuse prevention: shrank', (f) => users(f, 'passwordReusePrevention: 5', 'passwordReusePrevention: 24'), ['shrank low password policy passwordReusePrevention: 5 -> 24'], withSecurity('security:\n  passwordPolicy:\n    passwordReusePrevention: 5\n')],
    ['console access for a user: grew', (f) => users(f, '    email: bob@example.com\n', '    email: bob@example.com\n    console: true\n'), ['grew medium bob console: none -> initial-password'], withSecurity('security:\n  onboardingPrincipal: arn:aws:iam::111111111111:role/Onboarding\n')],
    ['a user expiry brought forward: shrank', (f) => users(f, 'expires: 2027-06-30', 'expires: 2027-01-31'), ["shrank low bob expires 2027-01-31 instead of 2027-06-30"], (() => { const b = baseFiles(); b['users.yaml'] = b['users.yaml'].replace('    email: bob@example.com\n', '    email: bob@example.com\n    expires: 2027-06-30\n'); return b; })()],
    ['a membership expiry removed: grew, high', (f) => users(f, '      - group: devs\n        expires: 2027-01-31\n', '      - devs\n'), ["grew high bob's membership of devs no longer expires (was 2027-01-31)"], (() => { const b = baseFiles(); b['users.yaml'] = b['users.yaml'].replace('    groups: [devs]\n', '    groups:\n      - group: devs\n        expires: 2027-01-31\n'); return b; })()],
    ['sessions revoked: shrank', (f) => { f['users.yaml'] += 'revokeSessions:\n  bob: "2026-11-21T10:00:00Z"\n'; }, ["shrank low bob's sessions issued before 2026-11-21T10:00:00Z revoked"]],
    ['a region allowed: grew', (f) => { f['accounts/prod.yaml'] = f['accounts/prod.yaml'].replace('[us-east-1]', '[us-east-1, eu-west-1]'); }, ['grew medium account prod: roles may act in eu-west-1'], (() => { const b = baseFiles(); b['accounts/prod.yaml'] += 'guardrails:\n  allowedRegions: [us-east-1]\n'; return b; })()],
    ['the permissions boundary turned off: grew, critical', (f) => { f['accounts/prod.yaml'] = f['accounts/prod.yaml'].replace('permissionsBoundary: true', 'permissionsBoundary: false\n  permissionsBoundaryOptOut: "vendor tooling creates its own roles"'); }, ['grew critical account prod: permissions boundary on no role (was every role)'], (() => { const b = baseFiles(); b['accounts/prod.yaml'] += 'guardrails:\n  permissionsBoundary: true\n'; return b; })()],
    ['administrators taken out of the default boundary, with a reason: grew, critical', (f) => { f['accounts/prod.yaml'] += 'guardrails:\n  permissionsBoundary: false\n  permissionsBoundaryOptOut: "vendor tooling creates its own roles"\n'; }, ['grew critical account prod: permissions boundary on no role (was roles that can write IAM or do everything)']],
    ['the boundary on every role instead of the administrators only: shrank', (f) => { f['accounts/prod.yaml'] += 'guardrails:\n  permissionsBoundary: true\n'; }, ['shrank low account prod: permissions boundary on every role (was roles that can write IAM or do everything)']],
    ['a detection manager declared: grew, high (it can hide findings)', (f) => { f['accounts/prod.yaml'] += 'guardrails:\n  detectionManagers:\n    Auditor: the security team tunes suppression rules\n'; }, ['grew high account prod: Auditor may tune detection (suppression rules, trusted IP lists, finding workflow)']],
    ['a key no longer protected by ID: grew, high', (f) => { f['accounts/prod.yaml'] = f['accounts/prod.yaml'].replace(/guardrails:\n.*\n/, ''); }, ['grew high account prod: keys 0b1e4c2d-3a4f-4b5c-8d6e-7f8091a2b3c4 are no longer protected by ID'], (() => { const b = baseFiles(); b['accounts/prod.yaml'] += 'guardrails:\n  protectedKeys: [0b1e4c2d-3a4f-4b5c-8d6e-7f8091a2b3c4]\n'; return b; })()],
    ['an extra trusted account on a role: grew, critical (someone outside may assume it)', (f) => { f['roles/Auditor.yaml'] += 'trust:\n  accounts:\n    - id: "999999999999"\n      mfa: true\n'; }, ['grew critical role Auditor in 2 accounts (dev, prod)']],
    ['an account pointed at another AWS account: critical', (f) => { f['accounts/prod.yaml'] = f['accounts/prod.yaml'].replace('222222222222', '444444444444'); }, ['grew critical account prod now means AWS account 444444444444 (was 222222222222)']],
    ['a user removed: shrank, high (destructive: its IAM user and credentials are deleted)', (f) => users(f, '  bob:\n    groups: [devs]\n    email: bob@example.com\n', ''), ['shrank high user bob removed']],
    ['a group gains a role: grew', (f) => users(f, '      PowerUser: [dev]', '      PowerUser: [dev, prod]'), ['grew medium group devs gains PowerUser in type prod']],
    ['a pipeline approver added: grew, high', (f) => users(f, 'approvers: [FullAdministrator]', 'approvers: [FullAdministrator, PowerUser]'), ["grew high PowerUser sessions may give the pipeline's manual approvals"], withSecurity(PIPELINE)],
    ['a pipeline approver removed: shrank', (f) => users(f, 'approvers: [FullAdministrator]', 'approvers: []'), ["shrank low FullAdministrator sessions no longer give the pipeline's manual approvals"], withSecurity(PIPELINE)],
    ['a group loses a role: shrank', (f) => users(f, '      PowerUser: [dev]\n', ''), ['shrank low group devs loses PowerUser in type dev']],
  ])('%s', (_, edit, expected, base) => {
    expect(changes(edit, base)).toEqual(expect.arrayContaining(expected));
  });
});
