import { describe, expect, it, vi } from 'vitest';
// @ts-expect-error plain JS shipped to Lambda as-is
import { passwordPolicyOperation, policyInput } from '../../lib/lambda/password-policy.mjs';
// @ts-expect-error plain JS shipped to Lambda as-is
import { customResource } from '../../lib/lambda/cfn-response.mjs';

const WHERE = { account: '222222222201', region: 'us-east-1', partition: 'aws', stackPrefixes: ['Account-prod-us'] };
const STACK = 'arn:aws:cloudformation:us-east-1:222222222201:stack/Account-prod-us/abc';

const event = (RequestType: string, props: Record<string, string> = {}, overrides: Record<string, unknown> = {}) => ({
  RequestType,
  ResourceType: 'Custom::AccountPasswordPolicy',
  ResponseURL: 'https://example.invalid/response',
  StackId: STACK,
  RequestId: 'req',
  LogicalResourceId: 'PasswordPolicy',
  PhysicalResourceId: RequestType === 'Create' ? undefined : 'account-password-policy',
  ResourceProperties: { ServiceToken: 'arn', ...props },
  ...overrides,
});

type Event = ReturnType<typeof event>;

function fakeIam(overrides: Record<string, (...args: unknown[]) => Promise<unknown>> = {}) {
  return {
    updateAccountPasswordPolicy: vi.fn(async () => ({})),
    deleteAccountPasswordPolicy: vi.fn(async () => ({})),
    ...overrides,
  };
}

/** CloudFormation as it answers for a real event (the resource in the state the request implies), or as told. */
function fakeCloudFormation(e: Event, detail?: Record<string, unknown> | Error) {
  return {
    describeStackResource: vi.fn(async () => {
      if (detail instanceof Error) throw detail;
      return { StackResourceDetail: { ResourceType: e.ResourceType, ResourceStatus: `${e.RequestType.toUpperCase()}_IN_PROGRESS`, PhysicalResourceId: e.PhysicalResourceId, ...detail } };
    }),
  };
}

async function run(iam: ReturnType<typeof fakeIam>, e: Event, cloudformation = fakeCloudFormation(e)) {
  const sent: { url: string; body: Record<string, unknown> }[] = [];
  await customResource(passwordPolicyOperation(iam, cloudformation, WHERE), async (url: string, body: string) => { sent.push({ url, body: JSON.parse(body) }); })(e);
  return sent;
}

describe('password-policy custom resource handler', () => {
  it('turns CloudFormation strings back into numbers and booleans', () => {
    expect(policyInput({ MinimumPasswordLength: '16', RequireSymbols: 'true', HardExpiry: 'false', MaxPasswordAge: '90' })).toEqual({
      MinimumPasswordLength: 16, MaxPasswordAge: 90, RequireSymbols: true, HardExpiry: false,
    });
  });

  it('sets the policy on Create and Update, after CloudFormation confirms the event, and answers SUCCESS', async () => {
    for (const type of ['Create', 'Update']) {
      const iam = fakeIam();
      const e = event(type, { MinimumPasswordLength: '14', RequireNumbers: 'true' });
      const cloudformation = fakeCloudFormation(e);
      const sent = await run(iam, e, cloudformation);
      expect(cloudformation.describeStackResource).toHaveBeenCalledWith({ StackName: STACK, LogicalResourceId: 'PasswordPolicy' });
      expect(iam.updateAccountPasswordPolicy).toHaveBeenCalledWith({ MinimumPasswordLength: 14, RequireNumbers: true });
      expect(sent).toEqual([{ url: 'https://example.invalid/response', body: expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'account-password-policy', RequestId: 'req', StackId: STACK, LogicalResourceId: 'PasswordPolicy' }) }]);
    }
  });

  it('deletes the policy on Delete, and tolerates it being gone already', async () => {
    const iam = fakeIam({ deleteAccountPasswordPolicy: vi.fn(async () => { throw Object.assign(new Error('none'), { name: 'NoSuchEntityException' }); }) });
    const sent = await run(iam, event('Delete'));
    expect(iam.deleteAccountPasswordPolicy).toHaveBeenCalledOnce();
    expect(sent[0].body.Status).toBe('SUCCESS');
  });

  it('a Delete of a resource whose Create failed (another physical ID) touches nothing', async () => {
    const iam = fakeIam();
    const sent = await run(iam, event('Delete', {}, { PhysicalResourceId: 'PasswordPolicy' }));
    expect(iam.deleteAccountPasswordPolicy).not.toHaveBeenCalled();
    expect(sent[0].body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'PasswordPolicy' });
  });

  it('answers FAILED with the reason when IAM refuses, so the stack does not hang', async () => {
    const iam = fakeIam({ updateAccountPasswordPolicy: vi.fn(async () => { throw Object.assign(new Error('MinimumPasswordLength too large'), { name: 'MalformedPolicyDocumentException' }); }) });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const sent = await run(iam, event('Create', { MinimumPasswordLength: '500' }));
    quiet.mockRestore();
    expect(sent[0].body).toMatchObject({ Status: 'FAILED', Reason: 'MalformedPolicyDocumentException: MinimumPasswordLength too large' });
  });
});

