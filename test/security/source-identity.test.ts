// Attribution that survives chaining, and cut-offs on both sides: the user's name as source
// identity (set by `roster credentials`, checked by the trust and by ManageYourAccount), the
// central deny on a revoked user's older sessions, and IamRosterSessions keyed on the source
// identity; evaluated with iam-simulate over the synthesized templates. Must-deny cases each come
// with the must-allow case next to them: fresh sessions and other users keep working.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { baseFiles, planOf } from '../helpers.js';
import { iamModel, simulateAssumeCall, type IamModel } from '../support/iam-model.js';
import { decide, memberAccounts, roleSession, type AccountModel, type Principal } from '../support/member-model.js';

const CENTRAL = '111111111111';
const PROD = '222222222222';
const DEV = '333333333333';
const REVOKED_AT = '2026-11-22T10:00:00Z';
const BOB_ENDS = '2026-12-01T18:00:00Z';

let central: IamModel;
let accounts: Map<string, AccountModel>;
beforeAll(() => {
  const files = baseFiles();
  files['users.yaml'] = files['users.yaml']
    .replace('  bob:\n    groups: [devs]', `  bob:\n    groups: [devs]\n    expires: ${BOB_ENDS}`)
    .replace('users:\n', 'users:\n  carol: [devs]\n')
    + `revokeSessions:\n  alice@example.com: "${REVOKED_AT}"\n`;
  const outdir = mkdtempSync(join(tmpdir(), 'roster-source-identity-'));
  const app = newApp({ outdir });
  renderApp(planOf(files), app);
  app.synth();
  central = iamModel(outdir, CENTRAL);
  accounts = memberAccounts(outdir);
});

/** A central user's own session (console sign-in or GetSessionToken), issued at `issued`. */
function userSession(name: string): Principal {
  const u = central.users.get(name)!;
  const arns = [...u.managedPolicyArns, ...u.groups.flatMap((g) => central.groups.get(g)!.managedPolicyArns)];
  return {
    arn: `arn:aws:iam::${CENTRAL}:user/${name}`, account: CENTRAL, principalArn: `arn:aws:iam::${CENTRAL}:user/${name}`,
    identity: [...arns.map((a) => ({ name: a, policy: central.policies.get(a)! })), ...u.inline],
  };
}

describe('the source identity is the user\'s own name', () => {
  const carol = { user: 'carol', account: DEV, role: 'PowerUser', mfa: true, tokenIssueTime: '2026-11-22T11:00:00Z' } as const;

  it('a normal assume with the user\'s name as source identity works, and so does console switch-role (none set)', async () => {
    expect(await simulateAssumeCall(central, { ...carol, sourceIdentity: 'carol' })).toBe('Allowed');
    expect(await simulateAssumeCall(central, { ...carol })).toBe('Allowed');
  });

  it('another user\'s name as source identity is refused by the trust and by the caller\'s own policies, each alone', async () => {
    expect(await simulateAssumeCall(central, { ...carol, sourceIdentity: 'bob' })).toBe('ImplicitlyDenied');
    expect(await simulateAssumeCall(central, { ...carol, sourceIdentity: 'bob', identityAllowsAll: true })).toBe('ImplicitlyDenied');
    expect(await simulateAssumeCall(central, { ...carol, sourceIdentity: 'bob', trustAllowsAll: true })).toBe('ImplicitlyDenied');
    // the same two with the user's own name: each side allows it
    expect(await simulateAssumeCall(central, { ...carol, sourceIdentity: 'carol', identityAllowsAll: true })).toBe('Allowed');
    expect(await simulateAssumeCall(central, { ...carol, sourceIdentity: 'carol', trustAllowsAll: true })).toBe('Allowed');
  });

  it('the right source identity does not make up for another session name or a missing MFA', async () => {
    expect(await simulateAssumeCall(central, { ...carol, sourceIdentity: 'carol', sessionName: 'bob' })).not.toBe('Allowed');
    expect(await simulateAssumeCall(central, { ...carol, sourceIdentity: 'carol', mfa: false })).not.toBe('Allowed');
  });
});

