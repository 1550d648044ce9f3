import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../lib/config/errors.js';
import { secretNameFor } from '../../lib/constructs/roster-user.js';
import { baseFiles, issueLines, validate } from '../helpers.js';

/** Replace one line (1-based) of a file in the base config. */
function withLine(file: string, line: number, text: string): Record<string, string> {
  const files = baseFiles();
  const lines = files[file].split('\n');
  lines[line - 1] = text;
  files[file] = lines.join('\n');
  return files;
}

function hintOf(files: Record<string, string>, messagePart: string): string | undefined {
  return validate(files).issues.find((i) => i.message.includes(messagePart))?.hint;
}

describe('the base config', () => {
  it('is valid, with no warnings', () => {
    const { config, issues } = validate(baseFiles());
    expect(issues).toEqual([]);
    expect(config?.accountTypes).toEqual(['dev', 'prod']);
    expect(config?.users.map((u) => u.name)).toEqual(['alice@example.com', 'bob']);
    expect(config?.accounts.find((a) => a.prefix === 'prod')?.region).toBe('us-east-1'); // defaults to central
  });
});

describe('YAML syntax', () => {
  it('reports a parse error with its position', () => {
    const lines = issueLines(withLine('users.yaml', 7, '      FullAdministrator: [prod, dev'));
    expect(lines).toHaveLength(1);
    expect(lines).toEqual(["users.yaml:7:26: error: YAML: a '[' is never closed"]);
  });

  it('reports an alias without an anchor at the alias, instead of crashing', () => {
    const lines = issueLines(withLine('users.yaml', 13, '  alice@example.com: *admins'));
    expect(lines).toEqual(['users.yaml:13:22: error: YAML: Unresolved alias (the anchor must be set before the alias): admins']);
  });

  it('reports duplicate keys at the second one', () => {
    const files = baseFiles();
    files['users.yaml'] += '  bob: [admins]\n';
    expect(issueLines(files)).toEqual(["users.yaml:17:3: error: duplicate key 'bob'"]);
  });
});

describe('schema errors', () => {
  it('points at an unknown key and suggests the right one', () => {
    const files = withLine('users.yaml', 16, '    emial: bob@example.com');
    expect(issueLines(files)).toEqual(["users.yaml:16:5: error: unknown key 'emial' in 'users.bob'"]);
    expect(hintOf(files, 'emial')).toBe("did you mean 'email'?");
  });

  it('explains an unquoted account id', () => {
    const files = withLine('users.yaml', 2, '  account: 111111111111');
    expect(issueLines(files)).toEqual(["users.yaml:2:12: error: 'central.account' must be a string, not number 111111111111"]);
    expect(hintOf(files, 'central.account')).toMatch(/quote account IDs/);
  });

  it('rejects a malformed account id', () => {
    const files = baseFiles();
    files['accounts/prod.yaml'] = 'id: "22222"\nalias: acme-prod\ntype: prod\n';
    expect(issueLines(files)).toEqual([
      `accounts/prod.yaml:1:5: error: 'id': "22222" is not a 12-digit AWS account ID in quotes, e.g. "123456789012"`,
    ]);
  });

  it('reports a missing required key at the map that lacks it', () => {
    const files = baseFiles();
    files['accounts/prod.yaml'] = 'id: "222222222222"\ntype: prod\n';
    expect(issueLines(files)).toEqual(["accounts/prod.yaml:1:1: error: the file is missing the required key 'alias'"]);
  });

  it('rejects user names IAM would reject, and names over 64 characters', () => {
    const long = 'u'.repeat(65);
    const files = withLine('users.yaml', 13, `  "bad name!": [admins]\n  ${long}: [admins]`);
    expect(issueLines(files)).toEqual([
      "users.yaml:13:3: error: 'bad name!' is not an IAM user name: 1-64 letters, digits or + = , . @ _ - (emails are fine)",
      `users.yaml:14:3: error: '${long}' is not an IAM user name: 1-64 letters, digits or + = , . @ _ - (emails are fine)`,
    ]);
  });

  it('rejects an invalid alias, region and session duration', () => {
    const files = baseFiles();
    files['accounts/prod.yaml'] = 'id: "222222222222"\nalias: Acme--Prod\ntype: prod\nregion: europe\nmaxSessionDuration: 60\n';
    const lines = issueLines(files);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^accounts\/prod\.yaml:2:8: error: 'alias': "Acme--Prod" is not an IAM account alias/);
    expect(lines[1]).toMatch(/^accounts\/prod\.yaml:4:9: error: 'region': "europe" is not an AWS region name/);
    expect(lines[2]).toMatch(/^accounts\/prod\.yaml:5:21: error: 'maxSessionDuration' must be >= 3600/);
  });

  it('rejects a group listed twice for one user', () => {
    const files = withLine('users.yaml', 13, '  alice@example.com: [admins, admins]');
    expect(issueLines(files)).toEqual(["users.yaml:13:31: error: user 'alice@example.com' lists group 'admins' twice"]);
  });

  it('rejects an empty list of account types', () => {
    const files = withLine('users.yaml', 7, '      FullAdministrator: []');
    expect(issueLines(files)).toEqual(["users.yaml:7:26: error: 'groups.admins.roles.FullAdministrator' must not be empty"]);
  });
});

