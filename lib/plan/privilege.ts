import { listOf } from '../config/iam-policy.js';
import type { RolePlan } from './types.js';

/**
 * How much a role can grow access, judged from its policies as planned:
 * - `admin`: AdministratorAccess, or an Allow of `*` on `*` — it can do anything, including IAM;
 * - `iam-write`: it can write IAM (an AWS managed IAM policy, or an Allow of IAM write actions or
 *   `iam:*`): it can give itself or others more access;
 * - `standard`: neither.
 * Reviewers see admin-equivalent roles marked (HTML matrix, diff); the central account as a
 * member makes any role that can write IAM there able to change every user's access.
 */
export type Privilege = 'admin' | 'iam-write' | 'standard';

const ADMIN_POLICIES = [/:policy\/AdministratorAccess$/];
const IAM_WRITE_POLICIES = [/:policy\/IAMFullAccess$/, /:policy\/job-function\/SystemAdministrator$/, /:policy\/AWSOrganizationsFullAccess$/];
const IAM_WRITE = /^iam:(\*|Create|Put|Attach|Update|Add|Delete|Detach|Remove|Set|Tag|Untag|PassRole|Change|Enable|Deactivate|Upload|Reset|Resync)/;

export function privilegeOf(role: Pick<RolePlan, 'awsManagedPolicyArns' | 'policies'>): Privilege {
  if (role.awsManagedPolicyArns.some((arn) => ADMIN_POLICIES.some((p) => p.test(arn)))) return 'admin';
  const allows = role.policies.flatMap((p) => p.document.Statement).filter((s) => s.Effect === 'Allow');
  if (allows.some((s) => listOf(s.Action).includes('*') && listOf(s.Resource).includes('*'))) return 'admin';
  if (role.awsManagedPolicyArns.some((arn) => IAM_WRITE_POLICIES.some((p) => p.test(arn)))) return 'iam-write';
  // Passing declared service roles to their own service (iam:PassedToService) grows nothing.
  const boundedPass = (s: (typeof allows)[number], a: string) => a === 'iam:PassRole' && JSON.stringify(s.Condition ?? {}).includes('iam:PassedToService');
  if (allows.some((s) => listOf(s.Action).some((a) => a === '*' || (IAM_WRITE.test(a) && !boundedPass(s, a))))) return 'iam-write';
  return 'standard';
}

/** A role that may grow access: admin or IAM writer. */
export function isAdminEquivalent(role: Pick<RolePlan, 'awsManagedPolicyArns' | 'policies'>): boolean {
  return privilegeOf(role) !== 'standard';
}
