import { describe, expect, it, vi } from 'vitest';
// @ts-expect-error plain JS shipped to Lambda as-is
import { cleanUpUser, listAll, userCleanupOperation } from '../../lib/lambda/user-cleanup.mjs';
// @ts-expect-error plain JS shipped to Lambda as-is
import { customResource } from '../../lib/lambda/cfn-response.mjs';

type Page = Record<string, unknown>;

/**
 * A fake IAM client holding one user's dependents. List calls return pages of `pageSize` items
 * with IsTruncated/Marker, exactly like IAM, so pagination is exercised.
 */
function fakeIam(state: Record<string, unknown[]>, pageSize = 2, failures: Record<string, Error> = {}) {
  const calls: string[] = [];
  const page = (items: unknown[], key: string, marker?: string): Page => {
    const start = marker ? Number(marker) : 0;
    const end = start + pageSize;
    return { [key]: items.slice(start, end), IsTruncated: end < items.length, ...(end < items.length ? { Marker: String(end) } : {}) };
  };
  const call = (name: string, fn: (input: any) => unknown) => vi.fn(async (input: any) => {
    calls.push(name);
    if (failures[name]) throw failures[name];
    return fn(input);
  });
  const remove = (key: string, match: (x: any) => boolean) => { state[key] = state[key].filter((x) => !match(x)); return {}; };
  const iam = {
    listAccessKeys: call('listAccessKeys', (i) => page(state.keys, 'AccessKeyMetadata', i.Marker)),
    deleteAccessKey: call('deleteAccessKey', (i) => remove('keys', (k) => k.AccessKeyId === i.AccessKeyId)),
    listMFADevices: call('listMFADevices', (i) => page(state.mfa, 'MFADevices', i.Marker)),
    deactivateMFADevice: call('deactivateMFADevice', () => ({})),
    deleteVirtualMFADevice: call('deleteVirtualMFADevice', (i) => remove('mfa', (d) => d.SerialNumber === i.SerialNumber)),
    deleteLoginProfile: call('deleteLoginProfile', () => {
      if (!state.login.length) throw Object.assign(new Error('no profile'), { name: 'NoSuchEntityException' });
      state.login = [];
      return {};
    }),
    listSigningCertificates: call('listSigningCertificates', (i) => page(state.certs, 'Certificates', i.Marker)),
    deleteSigningCertificate: call('deleteSigningCertificate', (i) => remove('certs', (c) => c.CertificateId === i.CertificateId)),
    listSSHPublicKeys: call('listSSHPublicKeys', (i) => page(state.ssh, 'SSHPublicKeys', i.Marker)),
    deleteSSHPublicKey: call('deleteSSHPublicKey', (i) => remove('ssh', (k) => k.SSHPublicKeyId === i.SSHPublicKeyId)),
    listServiceSpecificCredentials: call('listServiceSpecificCredentials', () => ({ ServiceSpecificCredentials: state.service })),
    deleteServiceSpecificCredential: call('deleteServiceSpecificCredential', (i) => remove('service', (c) => c.ServiceSpecificCredentialId === i.ServiceSpecificCredentialId)),
    listUserPolicies: call('listUserPolicies', (i) => page(state.inline, 'PolicyNames', i.Marker)),
    deleteUserPolicy: call('deleteUserPolicy', (i) => remove('inline', (n) => n === i.PolicyName)),
    listAttachedUserPolicies: call('listAttachedUserPolicies', (i) => page(state.attached, 'AttachedPolicies', i.Marker)),
    detachUserPolicy: call('detachUserPolicy', (i) => remove('attached', (p) => p.PolicyArn === i.PolicyArn)),
    listGroupsForUser: call('listGroupsForUser', (i) => page(state.groups, 'Groups', i.Marker)),
    removeUserFromGroup: call('removeUserFromGroup', (i) => remove('groups', (g) => g.GroupName === i.GroupName)),
  };
  return { iam, calls, state };
}

