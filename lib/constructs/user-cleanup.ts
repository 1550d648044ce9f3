import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { handlerCode, handlerLogGroup, HANDLER_RUNTIME } from './lambda-code.js';
import { acknowledge } from './nag.js';

/** Fixed name, so user stacks reference it by ARN without cross-stack parameters. */
export const USER_CLEANUP_FUNCTION = 'iam-roster-user-cleanup';

export function userCleanupFunctionArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:lambda:${region}:${account}:function:${USER_CLEANUP_FUNCTION}`;
}

export interface UserCleanupFunctionProps {
  partition: string;
  account: string;
}

/**
 * The handler behind every `Custom::UserCleanup` (lib/lambda/user-cleanup.mjs): on a user's
 * removal it deletes what would make DeleteUser fail (keys, MFA devices, login profile, ...).
 */
export class UserCleanupFunction extends Construct {
  readonly function: LambdaFunction;

  constructor(scope: Construct, id: string, { partition, account }: UserCleanupFunctionProps) {
    super(scope, id);
    this.function = new LambdaFunction(this, 'Handler', {
      functionName: USER_CLEANUP_FUNCTION,
      runtime: HANDLER_RUNTIME,
      code: handlerCode(),
      logGroup: handlerLogGroup(this),
      handler: 'user-cleanup.handler',
      timeout: Duration.minutes(5),
      description: 'iam-roster: removes credentials of a user being deleted so CloudFormation can delete it',
    });
    const iam = (resource: string) => `arn:${partition}:iam::${account}:${resource}`;
    this.function.addToRolePolicy(new PolicyStatement({
      actions: [
        'iam:DeactivateMFADevice', 'iam:DeleteAccessKey', 'iam:DeleteLoginProfile', 'iam:DeleteSSHPublicKey',
        'iam:DeleteServiceSpecificCredential', 'iam:DeleteSigningCertificate', 'iam:DeleteUserPolicy', 'iam:DetachUserPolicy',
        'iam:ListAccessKeys', 'iam:ListAttachedUserPolicies', 'iam:ListGroupsForUser', 'iam:ListMFADevices', 'iam:ListSSHPublicKeys',
        'iam:ListServiceSpecificCredentials', 'iam:ListSigningCertificates', 'iam:ListUserPolicies',
      ],
      resources: [iam('user/*')],
    }));
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['iam:RemoveUserFromGroup'], resources: [iam('group/*')] }));
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['iam:DeleteVirtualMFADevice'], resources: [iam('mfa/*')] }));
    acknowledge(this.function, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        'AWSLambdaBasicExecutionRole only lets the handler write its own CloudWatch logs.',
      [`AwsSolutions-IAM5[Resource::${iam('user/*')}]`]:
        'Any iam-roster user may be offboarded; the user set changes with every pull request, so the handler cannot list them in advance.',
      [`AwsSolutions-IAM5[Resource::${iam('group/*')}]`]:
        'Removes the leaving user from groups someone added by hand, whose names iam-roster does not know.',
      [`AwsSolutions-IAM5[Resource::${iam('mfa/*')}]`]:
        'Virtual MFA devices are named by their owners when they enrol, so their names are not known in advance.',
    });
  }
}
