import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMENT_LIMIT } from '../../lib/cli/diff-report.js';
import { orgFiles } from '../arbitraries.js';
import { baseFiles, writeConfig } from '../helpers.js';
import { roster } from './run.js';

type Files = Record<string, string>;

/** A git repo whose config lives in `config/`, one commit of `files`; returns the config dir. */
function repoWith(files: Files): string {
  const repo = writeConfig({});
  const dir = join(repo, 'config');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
  return dir;
}

/** Commit `files`, change the working tree with `edit`, and diff against HEAD. */
function diffAfter(edit: (files: Files) => void, base: Files = baseFiles(), format = 'json') {
  const dir = repoWith(base);
  const files = { ...base };
  edit(files);
  for (const file of Object.keys(base)) if (!(file in files)) rmSync(join(dir, file));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const r = roster(['diff', 'HEAD', '--dir', dir, '--format', format]);
  return { ...r, report: format === 'json' && r.stdout ? JSON.parse(r.stdout) : undefined };
}

const causes = (report: any) => report.changes.map((c: any) => `${c.direction} ${c.risk} ${c.cause.replace(/`/g, '')}`);

describe('roster diff: every change of effective permissions', () => {
  it('reordering alone is no change (exit 0)', () => {
    const base = orgFiles({
      accounts: [{ prefix: 'a', id: '200000000000', type: 'prod', toggles: {} }, { prefix: 'b', id: '200000000001', type: 'dev', toggles: { KMSAdministrator: true } }],
      groups: { ops: { ReadOnly: ['prod', 'dev'], PowerUser: ['dev'] }, fin: { BillingReadOnly: ['prod'] } },
      users: { alice: ['ops', 'fin'], bob: ['fin'] },
    });
    const r = diffAfter((f) => Object.assign(f, orgFiles({
      accounts: [{ prefix: 'a', id: '200000000000', type: 'prod', toggles: {} }, { prefix: 'b', id: '200000000001', type: 'dev', toggles: { KMSAdministrator: true } }],
      groups: { fin: { BillingReadOnly: ['prod'] }, ops: { PowerUser: ['dev'], ReadOnly: ['dev', 'prod'] } },
      users: { bob: ['fin'], alice: ['fin', 'ops'] },
    }, 7)), base, 'md');
    expect(r).toEqual({ code: 0, stdout: '## iam-roster: permission changes since `HEAD`\n\nNo change in permissions.', stderr: '', report: undefined });
  });

  it('ReadOnly given AdministratorAccess in the role catalog: critical, exit 1', () => {
    const r = diffAfter((f) => { f['roles/ReadOnly.yaml'] = f['roles/ReadOnly.yaml'].replace('[ReadOnlyAccess]', '[ReadOnlyAccess, AdministratorAccess]'); });
    expect(r.code).toBe(1);
    expect(causes(r.report)).toEqual(['grew critical role ReadOnly in 2 accounts (dev, prod)']);
    // Now an administrator, it carries the boundary administrators get by default (no organization guardrails).
    expect(r.report.changes[0].detail).toEqual(['+ AWS managed policy AdministratorAccess attached', '- permissions boundary set']);
    expect(r.report.changes[0].why).toBe('administrator-equivalent AWS managed policy');
  });

  it('a role given iam:* on *: critical', () => {
    const r = diffAfter((f) => { f['roles/Auditor.yaml'] = f['roles/Auditor.yaml'].replace('  - Sid: ReadAuditTrails', '  - Effect: Allow\n    Action: "iam:*"\n    Resource: "*"\n  - Sid: ReadAuditTrails'); });
    expect(r.code).toBe(1);
    expect(causes(r.report)).toEqual(['grew critical role Auditor in 2 accounts (dev, prod)']);
    expect(r.report.changes[0].detail).toEqual(['+ allows iam:* on *', '- permissions boundary set']);
  });

  it('guardrails: false on a prod account: critical, and the guardrail statements it loses', () => {
    const r = diffAfter((f) => { f['accounts/prod.yaml'] += 'guardrails: false\n'; });
    expect(r.code).toBe(1);
    const c = causes(r.report);
    expect(c[0]).toBe('grew critical account prod: guardrails turned off');
    expect(c).toContain('grew high role FullAdministrator in prod');
    expect(c.some((x: string) => x.startsWith('grew high IamRosterGuardrails in prod'))).toBe(true);
    const lost = r.report.changes.find((x: any) => x.cause.includes('IamRosterGuardrails')).detail;
    expect(lost).toContain('+ no longer denies rds:DeleteDB* on arn:aws:rds:*:<account>:db:prod-*');
  });

  it('a new service role with AdministratorAccess: critical', () => {
    const r = diffAfter((f) => { f['accounts/dev.yaml'] += 'serviceRoles:\n  Builder:\n    service: codebuild.amazonaws.com\n    awsManagedPolicies: [AdministratorAccess]\n'; });
    expect(r.code).toBe(1);
    // PowerUser may pass the new role: it can now become an administrator through it
    // and the bounded administrators may pass it too (the boundary passes only declared service roles)
    expect(causes(r.report)).toEqual(['grew critical role PowerUser in dev', 'grew critical service role Builder added in dev', 'grew high IamRosterBoundary in dev', 'shrank low IamRosterProtection in dev']);
    expect(r.report.changes[0].detail).toEqual(['+ allows iam:PassRole on arn:aws:iam::<account>:role/Builder when StringEquals iam:PassedToService=["codebuild.amazonaws.com"]']);
  });

  it('mfaMaxAgeSeconds removed: critical (MFA loosened), and every trust policy with it', () => {
    const base = baseFiles();
    base['users.yaml'] += 'security:\n  mfaMaxAgeSeconds: 3600\n';
    const r = diffAfter((f) => { f['users.yaml'] = f['users.yaml'].replace('security:\n  mfaMaxAgeSeconds: 3600\n', ''); }, base);
    expect(r.code).toBe(1);
    const c = causes(r.report);
    expect(c[0]).toBe('grew critical MFA age no longer limited (was 3600 s)');
    expect(c.filter((x: string) => x.includes('role FullAdministrator'))).toEqual(['grew critical role FullAdministrator in 2 accounts (dev, prod)']);
  });

  it('a user\'s expiry pushed a year later: high, with the access whose end moves', () => {
    const base = baseFiles();
    base['users.yaml'] = base['users.yaml'].replace('    email: bob@example.com', '    email: bob@example.com\n    expires: 2027-01-31');
    const r = diffAfter((f) => { f['users.yaml'] = f['users.yaml'].replace('expires: 2027-01-31', 'expires: 2028-01-31'); }, base);
    expect(r.code).toBe(1);
    const expiry = r.report.changes.find((c: any) => c.cause.includes('expires'));
    expect(`${expiry.direction} ${expiry.risk} ${expiry.cause}`).toBe('grew high `bob` expires 2028-01-31 instead of 2027-01-31');
    expect(expiry.access).toEqual([
      { user: 'bob', account: 'dev', role: 'PowerUser', change: 'ends later', from: '2027-01-31', to: '2028-01-31' },
      { user: 'bob', account: 'prod', role: 'ReadOnly', change: 'ends later', from: '2027-01-31', to: '2028-01-31' },
    ]);
  });

  it('groups a grant by its cause: users × accounts', () => {
    const base = baseFiles();
    base['accounts/prod2.yaml'] = 'id: "444444444444"\nalias: acme-prod2\ntype: prod\n';
    base['users.yaml'] += '  carol: [devs]\n  dave: [devs]\n';
    const edit = (f: Files) => { f['users.yaml'] = f['users.yaml'].replace('      PowerUser: [dev]', '      PowerUser: [dev, prod]'); };
    const r = diffAfter(edit, base);
    expect(causes(r.report)).toEqual(['grew medium group devs gains PowerUser in type prod']);
    expect(r.report.changes[0].access).toHaveLength(6); // 3 users x 2 prod accounts
    const md = diffAfter(edit, base, 'md').stdout;
    expect(md).toContain('**grew** · medium · group `devs` gains `PowerUser` in type `prod`: 3 users × 2 accounts');
    expect(md).toContain('<details><summary>details</summary>');
    // Users with the same change share a line, every user named.
    expect(md).toContain('| gained | PowerUser @ 2 accounts: prod, prod2 | 3 users: ');
    expect(md.match(/\| gained \| PowerUser @ 2 accounts: prod, prod2 \| 3 users: (.*) \|/)![1].split(', ')).toEqual(['bob', 'carol', 'dave']);
  });

  it('access to an administrator-equivalent role is critical; losing access shrank (exit 0)', () => {
    const grew = diffAfter((f) => { f['users.yaml'] = f['users.yaml'].replace('  alice@example.com: [admins]', '  alice@example.com: [admins]\n  carol: [admins]'); });
    expect(causes(grew.report)).toEqual(['grew critical user carol added']);
    const shrank = diffAfter((f) => { f['users.yaml'] = f['users.yaml'].replace('      FullAdministrator: [prod, dev]', '      FullAdministrator: [dev]'); });
    expect(shrank.code).toBe(0);
    expect(causes(shrank.report)).toEqual(['shrank low group admins loses FullAdministrator in type prod']);
  });

  it('explains a role turned on in an account, a user joining a group, a direct grant, an account added', () => {
    const r = diffAfter((f) => {
      f['accounts/prod.yaml'] += 'roles:\n  SupportEngineer: true\n';
      f['users.yaml'] = f['users.yaml'].replace('      ReadOnly: [prod]', '      ReadOnly: [prod]\n      SupportEngineer: [prod]')
        .replace('    groups: [devs]', '    groups: [devs, admins]')
        .replace('  alice@example.com: [admins]', '  alice@example.com:\n    groups: [admins]\n    roles: {Auditor: [dev]}');
      f['accounts/dev2.yaml'] = 'id: "555555555555"\nalias: acme-dev2\ntype: dev\n';
    });
    expect(causes(r.report)).toEqual([
      'grew critical bob joins group admins',
      'grew critical account dev2 (555555555555, type dev) added',
      'grew medium alice@example.com is granted Auditor in type dev directly',
      'grew medium group devs gains SupportEngineer in type prod',
      'grew medium role SupportEngineer now exists in prod',
      'shrank low IamRosterProtection in prod',
    ]);
  });

  it('classifies security settings, revocations and the pipeline', () => {
    const base = baseFiles();
    base['users.yaml'] += 'security:\n  passwordPolicy:\n    minimumLength: 20\nrevokeSessions:\n  mallory: "2026-11-22T10:00:00Z"\n';
    const r = diffAfter((f) => {
      f['users.yaml'] = f['users.yaml'].replace('minimumLength: 20', 'minimumLength: 14').replace('revokeSessions:\n  mallory: "2026-11-22T10:00:00Z"\n', '');
    }, base);
    expect(causes(r.report)).toEqual(expect.arrayContaining([
      'grew high password policy minimumLength: 20 -> 14',
      "grew high revocation of mallory's sessions (2026-11-22T10:00:00Z) removed",
    ]));
  });

  it('reads the role catalog and policies of the old revision from git', () => {
    const base = baseFiles();
    base['policies/logs.json'] = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:FilterLogEvents', Resource: '*' }] });
    base['roles/ReadOnly.yaml'] += '  wildcards: Log events of any log group, for whoever is on call.\npolicies: [logs]\n';
    const r = diffAfter((f) => { f['policies/logs.json'] = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] }); }, base);
    expect(causes(r.report)).toEqual(['grew high role ReadOnly in 2 accounts (dev, prod)']);
    expect(r.report.changes[0].detail).toEqual(['+ allows logs:* on *', '- no longer allows logs:FilterLogEvents on *']);
  });

  it('text format for a terminal', () => {
    const r = diffAfter((f) => { f['users.yaml'] = f['users.yaml'].replace('      ReadOnly: [prod]', '      ReadOnly: [prod, dev]'); }, baseFiles(), 'text');
    expect(r.stdout.split('\n').slice(0, 5)).toEqual([
      'iam-roster: permission changes since HEAD', '', 'Privileges grew — 1 grew, 0 shrank, 0 neutral. Review carefully.', '',
      'grew · medium · group devs gains ReadOnly in type dev: 1 user × 1 account',
    ]);
  });

  it('usage errors exit 2; an invalid old revision exits 1 with its errors', () => {
    const dir = repoWith(baseFiles());
    expect(roster(['diff', '--dir', dir]).code).toBe(2);
    expect(roster(['diff', 'no-such-rev', '--dir', dir])).toMatchObject({ code: 2, stderr: expect.stringContaining('git rev-parse failed') });
    expect(roster(['diff', 'HEAD', '--dir', dir, '--format', 'yaml'])).toMatchObject({ code: 2 });

    const broken = baseFiles();
    broken['users.yaml'] = broken['users.yaml'].replace('  alice@example.com: [admins]', '  alice@example.com: [admnis]');
    const fixed = diffAfter((f) => { f['users.yaml'] = baseFiles()['users.yaml']; }, broken, 'md');
    expect(fixed.code).toBe(1);
    expect(fixed.stdout).toBe('');
    expect(fixed.stderr).toMatch(/^\(at HEAD\) users\.yaml:\d+:\d+: error: .*admnis/m);
    expect(fixed.stderr).toContain('the config at HEAD is invalid; nothing to compare against');
  });
});

describe('roster diff: destruction, renames and the first pull request', () => {
  it('a user removed: exit 1, destructive, the deletes-users label, and what is deleted', () => {
    const remove = (f: Files) => { f['users.yaml'] = f['users.yaml'].replace('  bob:\n    groups: [devs]\n    email: bob@example.com\n', ''); };
    const json = diffAfter(remove);
    expect(json.code).toBe(1);
    expect(json.report).toMatchObject({ grew: false, deletesUsers: ['bob'], labels: ['deletes-users'], blocked: false });
    const md = diffAfter(remove, baseFiles(), 'md');
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('**Destructive**: deletes 1 IAM user (`bob`) with their keys, MFA devices and passwords, for good.');
    expect(md.stdout).toContain('1. **shrank** · **destructive** · high · user `bob` removed: 1 user × 2 accounts — _deletes an IAM user and its credentials for good_');
    expect(md.stdout).toContain('- deleted: the IAM user `bob`, its memberships (devs)');
  });

  it('a case-only rename: destructive and blocked, with the two steps in the comment', () => {
    const r = diffAfter((f) => { f['users.yaml'] = f['users.yaml'].replace('  bob:\n', '  Bob:\n'); }, baseFiles(), 'md');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('**Cannot be deployed as written**: 1 change CloudFormation would fail on');
    expect(r.stdout).toMatch(/  - \*\*CloudFormation cannot deploy this\*\*: IAM user names are case-insensitive .* remove `bob` in one pull request and deploy it, then add `Bob` in the next\./);
  });

  it('a revision without a config is the empty config: everything is added (the first pull request)', () => {
    const dir = repoWith({ 'README.md': '# infra\n' });
    for (const [file, text] of Object.entries(baseFiles())) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const r = roster(['diff', 'HEAD', '--dir', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ baseMissing: true, grew: true, summary: { shrank: 0 } });
    expect(causes(report)).toEqual(expect.arrayContaining(['grew critical user alice@example.com added', 'grew medium user bob added', 'neutral low account prod (222222222222, type prod) added', 'neutral low group devs added']));
    expect(roster(['diff', 'HEAD', '--dir', dir]).stdout.split('\n')[0]).toBe('## iam-roster: permission changes since `HEAD` (no config there: everything is added)');
  });

  it('--json FILE writes the JSON report beside the Markdown one', () => {
    const dir = repoWith(baseFiles());
    const out = join(dir, 'report.json');
    writeFileSync(join(dir, 'users.yaml'), baseFiles()['users.yaml'].replace('      PowerUser: [dev]', '      PowerUser: [dev, prod]'));
    const md = roster(['diff', 'HEAD', '--dir', dir, '--json', out]);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('## iam-roster');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(roster(['diff', 'HEAD', '--dir', dir, '--format', 'json']).stdout));
  });
});

describe('roster diff at scale', () => {
  it('a one-line change in a 400-user organisation fits one pull-request comment, and JSON keeps every row', () => {
    const accounts = Array.from({ length: 12 }, (_, i) => ({ prefix: `p${i}`, id: String(300000000000 + i), type: i < 6 ? 'prod' : 'dev', toggles: {} }));
    const users = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`user${String(i).padStart(3, '0')}@example.com`, ['platform']]));
    const base = orgFiles({ accounts, groups: { platform: { ReadOnly: ['prod', 'dev'] } }, users });
    const edit = (f: Files) => { f['users.yaml'] = f['users.yaml'].replace('      ReadOnly:\n', '      PowerUser:\n        - prod\n      ReadOnly:\n'); };
    const md = diffAfter(edit, base, 'md');
    expect(md.code).toBe(1);
    expect(md.stdout.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md.stdout).toContain('group `platform` gains `PowerUser` in type `prod`: 400 users × 6 accounts');
    const json = diffAfter(edit, base, 'json');
    expect(json.report.changes[0].access).toHaveLength(2400);
  });

  it('always fits, however many changes', () => {
    const accounts = Array.from({ length: 30 }, (_, i) => ({ prefix: `p${i}`, id: String(300000000000 + i), type: 'prod', toggles: {} }));
    const users = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`u${i}@example.com`, ['platform']]));
    const base = orgFiles({ accounts, groups: { platform: { ReadOnly: ['prod'] } }, users });
    const md = diffAfter((f) => {
      f['users.yaml'] = stringify({ central: { account: '111111111111', region: 'us-east-1' }, groups: { platform: { roles: { ReadOnly: ['prod'] } } }, users: Object.fromEntries(Object.keys(users).map((u, i) => [u, i % 2 ? ['platform'] : []])) });
    }, base, 'md');
    expect(md.stdout.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md.stdout).toContain('has them all');
  });
});
