import { CfnOutput } from 'aws-cdk-lib';
import { CfnInstanceProfile, CfnManagedPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ownedId } from '../plan/names.js';
import type { ManagedPolicyPlan, RolePlan } from '../plan/types.js';
import { renderManagedPolicy, withRoleId } from './managed-policy.js';
import { acknowledgeManagedPolicies, acknowledgeWildcards } from './nag.js';

/** A rendered account-wide policy with its plan, so roles can name it by ARN. */
export interface SharedPolicy {
  plan: ManagedPolicyPlan;
  resource: CfnManagedPolicy;
}

/**
 * A role in a member account: a catalog role trusted by the central account with MFA, or a service
 * role (with its instance profile). `shared` holds the account's guardrail policies by name.
 * Policies are named by their (known) ARNs plus DependsOn rather than Ref: thousands of roles
 * synthesize much faster without tokens to resolve, and the template reads the same.
 */
export function renderRole(scope: Construct, role: RolePlan, shared: ReadonlyMap<string, SharedPolicy>): CfnRole {
  const own: SharedPolicy[] = role.policies.filter((p) => !p.refersToRoleId).map((plan) => ({ plan, resource: renderManagedPolicy(scope, plan) }));
  const attached = [...own, ...role.sharedPolicyNames.map((n) => shared.get(n)!)];
  const boundary = role.boundaryPolicyName ? shared.get(role.boundaryPolicyName)! : undefined;
  const resource = new CfnRole(scope, role.logicalId, {
    roleName: role.name,
    description: role.description,
    assumeRolePolicyDocument: role.trustPolicy,
    maxSessionDuration: role.maxSessionDuration,
    managedPolicyArns: [...role.awsManagedPolicyArns, ...role.customerManagedPolicyArns, ...attached.map((p) => p.plan.arn)],
    permissionsBoundary: boundary?.plan.arn,
    tags: [{ key: 'managed-by', value: 'iam-roster' }],
  });
  for (const policy of boundary ? [...attached, boundary] : attached) resource.addResourceDependency(policy.resource);
  // Policies naming the role's own ID come after the role and attach themselves to it.
  const selfReferring = role.policies.filter((p) => p.refersToRoleId).map((plan) => ({ plan, resource: renderSelfReferringPolicy(scope, plan, role, resource) }));
  const { awsManagedPolicies, wildcards } = role.justification;
  if (awsManagedPolicies) acknowledgeManagedPolicies(resource, role.awsManagedPolicyArns, awsManagedPolicies);
  if (wildcards) for (const policy of [...own, ...selfReferring]) acknowledgeWildcards(policy.resource, policy.plan.document, wildcards);
  new CfnOutput(scope, ownedId('Arn', role.logicalId), { value: role.arn, description: `ARN of role ${role.name}` });
  if (role.instanceProfile) {
    new CfnInstanceProfile(scope, ownedId('InstanceProfile', role.logicalId), { instanceProfileName: role.name, roles: [role.name] }).addResourceDependency(resource);
  }
  return resource;
}

/**
 * A role policy whose document names `{roleId}`: `Fn::GetAtt <Role>.RoleId` in its document makes
 * it wait for the role, and it attaches itself through `Roles` (the role's ManagedPolicyArns
 * cannot name it: the role would wait for the policy, a circular dependency).
 */
function renderSelfReferringPolicy(scope: Construct, plan: ManagedPolicyPlan, role: RolePlan, resource: CfnRole): CfnManagedPolicy {
  return new CfnManagedPolicy(scope, plan.logicalId, {
    managedPolicyName: plan.name,
    description: plan.description,
    policyDocument: withRoleId(plan.document, resource.attrRoleId),
    roles: [role.name],
  });
}
