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
    await customResource(userCleanupOperation(iam), async (_url: string, body: string) => { sent.push(JSON.parse(body)); })({
      RequestType: 'Delete', ResponseURL: 'u', StackId: 's', RequestId: 'r', LogicalResourceId: 'UserAliceCleanup',
      PhysicalResourceId: 'user-cleanup-alice', ResourceProperties: { UserName: 'alice' },
    });
    quiet.mockRestore();
    expect(sent).toEqual([expect.objectContaining({ Status: 'FAILED', Reason: 'AccessDenied: not authorized to perform iam:DeleteSigningCertificate', PhysicalResourceId: 'user-cleanup-alice' })]);
  });

  it('does nothing on Create and Update; on Delete after a rename it cleans the old user', async () => {
    const { iam, calls } = fakeIam(fullUser());
    const op = userCleanupOperation(iam);
    expect(await op({ RequestType: 'Create', ResourceProperties: { UserName: 'alice' } })).toEqual({ physicalResourceId: 'user-cleanup-alice' });
    expect(await op({ RequestType: 'Update', PhysicalResourceId: 'user-cleanup-alice', ResourceProperties: { UserName: 'alice2' } })).toEqual({ physicalResourceId: 'user-cleanup-alice2' });
    expect(calls).toEqual([]);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await op({ RequestType: 'Delete', PhysicalResourceId: 'user-cleanup-alice', ResourceProperties: { UserName: 'alice2' } });
    log.mockRestore();
    expect(iam.listAccessKeys.mock.calls[0][0]).toEqual({ UserName: 'alice' });
  });

  it('listAll follows markers until IsTruncated is false', async () => {
    const pages = [{ Items: [1, 2], IsTruncated: true, Marker: 'm1' }, { Items: [3], IsTruncated: true, Marker: 'm2' }, { Items: [], IsTruncated: false }];
    const call = vi.fn(async () => pages.shift());
    expect(await listAll(call, 'Items')).toEqual([1, 2, 3]);
    expect(call.mock.calls).toEqual([[{}], [{ Marker: 'm1' }], [{ Marker: 'm2' }]]);
  });
});
