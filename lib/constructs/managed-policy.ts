import { CfnManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ManagedPolicyPlan } from '../plan/types.js';

/** A customer managed policy exactly as planned: fixed name, logical ID from the name. */
export function renderManagedPolicy(scope: Construct, plan: ManagedPolicyPlan): CfnManagedPolicy {
  return new CfnManagedPolicy(scope, plan.logicalId, {
    managedPolicyName: plan.name,
    description: plan.description,
    policyDocument: plan.document,
  });
}
