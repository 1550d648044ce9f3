// roster import: IAM exports of an organisation -> an iam-roster config granting the same access.
// Round trip: config A -> synthesized IAM state -> get-account-authorization-details exports ->
// roster import -> config B; B validates, synthesizes, its simulated access equals its declared
// access, and that equals A's, for every user, account and role, before and after every expiry.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import type { RosterConfig } from '../../lib/config/types.js';
import { accessMatrix } from '../../lib/plan/access.js';
import { grantEnds, liveSources } from '../../lib/plan/expiry.js';
import { buildPlan } from '../../lib/plan/plan.js';
import type { RosterPlan } from '../../lib/plan/types.js';
import { loadRoster } from '../../lib/roster.js';
import { orgArbitrary, orgFiles } from '../arbitraries.js';
import { roster } from '../cli/run.js';
import { ACME, configOf, repoRoot, TEST_NOW } from '../helpers.js';
import { authorizationDetailsOf } from '../support/export.js';
import { proveAccess, synthesize } from '../support/prove.js';

/** Access as of `now`: user, account ID, role, and when it ends. */
function access(config: RosterConfig, plan: RosterPlan, now: string): string[] {
  const users = new Map(config.users.map((u) => [u.name, u]));
  return accessMatrix(plan).flatMap((e) => {
    const user = users.get(e.user)!;
    const live = liveSources(user, e, now);
    if (live.groups.length === 0 && !live.direct) return [];
    return [`${e.user} ${e.accountId} ${e.role} until ${grantEnds(user, live) ?? 'never'}`];
  }).sort();
}

interface Imported { code: number; stdout: string; stderr: string; dir: string; exportsDir: string }

/** Synthesize `config`, export every account's IAM state, and run roster import on the exports. */
function importFrom(config: RosterConfig, plan: RosterPlan, options: { urlEncoded?: boolean } = {}): Imported {
  const outdir = mkdtempSync(join(tmpdir(), 'roster-import-synth-'));
  const app = newApp({ outdir });
  renderApp(plan, app);
  app.synth();
  const exports = authorizationDetailsOf(outdir, options);
  const exportsDir = mkdtempSync(join(tmpdir(), 'roster-exports-'));
  for (const [account, data] of exports) writeFileSync(join(exportsDir, `${account}.json`), JSON.stringify(data, null, 2));
  const types = plan.accounts.map((a) => `${a.prefix}: {type: ${a.type}, alias: ${a.alias}, region: ${a.region}}`).join('\n');
  writeFileSync(join(exportsDir, 'types.yaml'), `${types}\n`);
  const dir = join(mkdtempSync(join(tmpdir(), 'roster-imported-')), 'config');
  const args = ['import', '--central', `${plan.central.account}.json`, '--types', 'types.yaml', '--central-region', plan.central.region, '--out', dir,
    ...plan.accounts.flatMap((a) => ['--account', `${a.prefix}=${a.id}.json`])];
  return { ...roster(args, exportsDir), dir, exportsDir };
}

/** The round trip for one config: B valid, proven by simulation, and granting exactly A's access at every date. */
async function roundTrip(configA: RosterConfig, dates: string[]) {
  const planA = buildPlan(configA).plan!;
  const imported = importFrom(configA, planA);
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
  const b = loadRoster(imported.dir, TEST_NOW);
  expect(b.issues.filter((i) => i.severity === 'error')).toEqual([]);
  for (const day of dates) {
    const now = `${day}T12:00:00Z`;
    expect(access(b.config!, b.plan!, now), `access on ${day}`).toEqual(access(configA, planA, now));
  }
  const { model } = synthesize(b.config!);
  await proveAccess(b.config!, model);
  return { ...imported, b };
}

