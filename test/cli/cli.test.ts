import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACME, baseFiles, organizationFixture, repoRoot, writeConfig } from '../helpers.js';
import { credentialsRequest } from '../../lib/cli/commands/credentials.js';
import { mfaSessionSeconds } from '../../lib/cli/commands/profiles.js';
import { roster } from './run.js';

describe('roster validate', () => {
  it('accepts the shipped example', () => {
    const r = roster(['validate']);
    expect(r).toEqual({ code: 0, stdout: 'ok: 17 users, 8 groups, 9 accounts, 48 roles, 25 assume policies', stderr: '' });
  });

  it('reports the same errors as synth, with positions and hints, exit 1', () => {
    const files = baseFiles();
    files['users.yaml'] = files['users.yaml'].replace('[admins]', '[admin]');
    const r = roster(['validate', '--dir', writeConfig(files)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("users.yaml:13:23: error: user 'alice@example.com' is in unknown group 'admin'\n    hint: did you mean 'admins'?");
    expect(r.stdout).toBe('');
  });
});

describe('roster access', () => {
  it('prints the matrix as a table, filtered by user, account and role', () => {
    const r = roster(['access', '--user', 'trent', '--account', 'prod-eu']);
    expect(r.stdout).toBe([
      'USER   ACCOUNT  ACCOUNT ID    TYPE  ROLE      VIA       UNTIL',
      'trent  prod-eu  222222222202  prod  ReadOnly  platform  -',
    ].join('\n'));
    expect(roster(['access', '--account', 'acme-prod-eu', '--user', 'trent']).stdout).toBe(r.stdout); // by alias too
  });

  it('prints Markdown, CSV and JSON', () => {
    const args = ['access', '--user', 'frank@example.com', '--account', '222222222201', '--role', 'ReadOnly'];
    expect(roster([...args, '--format', 'md']).stdout).toBe([
      '| user | account | account id | type | role | via | until |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| frank@example.com | prod-us | 222222222201 | prod | ReadOnly | developers, readonly | - |',
    ].join('\n'));
    expect(roster([...args, '--format', 'csv']).stdout).toBe(
      'user,account,account id,type,role,via,until\nfrank@example.com,prod-us,222222222201,prod,ReadOnly,"developers, readonly",-',
    );
    expect(JSON.parse(roster([...args, '--format', 'json']).stdout)).toEqual([{
      user: 'frank@example.com', account: 'prod-us', accountId: '222222222201', accountAlias: 'acme-prod-us', accountType: 'prod',
      role: 'ReadOnly', groups: ['developers', 'readonly'], direct: false, central: false, policies: ['ProdAssumeReadOnly'],
    }]);
  });

  it('Markdown keeps to --max-chars like diff: the rows that fit, then how many more and where they all are', () => {
    const all = roster(['access', '--format', 'md']).stdout.split('\n');
    const rows = all.length - 2;
    expect(all.join('\n').length).toBeGreaterThan(2000);
    const r = roster(['access', '--format', 'md', '--max-chars', '2000']);
    expect(r.code).toBe(0);
    expect(r.stdout.length + 1).toBeLessThanOrEqual(2000);
    const [table, note] = r.stdout.split('\n\n');
    const shown = table.split('\n');
    expect(shown.slice(0, 2)).toEqual(all.slice(0, 2));
    expect(shown).toEqual(all.slice(0, shown.length));
    expect(note).toBe(`_${rows - (shown.length - 2)} more rows are not listed: the limit is 2,000 characters; \`roster access --format csv\` has them all._`);
    expect(roster(['access', '--format', 'md', '--max-chars', '1000000']).stdout).toBe(all.join('\n'));
    expect(roster(['access', '--format', 'csv', '--max-chars', '2000'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--max-chars applies to Markdown only') });
    expect(roster(['access', '--format', 'md', '--max-chars', '10'])).toMatchObject({ code: 2, stderr: expect.stringContaining('at least 2000') });
  });

  it('rejects unknown users, accounts, roles and formats with a hint, exit 2', () => {
    expect(roster(['access', '--user', 'alicee'])).toMatchObject({ code: 2, stderr: "roster: unknown user 'alicee'\n    hint: did you mean 'alice@example.com'?" });
    expect(roster(['access', '--account', 'prod-uss'])).toMatchObject({ code: 2, stderr: "roster: unknown account 'prod-uss'\n    hint: did you mean 'prod-us'?" });
    expect(roster(['access', '--role', 'Admin'])).toMatchObject({ code: 2, stderr: "roster: unknown role 'Admin'\n    hint: known roles: 'Auditor', 'BillingReadOnly', 'FullAdministrator', 'KMSAdministrator', 'PowerUser', 'ReadOnly', 'SupportEngineer'" });
    expect(roster(['access', '--format', 'yml'])).toMatchObject({ code: 2 });
    expect(roster(['acess'])).toMatchObject({ code: 2, stderr: "roster: unknown command 'acess'\n    hint: did you mean 'access'?" });
    expect(roster(['access', '--colour'])).toMatchObject({ code: 2 });
  });
});

describe('roster explain', () => {
  it('shows the chain user -> group -> policy -> role trust when allowed (exit 0)', () => {
    const r = roster(['explain', 'bob@example.com', 'prod-us', 'ReadOnly']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      'ALLOWED: bob@example.com may assume ReadOnly in prod-us (acme-prod-us, 222222222201, type prod)',
      '',
      '  user    bob@example.com                  users.yaml:72:3',
      '  group   platform                         users.yaml:34:3',
      '  policy  ProdAssumeReadOnly               sts:AssumeRole on arn:aws:iam::222222222201:role/ReadOnly',
      '                                           only with an MFA sign-in less than 43200 s old, and with session name = bob@example.com',
      '  role    ReadOnly in Account-prod-us      trusts users of 111111111111 with MFA, under their own name',
      '',
      '  source identity bob@example.com only (roster credentials sets it; it goes with every session chained from this one);',
      '  a session without one (console switch-role) assumes no further role',
      '',
      '  organization: none configured: nothing binds principals iam-roster did not create (README "What holds without organization guardrails")',
    ].join('\n'));
  });

  it('says when the user\'s sessions are revoked, where, and that a fresh sign-in works', () => {
    const files = baseFiles();
    files['users.yaml'] += 'revokeSessions:\n  bob: "2026-11-22T10:00:00Z"\n';
    const r = roster(['explain', 'bob', 'prod', 'ReadOnly', '--dir', writeConfig(files)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  sessions of bob issued before 2026-11-22T10:00:00Z are refused, in the central account and here (users.yaml:18:3); a fresh sign-in works');
    expect(roster(['explain', 'alice@example.com', 'prod', 'FullAdministrator', '--dir', writeConfig(files)]).stdout).not.toContain('are refused');
  });

  it('with security.requireSourceIdentity, explain says console switch-role is refused and links warn', () => {
    const files = baseFiles();
    files['users.yaml'] = files['users.yaml'].replace('  region: us-east-1\n', '  region: us-east-1\nsecurity:\n  requireSourceIdentity: true\n');
    const dir = writeConfig(files);
    expect(roster(['explain', 'bob', 'prod', 'ReadOnly', '--dir', dir]).stdout).toContain('  required (users.yaml:5:3): console switch-role, which sets none, is refused');
    expect(roster(['links', 'bob', '--dir', dir]).stderr).toMatch(/^warning: security.requireSourceIdentity is set: the roles refuse console switch-role/);
  });

  it('says why access is denied (exit 1): no granting group, and which groups would grant it', () => {
    const r = roster(['explain', 'bob@example.com', 'prod-us', 'FullAdministrator']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("none of bob@example.com's groups (platform) grants FullAdministrator in 'prod' accounts");
    expect(r.stdout).toContain('groups that do: admins (users.yaml:30:3)');
  });

  it('says when the role is turned off in the account file, at its line', () => {
    const r = roster(['explain', 'dave@example.com', 'security', 'PowerUser']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('PowerUser is turned off for this account at accounts/security.yaml:7:3');
  });

  it('shows when time-bound access ends, and denies it once the day has passed', () => {
    const before = roster(['explain', 'peggy@example.com', 'dev', 'ReadOnly']);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/group   readonly\s+users\.yaml:\d+:\d+ \(membership ends after 2027-03-31\)/);
    const after = roster(['explain', 'peggy@example.com', 'dev', 'ReadOnly'], ACME, { ROSTER_TODAY: '2027-04-01' });
    expect(after.code).toBe(1);
    expect(after.stdout).toContain('the membership(s) that granted it ended: readonly after 2027-03-31');
    const contractor = roster(['explain', 'rupert@example.com', 'dev', 'PowerUser'], ACME, { ROSTER_TODAY: '2027-07-01' });
    expect(contractor.stdout).toMatch(/access ended after 2027-06-30 \(users\.yaml:\d+:\d+\)/);
  });

  it('names the SCPs that bind the account, and the statement that cuts a user\'s sessions', () => {
    const dir = organizationFixture();
    const r = roster(['explain', 'rupert@example.com', 'dev', 'PowerUser'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  organization: SCPs iam-roster-type-dev-1, iam-roster-type-dev-2, iam-roster-type-dev-3, iam-roster-type-dev-4 bind every principal of 444444444401, shadow roles included (OrganizationStack in 999999999999)');
    expect(r.stdout).toMatch(/organization: SCP iam-roster-type-dev-\d statement EndSourceIdentitiesAfter20270630235959 denies rupert@example.com's sessions \(source identity rupert@example.com\) after the end/);
    const revoked = roster(['explain', 'dave@example.com', 'dev', 'PowerUser'], dir);
    expect(revoked.stdout).toMatch(/statement RevokeSourceIdentity1 denies dave@example.com's sessions \(source identity dave@example.com\) issued before the revocation/);
  });

  it('needs exactly three arguments', () => {
    expect(roster(['explain', 'bob@example.com'])).toMatchObject({ code: 2 });
  });
});

describe('roster profiles and links', () => {
  it('writes one AWS config profile per role the user may assume, each a credential_process setting the source identity', () => {
    const r = roster(['profiles', 'olivia@example.com', '--source-profile', 'acme']);
    expect(r.code).toBe(0);
    const command = (account: string) => `credential_process = roster credentials --user olivia@example.com --role-arn arn:aws:iam::${account}:role/SupportEngineer`
      + ' --mfa-serial arn:aws:iam::111111111111:mfa/olivia@example.com --source-profile acme --region us-east-1 --duration 3600 --session-seconds 43200';
    expect(r.stdout.split('\n\n').slice(1)).toEqual([
      ['[profile acme-prod-eu-SupportEngineer]', command('222222222202'), 'region = eu-west-1'].join('\n'),
      ['[profile acme-prod-us-SupportEngineer]', command('222222222201'), 'region = us-east-1'].join('\n'),
    ]);
    // the profile line is what `roster credentials` accepts
    const line = r.stdout.split('\n').find((l) => l.startsWith('credential_process'))!.replace('credential_process = roster ', '').split(' ');
    const options = Object.fromEntries(line.slice(1).flatMap((word, i, all) => (i % 2 === 0 ? [[word.replace(/^--/, ''), all[i + 1]]] : [])));
    expect(credentialsRequest(options)).toMatchObject({
      user: 'olivia@example.com', roleArn: 'arn:aws:iam::222222222202:role/SupportEngineer', sourceProfile: 'acme', region: 'us-east-1', durationSeconds: 3600, sessionSeconds: 43200,
    });
  });

  it('writes aws-vault profiles with source_identity on request', () => {
    const r = roster(['profiles', 'olivia@example.com', '--format', 'aws-vault']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n\n')[1]).toBe(['[profile acme-prod-eu-SupportEngineer]', 'source_profile = iam-roster', 'role_arn = arn:aws:iam::222222222202:role/SupportEngineer',
      'mfa_serial = arn:aws:iam::111111111111:mfa/olivia@example.com', 'role_session_name = olivia@example.com', 'source_identity = olivia@example.com', 'duration_seconds = 3600', 'region = eu-west-1'].join('\n'));
    expect(r.stdout).toContain('# For aws-vault (aws-vault add iam-roster; aws-vault exec <profile>)');
    expect(r.stdout).not.toContain('credential_process');
    expect(roster(['profiles', 'olivia@example.com', '--format', 'granted'])).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown profiles format 'granted'") });
  });

  it('profiles ask for an MFA session no longer than the trusts accept it, and run roster as told', () => {
    expect([mfaSessionSeconds(undefined), mfaSessionSeconds(3600), mfaSessionSeconds(100), mfaSessionSeconds(86_400)]).toEqual([43_200, 3600, 900, 43_200]);
    const r = roster(['profiles', 'olivia@example.com', '--roster-command', 'npx --prefix /srv/iam roster']);
    expect(r.stdout).toContain('credential_process = npx --prefix /srv/iam roster credentials --user olivia@example.com');
    expect(roster(['profiles', 'olivia@example.com', '--roster-command', 'roster; rm -rf ~'])).toMatchObject({ code: 2 });
  });

  it('writes console switch-role links', () => {
    const r = roster(['links', 'olivia@example.com']);
    expect(r.stdout.split('\n').map((l) => l.split(/\s+/).at(-1))).toEqual([
      'https://signin.aws.amazon.com/switchrole?roleName=SupportEngineer&account=222222222202&displayName=acme-prod-eu+SupportEngineer',
      'https://signin.aws.amazon.com/switchrole?roleName=SupportEngineer&account=222222222201&displayName=acme-prod-us+SupportEngineer',
    ]);
    expect(r.stderr).toMatch(/console sessions carry no source identity/);
  });
});

describe('npx roster', () => {
  it('runs as a real process without loading aws-cdk-lib', () => {
    const r = spawnSync(process.execPath, ['--trace-warnings', join(repoRoot, 'bin/roster.mjs'), 'validate'], { cwd: ACME, encoding: 'utf8', env: { ...process.env, NODE_DEBUG: 'module', ROSTER_TODAY: '2026-11-22' } });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('ok: 17 users, 8 groups, 9 accounts, 48 roles, 25 assume policies');
    expect(r.stderr).not.toMatch(/aws-cdk-lib/);
    expect(r.stderr).toMatch(/yaml/); // the module trace is really on
  });

  it('the bundled CLI and the TypeScript run through tsx answer the same', () => {
    const run = (env: Record<string, string>, ...args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'bin/roster.mjs'), ...args], { cwd: ACME, encoding: 'utf8', env: { ...process.env, ROSTER_TODAY: '2026-11-22', ...env } });
    for (const args of [['validate'], ['access', '--format', 'csv'], ['explain', 'dave@example.com', 'security', 'PowerUser'], ['nonsense']]) {
      const [bundled, tsx] = [run({}, ...args), run({ ROSTER_NO_BUNDLE: '1' }, ...args)];
      expect({ status: bundled.status, stdout: bundled.stdout, stderr: bundled.stderr }).toEqual({ status: tsx.status, stdout: tsx.stdout, stderr: tsx.stderr });
    }
    // The bundle is the one named by the current sources.
    expect(readdirSync(join(repoRoot, 'node_modules', '.cache', 'iam-roster')).filter((f) => f.endsWith('.mjs'))).toHaveLength(1);
  });
});

describe('roster access and time-bound access', () => {
  it('drops access once every membership that grants it has ended', () => {
    const row = (env: Record<string, string>) => roster(['access', '--user', 'peggy@example.com', '--account', 'dev', '--format', 'csv'], ACME, env).stdout;
    expect(row({ ROSTER_TODAY: '2027-03-31' })).toContain('peggy@example.com,dev,444444444401,dev,ReadOnly,readonly');
    expect(row({ ROSTER_TODAY: '2027-04-01' })).not.toContain('ReadOnly');
    expect(roster(['access', '--user', 'rupert@example.com'], ACME, { ROSTER_TODAY: '2027-07-01' }).stdout).toBe('no access matches');
  });
});
