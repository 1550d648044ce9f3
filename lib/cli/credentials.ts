// `roster credentials`: role credentials for the AWS CLI's credential_process, with the user's
// name as source identity. The CLI's own profile keys (role_arn, mfa_serial, source_profile)
// cannot set one (botocore's assume-role provider has no such setting), so the profiles that
// `roster profiles` writes run this instead:
//   1. sts:GetSessionToken with the long-term key of the source profile and an MFA code, once per
//      MFA sign-in (cached; valid no longer than security.mfaMaxAgeSeconds, since the trust
//      policies refuse older MFA sign-ins);
//   2. sts:AssumeRole with those session credentials, RoleSessionName = SourceIdentity = the
//      user's name (cached until shortly before it expires).
// AssumeRole with GetSessionToken credentials is not role chaining: the role's own maximum session
// duration applies. The request is signed with temporary credentials that carry MFA, so it holds
// under the strict reading of AWS's MFA documentation (aws:MultiFactorAuthPresent is absent on
// requests signed with a long-term key).
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface AwsCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** ISO 8601 UTC. */
  Expiration: string;
}

/** The two STS calls, as the SDK makes them; injected in tests. */
export interface StsCalls {
  /** With the long-term key of `sourceProfile`. */
  getSessionToken(input: { sourceProfile: string; region: string; SerialNumber: string; TokenCode: string; DurationSeconds: number }): Promise<AwsCredentials>;
  /** With the session credentials of step 1. */
  assumeRole(input: { session: AwsCredentials; region: string; RoleArn: string; RoleSessionName: string; SourceIdentity: string; DurationSeconds: number }): Promise<AwsCredentials>;
}

export interface CredentialsRequest {
  user: string;
  roleArn: string;
  mfaSerial: string;
  sourceProfile: string;
  region: string;
  /** Role session length (the role's MaxSessionDuration). */
  durationSeconds: number;
  /** Length of the MFA session (GetSessionToken); at most 12 h (the trust's mfaMaxAgeSeconds). */
  sessionSeconds: number;
  tokenCode?: string;
  /** Forget cached sessions first (after a revocation, or to sign in with MFA anew). */
  refresh?: boolean;
}

export interface CredentialsDeps {
  sts: StsCalls;
  cacheDir: string;
  /** Asks for the MFA code (on the terminal: credential_process captures stdout and stderr). */
  askTokenCode(prompt: string): Promise<string>;
  now(): Date;
}

/** Cached credentials are used only while they have this much life left. */
const MARGIN_MS = 5 * 60 * 1000;

/** GetSessionToken's range for IAM users (AWS: 900 s to 36 hours); 12 h is what the trusts accept. */
export const SESSION_SECONDS = { min: 900, max: 43_200 } as const;

/** credential_process output: AWS's documented format (Version 1). */
export function processOutput(c: AwsCredentials): string {
  return JSON.stringify({ Version: 1, AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expiration });
}

/** $ROSTER_CACHE_DIR, else $XDG_CACHE_HOME/iam-roster, else ~/.cache/iam-roster. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  return env.ROSTER_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'iam-roster');
}

const keyOf = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);

function readCached(file: string, now: Date): AwsCredentials | undefined {
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as AwsCredentials;
    const ok = typeof c.AccessKeyId === 'string' && typeof c.SecretAccessKey === 'string' && typeof c.SessionToken === 'string';
    return ok && Date.parse(c.Expiration) - now.getTime() > MARGIN_MS ? c : undefined;
  } catch {
    return undefined; // missing, unreadable or garbled: sign in again
  }
}

/** Written for the owner only, like the AWS CLI's own cache. */
function writeCached(dir: string, file: string, c: AwsCredentials): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(c), { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** An AWS error that means "not allowed" (a revoked or expired session among the causes). */
export function isAccessDenied(error: unknown): boolean {
  const name = (error as { name?: string; Code?: string })?.name ?? (error as { Code?: string })?.Code;
  return name === 'AccessDenied' || name === 'AccessDeniedException';
}

/**
 * Role credentials for `request`, from the cache or from STS. A cached MFA session that STS now
 * refuses (its user's sessions were revoked after it was issued) is dropped, and the user signs in
 * with MFA once more: a session issued after the revocation works.
 */
export async function roleCredentials(request: CredentialsRequest, deps: CredentialsDeps): Promise<AwsCredentials> {
  const sessionFile = join(deps.cacheDir, `session-${keyOf(request.sourceProfile, request.mfaSerial, request.user)}.json`);
  const roleFile = (session: AwsCredentials) => join(deps.cacheDir, `role-${keyOf(session.AccessKeyId, request.roleArn, request.user, String(request.durationSeconds))}.json`);
  if (request.refresh) rmSync(sessionFile, { force: true });

  const signIn = async (): Promise<AwsCredentials> => {
    const code = request.tokenCode ?? (await deps.askTokenCode(`MFA code for ${request.mfaSerial}: `)).trim();
    if (!/^\d{6}$/.test(code)) throw new CredentialsError('an MFA code is six digits', 'run again and type the code your device shows');
    const session = await deps.sts.getSessionToken({ sourceProfile: request.sourceProfile, region: request.region, SerialNumber: request.mfaSerial, TokenCode: code, DurationSeconds: request.sessionSeconds });
    writeCached(deps.cacheDir, sessionFile, session);
    return session;
  };
  const assume = async (session: AwsCredentials): Promise<AwsCredentials> => {
    const cached = request.refresh ? undefined : readCached(roleFile(session), deps.now());
    if (cached) return cached;
    const role = await deps.sts.assumeRole({ session, region: request.region, RoleArn: request.roleArn, RoleSessionName: request.user, SourceIdentity: request.user, DurationSeconds: request.durationSeconds });
    writeCached(deps.cacheDir, roleFile(session), role);
    return role;
  };

  const cachedSession = readCached(sessionFile, deps.now());
  if (!cachedSession) return assume(await signIn());
  try {
    return await assume(cachedSession);
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    rmSync(sessionFile, { force: true });
    return assume(await signIn());
  }
}

/** A mistake or refusal to report in one line with a hint (exit 1), never a stack trace. */
export class CredentialsError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}