describe('cross-reference errors', () => {
  it('unknown group, with a did-you-mean hint', () => {
    const files = withLine('users.yaml', 13, '  alice@example.com: [admin]');
    expect(issueLines(files)).toEqual(["users.yaml:13:23: error: user 'alice@example.com' is in unknown group 'admin'"]);
    expect(hintOf(files, 'unknown group')).toBe("did you mean 'admins'?");
  });

  it('unknown role in a group and in an account file', () => {
    const files = withLine('users.yaml', 7, '      FullAdmin: [prod, dev]');
    files['accounts/dev.yaml'] = files['accounts/dev.yaml'].replace('KMSAdministrator', 'KMSAdmin');
    expect(issueLines(files)).toEqual([
      "accounts/dev.yaml:6:3: error: unknown role 'KMSAdmin'",
      "users.yaml:7:7: error: group 'admins' grants unknown role 'FullAdmin'",
    ]);
    expect(hintOf(files, "role 'FullAdmin'")).toBe("did you mean 'FullAdministrator'? (roles are the files in roles/)");
    expect(hintOf(files, "role 'KMSAdmin'")).toBe("did you mean 'KMSAdministrator'? (roles are the files in roles/)");
  });

  it('account type with no accounts', () => {
    const files = withLine('users.yaml', 7, '      FullAdministrator: [prd, dev]');
    expect(issueLines(files)).toEqual(["users.yaml:7:27: error: account type 'prd' has no accounts"]);
    expect(hintOf(files, "'prd'")).toMatch(/^did you mean 'prod'\?/);
  });

  it('duplicate account id and alias across files', () => {
    const files = baseFiles();
    files['accounts/prod2.yaml'] = 'id: "222222222222"\nalias: acme-prod\ntype: prod\n';
    expect(issueLines(files)).toEqual([
      'accounts/prod2.yaml:1:5: error: account id 222222222222 is already used by accounts/prod.yaml',
      "accounts/prod2.yaml:2:8: error: alias 'acme-prod' is already used by accounts/prod.yaml",
    ]);
  });

  it('user and group names that differ only in case', () => {
    const files = withLine('users.yaml', 13, '  alice@example.com: [admins]\n  Alice@example.com: [admins]');
    expect(issueLines(files)).toEqual([
      "users.yaml:13:3: error: user 'alice@example.com' differs from 'Alice@example.com' only in case",
      "users.yaml:14:3: error: user 'Alice@example.com' differs from 'alice@example.com' only in case",
    ]);
  });

  it('more than 10 groups for one user', () => {
    const groups = Array.from({ length: 11 }, (_, i) => `g${i}`);
    const files = baseFiles();
    files['users.yaml'] = files['users.yaml']
      .replace('users:\n', `${groups.map((g) => `  ${g}: {}`).join('\n')}\nusers:\n`)
      .replace('  alice@example.com: [admins]', `  alice@example.com: [${groups.join(', ')}]`);
    expect(issueLines(files)).toEqual(["users.yaml:24:22: error: user 'alice@example.com' is in 11 groups; IAM allows 10"]);
  });

  it('an account file whose name is not a usable CLI prefix', () => {
    const files = baseFiles();
    files['accounts/Prod_EU.yaml'] = 'id: "444444444444"\nalias: acme-prod-eu\ntype: prod\n';
    expect(issueLines(files)).toEqual(["accounts/Prod_EU.yaml:1:1: error: account file name 'Prod_EU' is not a valid CLI prefix"]);
  });

  it('warns when a grant reaches no account because the role is off everywhere', () => {
    const files = withLine('users.yaml', 10, '      SupportEngineer: [dev]');
    const { config, issues } = validate(files);
    expect(config).toBeDefined(); // a warning does not block synthesis
    expect(issues.map((i) => `${i.file}:${i.line}:${i.col}: ${i.severity}`)).toEqual(['users.yaml:10:25: warning']);
  });

  it('missing users.yaml and no account files', () => {
    const { issues } = validate({});
    expect(issues.map((i) => `${i.file}:${i.line}:${i.col}`)).toEqual(['users.yaml:1:1']);
  });
});

