import type { SecurityConfig } from '../config/types.js';
import type { PolicyStatement } from '../roles/types.js';

/** MFA conditions shared by the assume policies and the trust policies. */
export function mfaConditions(security: Pick<SecurityConfig, 'mfaMaxAgeSeconds'>): NonNullable<PolicyStatement['Condition']> {
  return {
    Bool: { 'aws:MultiFactorAuthPresent': 'true' },
    ...(security.mfaMaxAgeSeconds !== undefined
      ? { NumericLessThan: { 'aws:MultiFactorAuthAge': String(security.mfaMaxAgeSeconds) } }
      : {}),
  };
}
