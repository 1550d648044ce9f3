import { CfnOutput } from 'aws-cdk-lib';
import { CfnInstanceProfile, CfnRole, type CfnManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { RolePlan } from '../plan/types.js';
import { renderManagedPolicy } from './managed-policy.js';
import { acknowledgeManagedPolicies, acknowledgeWildcards } from './nag.js';

/**
 * A role in a member account: a catalog role trusted by the central account with MFA, or a service
 * role (with its instance profile). `shared` holds the account's guardrail policies by name.
 */
export function renderRole(scope: Construct, role: RolePlan, shared: ReadonlyMap<string, CfnManagedPolicy>): CfnRole {
  const policies = role.policies.map((p) => renderManagedPolicy(scope, p));
  const resource = new CfnRole(scope, role.logicalId, {
    roleName: role.name,
    description: role.description,
    assumeRolePolicyDocument: role.trustPolicy,
    maxSessionDuration: role.maxSessionDuration,
    managedPolicyArns: [
      ...role.awsManagedPolicyArns,
      ...policies.map((p) => p.ref),
      ...role.sharedPolicyNames.map((n) => shared.get(n)!.ref),
    ],
    permissionsBoundary: role.boundaryPolicyName ? shared.get(role.boundaryPolicyName)!.ref : undefined,
    tags: [{ key: 'managed-by', value: 'iam-roster' }],
  });
  const { awsManagedPolicies, wildcards } = role.justification;
  if (awsManagedPolicies) acknowledgeManagedPolicies(resource, role.awsManagedPolicyArns, awsManagedPolicies);
  if (wildcards) role.policies.forEach((p, i) => acknowledgeWildcards(policies[i], p.document, wildcards));
  new CfnOutput(scope, `${role.logicalId}Arn`, { value: resource.attrArn, description: `ARN of role ${role.name}` });
  if (role.instanceProfile) {
    new CfnInstanceProfile(scope, `${role.logicalId}InstanceProfile`, { instanceProfileName: role.name, roles: [resource.ref] });
  }
  return resource;
}
