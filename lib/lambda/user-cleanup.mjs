// Custom resource: when an IAM user leaves users.yaml, remove everything CloudFormation does not
// know about (keys, MFA devices, login profile, certificates, SSH keys, service credentials,
// hand-attached policies and groups) so that deleting the user cannot end in DELETE_FAILED.
// One resource per user, depending on the user, so CloudFormation runs this Delete first.
// It acts only on events CloudFormation sends for iam-roster's stacks (verifyEvent), only on the
// user the resource names, and its role may only touch users tagged managed-by=iam-roster.
import { customResource, RefusedEvent, verifyEvent } from './cfn-response.mjs';

const isMissing = (error) => error?.name === 'NoSuchEntityException' || error?.name === 'NoSuchEntity';

/** Every item of a paginated IAM List* call. */
export async function listAll(call, key) {
  const items = [];
  let marker;
  do {
    const page = await call(marker ? { Marker: marker } : {});
    items.push(...(page[key] ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return items;
}

/**
 * Remove every dependent of `UserName`; returns what was removed, by kind. A user that does not
 * exist (already deleted by hand) is not an error.
 */
export async function cleanUpUser(iam, UserName) {
  const removed = { accessKeys: 0, mfaDevices: 0, loginProfile: 0, signingCertificates: 0, sshPublicKeys: 0, serviceSpecificCredentials: 0, inlinePolicies: 0, attachedPolicies: 0, groups: 0 };
  try {
    for (const key of await listAll((p) => iam.listAccessKeys({ UserName, ...p }), 'AccessKeyMetadata')) {
      await iam.deleteAccessKey({ UserName, AccessKeyId: key.AccessKeyId });
      removed.accessKeys++;
    }
    for (const device of await listAll((p) => iam.listMFADevices({ UserName, ...p }), 'MFADevices')) {
      await iam.deactivateMFADevice({ UserName, SerialNumber: device.SerialNumber });
      // Virtual devices are IAM resources of their own (arn:...:mfa/name); hardware and FIDO keys are not.
      if (/^arn:[^:]+:iam::\d{12}:mfa\//.test(device.SerialNumber)) await iam.deleteVirtualMFADevice({ SerialNumber: device.SerialNumber });
      removed.mfaDevices++;
    }
    try {
      await iam.deleteLoginProfile({ UserName });
      removed.loginProfile++;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    for (const cert of await listAll((p) => iam.listSigningCertificates({ UserName, ...p }), 'Certificates')) {
      await iam.deleteSigningCertificate({ UserName, CertificateId: cert.CertificateId });
      removed.signingCertificates++;
    }
    for (const key of await listAll((p) => iam.listSSHPublicKeys({ UserName, ...p }), 'SSHPublicKeys')) {
      await iam.deleteSSHPublicKey({ UserName, SSHPublicKeyId: key.SSHPublicKeyId });
      removed.sshPublicKeys++;
    }
    // ListServiceSpecificCredentials is not paginated.
    const { ServiceSpecificCredentials = [] } = await iam.listServiceSpecificCredentials({ UserName });
    for (const credential of ServiceSpecificCredentials) {
      await iam.deleteServiceSpecificCredential({ UserName, ServiceSpecificCredentialId: credential.ServiceSpecificCredentialId });
      removed.serviceSpecificCredentials++;
    }
    for (const PolicyName of await listAll((p) => iam.listUserPolicies({ UserName, ...p }), 'PolicyNames')) {
      await iam.deleteUserPolicy({ UserName, PolicyName });
      removed.inlinePolicies++;
    }
    for (const policy of await listAll((p) => iam.listAttachedUserPolicies({ UserName, ...p }), 'AttachedPolicies')) {
      await iam.detachUserPolicy({ UserName, PolicyArn: policy.PolicyArn });
      removed.attachedPolicies++;
    }
    for (const group of await listAll((p) => iam.listGroupsForUser({ UserName, ...p }), 'Groups')) {
      await iam.removeUserFromGroup({ UserName, GroupName: group.GroupName });
      removed.groups++;
    }
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  return removed;
}

export const PHYSICAL_PREFIX = 'user-cleanup-';

/** Create and Update do nothing; Delete cleans up the user the resource names, and no other. */
export function userCleanupOperation(iam, cloudformation, installation) {
  return async (event) => {
    await verifyEvent(event, cloudformation, { ...installation, resourceType: 'Custom::UserCleanup' });
    const { UserName } = event.ResourceProperties ?? {};
    if (typeof UserName !== 'string' || UserName === '') throw new RefusedEvent('no UserName');
    const physicalResourceId = `${PHYSICAL_PREFIX}${UserName}`;
    if (event.RequestType !== 'Delete') return { physicalResourceId };
    // The physical ID was made from the user name when the resource was created. Any other is a
    // resource whose Create failed (CloudFormation then deletes it by its logical ID): nothing
    // was ever set up for it, so there is nothing to clean up, and no user is touched.
    if (event.PhysicalResourceId !== physicalResourceId) return { physicalResourceId: event.PhysicalResourceId, data: { skipped: 'not created' } };
    const removed = await cleanUpUser(iam, UserName);
    console.log(JSON.stringify({ user: UserName, removed }));
    return { physicalResourceId, data: removed };
  };
}

/** This installation, from the function's environment (set by lib/constructs/user-cleanup.ts). */
export function installation(env = process.env) {
  return { account: env.ROSTER_ACCOUNT, region: env.AWS_REGION, partition: env.ROSTER_PARTITION, stackPrefixes: (env.ROSTER_STACK_PREFIXES ?? '').split(',').filter(Boolean) };
}

async function defaultClients() {
  const { IAM } = await import('@aws-sdk/client-iam'); // in the Lambda Node.js runtime
  const { CloudFormation } = await import('@aws-sdk/client-cloudformation');
  return { iam: new IAM({}), cloudformation: new CloudFormation({}) };
}

export const handler = async (event) => {
  const { iam, cloudformation } = await defaultClients();
  return customResource(userCleanupOperation(iam, cloudformation, installation()))(event);
};
