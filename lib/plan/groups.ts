import { IAM_LIMITS } from '../config/limits.js';
import type { RoleGrant, RosterConfig } from '../config/types.js';
import { logicalIdFor, bucketOf } from './names.js';
import { POLICY_BUCKETS } from './placement.js';
import { packOrThrow } from './policy-size.js';
import { policyArn } from './assume-policies.js';
import type { AssumePolicyPlan, GroupPlan, ManagedPolicyPlan, UserPlan } from './types.js';
import type { PlanIssue } from './issues.js';

/** Every assume policy of the central account: the shared `<Type>Assume<Role>` ones and the groups' and users' packed ones. */
export function allAssumePolicies(
  assumePolicies: readonly AssumePolicyPlan[], groups: readonly GroupPlan[], users: readonly Pick<UserPlan, 'packedPolicies'>[] = [],
): (ManagedPolicyPlan & { bucket: number })[] {
  return [...assumePolicies, ...groups.flatMap((g) => g.packedPolicies), ...users.flatMap((u) => u.packedPolicies)];
}

/** The name of a group's (or user's) n-th packed assume policy (1-based). */
export function packedPolicyName(owner: string, n: number): string {
  return `${owner}-assume-${n}`;
}

/** The shared `<Type>Assume<Role>` policies that implement a set of grants. */
export function sharedPoliciesFor(grants: readonly RoleGrant[], assumePolicies: readonly AssumePolicyPlan[]): AssumePolicyPlan[] {
  const wanted = new Set(grants.flatMap((g) => g.accountTypes.map((t) => `${t}\u0000${g.role}`)));
  return assumePolicies.filter((p) => wanted.has(`${p.accountType}\u0000${p.role}`));
}

/**
 * When the shared policies would exceed the `room` IAM leaves (10 per group or user), the
 * assume statements are packed into as few owner-specific policies as 6,144 characters allow.
 */
export function packOwnPolicies(
  config: RosterConfig, owner: string, shared: readonly AssumePolicyPlan[], what: string,
): (ManagedPolicyPlan & { bucket: number })[] {
  const { partition, account } = config.central;
  const docs = packOrThrow(shared.flatMap((p) => p.document.Statement), IAM_LIMITS.managedPolicyChars);
  return docs.map((document, i) => {
    const name = packedPolicyName(owner, i + 1);
    return {
      name,
      logicalId: logicalIdFor('Policy', name),
      description: `Assume permissions of ${what} ${owner}, part ${i + 1} (MFA required)`, // immutable: never counts
      document,
      arn: policyArn(partition, account, name),
      bucket: bucketOf(name, POLICY_BUCKETS),
    };
  });
}

/**
 * Attach each group's `<Type>Assume<Role>` policies. IAM allows 10 managed policies per group;
 * a group needing more gets its assume statements packed into as few group-specific policies as
 * the 6,144-character limit allows, instead of the overflow groups others resort to.
 */
export function planGroups(config: RosterConfig, assumePolicies: readonly AssumePolicyPlan[], issues: PlanIssue[]): GroupPlan[] {
  return config.groups.map((group) => {
    const shared = sharedPoliciesFor(group.grants, assumePolicies);
    const base = { name: group.name, logicalId: logicalIdFor('Group', group.name), description: group.description, origin: group.origin };
    if (shared.length <= IAM_LIMITS.managedPoliciesPerGroup) {
      return { ...base, policyNames: shared.map((p) => p.name), packedPolicies: [] };
    }
    const packedPolicies = packOwnPolicies(config, group.name, shared, 'group');
    if (packedPolicies.some((p) => p.name.length > IAM_LIMITS.policyNameChars)) {
      issues.push({ origin: group.origin, target: 'key', message: `policy name '${packedPolicies[0].name}' is longer than ${IAM_LIMITS.policyNameChars} characters`, hint: 'shorten the group name' });
    }
    if (packedPolicies.length > IAM_LIMITS.managedPoliciesPerGroup) {
      issues.push({
        origin: group.origin, target: 'key',
        message: `group '${group.name}' needs ${packedPolicies.length} managed policies even packed; IAM allows ${IAM_LIMITS.managedPoliciesPerGroup}`,
        hint: 'split the group in two, each with part of its roles',
      });
    }
    return { ...base, policyNames: packedPolicies.map((p) => p.name), packedPolicies };
  });
}
