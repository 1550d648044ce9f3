import { CfnDeletionPolicy, CfnOutput, NestedStack, Stack, type CfnResource, type StackProps } from 'aws-cdk-lib';
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
import type { Adoption } from '../plan/adoption.js';
import type { RosterPlan } from '../plan/types.js';

export interface CentralStackProps extends StackProps {
  plan: RosterPlan;
  /** Rendering for one step of adopting existing IAM entities (see RenderOptions.adoption in lib/app.ts). */
  adoption?: { step: AdoptionStep; adoption: Adoption };
}

export type AdoptionStep = 'import' | 'deploy';

/** Kept if the operation rolls back or the resource leaves the template, as imports require. */
function retain(resource: CfnResource, policy: CfnDeletionPolicy = CfnDeletionPolicy.RETAIN): void {
  resource.cfnOptions.deletionPolicy = policy;
  resource.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
}

/**
 * The central account: ManageYourAccount and the groups in this stack; assume policies and users
 * in nested stacks chosen by a hash of their name (see lib/plan/placement.ts), so the stack
 * grows to thousands of users without ever moving one. Everything is referenced by its fixed
 * name, so nested stacks need no parameters, only ordering (DependsOn).
 */
export class CentralStack extends Stack {
  constructor(scope: Construct, props: CentralStackProps) {
    const { plan, adoption, ...stackProps } = props;
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
    // Adoption: existing entities, as they are now (actual*), rendered so the import is exact.
    const adoptedPolicy = new Map((adoption?.adoption.policies ?? []).map((p) => [p.name, p]));
    const actualMya = adoptedPolicy.get(plan.manageYourAccount.name);
    const manageYourAccount = renderManagedPolicy(this, actualMya && adoption?.step === 'import' ? { ...plan.manageYourAccount, document: actualMya.document } : plan.manageYourAccount);
    if (actualMya) retain(manageYourAccount);
    acknowledgeWildcards(manageYourAccount, plan.manageYourAccount.document,
      "Resource '*' only for reads IAM offers no resource ARN for (account summary, password policy, user and MFA device lists); Every write is scoped to the caller's own user.");
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

    // A policies stack holding an imported policy is nested by `cdk import` and must be retained.
    for (const policy of adoption?.adoption.policies ?? []) if (policy.bucket !== undefined) retain(policyStacks.get(policy.bucket)!.nestedStackResource!);

    const groups = new Map<string, CfnGroup>();
    const arnOf = new Map(allPolicies.map((p) => [p.name, p.arn]));
    const adoptedGroup = new Map(adoption?.step === 'deploy' ? adoption.adoption.groups.map((g) => [g.name, g]) : []);
    for (const group of plan.groups) {
      const actual = adoptedGroup.get(group.name);
      const resource = new CfnGroup(this, group.logicalId, {
        groupName: group.name,
        managedPolicyArns: actual ? actual.managedPolicyArns : group.policyNames.map((n) => arnOf.get(n)!),
      });
      if (actual) retain(resource, CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE);
      for (const name of group.policyNames) resource.addResourceDependency(policyStackOf.get(name)!.nestedStackResource!);
      groups.set(group.name, resource);
    }

    const userStacks = new Map<number, NestedStack>();
    const adoptedUser = new Map(adoption?.step === 'deploy' ? adoption.adoption.users.map((u) => [u.name, u]) : []);
    for (const user of plan.users) {
      const stack = nestedStack(this, userStacks, USERS_STACK_PREFIX, user.bucket);
      renderUser(stack, { user, managedPolicyArns: [plan.manageYourAccount.arn, ...user.directPolicyNames.map((n) => arnOf.get(n)!)], cleanupServiceToken, console: consoleSettings, adopted: adoptedUser.get(user.name) });
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
