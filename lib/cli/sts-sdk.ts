// The STS calls of `roster credentials` through the AWS SDK v3. Loaded only by that command, so
// the other commands stay quick. Endpoints, proxies and shared config files are the SDK's own
// (AWS_ENDPOINT_URL_STS, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ...).
import type { AwsCredentials, StsCalls } from './credentials.js';

function fromSdk(c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined): AwsCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error('STS answered without credentials');
  return { AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expiration.toISOString() };
}

/** The SDK is loaded on the first call only: credentials served from the cache need none of it. */
export function sdkStsCalls(): StsCalls {
  const sdk = () => import('@aws-sdk/client-sts');
  return {
    async getSessionToken({ sourceProfile, region, ...input }) {
      const { STSClient, GetSessionTokenCommand } = await sdk();
      // The source profile holds the user's long-term access key (or is aws-vault's credential_process).
      const client = new STSClient({ region, profile: sourceProfile, maxAttempts: 2 });
      return fromSdk((await client.send(new GetSessionTokenCommand(input))).Credentials);
    },
    async assumeRole({ session, region, ...input }) {
      const { STSClient, AssumeRoleCommand } = await sdk();
      const credentials = { accessKeyId: session.AccessKeyId, secretAccessKey: session.SecretAccessKey, sessionToken: session.SessionToken };
      const client = new STSClient({ region, credentials, maxAttempts: 2 });
      return fromSdk((await client.send(new AssumeRoleCommand(input))).Credentials);
    },
  };
}
