import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { PolicyDocument } from '../config/iam-policy.js';
import { managedPolicyFindings, MANAGED_POLICY_RULE, WILDCARD_RULE, wildcardFindings, type FindingDocument } from '../plan/nag-rules.js';

/**
 * Record acknowledgements on a construct the way `Validations.of(scope).acknowledge()` does (the
 * metadata key cdk-nag reads), in one entry and without the per-call stack trace that
 * `acknowledge()` captures: at 300 accounts that trace alone cost seconds and hundreds of MB.
 */
export function acknowledge(scope: IConstruct, rules: Record<string, string>): void {
  if (Object.keys(rules).length > 0) scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, rules);
}

/**
 * cdk-nag (AwsSolutions pack) findings are acknowledged one by one, each with the reason written
 * beside the permission that causes it, so a new wildcard never slips in under an old blanket
 * suppression. Finding IDs follow cdk-nag: `AwsSolutions-IAM5[Action::ce:Get*]`.
 */
export function acknowledgeWildcards(scope: IConstruct, document: PolicyDocument | FindingDocument, reason: string): void {
  acknowledge(scope, Object.fromEntries(wildcardFindings(document, flattenReference).map((f) => [`${WILDCARD_RULE}[${f}]`, reason])));
}

/** How cdk-nag names an intrinsic in a finding: `<Bucket.Arn>/*`, `arn:<AWS::Partition>:...`. */
function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const ref = node as Record<string, any>;
  if (ref['Fn::Join']) return (ref['Fn::Join'][1] as unknown[]).map(flattenReference).join(ref['Fn::Join'][0]);
  if (ref['Fn::Sub']) return flattenReference(ref['Fn::Sub']);
  if (ref['Fn::GetAtt']) return `<${flattenReference(ref['Fn::GetAtt'][0])}.${flattenReference(ref['Fn::GetAtt'][1])}>`;
  if (ref['Fn::ImportValue']) return flattenReference(ref['Fn::ImportValue']);
  if (ref.Ref) return `<${flattenReference(ref.Ref)}>`;
  return JSON.stringify(node);
}

/** AWS managed policies attached on purpose (AwsSolutions-IAM4), each by its ARN. */
export function acknowledgeManagedPolicies(scope: IConstruct, arns: readonly string[], reason: string): void {
  acknowledge(scope, Object.fromEntries(managedPolicyFindings(arns).map((f) => [`${MANAGED_POLICY_RULE}[${f}]`, reason])));
}
