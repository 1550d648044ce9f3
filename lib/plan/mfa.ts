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
