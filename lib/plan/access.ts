import { listOf } from '../config/iam-policy.js';
import { allAssumePolicies } from './groups.js';
import type { RosterPlan } from './types.js';

/** One user may assume one role in one account, through these groups (and/or directly) and policies. */
export interface AccessEntry {
  user: string;
  account: string;
  accountId: string;
  accountAlias: string;
  accountType: string;
  role: string;
  groups: string[];
  /** Granted on the user itself (`roles:` under the user), not only through a group. */
  direct: boolean;
  /** The account is the central account: a role there that writes IAM can change every user's access. */
  central: boolean;
  policies: string[];
}

/** `arn:aws:iam::222222222222:role/ReadOnly` -> account ID and role name. */
export function parseRoleArn(arn: string): { accountId: string; role: string } | undefined {
  const match = /^arn:[a-z-]+:iam::(\d{12}):role\/(.+)$/.exec(arn);
  return match ? { accountId: match[1], role: match[2] } : undefined;
}

/** "platform, direct": where an entry comes from, for tables. */
export function sourcesOf(entry: Pick<AccessEntry, 'groups' | 'direct'>): string[] {
  return [...entry.groups, ...(entry.direct ? ['(direct)'] : [])];
}

/**
 * The effective access matrix, read from the planned policies themselves: user -> group (or the
 * user itself) -> attached policy -> sts:AssumeRole statement -> role ARN -> a role that exists in
 * that account. Sorted by user, account, role.
 */
export function accessMatrix(plan: RosterPlan): AccessEntry[] {
  const policies = new Map(allAssumePolicies(plan.assumePolicies, plan.groups, plan.users).map((p) => [p.name, p]));
  const groups = new Map(plan.groups.map((g) => [g.name, g]));
  const accounts = new Map(plan.accounts.map((a) => [a.id, a]));
  const entries = new Map<string, AccessEntry>();
  for (const user of plan.users) {
    const sources: { group?: string; policyNames: readonly string[] }[] = [
      ...user.groups.map((g) => ({ group: g, policyNames: groups.get(g)?.policyNames ?? [] })),
      { policyNames: user.directPolicyNames },
    ];
    for (const { group, policyNames } of sources) {
      for (const policyName of policyNames) {
        for (const statement of policies.get(policyName)?.document.Statement ?? []) {
          if (statement.Effect !== 'Allow' || !listOf(statement.Action).includes('sts:AssumeRole')) continue;
          for (const arn of listOf(statement.Resource)) {
            const target = parseRoleArn(arn);
            const account = target && accounts.get(target.accountId);
            if (!target || !account || !account.roles.some((r) => r.name === target.role && r.kind === 'catalog')) continue;
            const key = `${user.name}\u0000${account.prefix}\u0000${target.role}`;
            const entry = entries.get(key) ?? {
              user: user.name, account: account.prefix, accountId: account.id, accountAlias: account.alias,
              accountType: account.type, role: target.role, groups: [], direct: false, central: account.isCentral, policies: [],
            };
            if (group === undefined) entry.direct = true;
            else if (!entry.groups.includes(group)) entry.groups.push(group);
            if (!entry.policies.includes(policyName)) entry.policies.push(policyName);
            entries.set(key, entry);
          }
        }
      }
    }
  }
  return [...entries.keys()].sort().map((k) => entries.get(k)!);
}
