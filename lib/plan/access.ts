import { allAssumePolicies } from './groups.js';
import type { RosterPlan } from './types.js';

/** One user may assume one role in one account, through these groups and policies. */
export interface AccessEntry {
  user: string;
  account: string;
  accountId: string;
  accountAlias: string;
  accountType: string;
  role: string;
  groups: string[];
  policies: string[];
}

/** `arn:aws:iam::222222222222:role/ReadOnly` -> account ID and role name. */
export function parseRoleArn(arn: string): { accountId: string; role: string } | undefined {
  const match = /^arn:[a-z-]+:iam::(\d{12}):role\/(.+)$/.exec(arn);
  return match ? { accountId: match[1], role: match[2] } : undefined;
}

/**
 * The effective access matrix, read from the planned policies themselves: user -> group ->
 * attached policy -> sts:AssumeRole statement -> role ARN -> a role that exists in that account.
 * Sorted by user, account, role.
 */
export function accessMatrix(plan: RosterPlan): AccessEntry[] {
  const policies = new Map(allAssumePolicies(plan.assumePolicies, plan.groups).map((p) => [p.name, p]));
  const groups = new Map(plan.groups.map((g) => [g.name, g]));
  const accounts = new Map(plan.accounts.map((a) => [a.id, a]));
  const entries = new Map<string, AccessEntry>();
  for (const user of plan.users) {
    for (const groupName of user.groups) {
      for (const policyName of groups.get(groupName)?.policyNames ?? []) {
        for (const statement of policies.get(policyName)?.document.Statement ?? []) {
          const actions = [statement.Action ?? []].flat();
          if (statement.Effect !== 'Allow' || !actions.includes('sts:AssumeRole')) continue;
          for (const arn of [statement.Resource ?? []].flat()) {
            const target = parseRoleArn(arn);
            const account = target && accounts.get(target.accountId);
            if (!target || !account || !account.roles.some((r) => r.name === target.role)) continue;
            const key = `${user.name}\u0000${account.prefix}\u0000${target.role}`;
            const entry = entries.get(key) ?? {
              user: user.name, account: account.prefix, accountId: account.id, accountAlias: account.alias,
              accountType: account.type, role: target.role, groups: [], policies: [],
            };
            if (!entry.groups.includes(groupName)) entry.groups.push(groupName);
            if (!entry.policies.includes(policyName)) entry.policies.push(policyName);
            entries.set(key, entry);
          }
        }
      }
    }
  }
  return [...entries.keys()].sort().map((k) => entries.get(k)!);
}
