import { endOfDay } from '../config/dates.js';
import { IAM_LIMITS } from '../config/limits.js';
import type { RosterConfig, UserConfig } from '../config/types.js';
import type { PolicyStatement } from '../roles/types.js';
import { ASSUME_ACTIONS, policyArn } from './assume-policies.js';
import type { PlanIssue } from './issues.js';
import { bucketOf, logicalIdFor } from './names.js';
import { USER_BUCKETS } from './placement.js';
import { packStatements } from './policy-size.js';
import type { GroupPlan, ManagedPolicyPlan, UserPlan } from './types.js';

/** Role ARNs each group's policies allow assuming. */
function grantedArns(groups: readonly GroupPlan[], policies: readonly ManagedPolicyPlan[]): Map<string, Set<string>> {
  const byName = new Map(policies.map((p) => [p.name, p]));
  return new Map(groups.map((g) => [g.name, new Set(g.policyNames.flatMap((n) => byName.get(n)!.document.Statement.flatMap((s) => [s.Resource ?? []].flat())))]));
}

/**
 * Deny statements that end time-bound access. A role ARN reached through several memberships
 * expires with the last of them (never, if one does not expire); `expires` on the user ends all.
 */
export function expiryStatements(user: UserConfig, granted: Map<string, Set<string>>): PolicyStatement[] {
  if (user.expires === undefined && Object.keys(user.membershipExpiry).length === 0) return []; // the common case
  const deny = (date: string, resource: string | string[]): PolicyStatement => ({
    Sid: `ExpiredAfter${date.replace(/-/g, '')}`,
    Effect: 'Deny',
    Action: ASSUME_ACTIONS,
    Resource: resource,
    Condition: { DateGreaterThan: { 'aws:CurrentTime': endOfDay(date) } },
  });
  const expiryOf = new Map<string, string | null>(); // ARN -> last day, or null for never
  for (const group of user.groups) {
    const until = user.membershipExpiry[group] ?? null;
    for (const arn of granted.get(group) ?? []) {
      const current = expiryOf.get(arn);
      expiryOf.set(arn, current === null || until === null ? null : current === undefined || until > current ? until : current);
    }
  }
  const byDate = new Map<string, string[]>();
  for (const [arn, date] of expiryOf) {
    if (date === null || (user.expires !== undefined && user.expires <= date)) continue; // covered by the user-wide deny
    byDate.set(date, [...(byDate.get(date) ?? []), arn]);
  }
  const statements = [...byDate.keys()].sort().map((date) => deny(date, byDate.get(date)!.sort()));
  if (user.expires) statements.unshift(deny(user.expires, '*'));
  return statements;
}

export function planUsers(config: RosterConfig, groups: readonly GroupPlan[], policies: readonly ManagedPolicyPlan[], issues: PlanIssue[]): UserPlan[] {
  const granted = grantedArns(groups, policies);
  const { partition, account } = config.central;
  return config.users.map((user) => {
    const docs = packStatements(expiryStatements(user, granted), IAM_LIMITS.managedPolicyChars);
    const expiryPolicies = docs.map((document, i) => {
      const name = `${user.name}-expiry${i === 0 ? '' : `-${i + 1}`}`;
      return { name, logicalId: logicalIdFor('Policy', name), description: `Time-bound access of ${user.name}`, document, arn: policyArn(partition, account, name) };
    });
    // ManageYourAccount plus the expiry policies are attached directly to the user.
    if (1 + expiryPolicies.length > IAM_LIMITS.managedPoliciesPerUser) {
      issues.push({ origin: user.origin, target: 'key', message: `user '${user.name}' would need ${1 + expiryPolicies.length} managed policies`, hint: 'use fewer distinct expiry dates' });
    }
    return {
      name: user.name,
      logicalId: logicalIdFor('User', user.name),
      arn: `arn:${partition}:iam::${account}:user/${user.name}`,
      groups: user.groups,
      expiryPolicies,
      console: user.console,
      email: user.email,
      description: user.description,
      bucket: bucketOf(user.name, USER_BUCKETS),
      origin: user.origin,
    };
  });
}
