// `roster credentials` as the AWS CLI runs it (a real process, the real AWS SDK) against
// moto_server: the profile's long-term key from a shared credentials file, GetSessionToken, then
// AssumeRole with the session; what it prints is credentials STS accepts as the role session.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers.js';
import { motoForFile } from '../support/moto.js';

const moto = motoForFile();

describe('roster credentials against moto', () => {
  it('prints credential_process JSON for the role session, named after the user, and caches the MFA session', async () => {
    const home = mkdtempSync(join(tmpdir(), 'roster-moto-cred-'));
    writeFileSync(join(home, 'credentials'), '[acme]\naws_access_key_id = AKIAEXAMPLEOLIVIA\naws_secret_access_key = olivia-secret\n');
    writeFileSync(join(home, 'config'), '');
    const env = {
      PATH: process.env.PATH, HOME: home,
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'), AWS_CONFIG_FILE: join(home, 'config'),
      AWS_ENDPOINT_URL_STS: moto().endpoint, ROSTER_CACHE_DIR: join(home, 'cache'),
      // the SDK's notice that its 2027 releases need node 22 would be all of stderr on node 20
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const args = [join(repoRoot, 'bin/roster.mjs'), 'credentials', '--user', 'olivia@example.com', '--role-arn', 'arn:aws:iam::222222222201:role/SupportEngineer',
      '--mfa-serial', 'arn:aws:iam::111111111111:mfa/olivia@example.com', '--source-profile', 'acme', '--region', 'us-east-1', '--duration', '3600'];
    const first = spawnSync(process.execPath, [...args, '--token-code', '123456'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const printed = JSON.parse(first.stdout);
    expect(Object.keys(printed)).toEqual(['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    expect(printed.Version).toBe(1);
    expect(Date.parse(printed.Expiration)).toBeGreaterThan(Date.now());
    const sts = new STSClient({ region: 'us-east-1', endpoint: moto().endpoint, credentials: { accessKeyId: printed.AccessKeyId, secretAccessKey: printed.SecretAccessKey, sessionToken: printed.SessionToken } });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:sts::222222222201:assumed-role/SupportEngineer/olivia@example.com');
    // no terminal and no --token-code: the cached MFA session (and role credentials) serve
    const again = spawnSync(process.execPath, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout).AccessKeyId).toBe(printed.AccessKeyId);
  }, 60_000);
});
