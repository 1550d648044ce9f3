import type { RosterConfig } from '../config/types.js';
import { roleCatalog, type RoleDefinition } from '../roles/index.js';
import { accountsWithRole } from './assume-policies.js';

/** One user may assume one role in one account, through these groups. */
export interface AccessEntry {
  user: string;
  account: string;
  accountId: string;
  accountType: string;
  role: string;
  groups: string[];
}

/**
 * The effective access the config declares: user -> group -> (role, account type) -> every account
 * of that type where the role exists. Sorted by user, account, role.
 */
export function accessMatrix(config: RosterConfig, catalog: readonly RoleDefinition[] = roleCatalog): AccessEntry[] {
  const roles = new Map(catalog.map((r) => [r.name, r]));
  const groups = new Map(config.groups.map((g) => [g.name, g]));
  const entries = new Map<string, AccessEntry>();
  for (const user of config.users) {
    for (const groupName of user.groups) {
      for (const grant of groups.get(groupName)?.grants ?? []) {
        const role = roles.get(grant.role);
        if (!role) continue;
        for (const type of grant.accountTypes) {
          for (const account of accountsWithRole(config.accounts, type, role)) {
            const key = `${user.name}\u0000${account.prefix}\u0000${role.name}`;
            const entry = entries.get(key);
            if (entry) entry.groups.push(groupName);
            else entries.set(key, { user: user.name, account: account.prefix, accountId: account.id, accountType: type, role: role.name, groups: [groupName] });
          }
        }
      }
    }
  }
  return [...entries.keys()].sort().map((k) => entries.get(k)!);
}
