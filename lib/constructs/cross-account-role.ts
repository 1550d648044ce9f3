import { CfnOutput } from 'aws-cdk-lib';
import { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { RolePlan } from '../plan/types.js';
import { renderManagedPolicy } from './managed-policy.js';

/** A catalog role in a member account, trusted by the central account with MFA. */
export function renderRole(scope: Construct, role: RolePlan): CfnRole {
  const policies = role.policies.map((p) => renderManagedPolicy(scope, p));
  const resource = new CfnRole(scope, role.logicalId, {
    roleName: role.name,
    description: role.description,
    assumeRolePolicyDocument: role.trustPolicy,
    maxSessionDuration: role.maxSessionDuration,
    managedPolicyArns: [...role.awsManagedPolicyArns, ...policies.map((p) => p.ref)],
    permissionsBoundary: role.permissionsBoundaryArn,
    tags: [{ key: 'managed-by', value: 'iam-roster' }],
  });
  new CfnOutput(scope, `${role.logicalId}Arn`, { value: resource.attrArn, description: `ARN of role ${role.name}` });
  return resource;
}