function fullUser() {
  return {
    keys: [{ AccessKeyId: 'AKIA1' }, { AccessKeyId: 'AKIA2' }],
    mfa: [{ SerialNumber: 'arn:aws:iam::111111111111:mfa/alice' }, { SerialNumber: 'GAHT12345678' }, { SerialNumber: 'arn:aws:iam::111111111111:u2f/user/alice/key' }],
    login: [true],
    certs: [{ CertificateId: 'C1' }, { CertificateId: 'C2' }, { CertificateId: 'C3' }, { CertificateId: 'C4' }, { CertificateId: 'C5' }],
    ssh: [{ SSHPublicKeyId: 'APKA1' }],
    service: [{ ServiceSpecificCredentialId: 'ACCA1' }, { ServiceSpecificCredentialId: 'ACCA2' }],
    inline: ['hand-made'],
    attached: [{ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { PolicyArn: 'arn:aws:iam::111111111111:policy/ManageYourAccount' }],
    groups: [{ GroupName: 'admins' }, { GroupName: 'legacy' }, { GroupName: 'ops' }],
  } as Record<string, unknown[]>;
}

describe('user-cleanup handler', () => {
  it('removes every kind of credential and attachment, across several pages', async () => {
    const { iam, state } = fakeIam(fullUser(), 2);
    const removed = await cleanUpUser(iam, 'alice');
    expect(removed).toEqual({ accessKeys: 2, mfaDevices: 3, loginProfile: 1, signingCertificates: 5, sshPublicKeys: 1, serviceSpecificCredentials: 2, inlinePolicies: 1, attachedPolicies: 2, groups: 3 });
    expect(Object.values(state).every((items) => items.length === 0 || items === state.mfa)).toBe(true);
    // every device is deactivated; only the virtual one is deleted as an IAM resource
    expect(iam.deactivateMFADevice).toHaveBeenCalledTimes(3);
    expect(iam.deleteVirtualMFADevice.mock.calls).toEqual([[{ SerialNumber: 'arn:aws:iam::111111111111:mfa/alice' }]]);
    expect(iam.listSigningCertificates).toHaveBeenCalledTimes(3); // 5 certificates, pages of 2
    expect(iam.listSigningCertificates.mock.calls.map((c: any[]) => c[0].Marker)).toEqual([undefined, '2', '4']);
  });

  it('does nothing harmful for a user without credentials', async () => {
    const empty = Object.fromEntries(Object.keys(fullUser()).map((k) => [k, []]));
    const { iam } = fakeIam(empty);
    expect(Object.values(await cleanUpUser(iam, 'bob')).every((n) => n === 0)).toBe(true);
  });

  it('treats a user deleted by hand as already clean', async () => {
    const gone = Object.assign(new Error('The user with name carol cannot be found.'), { name: 'NoSuchEntityException' });
    const { iam } = fakeIam(fullUser(), 2, { listAccessKeys: gone });
    await expect(cleanUpUser(iam, 'carol')).resolves.toMatchObject({ accessKeys: 0 });
  });

  it('fails loudly on any other error, and the custom resource answers FAILED with the reason', async () => {
    const denied = Object.assign(new Error('not authorized to perform iam:DeleteSigningCertificate'), { name: 'AccessDenied' });
    const { iam } = fakeIam(fullUser(), 2, { deleteSigningCertificate: denied });
    const sent: any[] = [];
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const event = cleanupEvent('Delete', 'alice');
    await customResource(userCleanupOperation(iam, fakeCloudFormation(event), INSTALLATION), async (_url: string, body: string) => { sent.push(JSON.parse(body)); })(event);
    quiet.mockRestore();
    expect(sent).toEqual([expect.objectContaining({ Status: 'FAILED', Reason: 'AccessDenied: not authorized to perform iam:DeleteSigningCertificate', PhysicalResourceId: 'user-cleanup-alice' })]);
  });

  it('does nothing on Create and Update, and cleans up on a real Delete', async () => {
    const { iam, calls } = fakeIam(fullUser());
    const run = (event: any) => userCleanupOperation(iam, fakeCloudFormation(event), INSTALLATION)(event);
    expect(await run(cleanupEvent('Create', 'alice'))).toEqual({ physicalResourceId: 'user-cleanup-alice' });
    expect(await run(cleanupEvent('Update', 'alice'))).toEqual({ physicalResourceId: 'user-cleanup-alice' });
    expect(calls).toEqual([]);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await run(cleanupEvent('Delete', 'alice'));
    log.mockRestore();
    expect(iam.listAccessKeys.mock.calls[0][0]).toEqual({ UserName: 'alice' });
  });

  it('a Delete of a resource whose Create failed touches no user', async () => {
    const { iam, calls } = fakeIam(fullUser());
    const event = { ...cleanupEvent('Delete', 'alice'), PhysicalResourceId: 'CleanupUserAlice' };
    expect(await userCleanupOperation(iam, fakeCloudFormation(event), INSTALLATION)(event)).toMatchObject({ data: { skipped: 'not created' } });
    expect(calls).toEqual([]);
  });
});

describe('event verification (the handler acts only on events CloudFormation sends for iam-roster)', () => {
  const attempt = async (event: any, cloudformation = fakeCloudFormation(event)) => {
    const { iam, calls } = fakeIam(fullUser());
    const result = await userCleanupOperation(iam, cloudformation, INSTALLATION)(event).then(() => 'acted', (e: Error) => e.message);
    return { result, calls };
  };

  it('acts on a real Delete', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect((await attempt(cleanupEvent('Delete', 'alice'))).result).toBe('acted');
    log.mockRestore();
  });

  it.each([
    ['another resource type', { ResourceType: 'Custom::Other' }, /resource type Custom::Other/],
    ['a stack in another account', { StackId: 'arn:aws:cloudformation:us-east-1:999999999999:stack/CentralStack-Users07/abc' }, /is not in 111111111111/],
    ['a stack in another region', { StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/CentralStack-Users07/abc' }, /is not in 111111111111 us-east-1/],
    ['a stack that is not iam-roster\'s', { StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Attacker/abc' }, /not an iam-roster stack/],
    ['an unknown request type', { RequestType: 'Steal' }, /request type Steal/],
  ])('refuses %s, touching no user', async (_, change, reason) => {
    const { result, calls } = await attempt({ ...cleanupEvent('Delete', 'alice'), ...change });
    expect(result).toMatch(reason);
    expect(calls).toEqual([]);
  });

  it('refuses a Delete for a resource CloudFormation is not deleting (a crafted event for a live user)', async () => {
    const event = cleanupEvent('Delete', 'alice');
    const { result, calls } = await attempt(event, fakeCloudFormation(event, { ResourceStatus: 'UPDATE_COMPLETE' }));
    expect(result).toMatch(/as UPDATE_COMPLETE, not being deleted/);
    expect(calls).toEqual([]);
  });

  it('refuses an event whose physical ID CloudFormation does not know, and one for a resource that does not exist', async () => {
    const event = cleanupEvent('Delete', 'alice');
    expect((await attempt(event, fakeCloudFormation(event, { PhysicalResourceId: 'user-cleanup-bob' }))).result).toMatch(/is user-cleanup-bob to CloudFormation/);
    const missing = { describeStackResource: async () => { throw Object.assign(new Error('Resource X does not exist'), { name: 'ValidationError' }); } };
    expect((await attempt(event, missing as never)).result).toMatch(/CloudFormation does not know/);
  });

  it('cannot be pointed at another user: the properties and the recorded physical ID must agree', async () => {
    // bob's resource really is being deleted, but the event's properties name alice
    const event = { ...cleanupEvent('Delete', 'alice'), PhysicalResourceId: 'user-cleanup-bob' };
    const { result, calls } = await attempt(event, fakeCloudFormation(event));
    expect(result).toBe('acted'); // answered, but without touching anyone:
    expect(calls).toEqual([]);
  });
});

const INSTALLATION = { account: '111111111111', region: 'us-east-1', partition: 'aws', stackPrefixes: ['CentralStack-', 'iam-roster-adopt-'] };

function cleanupEvent(RequestType: string, user: string) {
  return {
    RequestType, ResourceType: 'Custom::UserCleanup', ResponseURL: 'https://example.invalid/response', RequestId: 'r1',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/CentralStack-Users07NestedStack-ABC/11111111-2222-3333-4444-555555555555',
    LogicalResourceId: `CleanupUser${user}`, ResourceProperties: { ServiceToken: 'arn', UserName: user },
    ...(RequestType === 'Create' ? {} : { PhysicalResourceId: `user-cleanup-${user}` }),
  };
}

/** CloudFormation as the handler asks it: the resource in the state the event implies, unless overridden. */
function fakeCloudFormation(event: any, detail: Record<string, unknown> = {}) {
  const status = { Create: 'CREATE_IN_PROGRESS', Update: 'UPDATE_IN_PROGRESS', Delete: 'DELETE_IN_PROGRESS' }[event.RequestType as string];
  return {
    describeStackResource: vi.fn(async () => ({
      StackResourceDetail: { ResourceType: event.ResourceType, ResourceStatus: status, PhysicalResourceId: event.PhysicalResourceId, ...detail },
    })),
  };
}

describe('listAll', () => {
  it('follows markers until IsTruncated is false', async () => {
    const pages = [{ Items: [1, 2], IsTruncated: true, Marker: 'm1' }, { Items: [3], IsTruncated: true, Marker: 'm2' }, { Items: [], IsTruncated: false }];
    const call = vi.fn(async () => pages.shift());
    expect(await listAll(call, 'Items')).toEqual([1, 2, 3]);
    expect(call.mock.calls).toEqual([[{}], [{ Marker: 'm1' }], [{ Marker: 'm2' }]]);
  });
});
