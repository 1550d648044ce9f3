import { expiryInstant } from '../config/dates.js';
import { IAM_LIMITS } from '../config/limits.js';
import type { PolicyStatement } from '../config/iam-policy.js';
import type { RosterConfig, UserConfig } from '../config/types.js';
import { policyArn } from './assume-policies.js';
import { packOwnPolicies, sharedPoliciesFor } from './groups.js';
import type { PlanIssue } from './issues.js';
import { bucketOf, logicalIdFor } from './names.js';
import { USER_BUCKETS } from './placement.js';
import { documentOf, packOrThrow } from './policy-size.js';
import { revocationOf } from './sessions.js';
import type { AssumePolicyPlan, GroupPlan, InlinePolicyPlan, ManagedPolicyPlan, UserPlan } from './types.js';

/** Actions that time-bound access ends. */
export const EXPIRY_ACTIONS = ['sts:AssumeRole', 'sts:TagSession'];

/** Role ARNs each of a user's policies (by name) allows assuming. */
function arnsOf(policyNames: readonly string[], byName: ReadonlyMap<string, ManagedPolicyPlan>): Set<string> {
  return new Set(policyNames.flatMap((n) => byName.get(n)!.document.Statement.flatMap((s) => [s.Resource ?? []].flat())));
}

/**
 * Deny statements that end time-bound access. A role ARN reached through several memberships
 * expires with the last of them (never, if one does not expire, or it is also granted directly);
 * `expires` on the user ends all.
 */
export function expiryStatements(user: UserConfig, granted: ReadonlyMap<string, ReadonlySet<string>>, direct: ReadonlySet<string>): PolicyStatement[] {
  if (user.expires === undefined && Object.keys(user.membershipExpiry).length === 0) return []; // the common case
  const deny = (until: string, resource: string | string[]): PolicyStatement => ({
    Sid: `ExpiredAfter${until.replace(/[^0-9]/g, '')}`,
    Effect: 'Deny',
    // The user as a whole: nothing at all once expired, self-service included (no new access
    // keys, no password change); a membership: only assuming the roles it granted.
    Action: resource === '*' ? '*' : EXPIRY_ACTIONS,
    Resource: resource,
    Condition: { DateGreaterThan: { 'aws:CurrentTime': expiryInstant(until) } },
  });
  const expiryOf = new Map<string, string | null>(); // ARN -> end instant, or null for never
  for (const arn of direct) expiryOf.set(arn, null);
  for (const group of user.groups) {
    const until = user.membershipExpiry[group] !== undefined ? expiryInstant(user.membershipExpiry[group]) : null;
    for (const arn of granted.get(group) ?? []) {
      const current = expiryOf.get(arn);
      expiryOf.set(arn, current === null || until === null ? null : current === undefined || until > current ? until : current);
    }
  }
  const userEnd = user.expires === undefined ? undefined : expiryInstant(user.expires);
  const byInstant = new Map<string, string[]>();
  for (const [arn, until] of expiryOf) {
    if (until === null || (userEnd !== undefined && userEnd <= until)) continue; // covered by the user-wide deny
    byInstant.set(until, [...(byInstant.get(until) ?? []), arn]);
  }
  const statements = [...byInstant.keys()].sort().map((until) => deny(until, byInstant.get(until)!.sort()));
  if (user.expires) statements.unshift(deny(user.expires, '*'));
  return statements;
}

/** The inline policy on a user whose sessions are revoked: see revocationPolicy. */
export const REVOKED_SESSIONS_POLICY = 'IamRosterRevokedSessions';

/**
 * The central side of a revocation: everything denied to the user's own sessions issued before the
 * time (a console sign-in or a GetSessionToken session), sts:AssumeRole included, so such a
 * session cannot assume a role afresh after the revocation. A fresh sign-in or GetSessionToken
 * (after the time) works; requests signed with the long-term access key itself carry no
 * aws:TokenIssueTime and are not concerned: a leaked key is deactivated, not revoked.
 * Inline on the user: no managed policy slot (10 per user) or account quota for a break-glass
 * entry that lives 12 hours; its size is checked against IAM's 2,048 characters per user.
 */
export function revocationPolicy(user: string, time: string | undefined): InlinePolicyPlan | undefined {
  if (time === undefined) return undefined;
  return {
    name: REVOKED_SESSIONS_POLICY,
    document: documentOf([{
      Sid: 'RevokeSessionsIssuedBefore',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:TokenIssueTime': time } },
    }]),
  };
}

export function planUsers(
  config: RosterConfig, groups: readonly GroupPlan[], assumePolicies: readonly AssumePolicyPlan[], issues: PlanIssue[],
): UserPlan[] {
  const byName = new Map<string, ManagedPolicyPlan>([...assumePolicies, ...groups.flatMap((g) => g.packedPolicies)].map((p) => [p.name, p]));
  const granted = new Map(groups.map((g) => [g.name, arnsOf(g.policyNames, byName)]));
  const { partition, account } = config.central;
  return config.users.map((user) => {
    // Direct grants use the shared <Type>Assume<Role> policies, packed if they would not fit.
    const shared = user.directGrants.length === 0 ? [] : sharedPoliciesFor(user.directGrants, assumePolicies);
    const expiry = expiryStatements(user, granted, new Set(shared.flatMap((p) => p.document.Statement.flatMap((s) => [s.Resource ?? []].flat()))));
    const docs = expiry.length === 0 ? [] : packOrThrow(expiry, IAM_LIMITS.managedPolicyChars);
    const expiryPolicies = docs.map((document, i) => {
      const name = `${user.name}-expiry${i === 0 ? '' : `-${i + 1}`}`;
      return { name, logicalId: logicalIdFor('Policy', name), description: `Time-bound access of ${user.name}`, document, arn: policyArn(partition, account, name) };
    });
    // ManageYourAccount, the expiry policies and the direct grants are attached to the user: 10 at most.
    const room = IAM_LIMITS.managedPoliciesPerUser - 1 - expiryPolicies.length;
    const packedPolicies = shared.length > room ? packOwnPolicies(config, user.name, shared, 'user') : [];
    const directPolicyNames = packedPolicies.length > 0 ? packedPolicies.map((p) => p.name) : shared.map((p) => p.name);
    const attached = 1 + expiryPolicies.length + directPolicyNames.length;
    if (attached > IAM_LIMITS.managedPoliciesPerUser) {
      issues.push({ origin: user.origin, target: 'key', message: `user '${user.name}' would need ${attached} managed policies; IAM allows ${IAM_LIMITS.managedPoliciesPerUser}`, hint: 'grant the roles through a group, or use fewer distinct expiry times' });
    }
    return {
      name: user.name,
      logicalId: logicalIdFor('User', user.name),
      arn: `arn:${partition}:iam::${account}:user/${user.name}`,
      groups: user.groups,
      directPolicyNames,
      packedPolicies,
      expiryPolicies,
      revocationPolicy: revocationPolicy(user.name, revocationOf(config, user.name)),
      console: user.console,
      tags: user.tags,
      email: user.email,
      description: user.description,
      bucket: bucketOf(user.name, USER_BUCKETS),
      origin: user.origin,
    };
  });
}