describe('roster import: round trip from IAM exports', () => {
  it('the acme fixture: same access for everyone, time-bound memberships and users included', async () => {
    const a = configOf(Object.fromEntries(['users.yaml', ...readdirSync(join(ACME, 'accounts')).map((f) => `accounts/${f}`), ...readdirSync(join(ACME, 'roles')).map((f) => `roles/${f}`)].map((f) => [f, readFileSync(join(ACME, f), 'utf8')])));
    const { dir, b } = await roundTrip(a, ['2026-11-22', '2027-04-15', '2027-07-15']);
    const peggy = b.config!.users.find((u) => u.name === 'peggy@example.com')!;
    expect(peggy.membershipExpiry).toEqual({ readonly: '2027-03-31' });
    expect(b.config!.users.find((u) => u.name === 'rupert@example.com')!.expires).toBe('2027-06-30');
    expect(b.config!.users.find((u) => u.name === 'alice@example.com')).toMatchObject({ email: 'alice@example.com', description: 'Head of platform' });
    const report = readFileSync(join(dir, 'IMPORT-REPORT.md'), 'utf8');
    expect(report).toContain('- dev: AppServer (trusted by service ec2.amazonaws.com)');
    expect(report).toContain('console: onboarded');
  });

  it.each(['small-team', 'login-gov-style'])('examples/%s (central as member, direct grants, session tags, trust extras, 15 roles)', async (name) => {
    const loaded = loadRoster(join(repoRoot, 'examples', name), TEST_NOW);
    const { b } = await roundTrip(loaded.config!, ['2026-11-22', '2028-01-01']);
    if (name === 'login-gov-style') {
      // session tags and the extra trusted account come back as role properties
      const tagged = loaded.config!.roles.filter((r) => Object.keys(r.sessionTags).length > 0);
      expect(tagged.length).toBeGreaterThan(0);
      for (const r of tagged) expect(b.config!.roles.find((x) => x.name === r.name)!.sessionTags).toEqual(r.sessionTags);
      // Roles nobody signs into (people: false) trust no central user: the importer, which reads
      // people's access, does not bring them back (README "Importing a live organisation").
      const extra = loaded.config!.roles.filter((r) => r.trustExtras.length > 0 && r.people);
      for (const r of extra) expect(b.config!.roles.find((x) => x.name === r.name)!.trustExtras.map((t) => t.principal)).toEqual(r.trustExtras.map((t) => t.principal));
    }
  }, 120_000);

  it('random organisations: the same access before and after every expiry (property)', async () => {
    await fc.assert(fc.asyncProperty(orgArbitrary, async (org) => {
      const config = configOf(orgFiles(org));
      await roundTrip(config, ['2026-11-22', '2027-01-15', '2027-06-15', '2028-06-15']);
    }), { numRuns: 15 });
  }, 180_000);

  it('reads URL-encoded policy documents (the raw API) the same as decoded ones (the AWS CLI)', () => {
    const config = configOf(orgFiles({ accounts: [{ prefix: 'p', id: '200000000000', type: 'prod', toggles: {} }], groups: { ops: { ReadOnly: ['prod'] } }, users: { alice: ['ops'] } }));
    const plan = buildPlan(config).plan!;
    const [decoded, encoded] = [importFrom(config, plan), importFrom(config, plan, { urlEncoded: true })];
    expect(encoded.code).toBe(0);
    for (const f of ['users.yaml', 'accounts/p.yaml', 'roles/ReadOnly.yaml']) expect(readFileSync(join(encoded.dir, f), 'utf8')).toBe(readFileSync(join(decoded.dir, f), 'utf8'));
  });
});

