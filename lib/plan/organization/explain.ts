import { listOf } from '../../config/iam-policy.js';
import type { RosterPlan } from '../types.js';

/** The organization policies that bind `accountId`, and the statements among them that name `user`. */
function statementsNaming(plan: RosterPlan, accountId: string, user: string): { policy: string; sid: string }[] {
  const org = plan.organization;
  if (!org) return [];
  const names = new Set(org.scpsByAccount[accountId] ?? []);
  const found: { policy: string; sid: string }[] = [];
  for (const policy of org.policies.filter((p) => names.has(p.name))) {
    for (const s of policy.document.Statement) {
      const keys = Object.values(s.Condition ?? {}).flatMap((block) => listOf(block['aws:SourceIdentity']));
      if (keys.includes(user)) found.push({ policy: policy.name, sid: s.Sid ?? '' });
    }
  }
  return found;
}

/**
 * What `roster explain` says about the organization layer for a (user, account): which SCPs bind
 * every session there, and which of their statements cut this user's sessions (revocation,
 * expiry), so a denial is traced to the policy that makes it.
 */
export function organizationLines(plan: RosterPlan, accountId: string, user: string): string[] {
  const org = plan.organization;
  if (!org) return ['  organization: none configured: nothing binds principals iam-roster did not create (README "What holds without organization guardrails")'];
  const scps = org.scpsByAccount[accountId] ?? [];
  const lines = [`  organization: SCPs ${scps.join(', ') || '(none)'} bind every principal of ${accountId}, shadow roles included (${org.stackName} in ${org.account})`];
  for (const { policy, sid } of statementsNaming(plan, accountId, user)) {
    lines.push(`  organization: SCP ${policy} statement ${sid} denies ${user}'s sessions (source identity ${user}) ${sid.startsWith('Revoke') ? 'issued before the revocation' : 'after the end'}`);
  }
  return lines;
}
