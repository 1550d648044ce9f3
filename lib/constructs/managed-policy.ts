import { Fn } from 'aws-cdk-lib';
import { CfnManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ROLE_ID_PLACEHOLDER, type PolicyDocument } from '../config/iam-policy.js';
import type { ManagedPolicyPlan } from '../plan/types.js';

/** A customer managed policy exactly as planned: fixed name, logical ID from the name. */
export function renderManagedPolicy(scope: Construct, plan: ManagedPolicyPlan): CfnManagedPolicy {
  return new CfnManagedPolicy(scope, plan.logicalId, {
    managedPolicyName: plan.name,
    description: plan.description,
    policyDocument: plan.document,
  });
}

/**
 * The document with every `{roleId}` replaced by `roleId` (a token: `Fn::GetAtt <Role>.RoleId`):
 * a string naming it becomes `Fn::Join` of its parts, so IAM policy variables such as
 * `${redshift:DbUser}` stay as written (Fn::Sub would read them as its own).
 */
export function withRoleId(document: PolicyDocument, roleId: string): unknown {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!value.includes(ROLE_ID_PLACEHOLDER)) return value;
      const parts = value.split(ROLE_ID_PLACEHOLDER).flatMap((text, i) => (i === 0 ? [text] : [roleId, text])).filter((p) => p !== '');
      return Fn.join('', parts);
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(document);
}