describe('roster import: what it cannot express goes to the report, never into the config', () => {
  it('lists non-assume permissions, inline policies, partial grants, central roles and roles trusted by others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-import-report-'));
    const doc = (Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
    const central = {
      UserDetailList: [
        { UserName: 'alice', Arn: 'arn:aws:iam::111111111111:user/alice', GroupList: ['ops'], AttachedManagedPolicies: [], Tags: [{ Key: 'email', Value: 'alice@example.com' }],
          UserPolicyList: [{ PolicyName: 's3', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) }] },
        { UserName: 'bob', Arn: 'arn:aws:iam::111111111111:user/bob', GroupList: [], AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] },
      ],
      GroupDetailList: [{ GroupName: 'ops', Arn: 'arn:aws:iam::111111111111:group/ops', AttachedManagedPolicies: [{ PolicyName: 'assume', PolicyArn: 'arn:aws:iam::111111111111:policy/assume' }], GroupPolicyList: [] }],
      RoleDetailList: [{ RoleName: 'ci', Path: '/', Arn: 'arn:aws:iam::111111111111:role/ci', AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
        RolePolicyList: [{ PolicyName: 'deploy', PolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/Admin' }]) }], AttachedManagedPolicies: [] }],
      Policies: [{ PolicyName: 'assume', Arn: 'arn:aws:iam::111111111111:policy/assume', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true,
        Document: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ['arn:aws:iam::222222222222:role/Admin', 'arn:aws:iam::333333333333:role/ReadOnly'], Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }]) }] }],
    };
    const trustCentral = doc([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }]);
    const member = (id: string) => ({
      RoleDetailList: [
        { RoleName: 'Admin', Path: '/', Arn: `arn:aws:iam::${id}:role/Admin`, AssumeRolePolicyDocument: trustCentral, AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }], RolePolicyList: [] },
        { RoleName: 'ReadOnly', Path: '/', Arn: `arn:aws:iam::${id}:role/ReadOnly`, AssumeRolePolicyDocument: trustCentral, AttachedManagedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }], RolePolicyList: [] },
        { RoleName: 'Vendor', Path: '/', Arn: `arn:aws:iam::${id}:role/Vendor`, AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }]), AttachedManagedPolicies: [], RolePolicyList: [] },
        { RoleName: 'AWSServiceRoleForSupport', Path: '/aws-service-role/support.amazonaws.com/', Arn: `arn:aws:iam::${id}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`, AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { Service: 'support.amazonaws.com' }, Action: 'sts:AssumeRole' }]), AttachedManagedPolicies: [], RolePolicyList: [] },
      ],
      Policies: [],
    });
    writeFileSync(join(dir, 'central.json'), JSON.stringify(central));
    for (const id of ['222222222222', '333333333333', '444444444444']) writeFileSync(join(dir, `${id}.json`), JSON.stringify(member(id)));
    const r = roster(['import', '--central', 'central.json', '--account', 'prod-a:prod=222222222222.json', '--account', 'prod-b:prod=444444444444.json', '--account', 'dev:dev=333333333333.json', '--out', 'out'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const users = readFileSync(join(dir, 'out', 'users.yaml'), 'utf8');
    // ops may assume Admin in prod-a only (not prod-b): no grant; ReadOnly in the only dev account: granted.
    expect(users).toContain('  ops:\n    roles:\n      ReadOnly: [dev]\n');
    expect(users).toContain('  alice:\n    groups: [ops]\n    email: alice@example.com\n');
    expect(users).toContain('  bob: []\n');
    const report = readFileSync(join(dir, 'out', 'IMPORT-REPORT.md'), 'utf8');
    for (const line of [
      '- group ops: Admin in prod-a but not in prod-b (type prod)',
      '- user alice, inline policy s3: allows s3:* on *',
      '- user bob: AWS managed policy AdministratorAccess attached in the central account',
      '- group ops, policy assume: assume conditions aws:sourceip are not expressed (iam-roster requires MFA and the user\'s own session name)',
    ]) expect(report).toContain(line);
    expect(report).toMatch(/### Central roles that assume member roles[^\n]*\n\n- ci: dev Admin, prod-a Admin, prod-b Admin\n/);
    expect(report).toContain('- prod-a: Vendor (trusted by account 999999999999)');
    expect(report).toContain('AWS service-linked and reserved roles');
    expect(readFileSync(join(dir, 'out', 'accounts', 'prod-b.yaml'), 'utf8')).toContain('roles:\n  Admin: true\n  ReadOnly: true\n');
  });
});

