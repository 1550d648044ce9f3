import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MANAGED_BY_TAG, MANAGED_BY_VALUE } from '../plan/protection.js';
import { RosterHandler } from './handler.js';

/** Stacks whose custom resources the user handlers serve: CentralStack's nested user stacks and adoption stacks. */
export const USER_STACK_PREFIXES = ['CentralStack-', 'iam-roster-adopt-'];

export interface UserHandlersProps {
  partition: string;
  account: string;
}

/**
 * The handlers behind every user's custom resources, in the central account:
 * - `Custom::UserCleanup` (lib/lambda/user-cleanup.mjs): on a user's removal, deletes what would
 *   make DeleteUser fail (keys, MFA devices, login profile, ...);
 * - `Custom::ConsoleAccess` (lib/lambda/console-access.mjs): the console password, its one-time
 *   secret for the onboarding principal, and its removal.
 * Both may touch only users tagged managed-by=iam-roster, and act only on events CloudFormation
 * sends for iam-roster's stacks (they ask CloudFormation before acting).
 */
export class UserHandlers extends Construct {
  readonly cleanup: RosterHandler;
  readonly console: RosterHandler;

  constructor(scope: Construct, id: string, { partition, account }: UserHandlersProps) {
    super(scope, id);
    const { region } = Stack.of(this);
    const iam = (resource: string) => `arn:${partition}:iam::${account}:${resource}`;
    const taggedUsers = { StringEquals: { [`aws:ResourceTag/${MANAGED_BY_TAG}`]: MANAGED_BY_VALUE } };
    const stacks = USER_STACK_PREFIXES.map((p) => `arn:${partition}:cloudformation:${region}:${account}:stack/${p}*/*`);
    const askCloudFormation = new PolicyStatement({ actions: ['cloudformation:DescribeStackResource'], resources: stacks });
    const environment = { ROSTER_ACCOUNT: account, ROSTER_PARTITION: partition, ROSTER_STACK_PREFIXES: USER_STACK_PREFIXES.join(',') };
    const stackFinding = Object.fromEntries(stacks.map((s) => [`Resource::${s}`, 'Asks CloudFormation whether an event is real, for iam-roster\'s user stacks only, whose IDs are generated at deploy time.']));
    this.cleanup = new RosterHandler(this, 'Cleanup', {
      partition,
      name: 'user-cleanup',
      handler: 'user-cleanup.handler',
      description: 'iam-roster: removes credentials of a user being deleted so CloudFormation can delete it',
      timeout: Duration.minutes(5),
      environment,
      statements: [
        new PolicyStatement({
          actions: [
            'iam:DeactivateMFADevice', 'iam:DeleteAccessKey', 'iam:DeleteLoginProfile', 'iam:DeleteSSHPublicKey', 'iam:DeleteServiceSpecificCredential',
            'iam:DeleteSigningCertificate', 'iam:DeleteUserPolicy', 'iam:DetachUserPolicy', 'iam:ListAccessKeys', 'iam:ListAttachedUserPolicies',
            'iam:ListGroupsForUser', 'iam:ListMFADevices', 'iam:ListSSHPublicKeys', 'iam:ListServiceSpecificCredentials', 'iam:ListSigningCertificates',
            'iam:ListUserPolicies', 'iam:RemoveUserFromGroup',
          ],
          resources: [iam('user/*')],
          conditions: taggedUsers,
        }),
        new PolicyStatement({ actions: ['iam:RemoveUserFromGroup'], resources: [iam('group/*')] }),
        new PolicyStatement({ actions: ['iam:DeleteVirtualMFADevice'], resources: [iam('mfa/*')] }),
        askCloudFormation,
      ],
      wildcards: {
        [`Resource::${iam('user/*')}`]: 'Any user iam-roster manages may be offboarded (only users tagged managed-by=iam-roster: see the condition).',
        [`Resource::${iam('group/*')}`]: 'Removes the leaving user from groups someone added by hand, whose names iam-roster does not know.',
        [`Resource::${iam('mfa/*')}`]: 'Virtual MFA devices are named by their owners when they enrol, so their names are not known in advance.',
        ...stackFinding,
      },
    });
    const secrets = `arn:${partition}:secretsmanager:${region}:${account}:secret:iam-roster/initial-password/*`;
    this.console = new RosterHandler(this, 'Console', {
      partition,
      name: 'console-access',
      handler: 'console-access.handler',
      description: 'iam-roster: console passwords and their one-time secrets for onboarding',
      timeout: Duration.minutes(2),
      environment,
      statements: [
        new PolicyStatement({ actions: ['iam:CreateLoginProfile', 'iam:DeleteLoginProfile', 'iam:UpdateLoginProfile'], resources: [iam('user/*')], conditions: taggedUsers }),
        new PolicyStatement({ actions: ['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:PutResourcePolicy', 'secretsmanager:TagResource'], resources: [secrets] }),
        askCloudFormation,
      ],
      wildcards: {
        [`Resource::${iam('user/*')}`]: 'Console passwords of the users iam-roster manages (only users tagged managed-by=iam-roster: see the condition).',
        [`Resource::${secrets}`]: 'Initial-password secrets are named after their users; Secrets Manager adds a random suffix to every secret ARN.',
        ...stackFinding,
      },
    });
  }
}
