import { describe, expect, it, vi } from 'vitest';
// @ts-expect-error plain JS shipped to Lambda as-is
import { passwordPolicyOperation, policyInput } from '../../lib/lambda/password-policy.mjs';
// @ts-expect-error plain JS shipped to Lambda as-is
import { customResource } from '../../lib/lambda/cfn-response.mjs';

const event = (RequestType: string, props: Record<string, string> = {}) => ({
  RequestType,
  ResponseURL: 'https://example.invalid/response',
  StackId: 'stack',
  RequestId: 'req',
  LogicalResourceId: 'PasswordPolicy',
  PhysicalResourceId: RequestType === 'Create' ? undefined : 'account-password-policy',
  ResourceProperties: { ServiceToken: 'arn', ...props },
});

function fakeIam(overrides: Record<string, (...args: unknown[]) => Promise<unknown>> = {}) {
  return {
    updateAccountPasswordPolicy: vi.fn(async () => ({})),
    deleteAccountPasswordPolicy: vi.fn(async () => ({})),
    ...overrides,
  };
}

async function run(iam: ReturnType<typeof fakeIam>, e: ReturnType<typeof event>) {
  const sent: { url: string; body: Record<string, unknown> }[] = [];
  await customResource(passwordPolicyOperation(iam), async (url: string, body: string) => { sent.push({ url, body: JSON.parse(body) }); })(e);
  return sent;
}

describe('password-policy custom resource handler', () => {
  it('turns CloudFormation strings back into numbers and booleans', () => {
    expect(policyInput({ MinimumPasswordLength: '16', RequireSymbols: 'true', HardExpiry: 'false', MaxPasswordAge: '90' })).toEqual({
      MinimumPasswordLength: 16, MaxPasswordAge: 90, RequireSymbols: true, HardExpiry: false,
    });
  });

  it('sets the policy on Create and Update, and answers SUCCESS', async () => {
    for (const type of ['Create', 'Update']) {
      const iam = fakeIam();
      const sent = await run(iam, event(type, { MinimumPasswordLength: '14', RequireNumbers: 'true' }));
      expect(iam.updateAccountPasswordPolicy).toHaveBeenCalledWith({ MinimumPasswordLength: 14, RequireNumbers: true });
      expect(sent).toEqual([{ url: 'https://example.invalid/response', body: expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'account-password-policy', RequestId: 'req', StackId: 'stack', LogicalResourceId: 'PasswordPolicy' }) }]);
    }
  });

  it('deletes the policy on Delete, and tolerates it being gone already', async () => {
    const iam = fakeIam({ deleteAccountPasswordPolicy: vi.fn(async () => { throw Object.assign(new Error('none'), { name: 'NoSuchEntityException' }); }) });
    const sent = await run(iam, event('Delete'));
    expect(iam.deleteAccountPasswordPolicy).toHaveBeenCalledOnce();
    expect(sent[0].body.Status).toBe('SUCCESS');
  });

  it('answers FAILED with the reason when IAM refuses, so the stack does not hang', async () => {
    const iam = fakeIam({ updateAccountPasswordPolicy: vi.fn(async () => { throw Object.assign(new Error('MinimumPasswordLength too large'), { name: 'MalformedPolicyDocumentException' }); }) });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const sent = await run(iam, event('Create', { MinimumPasswordLength: '500' }));
    quiet.mockRestore();
    expect(sent[0].body).toMatchObject({ Status: 'FAILED', Reason: 'MalformedPolicyDocumentException: MinimumPasswordLength too large' });
  });
});
