import type { PolicyDocument } from '../config/iam-policy.js';
import type { RolePlan } from './types.js';

/**
 * The cdk-nag (AwsSolutions pack) findings iam-roster's roles raise, computed on the plan: one
 * source for both sides of the check, so `roster validate` and `npm test` never disagree.
 * - The renderers acknowledge exactly these findings, with the role's `justification`
 *   (lib/constructs/nag.ts, cross-account-role.ts);
 * - planning refuses a role with findings and no justification (`roleNagIssues`), with the role
 *   file and the key to add, instead of cdk-nag failing in `npm test` naming no file.
 * Finding IDs follow cdk-nag: `AwsSolutions-IAM5[Action::ce:Get*]`,
 * `AwsSolutions-IAM4[Policy::arn:aws:iam::aws:policy/ReadOnlyAccess]`.
 */
export const WILDCARD_RULE = 'AwsSolutions-IAM5';
export const MANAGED_POLICY_RULE = 'AwsSolutions-IAM4';

/** A policy document as planned, or after Stack.resolve() (resources may be intrinsics then). */
export interface FindingDocument {
  Statement?: readonly { Effect?: string; Action?: unknown; Resource?: unknown }[];
}

/**
 * AwsSolutions-IAM5: every Allow action or resource with a wildcard, as `Action::<a>` /
 * `Resource::<r>` (`flatten` names an intrinsic the way cdk-nag does).
 */
export function wildcardFindings(document: FindingDocument | PolicyDocument, flatten: (resource: unknown) => string = String): string[] {
  const findings = new Set<string>();
  for (const statement of (document as FindingDocument).Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of [statement.Action ?? []].flat()) if (String(action).includes('*')) findings.add(`Action::${action}`);
    for (const resource of [statement.Resource ?? []].flat().map(flatten)) if (resource.includes('*')) findings.add(`Resource::${resource}`);
  }
  return [...findings];
}

/** AwsSolutions-IAM4: every AWS managed policy attached, as `Policy::<arn>`. */
export function managedPolicyFindings(arns: readonly string[]): string[] {
  return arns.filter((arn) => /^arn:[^:]+:iam::aws:policy\//.test(arn)).map((arn) => `Policy::${arn}`);
}

/** What a role's `justification` must explain, by key: the findings its plan raises. */
export function findingsToJustify(role: Pick<RolePlan, 'awsManagedPolicyArns' | 'policies'>): { awsManagedPolicies: string[]; wildcards: string[] } {
  return {
    awsManagedPolicies: managedPolicyFindings(role.awsManagedPolicyArns),
    wildcards: [...new Set(role.policies.flatMap((p) => wildcardFindings(p.document)))],
  };
}

/** Findings a role raises that its `justification` does not acknowledge, by justification key. */
export function unjustified(role: Pick<RolePlan, 'awsManagedPolicyArns' | 'policies' | 'justification'>): { key: 'awsManagedPolicies' | 'wildcards'; rule: string; findings: string[] }[] {
  const needed = findingsToJustify(role);
  return [
    ...(needed.awsManagedPolicies.length && !role.justification.awsManagedPolicies ? [{ key: 'awsManagedPolicies' as const, rule: MANAGED_POLICY_RULE, findings: needed.awsManagedPolicies }] : []),
    ...(needed.wildcards.length && !role.justification.wildcards ? [{ key: 'wildcards' as const, rule: WILDCARD_RULE, findings: needed.wildcards }] : []),
  ];
}