describe('password-policy handler: events not from CloudFormation are refused, the policy untouched', () => {
  const weak = { MinimumPasswordLength: '6', RequireSymbols: 'false' };
  const refusals: [string, Event, (e: Event) => ReturnType<typeof fakeCloudFormation>, RegExp][] = [
    ['another resource type', event('Update', weak, { ResourceType: 'Custom::Anything' }), fakeCloudFormation, /resource type Custom::Anything/],
    ['a stack of another account', event('Update', weak, { StackId: 'arn:aws:cloudformation:us-east-1:999999999999:stack/Account-prod-us/abc' }), fakeCloudFormation, /not in 222222222201/],
    ['another region', event('Update', weak, { StackId: 'arn:aws:cloudformation:eu-west-1:222222222201:stack/Account-prod-us/abc' }), fakeCloudFormation, /not in 222222222201 us-east-1/],
    ['a stack that is not the one owning the handler', event('Update', weak, { StackId: 'arn:aws:cloudformation:us-east-1:222222222201:stack/attacker/abc' }), fakeCloudFormation, /not an iam-roster stack/],
    ['a resource CloudFormation does not know (invoked by hand)', event('Update', weak), (e) => fakeCloudFormation(e, Object.assign(new Error('x'), { name: 'ValidationError' })), /does not know PasswordPolicy/],
    ['a resource CloudFormation is not updating (a replayed event)', event('Update', weak), (e) => fakeCloudFormation(e, { ResourceStatus: 'UPDATE_COMPLETE' }), /UPDATE_COMPLETE/],
    ['a Delete while the resource stays', event('Delete'), (e) => fakeCloudFormation(e, { ResourceStatus: 'CREATE_COMPLETE' }), /CREATE_COMPLETE/],
    ['another physical ID than CloudFormation recorded', event('Update', weak, { PhysicalResourceId: 'other' }), (e) => fakeCloudFormation(e, { PhysicalResourceId: 'account-password-policy' }), /not other/],
  ];
  it.each(refusals)('%s', async (_label, e, cloudformation, reason) => {
    const iam = fakeIam();
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const sent = await run(iam, e, cloudformation(e));
    quiet.mockRestore();
    expect(sent[0].body.Status).toBe('FAILED');
    expect(String(sent[0].body.Reason)).toMatch(/^RefusedEvent: refused: /);
    expect(String(sent[0].body.Reason)).toMatch(reason);
    expect(iam.updateAccountPasswordPolicy).not.toHaveBeenCalled();
    expect(iam.deleteAccountPasswordPolicy).not.toHaveBeenCalled();
  });
});