describe('all errors at once', () => {
  it('reports schema and cross-reference errors from several files together, sorted by position', () => {
    const files = withLine('users.yaml', 13, '  alice@example.com: [admin]');
    files['users.yaml'] = files['users.yaml'].replace('      PowerUser: [dev]', '      PowerUser: [dve]').replace('  region: us-east-1', '  region: us-east-1\n  color: blue');
    files['accounts/prod.yaml'] = 'id: 222222222222\nalias: acme-prod\ntype: prod\n';
    const lines = issueLines(files).map((l) => l.split(': error')[0]);
    expect(lines).toEqual(['accounts/prod.yaml:1:5', 'users.yaml:4:3', 'users.yaml:11:19', 'users.yaml:14:23']);
  });
});

describe('account-wide IAM quotas', () => {
  it('more than 5,000 users in the central account', () => {
    const files = baseFiles();
    const extra = Array.from({ length: 4999 }, (_, i) => `  user${i}: [devs]`).join('\n');
    files['users.yaml'] = files['users.yaml'] + extra + '\n';
    expect(issueLines(files)).toEqual(['users.yaml:12:1: error: 5001 users exceed the IAM quota of 5000 users per account']);
  });

  it('more than 300 groups', () => {
    const files = baseFiles();
    const extra = Array.from({ length: 299 }, (_, i) => `  g${i}: {}`).join('\n');
    files['users.yaml'] = files['users.yaml'].replace('users:\n', `${extra}\nusers:\n`);
    expect(issueLines(files)).toEqual(['users.yaml:4:1: error: 301 groups exceed the IAM quota of 300 groups per account']);
  });
});