describe('revocation on the central side', () => {
  const alice = (issued: string, sourceIdentity?: string) => ({ user: 'alice@example.com', account: PROD, role: 'FullAdministrator', mfa: true, tokenIssueTime: issued, sourceIdentity });

  it('a revoked user\'s session issued before the revocation cannot assume a role again, with or without source identity', async () => {
    expect(await simulateAssumeCall(central, alice('2026-11-22T09:30:00Z', 'alice@example.com'))).toBe('ExplicitlyDenied');
    expect(await simulateAssumeCall(central, alice('2026-11-22T09:30:00Z'))).toBe('ExplicitlyDenied');
  });

  it('a fresh session after the revocation works', async () => {
    expect(await simulateAssumeCall(central, alice('2026-11-22T10:30:00Z', 'alice@example.com'))).toBe('Allowed');
    expect(await simulateAssumeCall(central, alice('2026-11-22T10:30:00Z'))).toBe('Allowed');
  });

  it('the older session can do nothing else either (no new access key); a fresh one can, and other users are untouched', async () => {
    const key = { action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${CENTRAL}:user/alice@example.com` };
    expect(await decide(userSession('alice@example.com'), { ...key, context: { 'aws:TokenIssueTime': '2026-11-22T09:30:00Z' } })).toBe('ExplicitlyDenied');
    expect(await decide(userSession('alice@example.com'), { ...key, context: { 'aws:TokenIssueTime': '2026-11-22T10:30:00Z' } })).toBe('Allowed');
    expect(await simulateAssumeCall(central, { user: 'carol', account: DEV, role: 'PowerUser', mfa: true, tokenIssueTime: '2026-11-22T09:30:00Z', sourceIdentity: 'carol' })).toBe('Allowed');
  });

  it('the deny is on the revoked user alone, inline', () => {
    expect(central.users.get('alice@example.com')!.inline.map((p) => p.name)).toEqual(['inline:IamRosterRevokedSessions']);
    expect(central.users.get('carol')!.inline).toEqual([]);
  });
});

describe('expiry on the central side', () => {
  it('an expired user\'s session issued before the end cannot assume a role after it', async () => {
    const bob = (at: string) => ({ user: 'bob', account: DEV, role: 'PowerUser', mfa: true, tokenIssueTime: '2026-12-01T10:00:00Z', sourceIdentity: 'bob', at });
    expect(await simulateAssumeCall(central, bob('2026-12-01T17:30:00Z'))).toBe('Allowed');
    expect(await simulateAssumeCall(central, bob('2026-12-01T18:30:00Z'))).toBe('ExplicitlyDenied');
  });
});

describe('role sessions carry the name further', () => {
  const work = { action: 's3:GetObject', resource: 'arn:aws:s3:::dev-data/report.csv' };
  /** A session of `role` under any session name (chained: its caller chose it), carrying `sourceIdentity`. */
  const chained = (prefix: string, role: string, sourceIdentity: string, context: Record<string, string>) =>
    decide(roleSession(accounts.get(prefix)!, role, 'nightly-job'), { ...work, context: { 'aws:SourceIdentity': sourceIdentity, ...context } });

  it('an expired user\'s chained session is denied after the end, another user\'s runs on', async () => {
    expect(await chained('dev', 'PowerUser', 'bob', { 'aws:CurrentTime': '2026-12-01T17:30:00Z' })).toBe('Allowed');
    expect(await chained('dev', 'PowerUser', 'bob', { 'aws:CurrentTime': '2026-12-01T18:30:00Z' })).toBe('ExplicitlyDenied');
    expect(await chained('dev', 'PowerUser', 'carol', { 'aws:CurrentTime': '2026-12-01T18:30:00Z' })).toBe('Allowed');
  });

  it('a revoked user\'s chained session issued before the revocation is denied, a later one is not', async () => {
    expect(await chained('prod', 'FullAdministrator', 'alice@example.com', { 'aws:TokenIssueTime': '2026-11-22T09:30:00Z' })).toBe('ExplicitlyDenied');
    expect(await chained('prod', 'FullAdministrator', 'alice@example.com', { 'aws:TokenIssueTime': '2026-11-22T10:30:00Z' })).toBe('Allowed');
  });

  it('a session without source identity (console switch-role) assumes no further role; one with it does, and it goes along', async () => {
    const m = accounts.get('dev')!;
    const next = { action: 'sts:AssumeRole', resource: `arn:aws:iam::${DEV}:role/app-deployer` };
    expect(await decide(roleSession(m, 'PowerUser', 'carol'), next)).toBe('ExplicitlyDenied');
    expect(await decide(roleSession(m, 'PowerUser', 'carol'), { ...next, context: { 'aws:SourceIdentity': 'carol' } })).toBe('Allowed');
    expect(await decide(roleSession(m, 'PowerUser', 'carol'), { action: 'sts:SetSourceIdentity', resource: next.resource, context: { 'aws:SourceIdentity': 'carol', 'sts:SourceIdentity': 'carol' } })).toBe('Allowed');
    // and it still works in the console: its other actions are not concerned
    expect(await decide(roleSession(m, 'PowerUser', 'carol'), work)).toBe('Allowed');
  });
});

describe('security.requireSourceIdentity', () => {
  it('refuses a session without the user\'s name as source identity (console switch-role), and keeps the one with it', async () => {
    const files = baseFiles();
    files['users.yaml'] = files['users.yaml'].replace('  region: us-east-1\n', '  region: us-east-1\nsecurity:\n  requireSourceIdentity: true\n');
    const outdir = mkdtempSync(join(tmpdir(), 'roster-require-si-'));
    const app = newApp({ outdir });
    renderApp(planOf(files), app);
    app.synth();
    const strict = iamModel(outdir, CENTRAL);
    const alice = { user: 'alice@example.com', account: PROD, role: 'FullAdministrator', mfa: true, tokenIssueTime: '2026-11-22T11:00:00Z' } as const;
    expect(await simulateAssumeCall(strict, alice)).toBe('ImplicitlyDenied');
    expect(await simulateAssumeCall(strict, { ...alice, identityAllowsAll: true })).toBe('ImplicitlyDenied');
    expect(await simulateAssumeCall(strict, { ...alice, sourceIdentity: 'bob' })).toBe('ImplicitlyDenied');
    expect(await simulateAssumeCall(strict, { ...alice, sourceIdentity: 'alice@example.com' })).toBe('Allowed');
  });
});
