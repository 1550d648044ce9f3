// moto_server (the AWS API emulator these machines have as a Python package) for the deploy test:
// started on a free port of 127.0.0.1, reached through the real AWS SDK clients, stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { createServer } from 'node:net';
import { CloudFormation } from '@aws-sdk/client-cloudformation';
import { IAM } from '@aws-sdk/client-iam';
import { S3 } from '@aws-sdk/client-s3';
import { SecretsManager } from '@aws-sdk/client-secrets-manager';
import { SSM } from '@aws-sdk/client-ssm';

export interface MotoServer {
  endpoint: string;
  pid: number;
  /** What moto printed, for a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A moto server for the test file that calls this at its top level: started before its tests,
 * stopped after them. Returns a getter (the server exists once beforeAll has run).
 */
export function motoForFile(): () => MotoServer {
  let moto: MotoServer | undefined;
  beforeAll(async () => {
    moto = await startMoto();
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
  });
  return () => moto!;
}

export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  // AWS managed policies (ReadOnlyAccess, ...) exist in moto's IAM only when asked for.
  const env = { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' };
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let output = '';
  child.stderr!.on('data', (chunk) => {
    output = (output + chunk).slice(-20_000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    pid: child.pid!,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) process.kill(child.pid!, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
    },
  };
}

export interface AwsClients {
  cloudformation: CloudFormation;
  iam: IAM;
  s3: S3;
  ssm: SSM;
  secrets: SecretsManager;
}

/**
 * SDK clients acting in one emulated account: moto keeps a separate state per account ID and reads
 * it from the `x-moto-account-id` header.
 */
export function awsClients(moto: MotoServer, account: string, region: string): AwsClients {
  const config = { endpoint: moto.endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true, maxAttempts: 1 };
  const inAccount = <T extends { middlewareStack: { add: (...args: any[]) => void } }>(client: T): T => {
    client.middlewareStack.add((next: (args: any) => Promise<unknown>) => (args: any) => {
      args.request.headers['x-moto-account-id'] = account;
      return next(args);
    }, { step: 'build', name: 'motoAccount' });
    // Name the call in a failure: moto answers what it does not support with a bare HTTP 500.
    client.middlewareStack.add((next: (args: any) => Promise<unknown>, context: { commandName?: string }) => async (args: any) => {
      try {
        return await next(args);
      } catch (error) {
        (error as Error).message = `${context.commandName} ${JSON.stringify(args.input).slice(0, 300)} in ${account}: ${(error as Error).message}`;
        throw error;
      }
    }, { step: 'initialize', name: 'motoCallName' });
    return client;
  };
  return {
    cloudformation: inAccount(new CloudFormation(config)),
    iam: inAccount(new IAM(config)),
    s3: inAccount(new S3(config)),
    ssm: inAccount(new SSM(config)),
    secrets: inAccount(new SecretsManager(config)),
  };
}
