import { CustomResource, Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { PasswordPolicyConfig } from '../config/types.js';
import { handlerCode, handlerLogGroup, HANDLER_RUNTIME } from './lambda-code.js';
import { acknowledge } from './nag.js';

export interface AccountPasswordPolicyProps {
  policy: PasswordPolicyConfig;
}

/**
 * The account's IAM password policy. CloudFormation has no resource for it, so a small custom
 * resource (lib/lambda/password-policy.mjs) calls UpdateAccountPasswordPolicy.
 */
export class AccountPasswordPolicy extends Construct {
  constructor(scope: Construct, id: string, { policy }: AccountPasswordPolicyProps) {
    super(scope, id);
    const handler = new LambdaFunction(this, 'Handler', {
      runtime: HANDLER_RUNTIME,
      code: handlerCode(),
      logGroup: handlerLogGroup(this),
      handler: 'password-policy.handler',
      timeout: Duration.minutes(1),
      description: 'iam-roster: sets the IAM account password policy',
    });
    handler.addToRolePolicy(new PolicyStatement({ actions: ['iam:UpdateAccountPasswordPolicy', 'iam:DeleteAccountPasswordPolicy'], resources: ['*'] }));
    new CustomResource(this, 'Resource', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::AccountPasswordPolicy',
      properties: {
        MinimumPasswordLength: policy.minimumLength,
        RequireUppercaseCharacters: policy.requireUppercase,
        RequireLowercaseCharacters: policy.requireLowercase,
        RequireNumbers: policy.requireNumbers,
        RequireSymbols: policy.requireSymbols,
        PasswordReusePrevention: policy.passwordReusePrevention,
        MaxPasswordAge: policy.maxPasswordAge,
        AllowUsersToChangePassword: policy.allowUsersToChangePassword,
        HardExpiry: policy.hardExpiry,
      },
    });
    acknowledge(handler, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        'AWSLambdaBasicExecutionRole only lets the handler write its own CloudWatch logs.',
      'AwsSolutions-IAM5[Resource::*]':
        'The account password policy is account-wide: IAM has no resource ARN for it, so these two actions need Resource "*".',
    });
  }
}
