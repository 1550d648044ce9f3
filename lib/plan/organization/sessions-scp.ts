import { expiryInstant } from '../../config/dates.js';
import type { PolicyStatement } from '../../config/iam-policy.js';
import type { RosterConfig } from '../../config/types.js';

const digits = (instant: string) => instant.replace(/[^0-9]/g, '');

/** Instant -> sorted users, in instant order. */
function byInstant(entries: [string, string][]): [string, string[]][] {
  const map = new Map<string, string[]>();
  for (const [user, at] of entries) map.set(at, [...(map.get(at) ?? []), user]);
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([at, users]) => [at, users.sort()]);
}

/**
 * Revocation and expiry for every principal of the organization, keyed on the session's source
 * identity: a role session a person started carries their name through every role it chains
 * into, whoever created that role, and a session cannot change it (iam-roster's trust policies
 * require it to be the user's name). So a revoked user's sessions issued before the revocation,
 * and an expired user's sessions, can do nothing in any account: shadow roles included.
 * In the central account the same holds for the user's own temporary credentials
 * (GetSessionToken), which otherwise could assume a role again after the revocation.
 */
export function sessionStatements(config: RosterConfig, central: boolean): PolicyStatement[] {
  const revoked = byInstant(Object.entries(config.security.revokedSessions));
  const expired = byInstant(config.users.filter((u) => u.expires !== undefined).map((u) => [u.name, expiryInstant(u.expires!)]));
  const userArns = (users: string[]) => users.map((u) => `arn:${config.central.partition}:iam::${config.central.account}:user/${u}`);
  const statements: PolicyStatement[] = [];
  for (const [at, users] of revoked) {
    statements.push({ Sid: `RevokeSessions${digits(at)}`, Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceIdentity': users }, DateLessThan: { 'aws:TokenIssueTime': at } } });
    if (central) statements.push({ Sid: `RevokeUserSessions${digits(at)}`, Effect: 'Deny', Action: '*', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': userArns(users) }, DateLessThan: { 'aws:TokenIssueTime': at } } });
  }
  for (const [at, users] of expired) {
    statements.push({ Sid: `EndSessions${digits(at)}`, Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceIdentity': users }, DateGreaterThan: { 'aws:CurrentTime': at } } });
    if (central) statements.push({ Sid: `EndUserAccess${digits(at)}`, Effect: 'Deny', Action: '*', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': userArns(users) }, DateGreaterThan: { 'aws:CurrentTime': at } } });
  }
  return statements;
}
