// Validation of what a real organisation's roles need (issue 23): existing customer managed
// policies by name, the organisation's own deny statements, {roleId} and {accountAlias}, every
// IAM condition operator, and roles nobody signs into (people: false). Every error at its place.
import { describe, expect, it } from 'vitest';
import { CONDITION_OPERATORS } from '../../lib/config/iam-policy.js';
import policySchema from '../../lib/config/schema/policy.schema.json' with { type: 'json' };
import { baseFiles, issueLines, validate } from '../helpers.js';

type Files = Record<string, string>;

const errors = (files: Files) => issueLines(files).filter((l) => l.includes(': error: '));
const hints = (files: Files) => validate(files).issues.map((i) => i.hint);

/** A role file of the base config, with `yaml` appended. */
function withRole(yaml: string, role = 'ReadOnly'): Files {
  const files = baseFiles();
  files[`roles/${role}.yaml`] += yaml;
  return files;
}

const statement = (condition: string) => `statements:\n  - Effect: Allow\n    Action: s3:GetObject\n    Resource: "*"\n    Condition:\n      ${condition}\n`;

describe('customerManagedPolicies', () => {
  it('reads names and /path/names as the part of the ARN after policy/, in a role file and in an account file', () => {
    const files = withRole('customerManagedPolicies: [DNSSecDisablePrevent, /security/team/RdsGuard]\n');
    files['accounts/prod.yaml'] += 'roles:\n  ReadOnly:\n    customerManagedPolicies: [/ops/ProdOnly, AuditExtra]\n';
    const { config, issues } = validate(files);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(config!.roles.find((r) => r.name === 'ReadOnly')!.customerManagedPolicies).toEqual(['DNSSecDisablePrevent', 'security/team/RdsGuard']);
    expect(config!.accounts.find((a) => a.prefix === 'prod')!.roleSettings.ReadOnly.customerManagedPolicies).toEqual(['AuditExtra', 'ops/ProdOnly']);
  });

  it('reports each name IAM would refuse at its own entry', () => {
    const files = withRole(`customerManagedPolicies:\n  - "Bad Name"\n  - /a//B\n  - /sec ops/C\n  - /path/\n  - ${'N'.repeat(129)}\n  - IamRoster-ReadOnly-1\n  - /x/Dup\n  - dup\n`);
    expect(errors(files)).toEqual([
      "roles/ReadOnly.yaml:9:5: error: 'Bad Name' is not an IAM policy name",
      "roles/ReadOnly.yaml:10:5: error: the path of '/a//B' has an empty segment (//)",
      "roles/ReadOnly.yaml:11:5: error: the path segment 'sec ops' of '/sec ops/C' has characters IAM does not allow",
      "roles/ReadOnly.yaml:12:5: error: '/path/' has no policy name after its path",
      `roles/ReadOnly.yaml:13:5: error: policy name '${'N'.repeat(129)}' is 129 characters; IAM allows 128`,
      "roles/ReadOnly.yaml:14:5: error: 'IamRoster-ReadOnly-1' is an iam-roster policy name",
      "roles/ReadOnly.yaml:16:5: error: 'dup' names the same policy as '/x/Dup'",
    ]);
  });

  it('warns when the name is an AWS managed policy, with the key to use instead', () => {
    const files = withRole('customerManagedPolicies: [ReadOnlyAccess]\n');
    const issue = validate(files).issues.find((i) => i.message.includes('AWS managed'))!;
    expect([issue.severity, `${issue.file}:${issue.line}:${issue.col}`]).toEqual(['warning', 'roles/ReadOnly.yaml:8:27']);
    expect(issue.hint).toContain('awsManagedPolicies');
  });

  it('reports a bad name in an account file at its entry', () => {
    const files = baseFiles();
    files['accounts/prod.yaml'] += 'roles:\n  ReadOnly:\n    customerManagedPolicies: ["no*stars"]\n';
    expect(errors(files)).toEqual(["accounts/prod.yaml:6:31: error: 'no*stars' is not an IAM policy name"]);
  });
});

