import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccountPasswordPolicy } from '../constructs/account-password-policy.js';
import { renderRole } from '../constructs/cross-account-role.js';
import { renderManagedPolicy } from '../constructs/managed-policy.js';
import { acknowledgeWildcards } from '../constructs/nag.js';
import { BOUNDARY_POLICY } from '../plan/boundary.js';
import type { AccountPlan } from '../plan/types.js';

export interface AccountStackProps extends StackProps {
  account: AccountPlan;
}

/** `Account-<prefix>`: guardrails and roles of one member account, deployed into that account. */
export class AccountStack extends Stack {
  constructor(scope: Construct, props: AccountStackProps) {
    const { account } = props;
    super(scope, account.stackName, {
      ...props,
      stackName: account.stackName,
      env: { account: account.id, region: account.region },
      description: `iam-roster roles for ${account.alias} (${account.id}, ${account.type})`,
      tags: { 'managed-by': 'iam-roster', ...props.tags },
    });
    const shared = new Map(account.sharedPolicies.map((plan) => [plan.name, { plan, resource: renderManagedPolicy(this, plan) }]));
    const boundary = shared.get(BOUNDARY_POLICY);
    if (boundary) {
      acknowledgeWildcards(boundary.resource, boundary.plan.document,
        "A permissions boundary grants nothing by itself: its Allow '*' only lets each role keep its own policies, minus the guardrail denies.");
    }
    for (const role of account.roles) renderRole(this, role, shared);
    if (account.passwordPolicy) new AccountPasswordPolicy(this, 'PasswordPolicy', { policy: account.passwordPolicy, partition: account.partition });
  }
}
