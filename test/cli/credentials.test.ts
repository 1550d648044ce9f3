// `roster credentials` (the credential_process of the profiles `roster profiles` writes) against an
// injected STS: what it asks STS for, what it prints, what it caches and when it asks for an MFA
// code again. The SDK-backed calls are exercised against moto in credentials-moto.test.ts.
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsCommand, type CredentialsOptions } from '../../lib/cli/commands/credentials.js';
import { CredentialsError, type AwsCredentials, type CredentialsDeps, type StsCalls } from '../../lib/cli/credentials.js';
import { rosterAsync } from './run.js';

const ROLE = 'arn:aws:iam::222222222201:role/SupportEngineer';
const OTHER_ROLE = 'arn:aws:iam::222222222202:role/SupportEngineer';
const MFA = 'arn:aws:iam::111111111111:mfa/olivia@example.com';
const options = (extra: Partial<CredentialsOptions> = {}): CredentialsOptions => ({
  user: 'olivia@example.com', 'role-arn': ROLE, 'mfa-serial': MFA, 'source-profile': 'acme', region: 'us-east-1', duration: '3600', 'session-seconds': '43200', ...extra,
});

/** An STS that issues numbered credentials valid for the asked duration, and records each call. */
function fakeWorld(start = '2026-11-22T09:00:00Z') {
  let clock = Date.parse(start);
  let serial = 0;
  const calls: { op: string; input: Record<string, unknown> }[] = [];
  const prompts: string[] = [];
  const refuse = new Set<string>(); // AccessKeyIds STS now refuses (e.g. a revoked session)
  const issue = (prefix: string, seconds: number): AwsCredentials => {
    serial += 1;
    return { AccessKeyId: `${prefix}${serial}`, SecretAccessKey: `secret${serial}`, SessionToken: `token${serial}`, Expiration: new Date(clock + seconds * 1000).toISOString() };
  };
  const sts: StsCalls = {
    async getSessionToken(input) {
      calls.push({ op: 'GetSessionToken', input });
      return issue('ASIASESSION', input.DurationSeconds);
    },
    async assumeRole(input) {
      calls.push({ op: 'AssumeRole', input: { ...input, session: input.session.AccessKeyId } });
      if (refuse.has(input.session.AccessKeyId)) throw Object.assign(new Error('not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' });
      return issue('ASIAROLE', input.DurationSeconds);
    },
  };
  const cacheDir = join(mkdtempSync(join(tmpdir(), 'roster-cred-')), 'cache');
  const deps: CredentialsDeps = { sts, cacheDir, now: () => new Date(clock), askTokenCode: async (prompt) => { prompts.push(prompt); return '123456\n'; } };
  const run = async (opts: CredentialsOptions, d: CredentialsDeps = deps) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await credentialsCommand({ out: (t) => out.push(t), err: (t) => err.push(t), cwd: '/', env: {} }, opts, d);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };
  return { calls, prompts, refuse, deps, run, cacheDir, advance: (seconds: number) => { clock += seconds * 1000; } };
}

