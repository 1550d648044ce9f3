import { isMapLike, str, strings, type Loose } from './loose.js';
import type { BoundaryConfig, DenyStatementsRef, GuardrailsConfig, Origin, PasswordPolicyConfig, SecurityConfig } from './types.js';

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
 * users.yaml, then by the account file's `guardrails` (whose `denyStatements` add to those of
 * users.yaml); `guardrails: false` opts the account out.
 */
export function resolveGuardrails(global: unknown, account: unknown, configRegions: readonly string[], accountFile: string, accountId = ''): GuardrailsConfig | false {
  if (account === false) return false;
  const layers = [global, account].filter(isMapLike);
  const pick = <T>(key: string, read: (v: unknown) => T | undefined, fallback: T): T =>
    layers.reduce<T>((value, layer) => read(layer[key]) ?? value, fallback);
  const reasons = (v: unknown) => (isMapLike(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string').sort(([a], [b]) => (a < b ? -1 : 1))) : undefined);
  return {
    allowedRegions: [...pick('allowedRegions', optionalStrings, [...configRegions])].sort(),
    protectedNamePatterns: [...pick('protectedNamePatterns', optionalStrings, DEFAULT_PROTECTED_NAME_PATTERNS)].sort(),
    // Protection adds up: keys named in users.yaml and in the account file are all protected.
    protectedKeyIds: [...new Set(layers.flatMap((layer) => strings(layer.protectedKeys)).flatMap((k) => keyIdFor(k, accountId)))].sort(),
    detectionManagers: pick('detectionManagers', reasons, {}),
    permissionsBoundary: pick('permissionsBoundary', (v) => (typeof v === 'boolean' ? v : undefined), false),
    // The organisation's deny statements add up: an account cannot drop them (but by guardrails: false).
    denyStatements: [
      ...denyRefs(global, { file: 'users.yaml', path: ['security', 'guardrails', 'denyStatements'] }),
      ...denyRefs(account, { file: accountFile, path: ['guardrails', 'denyStatements'] }),
    ].filter((ref, i, all) => all.findIndex((r) => r.policy === ref.policy) === i),
  };
}

/**
 * Which roles of an account carry the permissions boundary. The account file's setting wins over
 * security.guardrails; unset, administrators get it unless the organization guardrails bind them
 * (an identity policy on iam-roster's own roles cannot contain an administrator who creates a
 * role; the boundary makes every role they create carry it too). `guardrails: false` turns off
 * the guardrails, not the boundary.
 */
export function resolveBoundary(global: unknown, account: unknown, organization: boolean): BoundaryConfig {
  const layers = [global, account].filter(isMapLike);
  const set = layers.map((l) => l.permissionsBoundary).filter((v): v is boolean => typeof v === 'boolean').at(-1);
  const optOut = layers.map((l) => str(l.permissionsBoundaryOptOut)).filter((v): v is string => v !== undefined).at(-1);
  if (set === true) return { mode: 'every-role' };
  if (set === false) return { mode: 'none', ...(optOut ? { optOut } : {}) };
  return { mode: organization ? 'none' : 'administrators' };
}

/** One layer's `denyStatements`, sorted by name (reordering the YAML list changes no template). */
function denyRefs(layer: unknown, at: Origin): DenyStatementsRef[] {
  if (!isMapLike(layer) || !Array.isArray(layer.denyStatements)) return [];
  return layer.denyStatements
    .flatMap((policy: unknown, i: number) => (typeof policy === 'string' ? [{ policy, origin: { file: at.file, path: [...at.path, i] } }] : []))
    .sort((a, b) => (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0));
}

/** A KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>) or a bare key ID. */
export const KEY_REFERENCE = /^(?:arn:aws[a-z-]*:kms:[a-z0-9-]+:([0-9]{12}):key\/)?(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * The key ID a protected-key entry names in one account: an ARN of another account names
 * nothing there (users.yaml may list keys of every account); a bare ID names the key of that ID
 * in every account that has one (IDs are unique, so that is at most one key).
 */
export function keyIdFor(reference: string, accountId: string): string[] {
  const match = KEY_REFERENCE.exec(reference);
  if (!match) return [];
  const [, account, id] = match;
  return account === undefined || account === accountId ? [id] : [];
}