describe('denyStatements', () => {
  const denyFile = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoDnssecOff', Effect: 'Deny', Action: 'route53:DisableHostedZoneDNSSEC', Resource: '*' }] });
  const withDeny = (list: string, files = baseFiles()) => {
    files['users.yaml'] = files['users.yaml'].replace('groups:\n', `security:\n  guardrails:\n    denyStatements: ${list}\ngroups:\n`);
    files['policies/dnssec.json'] = denyFile;
    return files;
  };

  it('layers: the account file adds to security.guardrails, never replaces it, each entry with its origin', () => {
    const files = withDeny('[dnssec]');
    files['policies/rds.json'] = denyFile.replace('NoDnssecOff', 'NoRdsDelete').replace('route53:DisableHostedZoneDNSSEC', 'rds:DeleteDBCluster');
    files['accounts/prod.yaml'] += 'guardrails:\n  denyStatements: [rds, dnssec]\n';
    const { config } = validate(files);
    const prod = config!.accounts.find((a) => a.prefix === 'prod')!.guardrails;
    const dev = config!.accounts.find((a) => a.prefix === 'dev')!.guardrails;
    expect(prod !== false && prod.denyStatements).toEqual([
      { policy: 'dnssec', origin: { file: 'users.yaml', path: ['security', 'guardrails', 'denyStatements', 0] } },
      { policy: 'rds', origin: { file: 'accounts/prod.yaml', path: ['guardrails', 'denyStatements', 0] } },
    ]);
    expect(dev !== false && dev.denyStatements.map((d) => d.policy)).toEqual(['dnssec']);
  });

  it('refuses a missing file (with the name to write), an Allow and {roleId}, each at the entry naming the file', () => {
    const files = withDeny('[policies/dnssec.json, allows, own-id]');
    files['policies/allows.json'] = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }, { Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    files['policies/own-id.json'] = JSON.stringify({ Version: '2012-10-17', Statement: { Sid: 'X', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { StringNotEquals: { 'aws:userid': '{roleId}:*' } } } });
    expect(errors(files)).toEqual([
      "users.yaml:6:22: error: 'security.guardrails.denyStatements.0': \"policies/dnssec.json\" is not the name of a file in policies/ without its extension: letters, digits, _ . -",
      'users.yaml:6:44: error: policies/allows.json statement 2 is an Allow: deny statements must all be Deny',
      'users.yaml:6:52: error: policies/own-id.json statement 1 (X) uses {roleId}, which an account-wide policy has no single value for',
    ]);
    expect(hints(files)).toContain('name the file without its folder and extension: dnssec');
  });

  it('refuses an Allow named in an account file at that file', () => {
    const files = withDeny('[dnssec]');
    files['policies/grant.json'] = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    files['accounts/prod.yaml'] += 'guardrails:\n  denyStatements: [grant]\n';
    expect(errors(files)).toEqual(['accounts/prod.yaml:5:20: error: policies/grant.json statement 1 is an Allow: deny statements must all be Deny']);
  });
});

describe('placeholders', () => {
  it('accepts {roleId} and {accountAlias} in role statements and policy files', () => {
    const files = withRole(statement('StringEqualsIgnoreCase: {aws:userid: "{roleId}:${redshift:DbUser}"}').replace('Resource: "*"', 'Resource: "arn:{partition}:s3:::{accountAlias}-logs/*"'));
    expect(errors(files)).toEqual([]);
  });

  it('points a misspelt placeholder at its value, with the right spelling', () => {
    const files = withRole(statement('StringEquals: {aws:userid: "{roleID}:x"}'));
    expect(errors(files)).toEqual(['roles/ReadOnly.yaml:13:34: error: unknown placeholder {roleID}']);
    expect(hints(files)[0]).toMatch(/^did you mean roleId\?; iam-roster fills in \{partition\}, \{account\}, \{region\}, \{accountAlias\}, \{roleId\}$/);
  });
});

