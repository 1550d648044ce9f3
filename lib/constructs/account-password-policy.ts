import { CustomResource, Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { PasswordPolicyConfig } from '../config/types.js';
import { RosterHandler } from './handler.js';

export interface AccountPasswordPolicyProps {
  policy: PasswordPolicyConfig;
  partition: string;
}

/**
 * The account's IAM password policy. CloudFormation has no resource for it, so a small custom
 * resource (lib/lambda/password-policy.mjs) calls UpdateAccountPasswordPolicy.
 */
export class AccountPasswordPolicy extends Construct {
  constructor(scope: Construct, id: string, { policy, partition }: AccountPasswordPolicyProps) {
    super(scope, id);
    const handler = new RosterHandler(this, 'Handler', {
      partition,
      name: 'password-policy',
      handler: 'password-policy.handler',
      description: 'iam-roster: sets the IAM account password policy',
      timeout: Duration.minutes(1),
      statements: [new PolicyStatement({ actions: ['iam:DeleteAccountPasswordPolicy', 'iam:UpdateAccountPasswordPolicy'], resources: ['*'] })],
      wildcards: { 'Resource::*': 'The account password policy is account-wide: IAM has no resource ARN for it, so these two actions need Resource "*".' },
    });
    new CustomResource(this, 'Resource', {
      serviceToken: handler.function.functionArn,
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
  }
}
