import { expiryInstant } from '../config/dates.js';
import type { PolicyStatement } from '../config/iam-policy.js';
import type { RosterConfig } from '../config/types.js';
import { roleArn } from './assume-policies.js';

export const SESSIONS_POLICY = 'IamRosterSessions';

/**
 * Role-side session limits, attached to every role people assume, in every account (guardrails or
 * not). Role session names are the user's name (the trust and assume policies insist), so
 * `aws:userid` ends with it.
 * - revocation (break-glass): everything denied to sessions of a user issued before a time;
 * - expiry: everything denied to a user's sessions once the user (or the membership granting
 *   that role) has expired: a session issued before the end runs no longer than it.
 *
 * Returns a function of the account (ID and type): revocations and user expiries are the same in
 * every account, computed once; membership ends depend on the type only, and concern only users
 * with a time-bound membership (few), so 300 accounts x 5,000 users stay cheap.
 */
export function sessionPlanner(config: RosterConfig): (accountId: string, type: string) => PolicyStatement[] {
  const common: PolicyStatement[] = [];
  Object.entries(config.security.revokedSessions).forEach(([user, time]) => {
    common.push({
      Sid: `RevokeSessions${common.length + 1}`,
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { StringLike: { 'aws:userid': `*:${user}` }, DateLessThan: { 'aws:TokenIssueTime': time } },
    });
  });
  // Users who expire as a whole, grouped by the instant they expire.
  const byInstant = new Map<string, string[]>();
  for (const user of config.users) {
    if (user.expires === undefined) continue;
    const at = expiryInstant(user.expires);
    byInstant.set(at, [...(byInstant.get(at) ?? []), `*:${user.name}`]);
  }
  for (const at of [...byInstant.keys()].sort()) {
    common.push({
      Sid: `EndSessionsAfter${at.replace(/[^0-9]/g, '')}`,
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { StringLike: { 'aws:userid': byInstant.get(at)!.sort() }, DateGreaterThan: { 'aws:CurrentTime': at } },
    });
  }
  // Memberships that end: per account type, the roles that only those memberships granted.
  const groups = new Map(config.groups.map((g) => [g.name, g]));
  const timeBound = config.users.filter((u) => Object.keys(u.membershipExpiry).length > 0);
  const endsByType = new Map<string, { user: string; ends: Map<string, string[]> }[]>();
  const endsFor = (type: string) => {
    let cached = endsByType.get(type);
    if (cached) return cached;
    cached = [];
    for (const user of timeBound) {
      const ends = new Map<string, string | null>(); // role -> last instant, or null for never
      const grant = (role: string, until: string | null) => {
        const current = ends.get(role);
        ends.set(role, current === null || until === null ? null : current === undefined || until > current ? until : current);
      };
      for (const g of user.groups) {
        const until = user.membershipExpiry[g] !== undefined ? expiryInstant(user.membershipExpiry[g]) : null;
        for (const gr of groups.get(g)?.grants ?? []) if (gr.accountTypes.includes(type)) grant(gr.role, until);
      }
      for (const gr of user.directGrants) if (gr.accountTypes.includes(type)) grant(gr.role, null);
      const userEnd = user.expires === undefined ? undefined : expiryInstant(user.expires);
      const byEnd = new Map<string, string[]>();
      for (const [role, until] of ends) {
        if (until === null || (userEnd !== undefined && userEnd <= until)) continue;
        byEnd.set(until, [...(byEnd.get(until) ?? []), role]);
      }
      if (byEnd.size > 0) cached.push({ user: user.name, ends: byEnd });
    }
    endsByType.set(type, cached);
    return cached;
  };
  return (accountId, type) => {
    const statements = [...common];
    for (const { user, ends } of endsFor(type)) {
      for (const at of [...ends.keys()].sort()) {
        statements.push({
          Sid: `EndMembershipSessions${statements.length + 1}`,
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: {
            StringLike: { 'aws:userid': `*:${user}` },
            ArnLike: { 'aws:PrincipalArn': ends.get(at)!.map((role) => roleArn(config.central.partition, accountId, role)).sort() },
            DateGreaterThan: { 'aws:CurrentTime': at },
          },
        });
      }
    }
    return statements;
  };
}