describe('security settings', () => {
  it('time-bound entries: a past date warns (access already denied), an impossible date is an error', () => {
    const files = withLine('users.yaml', 13, '  alice@example.com:\n    groups: [{group: admins, expires: 2026-01-31}]\n    expires: 2026-02-30');
    const { issues } = validate(files);
    expect(issues.map((i) => formatIssue({ ...i, hint: '' }))).toEqual([
      "users.yaml:14:39: warning: membership of 'alice@example.com' in 'admins' expired on 2026-01-31",
      'users.yaml:15:14: error: 2026-02-30 is not a real date',
    ]);
    expect(issues[0].hint).toBe('access is already denied; remove the entry');
  });

  it('a service role may not take the name of a catalog role', () => {
    const files = baseFiles();
    files['accounts/dev.yaml'] += 'serviceRoles:\n  ReadOnly:\n    service: ec2.amazonaws.com\n';
    expect(issueLines(files)).toEqual(["accounts/dev.yaml:8:3: error: service role 'ReadOnly' has the name of the catalog role 'ReadOnly'"]);
  });

  it('guardrails: false opts an account out; a misspelt guardrail key gets a hint', () => {
    const files = baseFiles();
    files['accounts/dev.yaml'] += 'guardrails: false\n';
    files['accounts/prod.yaml'] += 'guardrails:\n  allowedRegion: [us-east-1]\n';
    expect(issueLines(files)).toEqual(["accounts/prod.yaml:5:3: error: unknown key 'allowedRegion' in 'guardrails'"]);
    expect(validate(files).issues[0].hint).toBe("did you mean 'allowedRegions'?");
    delete files['accounts/prod.yaml'];
    files['users.yaml'] = files['users.yaml'].replace('prod, dev', 'dev').replace('      ReadOnly: [prod]\n', '');
    expect(validate(files).config!.accounts[0].guardrails).toBe(false);
  });

  it('guardrail settings layer: defaults, then users.yaml, then the account file', () => {
    const files = baseFiles();
    files['users.yaml'] = files['users.yaml'].replace('groups:\n', 'security:\n  guardrails:\n    allowedRegions: [us-east-1]\n    permissionsBoundary: true\ngroups:\n');
    files['accounts/dev.yaml'] += 'guardrails:\n  allowedRegions: [eu-west-1, eu-central-1]\n';
    const accounts = validate(files).config!.accounts;
    expect(accounts.find((a) => a.prefix === 'dev')!.guardrails).toEqual({
      allowedRegions: ['eu-central-1', 'eu-west-1'], denyStatements: [], permissionsBoundary: true,
      protectedNamePatterns: ['*-prod', '*-prod-*', '*audit*', '*cloudtrail*', 'prod-*'],
      protectedKeyIds: [], detectionManagers: {},
    });
    expect(accounts.find((a) => a.prefix === 'prod')!.guardrails).toMatchObject({ allowedRegions: ['us-east-1'] });
    expect(validate(baseFiles()).config!.accounts[0].guardrails).toMatchObject({ allowedRegions: ['eu-west-1', 'us-east-1'], permissionsBoundary: false });
  });
});