describe('roster import: bad input is refused with where it is, and nothing is written', () => {
  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-import-bad-'));
    const ok = { UserDetailList: [{ UserName: 'alice', Arn: 'arn:aws:iam::111111111111:user/alice', GroupList: [] }], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    const member = { RoleDetailList: [{ RoleName: 'R', Arn: 'arn:aws:iam::222222222222:role/R', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } }] };
    writeFileSync(join(dir, 'central.json'), JSON.stringify(ok));
    writeFileSync(join(dir, 'member.json'), JSON.stringify(member));
    return dir;
  };
  const run = (dir: string, ...args: string[]) => {
    const r = roster(['import', '--central', 'central.json', '--out', 'out', ...args], dir);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    return r;
  };

  it.each([
    ['a truncated export', (d: string) => writeFileSync(join(d, 'member.json'), '{"RoleDetailList": [{"RoleName": "R", "Ar'), /member\.json: line 1, column \d+: error: the export ends too early/],
    ['not JSON', (d: string) => writeFileSync(join(d, 'member.json'), 'RoleName: R\n'), /member\.json: line 1, column 1: error: not valid JSON/],
    ['another command\'s output (list-users)', (d: string) => writeFileSync(join(d, 'member.json'), JSON.stringify({ Users: [] })), /member\.json: \$: error: not a get-account-authorization-details export/],
    ['one page of several', (d: string) => writeFileSync(join(d, 'member.json'), JSON.stringify({ RoleDetailList: [], IsTruncated: true, Marker: 'x' })), /member\.json: \$\.IsTruncated: error: the export is one page of several/],
    ['an entry of the wrong shape', (d: string) => writeFileSync(join(d, 'member.json'), JSON.stringify({ RoleDetailList: [{ RoleName: 'R', Arn: 'arn:aws:iam::222222222222:role/R' }] })), /member\.json: \$\.RoleDetailList\[0\]\.AssumeRolePolicyDocument: error: expected an object, found undefined/],
    ['a mix of accounts', (d: string) => writeFileSync(join(d, 'member.json'), JSON.stringify({ RoleDetailList: [{ RoleName: 'R', Arn: 'arn:aws:iam::222222222222:role/R', AssumeRolePolicyDocument: { Statement: [] } }, { RoleName: 'S', Arn: 'arn:aws:iam::333333333333:role/S', AssumeRolePolicyDocument: { Statement: [] } }] })), /member\.json: \$: error: the export mixes accounts \(222222222222, 333333333333\)/],
  ])('%s', (_, write, expected) => {
    const dir = setup();
    write(dir);
    const r = run(dir, '--account', 'prod:prod=member.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).toMatch(/\n    hint: /);
    expect(r.stderr).toMatch(/nothing was written$/);
  });

  it('the same account twice, a prefix twice, a missing type, a missing file: every problem at once', () => {
    const dir = setup();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'copy.json'), readFileSync(join(dir, 'member.json')));
    const r = run(dir, '--account', 'prod:prod=member.json', '--account', 'prod=sub/copy.json', '--account', 'dev=missing.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--account prod=sub/copy.json: prefix: error: prefix prod is given twice (also --account prod:prod=member.json)');
    expect(r.stderr).toMatch(/sub\/copy\.json: \$: error: account 222222222222 is exported twice \(also .*member\.json\)/);
    expect(r.stderr).toContain('missing.json: $: error: cannot read it (ENOENT)');
    expect(r.stderr).toMatch(/4 problem\(s\) in the input; nothing was written$/);
  });

  it('usage mistakes exit 2; an existing config is never overwritten', () => {
    const dir = setup();
    expect(roster(['import', '--out', 'out'], dir).code).toBe(2);
    expect(roster(['import', '--central', 'central.json', '--out', 'out'], dir).code).toBe(2);
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'users.yaml'), 'central: {}\n');
    const r = roster(['import', '--central', 'central.json', '--account', 'prod:prod=member.json', '--out', 'taken'], dir);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('taken is not an empty directory') });
    expect(readFileSync(join(dir, 'taken', 'users.yaml'), 'utf8')).toBe('central: {}\n');
  });
});
