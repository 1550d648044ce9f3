import type { SecurityConfig } from '../config/types.js';
import type { PolicyStatement } from '../config/iam-policy.js';

/** MFA conditions shared by the assume policies and the trust policies. */
export function mfaConditions(security: Pick<SecurityConfig, 'mfaMaxAgeSeconds'>): NonNullable<PolicyStatement['Condition']> {
  return {
    Bool: { 'aws:MultiFactorAuthPresent': 'true' },
    ...(security.mfaMaxAgeSeconds !== undefined
      ? { NumericLessThan: { 'aws:MultiFactorAuthAge': String(security.mfaMaxAgeSeconds) } }
      : {}),
  };
}

/**
 * Session tags a role takes from user tags: only these keys, each with the value of the caller's
 * own user tag (`aws:RequestTag/SSMSessionRunAs` = `${aws:PrincipalTag/ec2_username}`).
 */
export function sessionTagConditions(sessionTags: Readonly<Record<string, string>>): NonNullable<PolicyStatement['Condition']> {
  const keys = Object.keys(sessionTags).sort();
  return {
    'ForAllValues:StringEquals': { 'aws:TagKeys': keys },
    StringEquals: Object.fromEntries(keys.map((k) => [`aws:RequestTag/${k}`, `\${aws:PrincipalTag/${sessionTags[k]}}`])),
  };
}

/**
 * A role session of a person carries the user's own name twice: as session name (always; the
 * console's switch-role sets it so) and as source identity (`roster credentials` sets it; it
 * persists through role chaining and cannot be changed). Setting a source identity is its own
 * action, sts:SetSourceIdentity, authorized with only sts:SourceIdentity among STS's keys (not
 * sts:RoleSessionName), so it is a statement of its own: allowed with the caller's user name only,
 * in the trust and in ManageYourAccount. It is not required: the console's switch-role cannot set
 * one (AWS: "You cannot switch to a role in the AWS Management Console that requires a source
 * identity"), and console users keep working; their sessions are still named after the user, and
 * IamRosterSessions keeps them from chaining (sessions.ts), so no session reached from a person's
 * role session lacks the name.
 */
export const SOURCE_IDENTITY_IS_THE_USER_NAME = {
  Sid: 'SourceIdentityIsTheUserName',
  Effect: 'Allow',
  Action: 'sts:SetSourceIdentity',
  Condition: { StringEquals: { 'sts:SourceIdentity': '${aws:username}' } },
} as const satisfies PolicyStatement;
