import { IAM_LIMITS } from '../config/limits.js';
import type { RosterConfig } from '../config/types.js';
import { logicalIdFor, bucketOf } from './names.js';
import { POLICY_BUCKETS } from './placement.js';
import { packStatements } from './policy-size.js';
import { policyArn } from './assume-policies.js';
import type { AssumePolicyPlan, GroupPlan, ManagedPolicyPlan } from './types.js';
import type { PlanIssue } from './issues.js';

/** Every assume policy of the central account: the shared `<Type>Assume<Role>` ones and the groups' packed ones. */
export function allAssumePolicies(
  assumePolicies: readonly AssumePolicyPlan[], groups: readonly GroupPlan[],
): (ManagedPolicyPlan & { bucket: number })[] {
  return [...assumePolicies, ...groups.flatMap((g) => g.packedPolicies)];
}

/** The name of a group's n-th packed assume policy (1-based). */
export function packedPolicyName(group: string, n: number): string {
  return `${group}-assume-${n}`;
}

/**
 * Attach each group's `<Type>Assume<Role>` policies. IAM allows 10 managed policies per group;
 * a group needing more gets its assume statements packed into as few group-specific policies as
 * the 6,144-character limit allows, instead of the overflow groups others resort to.
 */
export function planGroups(config: RosterConfig, assumePolicies: readonly AssumePolicyPlan[], issues: PlanIssue[]): GroupPlan[] {
  const { partition, account } = config.central;
  return config.groups.map((group) => {
    const wanted = new Set(group.grants.flatMap((g) => g.accountTypes.map((t) => `${t}\u0000${g.role}`)));
    const shared = assumePolicies.filter((p) => wanted.has(`${p.accountType}\u0000${p.role}`));
    const base = { name: group.name, logicalId: logicalIdFor('Group', group.name), description: group.description, origin: group.origin };
    if (shared.length <= IAM_LIMITS.managedPoliciesPerGroup) {
      return { ...base, policyNames: shared.map((p) => p.name), packedPolicies: [] };
    }
    const docs = packStatements(shared.flatMap((p) => p.document.Statement), IAM_LIMITS.managedPolicyChars);
    const packedPolicies = docs.map((document, i) => {
      const name = packedPolicyName(group.name, i + 1);
      if (name.length > IAM_LIMITS.policyNameChars) {
        issues.push({ origin: group.origin, target: 'key', message: `policy name '${name}' is longer than ${IAM_LIMITS.policyNameChars} characters`, hint: 'shorten the group name' });
      }
      return {
        name,
        logicalId: logicalIdFor('Policy', name),
        description: `Assume permissions of group ${group.name}, part ${i + 1} of ${docs.length} (MFA required)`,
        document,
        arn: policyArn(partition, account, name),
        bucket: bucketOf(name, POLICY_BUCKETS),
      };
    });
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
