import { CfnOutput } from 'aws-cdk-lib';
import { CfnUser } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { UserPlan } from '../plan/types.js';

export interface RosterUserProps {
  user: UserPlan;
  /** Attached to every user: ManageYourAccount. */
  managedPolicyArns: string[];
}

/**
 * An IAM user with its group memberships. No access key and no password: people create their own
 * credentials through ManageYourAccount, so no secret ever sits in a template.
 */
export function renderUser(scope: Construct, { user, managedPolicyArns }: RosterUserProps): CfnUser {
  const tags = [{ key: 'managed-by', value: 'iam-roster' }];
  if (user.email) tags.push({ key: 'email', value: user.email });
  if (user.description) tags.push({ key: 'description', value: user.description.slice(0, 256) });
  const resource = new CfnUser(scope, user.logicalId, {
    userName: user.name,
    groups: [...user.groups],
    managedPolicyArns,
    tags,
  });
  new CfnOutput(scope, `${user.logicalId}Arn`, { value: resource.attrArn, description: `ARN of IAM user ${user.name}` });
  return resource;
}
