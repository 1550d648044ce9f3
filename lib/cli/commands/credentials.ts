import { closeSync, createReadStream, createWriteStream, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CredentialsError, defaultCacheDir, isAccessDenied, processOutput, roleCredentials, SESSION_SECONDS, type CredentialsDeps, type CredentialsRequest } from '../credentials.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

export interface CredentialsOptions {
  user?: string;
  'role-arn'?: string;
  'mfa-serial'?: string;
  'source-profile'?: string;
  'token-code'?: string;
  region?: string;
  duration?: string;
  'session-seconds'?: string;
  refresh?: boolean;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const MFA_ARN = /^arn:aws[a-z-]*:iam::\d{12}:mfa\/[\w+=,.@/-]+$/;

function seconds(value: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number of seconds from ${min} to ${max}`, `e.g. --${name} ${fallback}`);
  return n;
}

/** What the options ask for; usage mistakes throw UsageError (exit 2). */
export function credentialsRequest(options: CredentialsOptions): CredentialsRequest {
  const { user } = options;
  const roleArn = options['role-arn'];
  const mfaSerial = options['mfa-serial'];
  if (!user) throw new UsageError('credentials needs --user', 'the IAM user name: it becomes the session name and the source identity');
  if (user.length < 2) throw new UsageError(`user name '${user}' has one character`, 'STS takes source identities of 2 to 64 characters');
  if (!roleArn || !ROLE_ARN.test(roleArn)) throw new UsageError('credentials needs --role-arn arn:aws:iam::<account>:role/<name>', 'roster profiles <user> writes profiles with every option filled in');
  if (!mfaSerial || !MFA_ARN.test(mfaSerial)) throw new UsageError('credentials needs --mfa-serial arn:aws:iam::<central account>:mfa/<device>', 'the ARN of your MFA device (aws iam list-mfa-devices)');
  return {
    user,
    roleArn,
    mfaSerial,
    sourceProfile: options['source-profile'] ?? 'iam-roster',
    region: options.region ?? 'us-east-1',
    durationSeconds: seconds(options.duration, 3600, 'duration', 900, 43_200),
    sessionSeconds: seconds(options['session-seconds'], SESSION_SECONDS.max, 'session-seconds', SESSION_SECONDS.min, SESSION_SECONDS.max),
    tokenCode: options['token-code'],
    refresh: options.refresh,
  };
}

/**
 * Read one line from the terminal itself: a credential_process has its stdout and stderr captured
 * by the AWS CLI, so the prompt and the answer go through /dev/tty.
 */
export async function askOnTerminal(prompt: string): Promise<string> {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new CredentialsError('no terminal to ask for the MFA code on', 'pass --token-code, or run the same command once in a terminal: the MFA session is cached');
  }
  const input = createReadStream('', { fd, autoClose: false });
  const output = createWriteStream('', { fd, autoClose: false });
  try {
    output.write(prompt);
    const lines = createInterface({ input, terminal: false });
    const answer = await new Promise<string>((resolve) => lines.once('line', resolve).once('close', () => resolve('')));
    lines.close();
    return answer;
  } finally {
    input.destroy();
    closeSync(fd);
  }
}

/** Production dependencies: the SDK's STS client, the terminal, the clock, the user's cache dir. */
async function realDeps(env: NodeJS.ProcessEnv): Promise<CredentialsDeps> {
  const { sdkStsCalls } = await import('../sts-sdk.js');
  return { sts: sdkStsCalls(), cacheDir: defaultCacheDir(env), askTokenCode: askOnTerminal, now: () => new Date() };
}

/** `roster credentials`: prints credential_process JSON; problems in one line with a hint, exit 1. */
export async function credentialsCommand(io: CliIo, options: CredentialsOptions, deps?: CredentialsDeps): Promise<number> {
  let request: CredentialsRequest;
  try {
    request = credentialsRequest(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`roster: ${error.message}${error.hint ? `\n    hint: ${error.hint}` : ''}`);
    return EXIT.usage;
  }
  try {
    io.out(processOutput(await roleCredentials(request, deps ?? await realDeps(io.env))));
    return EXIT.ok;
  } catch (error) {
    const e = error as Error & { hint?: string };
    const hint = error instanceof CredentialsError ? e.hint
      : isAccessDenied(error) ? `check the MFA code, that ${request.user} may assume the role (roster explain), and whether the sessions were revoked (--refresh signs in afresh)`
        : undefined;
    const what = error instanceof CredentialsError ? e.message : `${e.name ?? 'error'}: ${e.message}`;
    io.err(`roster credentials: ${what}${hint ? `\n    hint: ${hint}` : ''}`);
    return EXIT.denied;
  }
}
