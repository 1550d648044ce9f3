import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Code, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** Custom-resource handlers: plain JS in lib/lambda, shipped as a directory asset (no bundling, no Docker). */
export const LAMBDA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'lambda');

export function handlerCode(): Code {
  return Code.fromAsset(LAMBDA_DIR);
}

export const HANDLER_RUNTIME = Runtime.NODEJS_24_X;

/**
 * The handler's log group, declared so it is deleted with the stack instead of being left behind
 * as the implicit /aws/lambda/<name> group would be.
 */
export function handlerLogGroup(scope: Construct): LogGroup {
  return new LogGroup(scope, 'Logs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
}
