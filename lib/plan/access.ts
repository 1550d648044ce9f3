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

/** Restrict the matrix to one user, account (prefix) or role: the CLI's questions, answered without the whole matrix. */
export interface AccessFilter {
  user?: string;
  account?: string;
  role?: string;
}

/**
 * The effective access matrix, read from the planned policies themselves: user -> group (or the
 * user itself) -> attached policy -> sts:AssumeRole statement -> role ARN -> a role that exists in
 * that account. Sorted by user, account, role. Each policy's targets are read once and shared by
 * every user it reaches (5,000 users x 300 accounts is millions of entries; a filter avoids them).
 */
export function accessMatrix(plan: RosterPlan, filter: AccessFilter = {}): AccessEntry[] {
  return [...accessByUser(plan, filter)].flat();
}

/** The same, one user at a time (sorted by user): what a CLI streams. */
export function* accessByUser(plan: RosterPlan, filter: AccessFilter = {}): Generator<AccessEntry[]> {
  const policies = new Map(allAssumePolicies(plan.assumePolicies, plan.groups, plan.users).map((p) => [p.name, p]));
  const groups = new Map(plan.groups.map((g) => [g.name, g]));
  const accounts = new Map(plan.accounts.map((a) => [a.id, a]));
  const catalogRoles = new Set(plan.accounts.flatMap((a) => a.roles.filter((r) => r.kind === 'catalog').map((r) => `${a.id}/${r.name}`)));
  type Target = { account: (typeof plan.accounts)[number]; role: string };
  const targetsByPolicy = new Map<string, Target[]>();
  const targetsOf = (policyName: string): Target[] => {
    let targets = targetsByPolicy.get(policyName);
    if (!targets) {
      targets = [];
      for (const statement of policies.get(policyName)?.document.Statement ?? []) {
        if (statement.Effect !== 'Allow' || !listOf(statement.Action).includes('sts:AssumeRole')) continue;
        for (const arn of listOf(statement.Resource)) {
          const target = parseRoleArn(arn);
          const account = target && accounts.get(target.accountId);
          if (!target || !account || !catalogRoles.has(`${account.id}/${target.role}`)) continue;
          if ((filter.account && account.prefix !== filter.account) || (filter.role && target.role !== filter.role)) continue;
          targets.push({ account, role: target.role });
        }
      }
      targetsByPolicy.set(policyName, targets);
    }
    return targets;
  };
  const users = (filter.user ? plan.users.filter((u) => u.name === filter.user) : [...plan.users]).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const user of users) {
    // One user at a time: its entries are sorted and handed over, never millions of keys at once.
    const entries = new Map<string, AccessEntry>();
    const sources: { group?: string; policyNames: readonly string[] }[] = [
      ...user.groups.map((g) => ({ group: g, policyNames: groups.get(g)?.policyNames ?? [] })),
      { policyNames: user.directPolicyNames },
    ];
    for (const { group, policyNames } of sources) {
      for (const policyName of policyNames) {
        for (const { account, role } of targetsOf(policyName)) {
          const key = `${account.prefix}\u0000${role}`;
          let entry = entries.get(key);
          if (!entry) {
            entry = {
              user: user.name, account: account.prefix, accountId: account.id, accountAlias: account.alias,
              accountType: account.type, role, groups: [], direct: false, central: account.isCentral, policies: [],
            };
            entries.set(key, entry);
          }
          if (group === undefined) entry.direct = true;
          else if (!entry.groups.includes(group)) entry.groups.push(group);
          if (!entry.policies.includes(policyName)) entry.policies.push(policyName);
        }
      }
    }
    yield [...entries.keys()].sort().map((key) => entries.get(key)!);
  }
}
