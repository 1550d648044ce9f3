import { CfnOutput, NestedStack, Stack, type CfnResource, type StackProps } from 'aws-cdk-lib';
import { CfnGroup } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { AccountPasswordPolicy } from '../constructs/account-password-policy.js';
import { renderManagedPolicy } from '../constructs/managed-policy.js';
import { acknowledgeWildcards } from '../constructs/nag.js';
import { renderUser } from '../constructs/roster-user.js';
import { UserHandlers } from '../constructs/user-cleanup.js';
import { handlerArn } from '../constructs/handler.js';
import { bucketId, ownedId } from '../plan/names.js';
import { POLICIES_STACK_PREFIX, USERS_STACK_PREFIX } from '../plan/placement.js';
import { allAssumePolicies } from '../plan/groups.js';
import type { RosterPlan } from '../plan/types.js';

export interface CentralStackProps extends StackProps {
  plan: RosterPlan;
  /**
   * User stacks (bucket numbers) to leave out, while their users are being adopted with
   * `roster import-mapping`; they are nested back in by `cdk import`.
   */
  omitUserBuckets?: ReadonlySet<number>;
}

/**
 * The central account: ManageYourAccount and the groups in this stack; assume policies and users
 * in nested stacks chosen by a hash of their name (see lib/plan/placement.ts), so the stack
 * grows to thousands of users without ever moving one. Everything is referenced by its fixed
 * name, so nested stacks need no parameters, only ordering (DependsOn).
 */
export class CentralStack extends Stack {
  constructor(scope: Construct, props: CentralStackProps) {
    const { plan, omitUserBuckets: _, ...stackProps } = props;
    super(scope, plan.central.stackName, {
      terminationProtection: true,
      ...stackProps,
      stackName: plan.central.stackName,
      env: { account: plan.central.account, region: plan.central.region },
      description: 'iam-roster: IAM users, groups and assume-role policies of the central account',
      tags: { 'managed-by': 'iam-roster', ...props.tags },
    });

    new AccountPasswordPolicy(this, 'PasswordPolicy', { policy: plan.central.passwordPolicy, partition: plan.partition });
    const handlers = new UserHandlers(this, 'UserHandlers', { partition: plan.partition, account: plan.central.account });
    const { partition, region, account } = { partition: plan.partition, region: plan.central.region, account: plan.central.account };
    const cleanupServiceToken = handlerArn(partition, region, account, 'user-cleanup');
    const consoleSettings = plan.central.onboardingPrincipal ? {
      serviceToken: handlerArn(partition, region, account, 'console-access'),
      handlerRoleArn: `arn:${partition}:iam::${account}:role/iam-roster-console-access`,
      onboardingPrincipal: plan.central.onboardingPrincipal,
      minimumLength: plan.central.passwordPolicy.minimumLength,
    } : undefined;
    const manageYourAccount = renderManagedPolicy(this, plan.manageYourAccount);
    acknowledgeWildcards(manageYourAccount, plan.manageYourAccount.document,
      "Resource '*' only for reads IAM offers no resource ARN for (account summary, password policy, user and MFA device lists); mfa/* lets a user create a virtual MFA device before it has a name. Every write is scoped to the caller's own user.");
    new CfnOutput(this, 'ManageYourAccountPolicyArn', { value: plan.manageYourAccount.arn });

    // Assume policies (shared and per-group packed), grouped into nested stacks by bucket.
    const policyStacks = new Map<number, NestedStack>();
    const policyStackOf = new Map<string, NestedStack>();
    const allPolicies = allAssumePolicies(plan.assumePolicies, plan.groups, plan.users);
    for (const policy of [...allPolicies].sort((a, b) => a.bucket - b.bucket || (a.name < b.name ? -1 : 1))) {
      const stack = nestedStack(this, policyStacks, POLICIES_STACK_PREFIX, policy.bucket);
      renderManagedPolicy(stack, policy);
      new CfnOutput(stack, ownedId('Arn', policy.logicalId), { value: policy.arn });
      policyStackOf.set(policy.name, stack);
    }

    const groups = new Map<string, CfnGroup>();
    const arnOf = new Map(allPolicies.map((p) => [p.name, p.arn]));
    for (const group of plan.groups) {
      const resource = new CfnGroup(this, group.logicalId, {
        groupName: group.name,
        managedPolicyArns: group.policyNames.map((n) => arnOf.get(n)!),
      });
      for (const name of group.policyNames) resource.addResourceDependency(policyStackOf.get(name)!.nestedStackResource!);
      groups.set(group.name, resource);
    }

    const userStacks = new Map<number, NestedStack>();
    for (const user of plan.users) {
      if (props.omitUserBuckets?.has(user.bucket)) continue;
      const stack = nestedStack(this, userStacks, USERS_STACK_PREFIX, user.bucket);
      renderUser(stack, { user, managedPolicyArns: [plan.manageYourAccount.arn, ...user.directPolicyNames.map((n) => arnOf.get(n)!)], cleanupServiceToken, console: consoleSettings });
      const parent = stack.nestedStackResource!;
      for (const name of user.directPolicyNames) parent.addResourceDependency(policyStackOf.get(name)!.nestedStackResource!);
      parent.addResourceDependency(manageYourAccount);
      parent.addResourceDependency(handlers.cleanup.function.node.defaultChild as CfnResource);
      parent.addResourceDependency(handlers.console.function.node.defaultChild as CfnResource);
      for (const group of user.groups) parent.addResourceDependency(groups.get(group)!);
    }
  }
}

function nestedStack(scope: Stack, stacks: Map<number, NestedStack>, prefix: string, bucket: number): NestedStack {
  let stack = stacks.get(bucket);
  if (!stack) {
    stack = new NestedStack(scope, bucketId(prefix, bucket), {
      description: `iam-roster ${prefix.toLowerCase()} bucket ${bucket}`,
    });
    stacks.set(bucket, stack);
  }
  return stack;
}
