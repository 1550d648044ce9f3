import { runSimulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
// @ts-expect-error plain JS shipped to Lambda as-is
import { consoleAccessOperation, generatePassword, secretPolicy } from '../../lib/lambda/console-access.mjs';

const WHERE = { account: '111111111111', region: 'us-east-1', partition: 'aws', stackPrefixes: ['CentralStack-'] };
const ONBOARDING = 'arn:aws:iam::111111111111:role/PeopleOps';
const HANDLER = 'arn:aws:iam::111111111111:role/iam-roster-console-access';

function event(RequestType: string, initial: boolean, old?: boolean) {
  const props = { ServiceToken: 'arn', UserName: 'ivan', InitialPassword: String(initial), SecretName: 'iam-roster/initial-password/ivan', OnboardingPrincipal: ONBOARDING, HandlerRoleArn: HANDLER, MinimumLength: '16' };
  return {
    RequestType, ResourceType: 'Custom::ConsoleAccess', RequestId: 'r', ResponseURL: 'u', LogicalResourceId: 'ConsoleUserIvan',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/CentralStack-Users01NestedStack-X/abc',
    ResourceProperties: props,
    ...(RequestType === 'Create' ? {} : { PhysicalResourceId: 'console-access-ivan' }),
    ...(old === undefined ? {} : { OldResourceProperties: { ...props, InitialPassword: String(old) } }),
  };
}

/** IAM and Secrets Manager as far as the handler uses them, remembering what it did. */
function fakes(existingLogin = false) {
  const state = { login: existingLogin ? 'old' : undefined as string | undefined, reset: false, secrets: new Map<string, { value: string; policy?: string }>() };
  const iam = {
    createLoginProfile: vi.fn(async (i: any) => {
      if (state.login) throw Object.assign(new Error('exists'), { name: 'EntityAlreadyExistsException' });
      state.login = i.Password; state.reset = i.PasswordResetRequired;
    }),
    updateLoginProfile: vi.fn(async (i: any) => { state.login = i.Password; state.reset = i.PasswordResetRequired; }),
    deleteLoginProfile: vi.fn(async () => { if (!state.login) throw Object.assign(new Error('none'), { name: 'NoSuchEntityException' }); state.login = undefined; }),
  };
  const secrets = {
    createSecret: vi.fn(async (i: any) => { state.secrets.set(i.Name, { value: i.SecretString }); }),
    deleteSecret: vi.fn(async (i: any) => { if (!state.secrets.delete(i.SecretId)) throw Object.assign(new Error('none'), { name: 'ResourceNotFoundException' }); }),
    putResourcePolicy: vi.fn(async (i: any) => { state.secrets.get(i.SecretId)!.policy = i.ResourcePolicy; }),
  };
  const cloudformation = (e: any) => ({ describeStackResource: async () => ({ StackResourceDetail: { ResourceType: e.ResourceType, ResourceStatus: `${e.RequestType.toUpperCase()}_IN_PROGRESS`, PhysicalResourceId: e.PhysicalResourceId } }) });
  const run = (e: any) => consoleAccessOperation(iam, secrets, cloudformation(e), WHERE)(e);
  return { state, iam, secrets, run };
}

describe('console-access handler', () => {
  it('Create with console: true sets a generated password (reset at first sign-in) and hands it over in a secret only the onboarding principal reads', async () => {
    const { state, run } = fakes();
    expect(await run(event('Create', true))).toEqual({ physicalResourceId: 'console-access-ivan', data: { secret: 'iam-roster/initial-password/ivan' } });
    expect(state.reset).toBe(true);
    const secret = state.secrets.get('iam-roster/initial-password/ivan')!;
    expect(JSON.parse(secret.value)).toEqual({ username: 'ivan', password: state.login });
    expect(JSON.parse(secret.policy!).Statement.map((s: any) => s.Sid)).toEqual(['OnboardingPrincipalReads', 'NobodyElseReads', 'OnlyTheHandlerManages']);
  });

  it('console: onboarded deletes the secret and leaves the user\'s own password alone', async () => {
    const { state, iam, run } = fakes();
    await run(event('Create', true));
    const password = state.login;
    expect(await run(event('Update', false, true))).toMatchObject({ data: { secret: 'deleted' } });
    expect(state.secrets.size).toBe(0);
    expect(state.login).toBe(password);
    expect(iam.updateLoginProfile).not.toHaveBeenCalled();
  });

  it('an adopted user with console: onboarded keeps the password they have; no secret is made', async () => {
    const { state, run } = fakes(true);
    await run(event('Create', false));
    expect(state.login).toBe('old');
    expect(state.secrets.size).toBe(0);
  });

  it('going back to console: true issues a new initial password (a lost password), replacing the old one', async () => {
    const { state, run } = fakes(true);
    await run(event('Update', true, false));
    expect(state.login).not.toBe('old');
    expect(state.reset).toBe(true);
    expect(state.secrets.size).toBe(1);
  });

  it('removing console (or the user) deletes the login profile and any secret', async () => {
    const { state, run } = fakes();
    await run(event('Create', true));
    await run(event('Delete', true));
    expect(state.login).toBeUndefined();
    expect(state.secrets.size).toBe(0);
  });

  it('refuses a secret outside iam-roster\'s initial-password prefix', async () => {
    const { run, iam } = fakes();
    const e = event('Create', true);
    e.ResourceProperties.SecretName = 'prod/database-password';
    await expect(run(e)).rejects.toThrow(/not an iam-roster initial password/);
    expect(iam.createLoginProfile).not.toHaveBeenCalled();
  });

  it('generates passwords of the policy\'s length (at least 24) with every character class, never twice the same', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generatePassword(32);
      expect(p).toHaveLength(32);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[^A-Za-z0-9]/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
    expect(generatePassword(8)).toHaveLength(24);
  });
});

