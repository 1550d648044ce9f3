import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { PolicyDocument } from '../roles/types.js';

/**
 * cdk-nag (AwsSolutions pack) findings are acknowledged one by one, each with the reason written
 * beside the permission that causes it, so a new wildcard never slips in under an old blanket
 * suppression. Finding IDs follow cdk-nag: `AwsSolutions-IAM5[Action::ce:Get*]`.
 */
export function acknowledgeWildcards(scope: IConstruct, document: PolicyDocument, reason: string): void {
  const findings = new Set<string>();
  for (const statement of document.Statement) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of [statement.Action ?? []].flat()) if (action.includes('*')) findings.add(`Action::${action}`);
    for (const resource of [statement.Resource ?? []].flat()) if (resource.includes('*')) findings.add(`Resource::${resource}`);
  }
  if (findings.size > 0) Validations.of(scope).acknowledge(...[...findings].map((f) => ({ id: `AwsSolutions-IAM5[${f}]`, reason })));
}

/** AWS managed policies attached on purpose (AwsSolutions-IAM4), each by its ARN. */
export function acknowledgeManagedPolicies(scope: IConstruct, arns: readonly string[], reason: string): void {
  if (arns.length > 0) Validations.of(scope).acknowledge(...arns.map((arn) => ({ id: `AwsSolutions-IAM4[Policy::${arn}]`, reason })));
}
