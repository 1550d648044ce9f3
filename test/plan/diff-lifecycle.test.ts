import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../lib/plan/diff/diff.js';
import { ACME, baseFiles, diffOf } from '../helpers.js';

// The pull requests of a roster's life that tighten, offboard, move and rename: each change is
// classified by what it does to what anyone can do, computed from the statements and the access
// matrix, never by which resource changed.

type Files = Record<string, string>;

function acmeFiles(): Files {
  const files: Files = { 'users.yaml': readFileSync(join(ACME, 'users.yaml'), 'utf8') };
  for (const dir of ['accounts', 'roles']) for (const f of readdirSync(join(ACME, dir))) files[`${dir}/${f}`] = readFileSync(join(ACME, dir, f), 'utf8');
  return files;
}

function diff(base: Files, edit: (f: Files) => void): Change[] {
  const after = { ...base };
  edit(after);
  return diffOf(base, after);
}

const line = (c: Change) => `${c.direction} ${c.risk} ${c.cause.replace(/`/g, '')}`;
const grewOf = (changes: Change[]) => changes.filter((c) => c.direction === 'grew').map(line);
const edit = (from: string, to: string) => (f: Files) => {
  if (!f['users.yaml'].includes(from)) throw new Error(`not in users.yaml: ${from}`);
  f['users.yaml'] = f['users.yaml'].replace(from, to);
};
const bobExpires = (() => { const b = baseFiles(); edit('    email: bob@example.com\n', '    email: bob@example.com\n    expires: 2027-06-30\n')(b); return b; })();

describe('tightenings are shrank, never grew', () => {
  // acme has session limits already (a contractor's expiry, a membership end): new ones join them.
  it('sessions revoked (break-glass): only shrank, the session deny added included', () => {
    const changes = diff(acmeFiles(), (f) => { f['users.yaml'] += 'revokeSessions:\n  trent: "2026-11-21T10:00:00Z"\n'; });
    expect(grewOf(changes)).toEqual([]);
    expect(changes.map(line)).toEqual(["shrank low IamRosterSessions in 9 accounts (data-prod, dev, log-archive, prod-eu, prod-us, sandbox, …)", "shrank low trent's sessions issued before 2026-11-21T10:00:00Z revoked"]);
    expect(changes[0].detail).toEqual([
      '- denies * on * when StringLike aws:userid=["*:trent"], DateLessThan aws:TokenIssueTime=["2026-11-21T10:00:00Z"]',
      '- denies * on * when StringEquals aws:SourceIdentity=["trent"], DateLessThan aws:TokenIssueTime=["2026-11-21T10:00:00Z"]',
    ]);
  });

  it('a second revocation next to an existing one: only shrank', () => {
    const base = baseFiles();
    base['users.yaml'] += 'revokeSessions:\n  alice@example.com: "2026-11-21T09:00:00Z"\n';
    const changes = diff(base, (f) => { f['users.yaml'] += '  bob: "2026-11-21T10:00:00Z"\n'; });
    expect(grewOf(changes)).toEqual([]);
    expect(changes.find((c) => c.cause.includes('IamRosterSessions'))!.detail).toEqual([
      '- denies * on * when StringLike aws:userid=["*:bob"], DateLessThan aws:TokenIssueTime=["2026-11-21T10:00:00Z"]',
      '- denies * on * when StringEquals aws:SourceIdentity=["bob"], DateLessThan aws:TokenIssueTime=["2026-11-21T10:00:00Z"]',
    ]);
  });

  it('an expiry added to a user: only shrank', () => {
    const changes = diff(acmeFiles(), edit('  trent: [platform]\n', '  trent:\n    groups: [platform]\n    expires: 2027-01-31\n'));
    expect(grewOf(changes)).toEqual([]);
    expect(changes.map(line)).toContain('shrank low trent expires 2027-01-31');
  });

  it('a second user expiring at the same instant (one statement, one more user in it): shrank', () => {
    const changes = diff(bobExpires, edit('  alice@example.com: [admins]\n', '  alice@example.com:\n    groups: [admins]\n    expires: 2027-06-30\n'));
    expect(grewOf(changes)).toEqual([]);
    expect(changes.find((c) => c.cause.includes('IamRosterSessions'))!.detail[0]).toMatch(/^- Deny \* on \* when .*conditions changed, narrower\)$/);
  });

  it('a membership given an end: only shrank', () => {
    const changes = diff(acmeFiles(), edit('  trent: [platform]\n', '  trent:\n    groups:\n      - group: platform\n        expires: 2027-01-31\n'));
    expect(grewOf(changes)).toEqual([]);
    expect(changes.map(line)).toContain("shrank low trent's membership of platform expires 2027-01-31");
  });

  it('an expiry earlier than a membership end replaces that membership\'s session limit: only shrank', () => {
    const changes = diff(acmeFiles(), edit('      - group: readonly\n        expires: 2027-03-31        # temporary read access for an investigation\n', '      - group: readonly\n        expires: 2027-03-31\n    expires: 2027-01-31\n'));
    expect(grewOf(changes)).toEqual([]);
    expect(changes.map(line)).toContain('shrank low peggy@example.com expires 2027-01-31');
  });

  it('still grew: an expiry pushed later, a live revocation removed', () => {
    expect(grewOf(diff(bobExpires, edit('expires: 2027-06-30', 'expires: 2028-06-30')))).toEqual([
      'grew high bob expires 2028-06-30 instead of 2027-06-30',
      'grew high IamRosterSessions in 2 accounts (dev, prod)',
    ]);
    const revoked = baseFiles();
    revoked['users.yaml'] += 'revokeSessions:\n  bob: "2026-11-21T20:00:00Z"\n';
    // The only session limit: the policy leaves the accounts and every role stops carrying it.
    const removed = grewOf(diff(revoked, (f) => { f['users.yaml'] = f['users.yaml'].replace(/revokeSessions:\n.*\n/, ''); }));
    expect(removed.slice(0, 2)).toEqual(["grew high IamRosterSessions in 2 accounts (dev, prod)", "grew high revocation of bob's sessions (2026-11-21T20:00:00Z) removed"]);
    expect(removed.slice(2).every((l) => /^grew high role \w+ in /.test(l))).toBe(true);
  });
});

describe('offboarding', () => {
  it('an expiring contractor removed: nothing grew; shrank and destructive, saying what is deleted', () => {
    const changes = diff(acmeFiles(), edit('  rupert@example.com:\n    groups: [developers]\n    expires: 2027-06-30            # contractor\n', ''));
    expect(grewOf(changes)).toEqual([]);
    expect(changes.map(line)).toEqual(['shrank high user rupert@example.com removed']);
    const [removed] = changes;
    expect(removed.destructive).toBe(true);
    expect(removed.detail).toEqual([
      'deleted: the IAM user `rupert@example.com`, its memberships (developers)',
      'deleted: no console password (console: false)',
      expect.stringMatching(/^deleted: every access key, MFA device, .*cannot be recovered/),
    ]);
    expect(new Set(removed.access!.map((r) => r.change))).toEqual(new Set(['lost']));
  });

  it('a user with console access removed: its console password and initial-password secret are named', () => {
    const base = acmeFiles();
    const [removed] = diff(base, edit('  ivan@example.com:\n    groups: [finance]\n    console: true                  # initial password in Secrets Manager, reset at first sign-in\n', ''));
    expect(removed.detail[1]).toBe('deleted: its console password (login profile) and the secret holding its initial password');
  });

  it('a user with a membership end removed: the session deny going with the user is no growth', () => {
    const base = baseFiles();
    edit('    groups: [devs]\n', '    groups:\n      - group: devs\n        expires: 2027-01-31\n')(base);
    expect(grewOf(diff(base, edit('  bob:\n    groups:\n      - group: devs\n        expires: 2027-01-31\n    email: bob@example.com\n', '')))).toEqual([]);
  });
});

describe('an account changing type lists only the access that really changes', () => {
  const changes = diff(acmeFiles(), (f) => { f['accounts/prod-eu.yaml'] = f['accounts/prod-eu.yaml'].replace('type: prod', 'type: staging'); });
  const typeChange = changes.find((c) => c.cause.startsWith('account `prod-eu` changes type'))!;

  it('no (user, account, role) both lost and gained; what both types grant (admins\' FullAdministrator) is not listed', () => {
    const rows = typeChange.access!;
    const key = (r: { user: string; account: string; role: string }) => `${r.user} ${r.account} ${r.role}`;
    const gained = new Set(rows.filter((r) => r.change === 'gained').map(key));
    expect(rows.filter((r) => r.change === 'lost').map(key).filter((k) => gained.has(k))).toEqual([]);
    expect(rows.some((r) => r.user === 'alice@example.com' && r.role === 'FullAdministrator')).toBe(false);
    // The set difference of the two access matrices at prod-eu: platform's ReadOnly becomes PowerUser.
    expect(rows.filter((r) => r.change === 'gained').map(key).sort()).toEqual(['bob@example.com prod-eu PowerUser', 'carol@example.com prod-eu PowerUser', 'trent prod-eu PowerUser']);
    expect(rows.filter((r) => r.change === 'lost' && r.role === 'ReadOnly').map((r) => r.user).sort()).toEqual(['bob@example.com', 'carol@example.com', 'trent']);
  });

  it('rated by what really changed: PowerUser gained is medium, not critical', () => {
    expect(line(typeChange)).toBe('grew medium account prod-eu changes type from prod to staging');
  });
});

describe('renames', () => {
  it('a group renamed: recognised, naming the members who move, neutral with the same grants', () => {
    const changes = diff(baseFiles(), (f) => { edit('  devs:\n', '  developers:\n')(f); edit('    groups: [devs]\n', '    groups: [developers]\n')(f); });
    expect(changes.map(line)).toEqual(['neutral low group devs renamed to developers']);
    expect(changes[0].detail).toEqual(['members who move: bob', 'the same grants']);
  });

  it('a group renamed with a grant added: the rename, and the grant as growth', () => {
    const changes = diff(baseFiles(), (f) => { edit('  devs:\n    roles:\n      PowerUser: [dev]\n', '  developers:\n    roles:\n      PowerUser: [dev, prod]\n')(f); edit('    groups: [devs]\n', '    groups: [developers]\n')(f); });
    expect(changes.map(line)).toEqual(['grew medium group developers gains PowerUser in type prod', 'neutral low group devs renamed to developers']);
    expect(changes[0].access!.map((r) => `${r.user} ${r.account} ${r.role} ${r.change}`)).toEqual(['bob prod PowerUser gained']);
  });

  it('a user renamed: a destructive delete and a create, said in those words', () => {
    const changes = diff(baseFiles(), edit('  bob:\n', '  robert:\n'));
    expect(changes.map(line)).toEqual(['neutral high user bob renamed to robert: the IAM user bob is deleted and robert created']);
    expect(changes[0]).toMatchObject({ destructive: true });
    expect(changes[0].blocked).toBeUndefined();
    expect(changes[0].detail[0]).toBe('deleted: the IAM user `bob`, its memberships (devs)');
    expect(changes[0].detail.at(-1)).toMatch(/^created: the IAM user `robert` \(groups: devs\)/);
  });

  it('a case-only rename: flagged as one CloudFormation cannot deploy, with the two steps', () => {
    const [change, ...rest] = diff(baseFiles(), edit('  bob:\n', '  Bob:\n'));
    expect(rest).toEqual([]);
    expect(line(change)).toBe('neutral high user bob renamed to Bob (case only): the IAM user bob is deleted and Bob created');
    expect(change.access).toEqual([]); // the same access under both names: nothing listed
    expect(change.blocked).toMatch(/case-insensitive.*creates `Bob` before it deletes `bob`.*remove `bob` in one pull request and deploy it, then add `Bob` in the next/);
  });

  it('same access but nothing says it is the same person: called a possible rename, destructive, and rated as a user added', () => {
    const changes = diff(acmeFiles(), edit('  bob@example.com: [platform]\n', '  robert@example.com: [platform]\n'));
    expect(changes.map(line)).toEqual(['grew critical user bob@example.com removed and robert@example.com added with the same access (a rename? no email or description says so): the IAM user bob@example.com is deleted and robert@example.com created']);
    expect(changes[0]).toMatchObject({ destructive: true, deletes: ['bob@example.com'], why: 'access to an administrator-equivalent role' });
  });

  it('not a rename: a user removed and an unrelated one added with other groups', () => {
    const changes = diff(baseFiles(), edit('  bob:\n    groups: [devs]\n    email: bob@example.com\n', '  zed:\n    groups: [admins]\n    email: zed@example.com\n'));
    expect(changes.map(line)).toEqual(['grew critical user zed added', 'shrank high user bob removed']);
  });
});
