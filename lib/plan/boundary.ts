import type { PolicyDocument, PolicyStatement } from '../config/iam-policy.js';
import { policyArn } from './assume-policies.js';

export const BOUNDARY_POLICY = 'IamRosterBoundary';

/**
 * The permissions boundary (`permissionsBoundary: true`): it allows everything the role's own
 * policies allow, minus the region restriction and iam-roster's protection, and keeps itself in
 * place. (IAM allows one boundary policy of 6,144 characters: name-based deletion protection stays
 * in the guardrails attached to iam-roster's roles; roles created under the boundary do not have it.)
 * - roles and users can only be created with this boundary, and a boundary can only be set to it;
 * - no boundary can be removed;
 * - policies can only be attached to, or put on, roles and users that carry it, so an unbounded
 *   role (e.g. OrganizationAccountAccessRole) cannot be given more;
 * - trust policies of existing roles are changed through deployments only (a bounded session
 *   rewriting an unbounded role's trust would step outside the boundary), and existing customer
 *   managed policies are not edited (they may be attached to unbounded principals);
 * - only the service roles declared in the account file may be passed to a service;
 * - no groups and no credentials for IAM users of the account (they live in the central account);
 * - no new identity providers, Roles Anywhere trust anchors or profiles, Identity Center instances
 *   or trusted token issuers, Cognito role mappings: no credential or trust path outlives a session.
 * What it cannot do: IAM has no condition on the trust policy a CreateRole request carries, so a
 * bounded role may still trust anyone; that needs the organization's policies (RCPs).
 */
export function boundaryDocument(partition: string, account: string, inherited: readonly PolicyStatement[], serviceRoles: readonly string[]): PolicyDocument {
  const boundary = policyArn(partition, account, BOUNDARY_POLICY);
  // Roles meant for services are declared in the account file: only those may be passed. (IAM
  // cannot tell from a PassRole request whether the role carries this boundary.)
  const passOnlyServiceRoles: PolicyStatement = serviceRoles.length > 0
    ? { Sid: 'PassOnlyDeclaredServiceRoles', Effect: 'Deny', Action: 'iam:PassRole', NotResource: serviceRoles.map((r) => `arn:${partition}:iam::${account}:role/${r}`) }
    : { Sid: 'PassOnlyDeclaredServiceRoles', Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' };
  const unlessBounded = { StringNotEquals: { 'iam:PermissionsBoundary': boundary } };
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowWithinBoundary', Effect: 'Allow', Action: '*', Resource: '*' },
      ...inherited,
      { Sid: 'CreateOnlyWithThisBoundary', Effect: 'Deny', Action: ['iam:CreateRole', 'iam:CreateUser', 'iam:PutRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary'], Resource: '*', Condition: unlessBounded },
      { Sid: 'KeepBoundaries', Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'], Resource: '*' },
      {
        Sid: 'ChangeOnlyBoundedPrincipals',
        Effect: 'Deny',
        Action: ['iam:AttachRolePolicy', 'iam:AttachUserPolicy', 'iam:DeleteRolePolicy', 'iam:DeleteUserPolicy', 'iam:DetachRolePolicy', 'iam:DetachUserPolicy', 'iam:PutRolePolicy', 'iam:PutUserPolicy'],
        Resource: '*',
        Condition: unlessBounded,
      },
      {
        // Trust of existing roles changes through deployments; existing policies may be attached
        // to unbounded principals (write new ones instead); groups and users' credentials belong
        // to the central account. And no new way in: every IAM, Roles Anywhere, Identity Center
        // and Cognito action that mints a credential or opens a trust path (identity providers,
        // trust anchors, keys, passwords, certificates, SSH keys, service-specific credentials,
        // MFA devices) is denied, so a bounded administrator cannot leave a door that outlives
        // its access. Wildcards only where every match is such an action (or its delete/read twin).
        Sid: 'NoNewCredentialsOrTrustPaths',
        Effect: 'Deny',
        Action: [
          'cognito-identity:SetIdentityPoolRoles', 'iam:*MFADevice', 'iam:*ServiceSpecificCredential', 'iam:AddClientIDToOpenIDConnectProvider', 'iam:AddUserToGroup',
          'iam:AttachGroupPolicy', 'iam:Create*Provider', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:CreatePolicyVersion', 'iam:PutGroupPolicy',
          'iam:SetDefaultPolicyVersion', 'iam:Tag*Provider', 'iam:UpdateAccessKey', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateLoginProfile', 'iam:Update*Provider*',
          'iam:UpdateSSHPublicKey', 'iam:UpdateSigningCertificate', 'iam:UploadSSHPublicKey', 'iam:UploadSigningCertificate', 'rolesanywhere:Create*',
          'rolesanywhere:Enable*', 'rolesanywhere:Import*', 'rolesanywhere:Put*', 'rolesanywhere:Update*', 'sso:CreateInstance', 'sso:CreateTrustedTokenIssuer',
        ],
        Resource: '*',
      },
      passOnlyServiceRoles,
    ],
  };
}
