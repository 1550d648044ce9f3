import { describe, expect, it } from 'vitest';
import { baseFiles, issueLines, validate } from '../helpers.js';

/** The base config plus one role file (and optionally more files). */
function withRole(name: string, text: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...baseFiles(), [`roles/${name}.yaml`]: text, ...extra };
}

const role = (body: string) => `name: Web\ndescription: Web tier\nenabled: true\n${body}`;
const policy = (statement: string) => `{\n  "Version": "2012-10-17",\n  "Statement": [\n    ${statement}\n  ]\n}\n`;
const hints = (files: Record<string, string>) => validate(files).issues.map((i) => i.hint);

describe('role files', () => {
  it('a valid role file is a role of the catalog, usable by groups and accounts', () => {
    const files = withRole('Web', role('statements:\n  - Effect: Allow\n    Action: s3:GetObject\n    Resource: "arn:{partition}:s3:::web-{account}/*"\n'));
    files['users.yaml'] = files['users.yaml'].replace('      ReadOnly: [prod]', '      ReadOnly: [prod]\n      Web: [prod]');
    const { config, issues } = validate(files);
    expect(issues).toEqual([]);
    expect(config!.roles.map((r) => r.name)).toContain('Web');
  });

  it('reports unknown keys with a did-you-mean hint', () => {
    const files = withRole('Web', role('awsManagedPolicy: [ReadOnlyAccess]\n'));
    expect(issueLines(files)).toEqual(["roles/Web.yaml:4:1: error: unknown key 'awsManagedPolicy' in the file"]);
    expect(hints(files)).toEqual(["did you mean 'awsManagedPolicies'?"]);
  });

  it('reports a role whose name differs from its file name, at the name', () => {
    const files = withRole('Web', role('').replace('name: Web', 'name: WebTier'));
    expect(issueLines(files)).toEqual(["roles/Web.yaml:1:7: error: role 'WebTier' is in roles/Web.yaml"]);
    expect(hints(files)[0]).toBe('a role file is named after its role: rename the file to roles/WebTier.yaml, or set name: Web');
  });

  it('reports an AWS managed policy that does not exist, with the closest real name', () => {
    const files = withRole('Web', role('awsManagedPolicies: [service-role/AWSGlueServiceRol]\njustification:\n  awsManagedPolicies: Glue jobs need their service policy.\n'));
    expect(issueLines(files)).toEqual(["roles/Web.yaml:4:22: error: AWS has no managed policy 'service-role/AWSGlueServiceRol'"]);
    expect(hints(files)[0]).toMatch(/^did you mean 'service-role\/AWSGlueServiceRole'\?/);
  });

  it('reports a trusted account with neither MFA nor an ExternalId, and one that is the central account', () => {
    const files = withRole('Web', role('trust:\n  accounts:\n    - id: "999999999999"\n    - id: "111111111111"\n      mfa: true\n'));
    expect(issueLines(files)).toEqual([
      'roles/Web.yaml:6:7: error: trusting account 999999999999 needs a condition',
      'roles/Web.yaml:7:11: error: the central account 111111111111 is trusted already (its users, with MFA and their own session name)',
    ]);
  });

  it('reports two roles whose names differ only in case, at both', () => {
    const files = withRole('Readonly', role('').replace('name: Web', 'name: Readonly'));
    expect(issueLines(files)).toEqual([
      "roles/ReadOnly.yaml:2:7: error: role 'ReadOnly' and role 'Readonly' (roles/Readonly.yaml) differ only in case",
      "roles/Readonly.yaml:1:7: error: role 'Readonly' and role 'ReadOnly' (roles/ReadOnly.yaml) differ only in case",
    ]);
  });

  it('warns when a user who may assume a role lacks the user tag its session tag comes from', () => {
    const files = withRole('Web', role('trust:\n  sessionTags:\n    SSMSessionRunAs: ec2_username\n'));
    files['users.yaml'] = files['users.yaml'].replace('      ReadOnly: [prod]', '      ReadOnly: [prod]\n      Web: [prod]');
    const { config, issues } = validate(files);
    expect(config).toBeDefined();
    expect(issues.map((i) => `${i.file}:${i.line}:${i.col}: ${i.severity}: ${i.message}`)).toEqual([
      "users.yaml:15:3: warning: user 'bob' may assume Web, whose session tag SSMSessionRunAs comes from the user tag 'ec2_username', which the user lacks",
    ]);
  });

  it('a broken role file is reported once, not as an unknown role everywhere it is used', () => {
    const files = withRole('Web', 'name: Web\ndescription: Web tier: the front end\nenabled: true\n');
    files['users.yaml'] = files['users.yaml'].replace('      ReadOnly: [prod]', '      ReadOnly: [prod]\n      Web: [prod]');
    expect(issueLines(files)).toEqual(["roles/Web.yaml:2:14: error: YAML: a value contains ': ' (a colon and a space), which starts a map"]);
  });
});

