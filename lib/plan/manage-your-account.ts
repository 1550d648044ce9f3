import type { PolicyDocument } from '../config/iam-policy.js';
import { SOURCE_IDENTITY_IS_THE_USER_NAME } from './mfa.js';

export const MANAGE_YOUR_ACCOUNT = 'ManageYourAccount';

/**
 * Self-service for every user: change their own password, manage their own access keys, signing
 * certificates, SSH keys and MFA device; and nothing else at all until they sign in with MFA.
 * Modelled on AWS's "MFA-authenticated IAM users manage their own credentials" example.
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
        Sid: 'ManageOwnMFA',
        Effect: 'Allow',
        Action: [
          'iam:CreateVirtualMFADevice',
          'iam:DeactivateMFADevice',
          'iam:EnableMFADevice',
          'iam:ListMFADevices',
          'iam:ResyncMFADevice',
        ],
        Resource: [arn('mfa/*'), self],
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