describe('protected keys and detection managers', () => {
  const KEY = '0b1e4c2d-3a4f-4b5c-8d6e-7f8091a2b3c4';
  const MRK = 'mrk-0123456789abcdef0123456789abcdef';
  const withGuardrails = (users: string, dev = '') => {
    const files = baseFiles();
    files['users.yaml'] = files['users.yaml'].replace('groups:\n', `security:\n  guardrails:\n${users}groups:\n`);
    if (dev) files['accounts/dev.yaml'] += `guardrails:\n${dev}`;
    return files;
  };

  it('keys by ARN or ID add up across users.yaml and the account file; an ARN reaches only its own account', () => {
    const files = withGuardrails(`    protectedKeys: ["arn:aws:kms:eu-west-1:333333333333:key/${KEY}", "arn:aws:kms:us-east-1:222222222222:key/${MRK}"]\n`, `  protectedKeys: [${MRK}]\n`);
    const accounts = validate(files).config!.accounts;
    expect(accounts.find((a) => a.prefix === 'dev')!.guardrails).toMatchObject({ protectedKeyIds: [KEY, MRK] });
    expect(accounts.find((a) => a.prefix === 'prod')!.guardrails).toMatchObject({ protectedKeyIds: [MRK] });
  });

  it('a key of another account in an account file, or of no configured account, is an error at the entry', () => {
    const files = withGuardrails(`    protectedKeys: ["arn:aws:kms:eu-west-1:999999999999:key/${KEY}"]\n`, `  protectedKeys: ["arn:aws:kms:us-east-1:222222222222:key/${KEY}"]\n`);
    expect(issueLines(files)).toEqual([
      `accounts/dev.yaml:8:19: error: key arn:aws:kms:us-east-1:222222222222:key/${KEY} belongs to account 222222222222, not to dev (333333333333)`,
      `users.yaml:6:21: error: key arn:aws:kms:eu-west-1:999999999999:key/${KEY} belongs to account 999999999999, which no account file declares`,
    ]);
    expect(hintOf(files, 'not to dev')).toBe('list it in accounts/prod.yaml, or in security.guardrails of users.yaml');
  });

  it('a key reference that is neither an ARN nor a key ID is refused by the schema', () => {
    expect(issueLines(withGuardrails('    protectedKeys: [alias/prod-orders]\n'))).toEqual([
      `users.yaml:6:21: error: 'security.guardrails.protectedKeys.0': "alias/prod-orders" is not a key ARN (arn:aws:kms:<region>:<account>:key/<id>) or a key ID (a UUID or mrk-<32 hex digits>)`,
    ]);
  });

  it('detection managers are catalog roles with a reason; a misspelt role gets a hint', () => {
    const ok = withGuardrails('    detectionManagers:\n      Auditor: the security team tunes suppression rules\n');
    expect(validate(ok).config!.accounts[0].guardrails).toMatchObject({ detectionManagers: { Auditor: 'the security team tunes suppression rules' } });
    const typo = withGuardrails('    detectionManagers:\n      Auditr: the security team tunes suppression rules\n');
    expect(issueLines(typo)).toEqual(['users.yaml:7:7: error: detection manager Auditr is not a role of the catalog']);
    expect(hintOf(typo, 'detection manager')).toBe("did you mean 'Auditor'?");
    const noReason = withGuardrails('    detectionManagers:\n      Auditor: ""\n');
    expect(issueLines(noReason)).toHaveLength(1);
  });
});

describe('names that IAM accepts but role sessions or secrets would not', () => {
  it('a one-character user name cannot name a role session', () => {
    const files = withLine('users.yaml', 13, '  a: [admins]');
    expect(issueLines(files)).toEqual(["users.yaml:13:3: error: user name 'a' is too short to be a role session name"]);
  });

  it('a comma in a user name never reaches a Secrets Manager name', () => {
    expect(secretNameFor('alice@example.com')).toBe('iam-roster/initial-password/alice@example.com');
    expect(secretNameFor('smith,john')).toMatch(/^iam-roster\/initial-password\/smith-john-[0-9a-f]+$/);
    expect(secretNameFor('smith,john')).not.toBe(secretNameFor('smith-john'));
    expect(secretNameFor('smith,john')).toMatch(/^[A-Za-z0-9/_+=.@-]+$/);
  });
});

describe('every error at once', () => {
  it('schema errors do not hide cross-file errors, in any file', () => {
    const files = baseFiles();
    files['users.yaml'] = files['users.yaml'].replace('    email: bob@example.com', '    emial: bob@example.com').replace('[admins]', '[admin]');
    files['accounts/dev.yaml'] = files['accounts/dev.yaml'].replace('KMSAdministrator', 'KMSAdmin') + 'maxSessionDuration: 60\n';
    files['accounts/prod.yaml'] = files['accounts/prod.yaml'].replace('id: "222222222222"', 'id: "333333333333"');
    expect(issueLines(files)).toEqual([
      "accounts/dev.yaml:6:3: error: unknown role 'KMSAdmin'",
      "accounts/dev.yaml:7:21: error: 'maxSessionDuration' must be >= 3600, not 60",
      'accounts/prod.yaml:1:5: error: account id 333333333333 is already used by accounts/dev.yaml',
      "users.yaml:13:23: error: user 'alice@example.com' is in unknown group 'admin'",
      "users.yaml:16:5: error: unknown key 'emial' in 'users.bob'",
    ]);
  });
});
