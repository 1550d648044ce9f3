import type { PolicyDocument } from '../config/iam-policy.js';
import { SOURCE_IDENTITY_IS_THE_USER_NAME } from './mfa.js';

export const MANAGE_YOUR_ACCOUNT = 'ManageYourAccount';

/**
 * Self-service for every user: change their own password, manage their own access keys, signing
 * certificates, SSH keys and MFA device; and nothing else at all until they sign in with MFA.
 * Modelled on AWS's "MFA-authenticated IAM users manage their own credentials" example, with two
 * holes of that example closed:
 * - the virtual MFA device is named after its user (`mfa/<user name>`, the name `roster profiles`
 *   puts in every profile), so nobody creates, squats or deletes another user's device name;
 * - MFA devices are never created, enabled, resynced, deactivated or deleted with a long-term
 *   access key. `aws:MultiFactorAuthPresent` tells the three callers apart: it is absent for an
 *   access key, "false" for a console session signed in without MFA (the first enrolment, which
 *   must work), "true" with MFA. (A GetSessionToken session without MFA cannot call IAM at all.)
 *   So a stolen key can neither enrol the thief's device nor remove the user's; deactivating and
 *   deleting an enabled device takes an MFA session (a lost device: an administrator removes it).
 */
export function manageYourAccountDocument(partition: string, account: string): PolicyDocument {
  const arn = (resource: string) => `arn:${partition}:iam::${account}:${resource}`;
  const self = arn('user/${aws:username}');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ViewAccountInfo',
        Effect: 'Allow',
        Action: ['iam:GetAccountPasswordPolicy', 'iam:GetAccountSummary', 'iam:ListUsers', 'iam:ListVirtualMFADevices'],
        Resource: '*',
      },
      {
        Sid: 'ManageOwnPasswordAndKeys',
        Effect: 'Allow',
        Action: [
          'iam:ChangePassword',
          'iam:CreateAccessKey',
          'iam:DeleteAccessKey',
          'iam:DeleteSSHPublicKey',
          'iam:DeleteSigningCertificate',
          'iam:GetLoginProfile',
          'iam:GetSSHPublicKey',
          'iam:GetUser',
          'iam:ListAccessKeys',
          'iam:ListGroupsForUser',
          'iam:ListSSHPublicKeys',
          'iam:ListServiceSpecificCredentials',
          'iam:ListSigningCertificates',
          'iam:UpdateAccessKey',
          'iam:UpdateLoginProfile',
          'iam:UpdateSSHPublicKey',
          'iam:UpdateSigningCertificate',
          'iam:UploadSSHPublicKey',
          'iam:UploadSigningCertificate',
        ],
        Resource: self,
      },
      {
        // One virtual device, named after its user (DeleteVirtualMFADevice: to retry an enrolment
        // that was abandoned before the device was enabled; an enabled one must be deactivated first).
        Sid: 'ManageOwnVirtualMFADevice',
        Effect: 'Allow',
        Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'],
        Resource: arn('mfa/${aws:username}'),
      },
      {
        Sid: 'ManageOwnMFA',
        Effect: 'Allow',
        Action: ['iam:DeactivateMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice'],
        Resource: self,
      },
      {
        // aws:MultiFactorAuthPresent is absent only for long-term access keys.
        Sid: 'NoMFAChangesWithAccessKeys',
        Effect: 'Deny',
        Action: ['iam:CreateVirtualMFADevice', 'iam:DeactivateMFADevice', 'iam:DeleteVirtualMFADevice', 'iam:EnableMFADevice', 'iam:ResyncMFADevice'],
        Resource: '*',
        Condition: { Null: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
      {
        // The user's own name as the source identity of the role sessions they start, and no other
        // name: it goes with every session chained from theirs and cannot be changed (see
        // lib/plan/sessions.ts). Any role: the role's trust and the assume policies decide which
        // roles; the trust checks the name too.
        ...SOURCE_IDENTITY_IS_THE_USER_NAME,
        Condition: { ...SOURCE_IDENTITY_IS_THE_USER_NAME.Condition },
        Resource: '*',
      },
      {
        // Until signed in with MFA, the only thing a user can do is set up MFA and change a password.
        Sid: 'DenyAllExceptMFASetupWithoutMFA',
        Effect: 'Deny',
        NotAction: [
          'iam:ChangePassword',
          'iam:CreateVirtualMFADevice',
          'iam:DeleteVirtualMFADevice',
          'iam:EnableMFADevice',
          'iam:GetAccountPasswordPolicy',
          'iam:GetUser',
          'iam:ListMFADevices',
          'iam:ListVirtualMFADevices',
          'iam:ResyncMFADevice',
          'sts:GetSessionToken',
        ],
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
    ],
  };
}