/** The symbols IAM's password policy counts for RequireSymbols (IAM User Guide, "Set an account password policy"). */
const IAM_SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

/** Whether IAM would accept `password` under `policy`, counting only the symbols IAM counts. */
function meetsPolicy(password: string, policy: { minimumLength: number; requireUppercase: boolean; requireLowercase: boolean; requireNumbers: boolean; requireSymbols: boolean }): boolean {
  const has = (test: (c: string) => boolean) => [...password].some(test);
  return password.length >= policy.minimumLength
    && (!policy.requireUppercase || has((c) => c >= 'A' && c <= 'Z'))
    && (!policy.requireLowercase || has((c) => c >= 'a' && c <= 'z'))
    && (!policy.requireNumbers || has((c) => c >= '0' && c <= '9'))
    && (!policy.requireSymbols || has((c) => IAM_SYMBOLS.includes(c)));
}

describe('initial passwords against the IAM password policy', () => {
  it('every generated password satisfies any policy iam-roster can configure, counting only IAM\'s symbols (property)', () => {
    const policy = fc.record({
      minimumLength: fc.integer({ min: 8, max: 128 }),
      requireUppercase: fc.boolean(), requireLowercase: fc.boolean(), requireNumbers: fc.boolean(), requireSymbols: fc.boolean(),
    });
    fc.assert(fc.property(policy, (p) => {
      const password = generatePassword(p.minimumLength);
      expect(meetsPolicy(password, p), password).toBe(true);
      // nothing IAM does not count as a symbol: every character is a letter, a digit or one of IAM's symbols
      expect([...password].every((c) => /[A-Za-z0-9]/.test(c) || IAM_SYMBOLS.includes(c)), password).toBe(true);
    }), { numRuns: 500 });
  });

  it('the strictest policy at the shortest length holds for 5,000 passwords in a row (the old `?`/`~` symbol failed about 1 in 300)', () => {
    const strictest = { minimumLength: 24, requireUppercase: true, requireLowercase: true, requireNumbers: true, requireSymbols: true };
    const refused = Array.from({ length: 5000 }, () => generatePassword(8)).filter((p) => !meetsPolicy(p, strictest));
    expect(refused).toEqual([]);
  });

  it('the checker itself refuses a password whose only symbol IAM does not count', () => {
    expect(meetsPolicy('Abcdefgh2?~', { minimumLength: 8, requireUppercase: true, requireLowercase: true, requireNumbers: true, requireSymbols: true })).toBe(false);
    expect(meetsPolicy("Abcdefgh2'", { minimumLength: 8, requireUppercase: true, requireLowercase: true, requireNumbers: true, requireSymbols: true })).toBe(true);
  });
});

describe('the initial-password secret\'s resource policy, simulated', () => {
  const secret = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:iam-roster/initial-password/ivan-AbCdEf';
  const decide = async (principal: string, action: string) => {
    const result = await runSimulation({
      identityPolicies: [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
      serviceControlPolicies: [], resourceControlPolicies: [],
      resourcePolicy: JSON.parse(secretPolicy(ONBOARDING, HANDLER)),
      request: { action, principal, resource: { accountId: '111111111111', resource: secret }, contextVariables: { 'aws:PrincipalArn': principal.replace(/^arn:aws:sts::(\d+):assumed-role\/([^/]+)\/.*$/, 'arn:aws:iam::$1:role/$2') } },
    }, {});
    return result.resultType === 'error' ? JSON.stringify(result.errors) : result.overallResult;
  };

  it('the onboarding principal reads it; a central administrator, the handler and anyone else do not', async () => {
    expect(await decide('arn:aws:sts::111111111111:assumed-role/PeopleOps/helpdesk', 'secretsmanager:GetSecretValue')).toBe('Allowed');
    expect(await decide('arn:aws:iam::111111111111:user/admin', 'secretsmanager:GetSecretValue')).toBe('ExplicitlyDenied');
    expect(await decide('arn:aws:sts::111111111111:assumed-role/iam-roster-console-access/x', 'secretsmanager:GetSecretValue')).toBe('ExplicitlyDenied');
  });

  it('only the handler changes its policy or value; an administrator cannot open it up', async () => {
    expect(await decide('arn:aws:iam::111111111111:user/admin', 'secretsmanager:PutResourcePolicy')).toBe('ExplicitlyDenied');
    expect(await decide('arn:aws:iam::111111111111:user/admin', 'secretsmanager:PutSecretValue')).toBe('ExplicitlyDenied');
    expect(await decide('arn:aws:sts::111111111111:assumed-role/iam-roster-console-access/x', 'secretsmanager:PutResourcePolicy')).toBe('Allowed');
  });
});
