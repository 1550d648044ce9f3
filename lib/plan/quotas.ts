import { CFN_LIMITS, IAM_LIMITS } from '../config/limits.js';
import type { Origin } from '../config/types.js';
import { allAssumePolicies } from './groups.js';
import { BOUNDARY_POLICY } from './boundary.js';
import { GUARDRAILS_POLICY } from './guardrails.js';
import { SESSIONS_POLICY } from './sessions.js';
import type { PlanIssue } from './issues.js';
import { POLICY_BUCKETS } from './placement.js';
import { policyChars } from './policy-size.js';
import type { ManagedPolicyPlan, RosterPlan } from './types.js';

/** Keep a margin below CloudFormation's per-stack limits for what CDK adds (metadata, conditions). */
const MARGIN = 10;

const USERS_FILE = 'users.yaml';

/** The config entry that makes an account-wide policy big: where to report it. */
function sharedPolicyOrigin(name: string, accountOrigin: Origin): Origin {
  if (name.startsWith(SESSIONS_POLICY)) return { file: USERS_FILE, path: ['revokeSessions'] };
  if (name.startsWith(GUARDRAILS_POLICY) || name.startsWith(BOUNDARY_POLICY)) return { file: USERS_FILE, path: ['security', 'guardrails'] };
  return accountOrigin;
}

/**
 * Every quota a template or an account could break, checked on the plan before anything is
 * written: policy sizes, resources and outputs per (nested) stack, and the account-wide IAM
 * quotas (errors for hard limits, warnings for defaults that Service Quotas can raise).
 */
export function checkQuotas(plan: RosterPlan, issues: PlanIssue[]): void {
  const oversized = (policy: ManagedPolicyPlan, origin: Origin) => {
    const size = policyChars(policy.document);
    if (size > IAM_LIMITS.managedPolicyChars) {
      issues.push({ origin, target: 'key', message: `policy ${policy.name} would be ${size} characters; IAM allows ${IAM_LIMITS.managedPolicyChars}`, hint: 'shorten the entries it is built from (fewer name patterns, revocations or expiry times)' });
    }
  };
  for (const policy of allAssumePolicies(plan.assumePolicies, plan.groups, plan.users)) oversized(policy, { file: USERS_FILE, path: ['groups'] });
  for (const user of plan.users) for (const policy of user.expiryPolicies) oversized(policy, user.origin);
  for (const user of plan.users) {
    const size = user.revocationPolicy ? policyChars(user.revocationPolicy.document) : 0;
    if (size > IAM_LIMITS.inlinePolicyCharsPerUser) {
      issues.push({ origin: { file: USERS_FILE, path: ['revokeSessions', user.name] }, target: 'key', message: `the inline policies of user '${user.name}' would be ${size} characters; IAM allows ${IAM_LIMITS.inlinePolicyCharsPerUser} per user`, hint: 'shorten the revocation entry' });
    }
  }
  for (const account of plan.accounts) {
    for (const policy of account.sharedPolicies) oversized(policy, sharedPolicyOrigin(policy.name, account.origin));
    for (const role of account.roles) for (const policy of role.policies) oversized(policy, account.origin);
  }

  // Policies nested stacks: one policy and one output each.
  const perBucket = new Array<number>(POLICY_BUCKETS).fill(0);
  for (const policy of allAssumePolicies(plan.assumePolicies, plan.groups, plan.users)) perBucket[policy.bucket]++;
  perBucket.forEach((count, bucket) => {
    if (count > CFN_LIMITS.outputsPerStack - MARGIN) {
      issues.push({ origin: { file: USERS_FILE, path: ['groups'] }, target: 'key', message: `policies stack ${bucket} would hold ${count} assume policies, each with an output; CloudFormation allows ${CFN_LIMITS.outputsPerStack} outputs per stack`, hint: 'fewer groups need their own packed policies when each grants fewer (type, role) pairs' });
    }
  });

  // CentralStack itself: the groups, the nested stacks and a few fixed resources.
  const centralResources = plan.groups.length + POLICY_BUCKETS + 64 + 12;
  if (centralResources > CFN_LIMITS.resourcesPerStack - MARGIN) {
    issues.push({ origin: { file: USERS_FILE, path: ['groups'] }, target: 'key', message: `CentralStack would hold about ${centralResources} resources; CloudFormation allows ${CFN_LIMITS.resourcesPerStack}`, hint: 'merge groups' });
  }

  // Account stacks: roles (each with an output), their policies, instance profiles, shared policies.
  for (const account of plan.accounts) {
    const outputs = account.roles.length;
    const resources = account.roles.length * 1 + account.roles.reduce((n, r) => n + r.policies.length + (r.instanceProfile ? 1 : 0), 0) + account.sharedPolicies.length + (account.passwordPolicy ? 5 : 0);
    if (outputs > CFN_LIMITS.outputsPerStack - MARGIN || resources > CFN_LIMITS.resourcesPerStack - MARGIN) {
      issues.push({ origin: account.origin, message: `${account.stackName} would hold ${resources} resources and ${outputs} outputs; CloudFormation allows ${CFN_LIMITS.resourcesPerStack} and ${CFN_LIMITS.outputsPerStack}`, hint: 'turn roles off in this account, or split its service roles into fewer, broader ones' });
    }
    const roles = account.roles.length;
    const policies = account.sharedPolicies.length + account.roles.reduce((n, r) => n + r.policies.length, 0)
      + (account.isCentral ? [plan.manageYourAccount, ...allAssumePolicies(plan.assumePolicies, plan.groups, plan.users), ...plan.users.flatMap((u) => u.expiryPolicies)].length : 0);
    if (roles > IAM_LIMITS.rolesPerAccount) {
      issues.push({ origin: account.origin, severity: 'warning', message: `${account.prefix} would have ${roles} roles from iam-roster alone; the default IAM quota is ${IAM_LIMITS.rolesPerAccount}`, hint: 'raise "Roles per account" in Service Quotas before deploying' });
    }
    if (policies > IAM_LIMITS.customerManagedPoliciesPerAccount) {
      issues.push({ origin: account.origin, severity: 'warning', message: `${account.prefix} would have ${policies} customer managed policies from iam-roster alone; the default IAM quota is ${IAM_LIMITS.customerManagedPoliciesPerAccount}`, hint: 'raise "Customer managed policies per account" in Service Quotas before deploying' });
    }
  }
  const centralPolicies = 1 + allAssumePolicies(plan.assumePolicies, plan.groups, plan.users).length + plan.users.reduce((n, u) => n + u.expiryPolicies.length, 0);
  if (!plan.accounts.some((a) => a.isCentral) && centralPolicies > IAM_LIMITS.customerManagedPoliciesPerAccount) {
    issues.push({ origin: { file: USERS_FILE, path: ['central'] }, target: 'key', severity: 'warning', message: `the central account would have ${centralPolicies} customer managed policies; the default IAM quota is ${IAM_LIMITS.customerManagedPoliciesPerAccount}`, hint: 'raise "Customer managed policies per account" in Service Quotas before deploying, or use fewer distinct expiry times' });
  }
}
