import { isMapLike, str, strings, type Loose } from './loose.js';
import type { GuardrailsConfig, PasswordPolicyConfig, SecurityConfig } from './types.js';

/** Strong defaults (CIS AWS Foundations): what an account gets when users.yaml says nothing. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicyConfig = {
  minimumLength: 14,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
  passwordReusePrevention: 24,
  maxPasswordAge: 90,
  allowUsersToChangePassword: true,
  hardExpiry: false,
};

/** Resources whose names look like production or audit data are protected from deletion by default. */
export const DEFAULT_PROTECTED_NAME_PATTERNS = ['prod-*', '*-prod', '*-prod-*', '*audit*', '*cloudtrail*'];

const optionalStrings = (v: unknown): string[] | undefined => (Array.isArray(v) ? strings(v) : undefined);

export function readSecurity(raw: unknown, revokeSessions: unknown): SecurityConfig {
  const security = isMapLike(raw) ? raw : {};
  const revoked = isMapLike(revokeSessions) ? revokeSessions : {};
  const policy = isMapLike(security.passwordPolicy) ? security.passwordPolicy : {};
  const passwordPolicy = { ...DEFAULT_PASSWORD_POLICY };
  for (const key of Object.keys(passwordPolicy) as (keyof PasswordPolicyConfig)[]) {
    if (typeof policy[key] === typeof passwordPolicy[key]) (passwordPolicy as Loose)[key] = policy[key];
  }
  return {
    mfaMaxAgeSeconds: typeof security.mfaMaxAgeSeconds === 'number' ? security.mfaMaxAgeSeconds : undefined,
    requireSourceIdentity: security.requireSourceIdentity === true,
    passwordPolicy,
    memberAccountPasswordPolicy: security.memberAccountPasswordPolicy === true,
    onboardingPrincipal: str(security.onboardingPrincipal),
    revokedSessions: Object.fromEntries(Object.entries(revoked).filter((e): e is [string, string] => typeof e[1] === 'string').sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

/**
 * Guardrails of one account: the defaults, overridden key by key by `security.guardrails` in
 * users.yaml, then by the account file's `guardrails`; `guardrails: false` opts the account out.
 */
export function resolveGuardrails(global: unknown, account: unknown, configRegions: readonly string[]): GuardrailsConfig | false {
  if (account === false) return false;
  const layers = [global, account].filter(isMapLike);
  const pick = <T>(key: string, read: (v: unknown) => T | undefined, fallback: T): T =>
    layers.reduce<T>((value, layer) => read(layer[key]) ?? value, fallback);
  return {
    allowedRegions: [...pick('allowedRegions', optionalStrings, [...configRegions])].sort(),
    protectedNamePatterns: [...pick('protectedNamePatterns', optionalStrings, DEFAULT_PROTECTED_NAME_PATTERNS)].sort(),
    permissionsBoundary: pick('permissionsBoundary', (v) => (typeof v === 'boolean' ? v : undefined), false),
  };
}