describe('condition operators', () => {
  const pattern = new RegExp((policySchema.definitions.condition.propertyNames as { pattern: string }).pattern);

  it('the schema accepts exactly the operators of the IAM grammar (IfExists and set prefixes included)', () => {
    expect(CONDITION_OPERATORS.length).toBe(26 * 2 * 3 + 1);
    expect(CONDITION_OPERATORS.filter((o) => !pattern.test(o))).toEqual([]);
    const wrong = ['StringEqualIgnoreCase', 'NullIfExists', 'ForAnyValue:Null', 'ForAllValue:StringLike', 'stringequals', 'DateLessThanOrEquals', 'ArnLikeIfExist', 'IpAddressIfExists:ForAnyValue'];
    expect(wrong.filter((o) => pattern.test(o))).toEqual([]);
    expect(wrong.filter((o) => CONDITION_OPERATORS.includes(o))).toEqual([]);
  });

  it.each(['StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringEqualsIgnoreCaseIfExists', 'ForAnyValue:StringNotEqualsIgnoreCase', 'ForAllValues:ArnLikeIfExists', '"Null"'])('accepts %s in a role statement', (operator) => {
    expect(errors(withRole(statement(`${operator}: {aws:userid: "x"}`)))).toEqual([]);
  });

  it('reports an unknown operator at its key, with the operator meant', () => {
    const files = withRole(statement('StringEqualIgnoreCase: {aws:userid: x}'));
    expect(errors(files)).toEqual(["roles/ReadOnly.yaml:13:7: error: 'StringEqualIgnoreCase' is not a condition operator such as StringEquals, ForAnyValue:StringLike or ArnLikeIfExists"]);
    expect(hints(files)[0]).toMatch(/^did you mean 'StringEqualsIgnoreCase'\? IAM's operators:/);
  });

  it('says to quote Null, which YAML reads as no value', () => {
    const files = withRole(statement('Null: {aws:userid: "true"}'));
    expect(errors(files)).toEqual(["roles/ReadOnly.yaml:13:7: error: '' is not a condition operator such as StringEquals, ForAnyValue:StringLike or ArnLikeIfExists"]);
    expect(hints(files)[0]).toBe('write "Null" in quotes: YAML reads a bare Null as no value');
  });
});

describe('people: false', () => {
  const machine = [
    'name: AutoDeploy', 'description: CI deploys', 'enabled: true', 'people: false',
    'trust:', '  principals:', '    - arn: arn:aws:iam::999999999999:role/CI', '',
  ].join('\n');

  it('is read from the role file; a role trusts people by default', () => {
    const files: Files = { ...baseFiles(), 'roles/AutoDeploy.yaml': machine };
    const { config } = validate(files);
    expect(config!.roles.map((r) => [r.name, r.people])).toContainEqual(['AutoDeploy', false]);
    expect(config!.roles.find((r) => r.name === 'ReadOnly')!.people).toBe(true);
  });

  it('refuses a grant of it by a group or on a user, at the grant', () => {
    const files: Files = { ...baseFiles(), 'roles/AutoDeploy.yaml': machine };
    files['users.yaml'] = files['users.yaml'].replace('      PowerUser: [dev]\n', '      PowerUser: [dev]\n      AutoDeploy: [dev]\n').replace('    email: bob@example.com\n', '    email: bob@example.com\n    roles:\n      AutoDeploy: [prod]\n');
    expect(errors(files)).toEqual([
      "users.yaml:11:7: error: group 'devs' grants AutoDeploy, which nobody signs into (people: false in roles/AutoDeploy.yaml)",
      "users.yaml:19:7: error: user 'bob' grants AutoDeploy, which nobody signs into (people: false in roles/AutoDeploy.yaml)",
    ]);
  });

  it('needs a trust extra, and takes no session tags', () => {
    const files: Files = { ...baseFiles(), 'roles/AutoDeploy.yaml': 'name: AutoDeploy\ndescription: CI\nenabled: true\npeople: false\ntrust:\n  sessionTags: {Team: team}\n' };
    expect(errors(files)).toEqual([
      'roles/AutoDeploy.yaml:4:9: error: with people: false the role trusts nobody',
      "roles/AutoDeploy.yaml:6:3: error: session tags come from central users' tags, and people: false roles are assumed by no central user",
    ]);
  });
});
