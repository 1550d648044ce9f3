// A generator of broken configs: mutations of a valid config, one mistake each, in every category
// a user can get wrong (YAML, schema, references, values, limits, names that fold together, the
// file system). Each must be refused by `roster validate` AND by `cdk synth` (bin/app.ts): non-zero
// exit, every error at file:line:col with a hint, no stack trace, nothing written to cdk.out.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseFiles, repoRoot, writeConfig } from '../helpers.js';
import { roster } from '../cli/run.js';

type Files = Record<string, string | Buffer>;

interface Mutation {
  name: string;
  /** Change the files (text or raw bytes); may also return a function to change the directory. */
  apply: (files: Files) => void;
  /** Changes on disk that files cannot express (directories, links). */
  disk?: (dir: string) => void;
  /** `file` or `file:line` where an error must be reported. */
  at: string;
}

const users = (f: Files, from: string, to: string) => {
  const text = String(f['users.yaml']);
  if (!text.includes(from)) throw new Error(`mutation does not apply: ${from}`);
  f['users.yaml'] = text.replace(from, to);
};
const edit = (file: string, from: string | RegExp, to: string) => (f: Files) => {
  const text = String(f[file]);
  if (typeof from === 'string' ? !text.includes(from) : !from.test(text)) throw new Error(`mutation does not apply to ${file}: ${from}`);
  f[file] = text.replace(from, to);
};
const append = (file: string, text: string) => (f: Files) => { f[file] = String(f[file] ?? '') + text; };
const put = (file: string, text: string | Buffer) => (f: Files) => { f[file] = text; };
const role = (name: string, body = '') => `name: ${name}\ndescription: Test role\nenabled: true\n${body}`;
const account = (id: string, alias: string, type: string, body = '') => `id: "${id}"\nalias: ${alias}\ntype: ${type}\n${body}`;

