import { hasExpired } from '../../config/dates.js';
import type { RosterConfig } from '../../config/types.js';
import { grantEnds } from '../expiry.js';
import { privilegeOf, type Privilege } from '../privilege.js';
import type { AccountPlan, RolePlan } from '../types.js';

/** `<type>\0<role>`: a grant of a role in an account type. */
export type TypeRole = string;
export const typeRole = (type: string, role: string): TypeRole => `${type}\u0000${role}`;
export const splitTypeRole = (tr: TypeRole) => tr.split('\u0000') as [string, string];

export interface Grant {
  /** Live memberships granting it. */
  groups: string[];
  direct: boolean;
  /** When it ends (as written), undefined = never. */
  until?: string;
}

/**
 * One revision, in the factored form a diff needs: who holds which (type, role) grant, and which
 * accounts each (type, role) reaches. The access matrix is their product (5,000 users x 300
 * accounts is millions of entries); the diff never builds it.
 */
export interface Snapshot {
  config: RosterConfig;
  /**
   * user -> (type, role) -> grant, as of `now` (expired memberships left out). Users with the same
   * memberships share one map: never modify it.
   */
  grants: Map<string, Map<TypeRole, Grant>>;
  /** (type, role) -> account prefixes where the role exists, sorted. */
  reach: Map<TypeRole, string[]>;
  accounts: Map<string, AccountPlan>;
  /** `<prefix>\0<role>` -> role, for every role (people's and service roles). */
  roles: Map<string, RolePlan>;
  /** How much a role (`<prefix>\0<role>`) can grow access; computed when asked. */
  privilege: (key: string) => Privilege;
}

/**
 * The config of a revision that has none (before the pull request that introduces it): nobody,
 * no group, no account, no role, no pipeline, nobody reading initial passwords; the rest of the
 * settings as in `like`, so every user, account, grant and reader appears as added.
 */
export function emptyConfig(like: RosterConfig): RosterConfig {
  return {
    ...like, groups: [], users: [], accounts: [], roles: [], policies: [], pipeline: undefined, accountTypes: [], sources: new Map(),
    security: { ...like.security, revokedSessions: {}, onboardingPrincipal: undefined },
  };
}

export function snapshot(config: RosterConfig, accounts: readonly AccountPlan[], now: string): Snapshot {
  const groups = new Map(config.groups.map((g) => [g.name, g]));
  const grants = new Map<string, Map<TypeRole, Grant>>();
  // Users with the same live groups, membership ends, direct grants and expiry hold the same
  // grants: computed once per combination (5,000 users share a few hundred) and shared, read-only.
  const bySignature = new Map<string, Map<TypeRole, Grant>>();
  const none = new Map<TypeRole, Grant>();
  for (const user of config.users) {
    if (hasExpired(user.expires, now)) {
      grants.set(user.name, none);
      continue;
    }
    const live = user.groups.filter((g) => !hasExpired(user.membershipExpiry[g], now));
    const signature = `${user.expires ?? ''}\u0001${live.map((g) => `${g}=${user.membershipExpiry[g] ?? ''}`).join('\u0002')}\u0001${user.directGrants.length ? JSON.stringify(user.directGrants.map((g) => [g.role, g.accountTypes])) : ''}`;
    let mine = bySignature.get(signature);
    if (!mine) {
      mine = new Map<TypeRole, Grant>();
      const held = mine;
      const add = (tr: TypeRole, group?: string) => {
        const g = held.get(tr) ?? { groups: [], direct: false };
        if (group === undefined) g.direct = true;
        else if (!g.groups.includes(group)) g.groups.push(group);
        held.set(tr, g);
      };
      for (const g of live) for (const grant of groups.get(g)?.grants ?? []) for (const type of grant.accountTypes) add(typeRole(type, grant.role), g);
      for (const grant of user.directGrants) for (const type of grant.accountTypes) add(typeRole(type, grant.role));
      for (const g of held.values()) {
        g.groups.sort();
        const until = grantEnds(user, g);
        if (until !== undefined) g.until = until;
      }
      bySignature.set(signature, held);
    }
    grants.set(user.name, mine);
  }
  const reach = new Map<TypeRole, string[]>();
  const roles = new Map<string, RolePlan>();
  const privileges = new Map<string, Privilege>();
  const privilege = (key: string): Privilege => {
    let p = privileges.get(key);
    if (p === undefined) {
      p = roles.has(key) ? privilegeOf(roles.get(key)!) : 'standard';
      privileges.set(key, p);
    }
    return p;
  };
  for (const account of accounts) {
    for (const role of account.roles) {
      const key = `${account.prefix}\u0000${role.name}`;
      roles.set(key, role);
      if (role.kind !== 'catalog') continue;
      const tr = typeRole(account.type, role.name);
      reach.set(tr, [...(reach.get(tr) ?? []), account.prefix]);
    }
  }
  for (const list of reach.values()) list.sort();
  return { config, grants, reach, accounts: new Map(accounts.map((a) => [a.prefix, a])), roles, privilege };
}
