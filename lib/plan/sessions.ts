import { expiryInstant } from '../config/dates.js';
import type { PolicyStatement } from '../config/iam-policy.js';
import type { RosterConfig } from '../config/types.js';
import { roleArn } from './assume-policies.js';

export const SESSIONS_POLICY = 'IamRosterSessions';

/** The user's revocation time, or undefined. */
export function revocationOf(config: Pick<RosterConfig, 'security'>, user: string): string | undefined {
  const revoked = config.security.revokedSessions;
  return Object.hasOwn(revoked, user) ? revoked[user] : undefined; // user names like 'toString' are valid
}

/** Users who expire as a whole, grouped by the instant they expire (sorted), names sorted. */
export function expiriesByInstant(config: Pick<RosterConfig, 'users'>): [at: string, users: string[]][] {
  const byInstant = new Map<string, string[]>();
  for (const user of config.users) {
    if (user.expires === undefined) continue;
    const at = expiryInstant(user.expires);
    byInstant.set(at, [...(byInstant.get(at) ?? []), user.name]);
  }
  return [...byInstant.keys()].sort().map((at) => [at, byInstant.get(at)!.sort()]);
}

export const digits = (at: string) => at.replace(/[^0-9]/g, '');

/**
 * Revocation and expiry keyed on the source identity: `roster credentials` sets it to the user's
 * name (the trusts and ManageYourAccount allow no other), and it persists through role chaining and
 * cannot be changed, so these also cut a session chained from the user's role session, under
 * whatever role and session name. Pure, for every layer that denies by who: IamRosterSessions on
 * iam-roster's roles here, and an organization's SCPs, which bind the principals a user creates
 * too (identity policies bind only the roles they are attached to).
 * - revocation: everything denied to sessions carrying the user's name issued before the time;
 * - expiry: everything denied to sessions carrying the name once the user has expired.
 */
export function sourceIdentityCutOffs(config: Pick<RosterConfig, 'security' | 'users'>): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  Object.entries(config.security.revokedSessions).forEach(([user, time], i) => {
    statements.push({
      Sid: `RevokeSourceIdentity${i + 1}`,
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceIdentity': user }, DateLessThan: { 'aws:TokenIssueTime': time } },
    });
  });
  for (const [at, users] of expiriesByInstant(config)) {
    statements.push({
      Sid: `EndSourceIdentitiesAfter${digits(at)}`,
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceIdentity': users }, DateGreaterThan: { 'aws:CurrentTime': at } },
    });
  }
  return statements;
}

/**
 * A session of a person's role without a source identity (the console's switch-role sets none;
 * mfa.ts SOURCE_IDENTITY_IS_THE_USER_NAME) assumes no further role: a chained session would carry neither the
 * user's name (its session name is the caller's choice) nor a source identity, and could set one
 * of its choice on the next hop, so nothing would tie it to the user or cut it at expiry or
 * revocation. Sessions with a source identity chain as usual: it goes with them.
 */
export const CHAIN_ONLY_WITH_SOURCE_IDENTITY: PolicyStatement = {
  Sid: 'ChainOnlyWithSourceIdentity',
  Effect: 'Deny',
  Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
  Resource: '*',
  Condition: { Null: { 'aws:SourceIdentity': 'true' } },
};

/**
 * Role-side session limits, attached to every role people assume, in every account (guardrails or
 * not). Each cut-off is keyed twice: on the session name (the trust and assume policies insist it
 * is the user's name, so `aws:userid` ends with it; console switch-role sessions have nothing
 * else) and on the source identity (sourceIdentityCutOffs: sessions chained from a person's).
 * - revocation (break-glass): everything denied to sessions of a user issued before a time;
 * - expiry: everything denied to a user's sessions once the user (or the membership granting
 *   that role) has expired: a session issued before the end runs no longer than it;
 * - sessions without a source identity chain no further (CHAIN_ONLY_WITH_SOURCE_IDENTITY).
 * A membership's end is keyed on the session name and the roles it granted: a session chained
 * from such a role (another role) runs on until the user's own expiry, if any, or its own end.
 * The central side denies the same to the user's own sessions (users.ts revocationPolicy and
 * expiryStatements), so a session issued before a revocation cannot assume a role afresh.
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
  for (const [at, users] of expiriesByInstant(config)) {
    common.push({
      Sid: `EndSessionsAfter${digits(at)}`,
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { StringLike: { 'aws:userid': users.map((u) => `*:${u}`) }, DateGreaterThan: { 'aws:CurrentTime': at } },
    });
  }
  common.push(...sourceIdentityCutOffs(config), CHAIN_ONLY_WITH_SOURCE_IDENTITY);
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