const MUTATIONS: Mutation[] = [
  // --- YAML syntax and encodings
  { name: 'unclosed double quote', apply: edit('users.yaml', '  region: us-east-1', '  region: "us-east-1'), at: 'users.yaml:3' },
  { name: 'unclosed single quote', apply: edit('accounts/prod.yaml', 'alias: acme-prod', "alias: 'acme-prod"), at: 'accounts/prod.yaml:2' },
  { name: 'unclosed flow list', apply: edit('users.yaml', 'FullAdministrator: [prod, dev]', 'FullAdministrator: [prod, dev'), at: 'users.yaml:7' },
  { name: 'unclosed flow map', apply: edit('accounts/dev.yaml', 'roles:\n  KMSAdministrator: true', 'roles: {KMSAdministrator: true'), at: 'accounts/dev.yaml:5' },
  { name: 'tab indentation', apply: edit('users.yaml', '  bob:\n    groups', '  bob:\n\tgroups'), at: 'users.yaml:15' },
  { name: 'key out of line', apply: edit('users.yaml', '      ReadOnly: [prod]', '     ReadOnly: [prod]'), at: 'users.yaml:11' },
  { name: 'two documents', apply: append('accounts/prod.yaml', '---\nid: "999999999999"\n'), at: 'accounts/prod.yaml:4' },
  { name: 'duplicate user key', apply: append('users.yaml', '  bob: [admins]\n'), at: 'users.yaml:17' },
  { name: 'duplicate key through an alias', apply: (f) => { users(f, '  alice@example.com: [admins]', '  &who alice@example.com: [admins]'); f['users.yaml'] += '  *who : [devs]\n'; }, at: 'users.yaml:17' },
  { name: 'alias without anchor', apply: edit('users.yaml', '  alice@example.com: [admins]', '  alice@example.com: *admins'), at: 'users.yaml:13' },
  { name: 'unknown tag', apply: edit('accounts/prod.yaml', 'type: prod', 'type: !Ref prod'), at: 'accounts/prod.yaml:3' },
  { name: 'colon in an unquoted value', apply: edit('users.yaml', '    email: bob@example.com', '    email: bob: example'), at: 'users.yaml:16' },
  { name: 'Latin-1 byte', apply: (f) => { f['users.yaml'] = Buffer.concat([Buffer.from(String(f['users.yaml']).replace('bob:', 'b')), Buffer.from([0xe9]), Buffer.from('b:\n')]); }, at: 'users.yaml' },
  { name: 'UTF-16 file', apply: (f) => { f['accounts/prod.yaml'] = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(String(f['accounts/prod.yaml']), 'utf16le')]); }, at: 'accounts/prod.yaml:1' },
  { name: 'NUL byte', apply: (f) => { f['accounts/dev.yaml'] = Buffer.concat([Buffer.from('id: "333333333333"\n'), Buffer.from([0]), Buffer.from('\n')]); }, at: 'accounts/dev.yaml:2' },
  { name: 'CRLF file with an error', apply: (f) => { f['accounts/prod.yaml'] = 'id: "222222222222"\r\nalias: acme-prod\r\ntype: prod\r\nregoin: us-east-1\r\n'; }, at: 'accounts/prod.yaml:4' },
  { name: 'empty users.yaml', apply: put('users.yaml', ''), at: 'users.yaml:1' },
  { name: 'users.yaml is a list', apply: put('users.yaml', '- central\n- groups\n'), at: 'users.yaml:1' },
  { name: 'role file with a YAML error', apply: put('roles/Broken.yaml', 'name: Broken\ndescription: [x\nenabled: true\n'), at: 'roles/Broken.yaml:2' },
  { name: 'policy file with a JSON syntax error', apply: (f) => { f['policies/p.json'] = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",}]}'; f['roles/ReadOnly.yaml'] += 'policies: [p]\n'; }, at: 'policies/p.json:1' },

  // --- schema: keys, types, patterns, ranges
  { name: 'unknown top-level key', apply: append('users.yaml', 'userz: {}\n'), at: 'users.yaml:17' },
  { name: 'unknown key in central', apply: edit('users.yaml', '  region: us-east-1', '  region: us-east-1\n  regoin: eu-west-1'), at: 'users.yaml:4' },
  { name: 'unknown key in a group', apply: edit('users.yaml', '  devs:\n    roles:', '  devs:\n    rolez: {}\n    roles:'), at: 'users.yaml:9' },
  { name: 'unknown key in a user', apply: edit('users.yaml', '    email: bob@example.com', '    emial: bob@example.com'), at: 'users.yaml:16' },
  { name: 'unknown key in an account', apply: append('accounts/prod.yaml', 'regoin: us-east-1\n'), at: 'accounts/prod.yaml:4' },
  { name: 'unknown key in a role', apply: append('roles/ReadOnly.yaml', 'awsManagedPolicy: [ReadOnlyAccess]\n'), at: 'roles/ReadOnly.yaml' },
  { name: 'unknown key in a statement', apply: put('roles/Web.yaml', role('Web', 'statements:\n  - Effect: Allow\n    Actions: s3:GetObject\n    Resource: "*"\n')), at: 'roles/Web.yaml:6' },
  { name: 'Principal in an identity statement', apply: put('roles/Web.yaml', role('Web', 'statements:\n  - Effect: Allow\n    Principal: {AWS: "*"}\n    Action: s3:GetObject\n    Resource: "*"\n')), at: 'roles/Web.yaml:6' },
  { name: 'unknown key in security', apply: append('users.yaml', 'security:\n  mfaMaxAge: 3600\n'), at: 'users.yaml:18' },
  { name: 'unknown key in guardrails', apply: append('accounts/prod.yaml', 'guardrails:\n  allowedRegion: [us-east-1]\n'), at: 'accounts/prod.yaml:5' },
  { name: 'guardrails: true', apply: append('accounts/prod.yaml', 'guardrails: true\n'), at: 'accounts/prod.yaml:4' },
  { name: 'unquoted account id', apply: edit('accounts/prod.yaml', 'id: "222222222222"', 'id: 222222222222'), at: 'accounts/prod.yaml:1' },
  { name: 'account id with 11 digits', apply: edit('accounts/prod.yaml', 'id: "222222222222"', 'id: "22222222222"'), at: 'accounts/prod.yaml:1' },
  { name: 'central account id with letters', apply: edit('users.yaml', 'account: "111111111111"', 'account: "11111111111x"'), at: 'users.yaml:2' },
  { name: 'alias with upper case', apply: edit('accounts/prod.yaml', 'alias: acme-prod', 'alias: Acme-Prod'), at: 'accounts/prod.yaml:2' },
  { name: 'alias with a double hyphen', apply: edit('accounts/prod.yaml', 'alias: acme-prod', 'alias: acme--prod'), at: 'accounts/prod.yaml:2' },
  { name: 'region not shaped like one', apply: edit('accounts/dev.yaml', 'region: eu-west-1', 'region: Europe'), at: 'accounts/dev.yaml:4' },
  { name: 'type with an underscore', apply: (f) => { edit('accounts/prod.yaml', 'type: prod', 'type: prod_us')(f); }, at: 'accounts/prod.yaml:3' },
  { name: 'type starting with a digit', apply: edit('accounts/prod.yaml', 'type: prod', 'type: 1prod'), at: 'accounts/prod.yaml:3' },
  { name: 'user name with a space', apply: append('users.yaml', '  "carol smith": [devs]\n'), at: 'users.yaml:17' },
  { name: 'user name over 64 characters', apply: append('users.yaml', `  ${'u'.repeat(65)}: [devs]\n`), at: 'users.yaml:17' },
  { name: 'user name of one character', apply: append('users.yaml', '  c: [devs]\n'), at: 'users.yaml:17' },
  { name: 'group name with a slash', apply: edit('users.yaml', '  devs:', '  dev/s:'), at: 'users.yaml:8' },
  { name: 'date in the wrong format', apply: edit('users.yaml', '    email: bob@example.com', '    email: bob@example.com\n    expires: 31/12/2027'), at: 'users.yaml:17' },
  { name: 'date that does not exist', apply: edit('users.yaml', '    email: bob@example.com', '    email: bob@example.com\n    expires: 2027-02-30'), at: 'users.yaml:17' },
  { name: 'time without Z', apply: edit('users.yaml', '    email: bob@example.com', '    email: bob@example.com\n    expires: 2027-02-01T18:00:00'), at: 'users.yaml:17' },
  { name: 'membership without expires', apply: edit('users.yaml', '    groups: [devs]', '    groups:\n      - group: devs'), at: 'users.yaml:16' },
  { name: 'bad email', apply: edit('users.yaml', '    email: bob@example.com', '    email: bob-at-example'), at: 'users.yaml:16' },
  { name: 'session too short', apply: append('accounts/prod.yaml', 'maxSessionDuration: 60\n'), at: 'accounts/prod.yaml:4' },
  { name: 'session too long', apply: append('accounts/prod.yaml', 'maxSessionDuration: 86400\n'), at: 'accounts/prod.yaml:4' },
  { name: 'MFA age out of range', apply: append('users.yaml', 'security:\n  mfaMaxAgeSeconds: 10\n'), at: 'users.yaml:18' },
  { name: 'password length out of range', apply: append('users.yaml', 'security:\n  passwordPolicy:\n    minimumLength: 6\n'), at: 'users.yaml:19' },
  { name: 'password reuse as a string', apply: append('users.yaml', 'security:\n  passwordPolicy:\n    passwordReusePrevention: "24"\n'), at: 'users.yaml:19' },
  { name: 'empty list of types', apply: edit('users.yaml', 'FullAdministrator: [prod, dev]', 'FullAdministrator: []'), at: 'users.yaml:7' },
  { name: 'type listed twice', apply: edit('users.yaml', 'FullAdministrator: [prod, dev]', 'FullAdministrator: [prod, prod]'), at: 'users.yaml:7' },
  { name: 'role enabled as a string', apply: edit('roles/ReadOnly.yaml', 'enabled: true', 'enabled: "yes"'), at: 'roles/ReadOnly.yaml' },
  { name: 'role without a description', apply: edit('roles/ReadOnly.yaml', /description: .*\n/, ''), at: 'roles/ReadOnly.yaml' },
  { name: 'role name with a space', apply: put('roles/Web Tier.yaml', role('Web Tier')), at: 'roles/Web Tier.yaml' },
  { name: 'service principal not of AWS', apply: append('accounts/dev.yaml', 'serviceRoles:\n  App:\n    service: ec2.example.com\n'), at: 'accounts/dev.yaml:9' },
  { name: 'revocation time without Z', apply: append('users.yaml', 'revokeSessions:\n  bob: "2026-11-22 10:00"\n'), at: 'users.yaml:18' },
  { name: 'connection ARN malformed', apply: append('users.yaml', 'pipeline:\n  account: "111111111111"\n  region: us-east-1\n  connectionArn: github\n  repository: a/b\n  waveOrder: [dev, prod]\n'), at: 'users.yaml:20' },
  { name: 'trust principal that is not an ARN', apply: put('roles/Web.yaml', role('Web', 'trust:\n  principals:\n    - arn: scanner\n')), at: 'roles/Web.yaml:6' },
  { name: 'session tag key starting with aws:', apply: put('roles/Web.yaml', role('Web', 'trust:\n  sessionTags:\n    "aws:team": team\n')), at: 'roles/Web.yaml:6' },
  { name: 'user tag named managed-by', apply: edit('users.yaml', '    email: bob@example.com', '    email: bob@example.com\n    tags: {managed-by: me}'), at: 'users.yaml:17' },

  // --- IAM policy documents
  { name: 'wrong policy Version', apply: (f) => { f['policies/p.json'] = '{"Version": "2012-10-18", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'; }, at: 'policies/p.json:1' },
  { name: 'Effect typo', apply: put('roles/Web.yaml', role('Web', 'statements:\n  - Effect: Alow\n    Action: s3:GetObject\n    Resource: "*"\n')), at: 'roles/Web.yaml:5' },
  { name: 'action without a service prefix', apply: put('roles/Web.yaml', role('Web', 'statements:\n  - Effect: Allow\n    Action: GetObject\n    Resource: "*"\n')), at: 'roles/Web.yaml:6' },
  { name: 'resource that is not an ARN', apply: put('roles/Web.yaml', role('Web', 'statements:\n  - Effect: Allow\n    Action: s3:GetObject\n    Resource: my-bucket/*\n')), at: 'roles/Web.yaml:7' },
  { name: 'statement without Resource', apply: put('roles/Web.yaml', role('Web', 'statements:\n  - Effect: Allow\n    Action: s3:GetObject\n')), at: 'roles/Web.yaml:5' },
  { name: 'statement with Action and NotAction', apply: put('roles/Web.yaml', role('Web', 'statements:\n  - Effect: Deny\n    Action: s3:*\n    NotAction: s3:Get*\n    Resource: "*"\n')), at: 'roles/Web.yaml:7' },
  { name: 'unknown condition operator', apply: put('roles/Web.yaml', role('Web', 'statements:\n  - Effect: Allow\n    Action: s3:GetObject\n    Resource: "*"\n    Condition:\n      StringEqual: {aws:PrincipalTag/team: web}\n')), at: 'roles/Web.yaml:9' },
  { name: 'unknown placeholder', apply: put('roles/Web.yaml', role('Web', 'statements:\n  - Effect: Allow\n    Action: s3:GetObject\n    Resource: "arn:{partition}:s3:::{acount}-web/*"\n')), at: 'roles/Web.yaml:7' },
  { name: 'statement too large to split', apply: put('roles/Web.yaml', role('Web', `statements:\n  - Effect: Allow\n    Action: s3:GetObject\n    Resource: "*"\n    Condition:\n      StringEquals:\n        aws:PrincipalTag/team: ${'x'.repeat(6200)}\n`)), at: 'roles/Web.yaml:5' },
  { name: 'two policy files with one name', apply: (f) => { f['policies/p.json'] = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}'; f['policies/p.yml'] = 'Version: "2012-10-17"\nStatement: {Effect: Allow, Action: "s3:*", Resource: "*"}\n'; }, at: 'policies/p.json:1' },
  { name: 'policy file that is not a policy', apply: put('policies/p.json', '{"users": ["alice"]}'), at: 'policies/p.json:1' },

  // --- references
  { name: 'unknown group', apply: edit('users.yaml', '[admins]', '[admin]'), at: 'users.yaml:13' },
  { name: 'group listed twice', apply: edit('users.yaml', '[admins]', '[admins, admins]'), at: 'users.yaml:13' },
  { name: 'unknown role in a group', apply: edit('users.yaml', 'PowerUser: [dev]', 'PowerUsr: [dev]'), at: 'users.yaml:10' },
  { name: 'unknown role granted to a user', apply: edit('users.yaml', '    email: bob@example.com', '    email: bob@example.com\n    roles: {Admin: [dev]}'), at: 'users.yaml:17' },
  { name: 'unknown role in an account', apply: edit('accounts/dev.yaml', 'KMSAdministrator: true', 'KMSAdmin: true'), at: 'accounts/dev.yaml:6' },
  { name: 'unknown account type in a grant', apply: edit('users.yaml', 'ReadOnly: [prod]', 'ReadOnly: [production]'), at: 'users.yaml:11' },
  { name: 'type in the wrong case in a grant', apply: edit('users.yaml', 'ReadOnly: [prod]', 'ReadOnly: [Prod]'), at: 'users.yaml:11' },
  { name: 'unknown policy file in a role', apply: append('roles/ReadOnly.yaml', 'policies: [nothing-here]\n'), at: 'roles/ReadOnly.yaml' },
  { name: 'unknown policy file in an account', apply: append('accounts/dev.yaml', '  ReadOnly: {extraPolicies: [nothing-here]}\n'), at: 'accounts/dev.yaml:7' },
  { name: 'unknown policy file in a service role', apply: append('accounts/dev.yaml', 'serviceRoles:\n  App:\n    service: ec2.amazonaws.com\n    policies: [nothing-here]\n'), at: 'accounts/dev.yaml:10' },
  { name: 'duplicate account id', apply: put('accounts/prod2.yaml', account('222222222222', 'acme-prod2', 'prod')), at: 'accounts/prod2.yaml:1' },
  { name: 'duplicate alias', apply: put('accounts/prod2.yaml', account('222222222223', 'acme-prod', 'prod')), at: 'accounts/prod2.yaml:2' },
  { name: 'waveOrder leaves a type out', apply: append('users.yaml', 'pipeline:\n  account: "111111111111"\n  region: us-east-1\n  connectionArn: arn:aws:codeconnections:us-east-1:111111111111:connection/abc\n  repository: a/b\n  waveOrder: [dev]\n'), at: 'users.yaml:22' },
  { name: 'waveOrder names an unknown type', apply: append('users.yaml', 'pipeline:\n  account: "111111111111"\n  region: us-east-1\n  connectionArn: arn:aws:codeconnections:us-east-1:111111111111:connection/abc\n  repository: a/b\n  waveOrder: [dev, prod, staging]\n'), at: 'users.yaml:22' },
  { name: 'console user without an onboarding principal', apply: edit('users.yaml', '    email: bob@example.com', '    email: bob@example.com\n    console: true'), at: 'users.yaml:17' },
  { name: 'onboarding principal outside the central account', apply: (f) => { append('users.yaml', 'security:\n  onboardingPrincipal: arn:aws:iam::999999999999:role/HR\n')(f); }, at: 'users.yaml:18' },
  { name: 'role file named unlike its role', apply: put('roles/Web.yaml', role('WebTier')), at: 'roles/Web.yaml:1' },
  { name: 'customer managed policy name IAM refuses', apply: append('roles/ReadOnly.yaml', 'customerManagedPolicies: ["DNS Sec"]\n'), at: 'roles/ReadOnly.yaml:8' },
  { name: 'an Allow among the deny statements', apply: (f) => { put('policies/denies.json', '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}')(f); append('accounts/dev.yaml', 'guardrails:\n  denyStatements: [denies]\n')(f); }, at: 'accounts/dev.yaml:8' },
  { name: 'a group grants a role nobody signs into', apply: (f) => { put('roles/Auto.yaml', role('Auto', 'people: false\ntrust:\n  principals:\n    - arn: arn:aws:iam::999999999999:role/CI\n'))(f); users(f, 'PowerUser: [dev]', 'PowerUser: [dev]\n      Auto: [dev]'); }, at: 'users.yaml:11' },
  { name: 'trusted account without MFA or ExternalId', apply: put('roles/Web.yaml', role('Web', 'trust:\n  accounts:\n    - id: "999999999999"\n')), at: 'roles/Web.yaml:6' },
  { name: 'central account trusted again', apply: put('roles/Web.yaml', role('Web', 'trust:\n  accounts:\n    - id: "111111111111"\n      mfa: true\n')), at: 'roles/Web.yaml:6' },

  // --- values AWS would reject
  { name: 'region typo', apply: edit('accounts/dev.yaml', 'region: eu-west-1', 'region: us-esat-1'), at: 'accounts/dev.yaml:4' },
  { name: 'central region typo', apply: edit('users.yaml', 'region: us-east-1', 'region: us-eats-1'), at: 'users.yaml:3' },
  { name: 'allowed region typo', apply: append('accounts/prod.yaml', 'guardrails:\n  allowedRegions: [us-east-1, eu-wset-1]\n'), at: 'accounts/prod.yaml:5' },
  { name: 'guardrails deny the account its own region', apply: append('accounts/dev.yaml', 'guardrails:\n  allowedRegions: [us-east-1]\n'), at: 'accounts/dev.yaml:8' },
  { name: 'AWS managed policy typo in a role', apply: edit('roles/ReadOnly.yaml', '[ReadOnlyAccess]', '[ReadOnlyAcess]'), at: 'roles/ReadOnly.yaml' },
  { name: 'AWS managed policy typo in a service role', apply: append('accounts/dev.yaml', 'serviceRoles:\n  Glue:\n    service: glue.amazonaws.com\n    awsManagedPolicies: [service-role/AWSGlueServiceRol]\n'), at: 'accounts/dev.yaml:10' },
  { name: 'partition that does not match the region', apply: edit('users.yaml', '  region: us-east-1', '  region: us-east-1\n  partition: aws-cn'), at: 'users.yaml:4' },
  { name: 'GovCloud central with a commercial member', apply: edit('users.yaml', 'region: us-east-1', 'region: us-gov-west-1'), at: 'accounts/dev.yaml:4' },
  { name: 'member region in China with a commercial central', apply: edit('accounts/dev.yaml', 'region: eu-west-1', 'region: cn-north-1'), at: 'accounts/dev.yaml:4' },
  { name: 'pipeline region typo', apply: append('users.yaml', 'pipeline:\n  account: "111111111111"\n  region: us-eats-1\n  connectionArn: arn:aws:codeconnections:us-east-1:111111111111:connection/abc\n  repository: a/b\n  waveOrder: [dev, prod]\n'), at: 'users.yaml:19' },

  // --- limits
  { name: 'more than 10 groups for a user', apply: (f) => { const gs = Array.from({ length: 11 }, (_, i) => `g${i}`); users(f, 'users:\n', `${gs.map((g) => `  ${g}: {}`).join('\n')}\nusers:\n`); f['users.yaml'] = String(f['users.yaml']) + `  many: [${gs}]\n`; }, at: 'users.yaml:28' },
  { name: 'more than 10 managed policies on a role', apply: put('roles/Greedy.yaml', role('Greedy', `awsManagedPolicies: [ReadOnlyAccess, SecurityAudit, AmazonS3ReadOnlyAccess, AmazonEC2ReadOnlyAccess, CloudWatchReadOnlyAccess, AmazonRDSReadOnlyAccess, AmazonDynamoDBReadOnlyAccess, AWSLambda_ReadOnlyAccess, AmazonSQSReadOnlyAccess, AmazonSNSReadOnlyAccess]\njustification: {awsManagedPolicies: "a test of the managed-policy quota"}\nstatements:\n  - {Effect: Allow, Action: "s3:GetObject", Resource: "*"}\n`)), at: 'roles/Greedy.yaml:1' },
  { name: 'trust policy over 2,048 characters', apply: put('roles/Web.yaml', role('Web', `trust:\n  principals:\n${Array.from({ length: 30 }, (_, i) => `    - arn: arn:aws:iam::9999999999${String(i).padStart(2, '0')}:role/scanner-with-a-long-name\n      externalId: external-id-${i}\n`).join('')}`)), at: 'roles/Web.yaml:1' },
  { name: 'guardrails too large for the roles\' policy quota', apply: append('users.yaml', `security:\n  guardrails:\n    protectedNamePatterns: [${Array.from({ length: 60 }, (_, i) => `"protected-data-store-${i}-*"`).join(', ')}]\n`), at: 'users.yaml:18' },
  { name: 'revocations too many for the roles\' policy quota', apply: append('users.yaml', `revokeSessions:\n${Array.from({ length: 600 }, (_, i) => `  leaver-${i}@example.com: "2026-11-22T10:00:00Z"\n`).join('')}`), at: 'users.yaml:17' },

  // --- names that fold together
  { name: 'types prod-1 and prod1', apply: (f) => { f['accounts/a.yaml'] = account('444444444441', 'acme-a', 'prod-1'); f['accounts/b.yaml'] = account('444444444442', 'acme-b', 'prod1'); }, at: 'accounts/a.yaml:3' },
  { name: 'types ab-c and abc', apply: (f) => { f['accounts/a.yaml'] = account('444444444441', 'acme-a', 'ab-c'); f['accounts/b.yaml'] = account('444444444442', 'acme-b', 'abc'); }, at: 'accounts/b.yaml:3' },
  { name: 'types prod and Prod', apply: put('accounts/prod2.yaml', account('444444444441', 'acme-prod2', 'Prod')), at: 'accounts/prod2.yaml:3' },
  { name: 'users differing in case', apply: append('users.yaml', '  Bob: [devs]\n'), at: 'users.yaml:17' },
  { name: 'groups differing in case', apply: edit('users.yaml', '  devs:\n', '  Admins: {}\n  devs:\n'), at: 'users.yaml:8' },
  { name: 'roles differing in case', apply: put('roles/readonly.yaml', role('readonly')), at: 'roles/readonly.yaml:1' },
  { name: 'service role readonly beside ReadOnly', apply: append('accounts/dev.yaml', 'serviceRoles:\n  readonly:\n    service: ec2.amazonaws.com\n'), at: 'accounts/dev.yaml:8' },
  { name: 'two service roles differing in case', apply: append('accounts/dev.yaml', 'serviceRoles:\n  App:\n    service: ec2.amazonaws.com\n  app:\n    service: ecs-tasks.amazonaws.com\n'), at: 'accounts/dev.yaml:10' },
  { name: 'two account files for one stack', apply: put('accounts/prod.yml', account('444444444441', 'acme-prod-b', 'prod')), at: 'accounts/prod.yml:1' },
  { name: 'account file name that is no CLI prefix', apply: put('accounts/Prod_EU.yaml', account('444444444441', 'acme-prod-eu', 'prod')), at: 'accounts/Prod_EU.yaml:1' },
  { name: 'a group\'s and a user\'s packed policies with one name', apply: (f) => {
    const types = Array.from({ length: 6 }, (_, i) => `t${i}`);
    types.forEach((t, i) => { f[`accounts/${t}.yaml`] = account(`90000000000${i}`, `acme-${t}`, t); });
    users(f, '      FullAdministrator: [prod, dev]', `      FullAdministrator: [${types}]\n      ReadOnly: [${types}]`);
    f['users.yaml'] = String(f['users.yaml']) + `  admins:\n    roles:\n      Auditor: [${types}]\n      BillingReadOnly: [${types}]\n`;
  }, at: 'users.yaml' },
  { name: 'wave name clash: type prod-part1 beside 21 prod accounts', apply: (f) => {
    for (let i = 0; i < 21; i++) f[`accounts/p${i}.yaml`] = account(String(500000000000 + i), `acme-p${i}`, 'prod');
    f['accounts/x.yaml'] = account('600000000000', 'acme-x', 'prod-part1');
    f['users.yaml'] = String(f['users.yaml']) + 'pipeline:\n  account: "111111111111"\n  region: us-east-1\n  connectionArn: arn:aws:codeconnections:us-east-1:111111111111:connection/abc\n  repository: a/b\n  waveOrder: [dev, prod, prod-part1]\n';
  }, at: 'users.yaml' },

  // --- the file system
  { name: 'users.yaml is a directory', apply: (f) => { delete f['users.yaml']; }, disk: (d) => mkdirSync(join(d, 'users.yaml')), at: 'users.yaml:1' },
  { name: 'an account file is a directory', apply: () => {}, disk: (d) => mkdirSync(join(d, 'accounts', 'x.yaml')), at: 'accounts/x.yaml:1' },
  { name: 'symbolic link loop', apply: () => {}, disk: (d) => { symlinkSync('y.yaml', join(d, 'accounts', 'x.yaml')); symlinkSync('x.yaml', join(d, 'accounts', 'y.yaml')); }, at: 'accounts/x.yaml:1' },
  { name: 'dangling symbolic link', apply: () => {}, disk: (d) => symlinkSync('nowhere.yaml', join(d, 'accounts', 'x.yaml')), at: 'accounts/x.yaml:1' },
  { name: 'missing users.yaml', apply: (f) => { delete f['users.yaml']; }, at: 'users.yaml:1' },
  { name: 'missing accounts directory', apply: (f) => { for (const k of Object.keys(f)) if (k.startsWith('accounts/')) delete f[k]; }, at: 'accounts/:1' },
  { name: 'missing roles directory', apply: (f) => { for (const k of Object.keys(f)) if (k.startsWith('roles/')) delete f[k]; }, at: 'roles/:1' },
  { name: 'accounts is a file', apply: (f) => { for (const k of Object.keys(f)) if (k.startsWith('accounts/')) delete f[k]; }, disk: (d) => writeFileSync(join(d, 'accounts'), 'prod'), at: 'accounts/:1' },
  { name: 'empty accounts directory', apply: (f) => { for (const k of Object.keys(f)) if (k.startsWith('accounts/')) delete f[k]; }, disk: (d) => mkdirSync(join(d, 'accounts')), at: 'accounts/:1' },
];

function materialize(m: Mutation): string {
  const files: Files = baseFiles();
  m.apply(files);
  const dir = mkdtempSync(join(tmpdir(), 'roster-broken-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  m.disk?.(dir);
  return dir;
}

/** Every `file:line:col: error:` line is followed by a hint line; returns the error locations. */
function checkReport(stderr: string): { errors: string[]; unhinted: string[] } {
  const lines = stderr.split('\n');
  const errors: string[] = [];
  const unhinted: string[] = [];
  lines.forEach((line, i) => {
    if (!/^.+?:\d+:\d+: error: /.test(line)) return;
    errors.push(line);
    if (!/^ {4}hint: \S/.test(lines[i + 1] ?? '')) unhinted.push(line);
  });
  return { errors, unhinted };
}

function expectRefused(m: Mutation, code: number | null, stderr: string): void {
  expect(code, `${m.name}: exit code`).toBe(1);
  expect(stderr, `${m.name}: stack trace`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  const { errors, unhinted } = checkReport(stderr);
  expect(errors.length, `${m.name}: no located error in\n${stderr}`).toBeGreaterThan(0);
  expect(unhinted, `${m.name}: errors without a hint`).toEqual([]);
  expect(errors.some((e) => e.startsWith(`${m.at}:`)), `${m.name}: no error at ${m.at} in\n${errors.join('\n')}`).toBe(true);
}

describe('broken configs (generated from a valid one)', () => {
  it(`covers every category with at least 100 cases (${MUTATIONS.length})`, () => {
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(MUTATIONS.map((m) => m.name)).size).toBe(MUTATIONS.length);
  });

  it('the unmutated config is valid', () => {
    expect(roster(['validate', '--dir', writeConfig(baseFiles())]).code).toBe(0);
  });

  it.each(MUTATIONS.map((m) => [m.name, m] as const))('roster validate refuses: %s', (_, m) => {
    const dir = materialize(m);
    const r = roster(['validate', '--dir', dir]);
    expectRefused(m, r.code, r.stderr);
    expect(r.stdout).toBe('');
    rmSync(dir, { recursive: true, force: true });
  });

  it('cdk synth (bin/app.ts) refuses every one the same way and writes nothing', async () => {
    const run = (m: Mutation) => new Promise<void>((resolve, reject) => {
      const dir = materialize(m);
      const outdir = join(mkdtempSync(join(tmpdir(), 'roster-broken-out-')), 'cdk.out');
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
      const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'bin/app.ts')], { cwd: repoRoot, env: { ...env, CDK_OUTDIR: outdir, ROSTER_CONFIG_DIR: dir, ROSTER_TODAY: '2026-11-22' } });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => {
        try {
          expectRefused(m, code, stderr);
          expect(existsSync(outdir) ? readdirSync(outdir) : [], `${m.name}: wrote to cdk.out`).toEqual([]);
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });
    const queue = [...MUTATIONS];
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (queue.length > 0) await run(queue.shift()!);
    }));
  }, 600_000);
});