describe('policy files and statements', () => {
  const withPolicy = (text: string, file = 'policies/logs.json') => {
    const files = withRole('Web', role('policies: [logs]\n'), { [file]: text });
    return files;
  };

  it('accepts an IAM policy document in JSON or YAML, referenced by name', () => {
    expect(validate(withPolicy(policy('{ "Effect": "Allow", "Action": "logs:FilterLogEvents", "Resource": "*" }'))).issues).toEqual([]);
    expect(validate(withPolicy('Version: "2012-10-17"\nStatement:\n  Effect: Allow\n  Action: [logs:GetLogEvents]\n  Resource: "*"\n', 'policies/logs.yaml')).issues).toEqual([]);
  });

  it('reports a wrong Version, an Effect typo, an action without a service prefix and a resource that is no ARN, each at its place', () => {
    const files = withPolicy(policy('{ "Effect": "Alow", "Action": ["logs:GetLogEvents", "FilterLogEvents"], "Resource": "log-group:app" }').replace('2012-10-17', '2012-10-18'));
    expect(issueLines(files)).toEqual([
      "policies/logs.json:2:14: error: 'Version' must be \"2012-10-17\", not \"2012-10-18\"",
      "policies/logs.json:4:17: error: 'Statement.0.Effect': \"Alow\" is not one of Allow, Deny",
      "policies/logs.json:4:57: error: 'Statement.0.Action.1': \"FilterLogEvents\" is not an IAM action such as s3:GetObject (service prefix, colon, action name; * and ? wildcards) or *",
      "policies/logs.json:4:89: error: 'Statement.0.Resource': \"log-group:app\" is not an ARN such as arn:{partition}:s3:::my-bucket/* (placeholders {partition}, {account}, {region}) or *",
    ]);
    expect(hints(files)[1]).toBe("did you mean 'Allow'?");
  });

  it('reports a missing Resource, Action together with NotAction, and an unknown placeholder', () => {
    const files = withPolicy(policy('{ "Effect": "Allow", "Action": "s3:GetObject" },\n    { "Effect": "Deny", "Action": "s3:*", "NotAction": "s3:Get*", "Resource": "arn:{partition}:s3:::{acount}-data/*" }'));
    expect(issueLines(files)).toEqual([
      'policies/logs.json:4:5: error: the statement has no Resource (or NotResource)',
      'policies/logs.json:5:43: error: the statement has both Action and NotAction',
      'policies/logs.json:5:79: error: unknown placeholder {acount}',
    ]);
    expect(hints(files)[2]).toMatch(/^did you mean account\?/);
  });

  it('reports a statement too large to fit a managed policy even split', () => {
    const files = withPolicy(policy(`{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": { "StringEquals": { "aws:PrincipalTag/team": "${'x'.repeat(6200)}" } } }`));
    expect(issueLines(files)).toEqual([expect.stringMatching(/^policies\/logs\.json:4:5: error: the statement needs 6\d{3} characters even split to one action and one resource; a managed policy holds 6144$/)]);
  });

  it('reports JSON syntax errors at their position', () => {
    const files = withPolicy('{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow" "Action": "s3:*" }\n  ]\n}\n');
    expect(issueLines(files)).toEqual([expect.stringMatching(/^policies\/logs\.json:4:25: error: JSON syntax: /)]);
  });

  it('reports unknown policy files referenced by a role or an account, with a hint', () => {
    const files = withRole('Web', role('policies: [log]\n'), { 'policies/logs.json': policy('{ "Effect": "Allow", "Action": "logs:*", "Resource": "*" }') });
    files['accounts/dev.yaml'] += '  Web:\n    extraPolicies: [logz]\n';
    expect(issueLines(files)).toEqual([
      "accounts/dev.yaml:8:21: error: no policy file 'logz' in policies/",
      "roles/Web.yaml:4:12: error: no policy file 'log' in policies/",
    ]);
    expect(hints(files)).toEqual([
      "did you mean 'logs'? (files in policies/, named without .json/.yaml)",
      "did you mean 'logs'? (files in policies/, named without .json/.yaml)",
    ]);
  });

  it('reports two policy files with the same name, at both', () => {
    const files = withPolicy(policy('{ "Effect": "Allow", "Action": "logs:*", "Resource": "*" }'));
    files['policies/logs.yaml'] = 'Version: "2012-10-17"\nStatement: {Effect: Allow, Action: "logs:*", Resource: "*"}\n';
    expect(issueLines(files)).toEqual([
      'policies/logs.json:1:1: error: policy files policies/logs.json and policies/logs.yaml have the same name',
      'policies/logs.yaml:1:1: error: policy files policies/logs.json and policies/logs.yaml have the same name',
    ]);
  });
});

describe('account types as users write them', () => {
  it('accepts Prod, DataWarehouseProd and prod-us', () => {
    const files = baseFiles();
    files['accounts/prod.yaml'] = files['accounts/prod.yaml'].replace('type: prod', 'type: DataWarehouseProd');
    files['users.yaml'] = files['users.yaml'].replaceAll('prod', 'DataWarehouseProd').replace('alice@example.com', 'alice@example.com');
    expect(validate(files).issues).toEqual([]);
  });

  it('reports types that differ only in case or hyphens, at each spelling', () => {
    const files = baseFiles();
    files['accounts/prod2.yaml'] = 'id: "444444444444"\nalias: acme-prod2\ntype: Prod\n';
    files['accounts/dev2.yaml'] = 'id: "555555555555"\nalias: acme-dev2\ntype: de-v\n';
    const lines = issueLines(files);
    expect(lines).toEqual([
      "accounts/dev.yaml:3:7: error: account type 'dev' and 'de-v' (accounts/dev2.yaml) make the same IAM names",
      "accounts/dev2.yaml:3:7: error: account type 'de-v' and 'dev' (accounts/dev.yaml) make the same IAM names",
      "accounts/prod.yaml:3:7: error: account type 'prod' and 'Prod' (accounts/prod2.yaml) make the same IAM names",
      "accounts/prod2.yaml:3:7: error: account type 'Prod' and 'prod' (accounts/prod.yaml) make the same IAM names",
    ]);
  });

  it('points a grant at the right spelling when only the case differs', () => {
    const files = baseFiles();
    files['users.yaml'] = files['users.yaml'].replace('ReadOnly: [prod]', 'ReadOnly: [Prod]');
    expect(issueLines(files)).toEqual(["users.yaml:11:18: error: account type 'Prod' has no accounts"]);
    expect(hints(files)).toEqual(["account types are written as in the account files: 'prod'"]);
  });
});
