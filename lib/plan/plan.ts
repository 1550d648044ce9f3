import type { ConfigIssue } from '../config/errors.js';
import { sortIssues } from '../config/errors.js';
import { CFN_LIMITS } from '../config/limits.js';
import type { RosterConfig } from '../config/types.js';
import { planAccounts } from './account-roles.js';
import { planAssumePolicies, policyArn } from './assume-policies.js';
import { checkCollisions } from './collisions.js';
import { checkQuotas } from './quotas.js';
import { isAdminEquivalent } from './privilege.js';
import { planGroups } from './groups.js';
import { toConfigIssue, type PlanIssue } from './issues.js';
import { MANAGE_YOUR_ACCOUNT, manageYourAccountDocument } from './manage-your-account.js';
import { logicalIdFor } from './names.js';
import { planOrganization } from './organization/plan.js';
import { planPipeline } from './pipeline.js';
import { planUsers } from './users.js';
import type { AccountPlan, RosterPlan, UserPlan } from './types.js';

export const CENTRAL_STACK_NAME = 'CentralStack';

/**
 * A user stack holds, per user, one IAM user, its clean-up custom resource and one output, plus its
 * expiry policies and console secret if any; keep a margin below CloudFormation's 200 outputs and
 * 500 resources.
 */
export const MAX_USERS_PER_BUCKET = CFN_LIMITS.outputsPerStack - 10;
export const MAX_RESOURCES_PER_BUCKET = CFN_LIMITS.resourcesPerStack - 10;

/** Resources rendered per user: the user, its Custom::UserCleanup, expiry policies, console access. */
export function userResourceCount(user: UserPlan): number {
  return 2 + user.expiryPolicies.length + (user.console ? 1 : 0);
}

export interface PlanResult {
  /** Present only when planning found no errors. */
  plan?: RosterPlan;
  issues: ConfigIssue[];
}

/** Turn a validated config into the plain-data plan of every resource to create. */
export function buildPlan(config: RosterConfig): PlanResult {
  const issues: PlanIssue[] = [];
  const { partition, account, region } = config.central;
  const assumePolicies = planAssumePolicies(config, issues);
  const groups = planGroups(config, assumePolicies, issues);
  const users = planUsers(config, groups, assumePolicies, issues);
  const accounts = planAccounts(config, issues);

  const perBucket = new Map<number, { users: number; resources: number }>();
  for (const user of users) {
    const tally = perBucket.get(user.bucket) ?? { users: 0, resources: 0 };
    perBucket.set(user.bucket, { users: tally.users + 1, resources: tally.resources + userResourceCount(user) });
  }
  for (const [bucket, { users: count, resources }] of perBucket) {
    if (count > MAX_USERS_PER_BUCKET || resources > MAX_RESOURCES_PER_BUCKET) {
      issues.push({ origin: { file: 'users.yaml', path: ['users'] }, target: 'key', message: `user stack ${bucket} would hold ${count} users and ${resources} resources, over ${MAX_USERS_PER_BUCKET} / ${MAX_RESOURCES_PER_BUCKET}`, hint: 'see README "Stable IDs and placement" before changing USER_BUCKETS' });
    }
  }

  const plan: RosterPlan = {
    partition,
    central: { account, region, stackName: CENTRAL_STACK_NAME, passwordPolicy: config.security.passwordPolicy, onboardingPrincipal: config.security.onboardingPrincipal },
    manageYourAccount: {
      name: MANAGE_YOUR_ACCOUNT,
      logicalId: logicalIdFor('Policy', MANAGE_YOUR_ACCOUNT),
      description: 'Self-service: own password, access keys and MFA device; nothing else without MFA',
      document: manageYourAccountDocument(partition, account),
      arn: policyArn(partition, account, MANAGE_YOUR_ACCOUNT),
    },
    assumePolicies,
    groups,
    users,
    accounts,
    pipeline: planPipeline(config),
    organization: planOrganization(config, issues),
  };
  checkCollisions(plan, issues);
  checkQuotas(plan, issues);
  warnCentralMember(plan, issues);
  warnPassableAdminServiceRoles(config, plan, issues);
  const converted = sortIssues(dedupe(issues.map((i) => toConfigIssue(config, i))));
  return converted.some((i) => i.severity === 'error') ? { issues: converted } : { plan, issues: converted };
}

/**
 * The member accounts' roles alone, with the problems found planning them: all `roster diff` needs
 * of an older revision (users and groups it reads from the config), at a third of a full plan.
 */
export function buildAccountsPlan(config: RosterConfig): { accounts?: AccountPlan[]; issues: ConfigIssue[] } {
  const issues: PlanIssue[] = [];
  const accounts = planAccounts(config, issues);
  const converted = sortIssues(dedupe(issues.map((i) => toConfigIssue(config, i))));
  return converted.some((i) => i.severity === 'error') ? { issues: converted } : { accounts, issues: converted };
}

/**
 * The central account as a member (login.gov's master account holds users and roles) is supported,
 * but said out loud: a role there that can write IAM can change every user's access.
 */
function warnCentralMember(plan: RosterPlan, issues: PlanIssue[]): void {
  for (const account of plan.accounts.filter((a) => a.isCentral)) {
    const writers = account.roles.filter((r) => r.kind === 'catalog' && isAdminEquivalent(r)).map((r) => r.name);
    issues.push({
      origin: { file: account.origin.file, path: ['id'] }, severity: 'warning',
      message: `${account.prefix} is the central account: its roles${writers.length ? ` that can write IAM (${writers.join(', ')})` : ''} could change every user's access`,
      hint: writers.length ? 'grant them only to the people who administer iam-roster itself; other roles there are kept from changing its users, groups and policies' : 'no role there can write IAM today; keep it that way, or grant such roles only to the administrators of iam-roster',
    });
  }
}

/**
 * A service role that can write IAM (or do everything) is an escalation path for every role that
 * may pass it: whoever starts an instance or a function with it gets its permissions. Allowed,
 * but said out loud, since the review of the service role is the only thing standing there.
 */
function warnPassableAdminServiceRoles(config: RosterConfig, plan: RosterPlan, issues: PlanIssue[]): void {
  const passers = config.roles.filter((r) => r.passServiceRoles).map((r) => r.name);
  for (const account of plan.accounts) {
    const here = passers.filter((name) => account.roles.some((r) => r.name === name));
    if (here.length === 0) continue;
    for (const role of account.roles.filter((r) => r.kind === 'service' && isAdminEquivalent(r))) {
      issues.push({
        origin: { file: account.origin.file, path: ['serviceRoles', role.name] }, target: 'key', severity: 'warning',
        message: `service role ${role.name} can write IAM or do everything, and ${here.join(', ')} may pass it: whoever starts a workload with it gets that access`,
        hint: 'give the workload only what it needs (no IAM writes), or declare it in an account where no role passes service roles',
      });
    }
  }
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.file}:${i.line}:${i.col}:${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
