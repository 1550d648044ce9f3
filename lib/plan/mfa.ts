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
 * persists through role chaining and cannot be changed). The source identity is checked only if
 * it exists: the console's switch-role cannot set one (AWS: "You cannot switch to a role in the
 * AWS Management Console that requires a source identity"), and console users keep working.
 * Such sessions are still named after the user, and IamRosterSessions keeps them from chaining
 * (sessions.ts), so no session reached from them lacks the name. For sts:SetSourceIdentity
 * itself the key is always present: the trust allows it with the caller's own user name only
 * (and so does ManageYourAccount, on the caller's side).
 */
export function ownNameConditions(): NonNullable<PolicyStatement['Condition']> {
  return {
    StringEquals: { 'sts:RoleSessionName': '${aws:username}' },
    StringEqualsIfExists: { 'sts:SourceIdentity': '${aws:username}' },
  };
}
