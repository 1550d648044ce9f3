import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
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
 * resource (lib/lambda/password-policy.mjs) calls UpdateAccountPasswordPolicy, only for events
 * CloudFormation confirms for this very stack (it may ask about no other stack).
 */
export class AccountPasswordPolicy extends Construct {
  constructor(scope: Construct, id: string, { policy, partition }: AccountPasswordPolicyProps) {
    super(scope, id);
    const { stackName, region, account } = Stack.of(this);
    const stack = `arn:${partition}:cloudformation:${region}:${account}:stack/${stackName}/*`;
    const handler = new RosterHandler(this, 'Handler', {
      partition,
      name: 'password-policy',
      handler: 'password-policy.handler',
      description: 'iam-roster: sets the IAM account password policy',
      timeout: Duration.minutes(1),
      // verifyEvent: events only from this stack (the role may describe no other)
      environment: { ROSTER_ACCOUNT: account, ROSTER_PARTITION: partition, ROSTER_STACK_PREFIXES: stackName },
      statements: [
        new PolicyStatement({ actions: ['iam:DeleteAccountPasswordPolicy', 'iam:UpdateAccountPasswordPolicy'], resources: ['*'] }),
        new PolicyStatement({ actions: ['cloudformation:DescribeStackResource'], resources: [stack] }),
      ],
      wildcards: {
        'Resource::*': 'The account password policy is account-wide: IAM has no resource ARN for it, so these two actions need Resource "*".',
        [`Resource::${stack}`]: 'Asks CloudFormation whether an event is real, for the one stack holding this resource, whose ID is generated at deploy time.',
      },
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
