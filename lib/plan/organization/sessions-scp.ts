import type { PolicyStatement } from '../../config/iam-policy.js';
import type { RosterConfig } from '../../config/types.js';
import { digits, expiriesByInstant, sourceIdentityCutOffs } from '../sessions.js';

/**
 * Revocation and expiry for every principal of the organization, keyed on the session's source
 * identity (sourceIdentityCutOffs): a role session a person started carries their name through
 * every role it chains into, whoever created that role, and a session cannot change it. So a
 * revoked user's sessions issued before the revocation, and an expired user's sessions, can do
 * nothing in any account: shadow roles included. In the central account the same holds for the
 * user's own temporary credentials (GetSessionToken), which could otherwise assume a role again
 * after the revocation, and an expired user can do nothing at all.
 */
export function sessionStatements(config: RosterConfig, central: boolean): PolicyStatement[] {
  const statements = sourceIdentityCutOffs(config);
  if (!central) return statements;
  const userArn = (u: string) => `arn:${config.central.partition}:iam::${config.central.account}:user/${u}`;
  Object.entries(config.security.revokedSessions).forEach(([user, at], i) => {
    statements.push({ Sid: `RevokeUserSessions${i + 1}`, Effect: 'Deny', Action: '*', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': userArn(user) }, DateLessThan: { 'aws:TokenIssueTime': at } } });
  });
  for (const [at, users] of expiriesByInstant(config)) {
    statements.push({ Sid: `EndUserAccess${digits(at)}`, Effect: 'Deny', Action: '*', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': users.map(userArn) }, DateGreaterThan: { 'aws:CurrentTime': at } } });
  }
  return statements;
}