describe('roster credentials', () => {
  it('signs in with MFA, assumes the role with the user\'s name as session name and source identity, and prints credential_process JSON', async () => {
    const w = fakeWorld();
    const r = await w.run(options());
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual({ Version: 1, AccessKeyId: 'ASIAROLE2', SecretAccessKey: 'secret2', SessionToken: 'token2', Expiration: '2026-11-22T10:00:00.000Z' });
    expect(w.prompts).toEqual([`MFA code for ${MFA}: `]);
    expect(w.calls).toEqual([
      { op: 'GetSessionToken', input: { sourceProfile: 'acme', region: 'us-east-1', SerialNumber: MFA, TokenCode: '123456', DurationSeconds: 43200 } },
      { op: 'AssumeRole', input: { session: 'ASIASESSION1', region: 'us-east-1', RoleArn: ROLE, RoleSessionName: 'olivia@example.com', SourceIdentity: 'olivia@example.com', DurationSeconds: 3600 } },
    ]);
    // cached for the owner only, like the AWS CLI's cache
    expect(statSync(w.cacheDir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(w.cacheDir)) expect(statSync(join(w.cacheDir, f)).mode & 0o777, f).toBe(0o600);
  });

  it('asks for the MFA code once per MFA session: later calls reuse it, and the role credentials while they last', async () => {
    const w = fakeWorld();
    await w.run(options());
    const again = await w.run(options());
    expect(JSON.parse(again.stdout).AccessKeyId).toBe('ASIAROLE2');
    await w.run(options({ 'role-arn': OTHER_ROLE }));
    w.advance(3600 - 4 * 60); // the role credentials have 4 minutes left: renewed, the MFA session reused
    const renewed = await w.run(options());
    expect(JSON.parse(renewed.stdout).AccessKeyId).toBe('ASIAROLE4');
    expect(w.prompts).toHaveLength(1);
    expect(w.calls.map((c) => c.op)).toEqual(['GetSessionToken', 'AssumeRole', 'AssumeRole', 'AssumeRole']);
  });

  it('asks again once the MFA session ends (12 h: the trusts refuse older MFA sign-ins), or with --refresh', async () => {
    const w = fakeWorld();
    await w.run(options({ 'session-seconds': '3600' }));
    w.advance(3600);
    await w.run(options({ 'session-seconds': '3600' }));
    expect(w.prompts).toHaveLength(2);
    await w.run(options({ 'session-seconds': '3600', refresh: true }));
    expect(w.prompts).toHaveLength(3);
    expect(w.calls.filter((c) => c.op === 'GetSessionToken').map((c) => c.input.DurationSeconds)).toEqual([3600, 3600, 3600]);
  });

  it('a cached MFA session that STS now refuses (revoked) is dropped: the user signs in again and the fresh session works', async () => {
    const w = fakeWorld();
    await w.run(options());
    w.refuse.add('ASIASESSION1');
    const r = await w.run(options({ 'role-arn': OTHER_ROLE }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).AccessKeyId).toBe('ASIAROLE4');
    expect(w.prompts).toHaveLength(2);
    expect(w.calls.map((c) => `${c.op} ${c.input.session ?? ''}`.trim())).toEqual(['GetSessionToken', 'AssumeRole ASIASESSION1', 'AssumeRole ASIASESSION1', 'GetSessionToken', 'AssumeRole ASIASESSION3']);
  });

  it('a refusal of a fresh session is reported in one line with a hint, exit 1, nothing printed on stdout', async () => {
    const w = fakeWorld();
    w.refuse.add('ASIASESSION1');
    const r = await w.run(options());
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('roster credentials: AccessDenied: not authorized to perform: sts:AssumeRole\n'
      + '    hint: check the MFA code, that olivia@example.com may assume the role (roster explain), and whether the sessions were revoked (--refresh signs in afresh)');
  });

  it('refuses a malformed MFA code before calling STS, and says what to do without a terminal', async () => {
    const w = fakeWorld();
    expect(await w.run(options({ 'token-code': '12a456' }))).toMatchObject({ code: 1, stderr: 'roster credentials: an MFA code is six digits\n    hint: run again and type the code your device shows' });
    const noTerminal = { ...w.deps, askTokenCode: async () => { throw new CredentialsError('no terminal to ask for the MFA code on', 'pass --token-code'); } };
    expect(await w.run(options(), noTerminal)).toMatchObject({ code: 1, stderr: 'roster credentials: no terminal to ask for the MFA code on\n    hint: pass --token-code' });
    expect(w.calls).toEqual([]);
    expect(JSON.parse((await w.run(options({ 'token-code': '654321' }))).stdout).AccessKeyId).toBe('ASIAROLE2');
    expect(w.calls[0].input.TokenCode).toBe('654321');
  });

  it('usage mistakes exit 2 with a hint, through the CLI', async () => {
    expect(await rosterAsync(['credentials', '--user', 'olivia@example.com', '--mfa-serial', MFA])).toMatchObject({ code: 2, stderr: expect.stringContaining('credentials needs --role-arn') });
    expect(await rosterAsync(['credentials', '--user', 'olivia@example.com', '--role-arn', ROLE])).toMatchObject({ code: 2, stderr: expect.stringContaining('credentials needs --mfa-serial') });
    expect(await rosterAsync(['credentials', '--user', 'olivia@example.com', '--role-arn', ROLE, '--mfa-serial', MFA, '--session-seconds', '86400'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--session-seconds must be a whole number of seconds from 900 to 43200') });
    expect(await rosterAsync(['credentials', '--user', 'x', '--role-arn', ROLE, '--mfa-serial', MFA])).toMatchObject({ code: 2, stderr: expect.stringContaining('one character') });
  });
});
