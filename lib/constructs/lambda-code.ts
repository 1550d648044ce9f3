import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Code, Runtime } from 'aws-cdk-lib/aws-lambda';

/** Custom-resource handlers: plain JS in lib/lambda, shipped as a directory asset (no bundling, no Docker). */
export const LAMBDA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'lambda');

export function handlerCode(): Code {
  return Code.fromAsset(LAMBDA_DIR);
}

export const HANDLER_RUNTIME = Runtime.NODEJS_24_X;
