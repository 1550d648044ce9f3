import type { ConfigIssue } from '../config/errors.js';
import { sortIssues } from '../config/errors.js';
import { CFN_LIMITS } from '../config/limits.js';
import type { RosterConfig } from '../config/types.js';
import { roleCatalog, type RoleDefinition } from '../roles/index.js';
import { planAccounts } from './account-roles.js';
import { planAssumePolicies, policyArn } from './assume-policies.js';
import { planGroups } from './groups.js';
import { toConfigIssue, type PlanIssue } from './issues.js';
import { MANAGE_YOUR_ACCOUNT, manageYourAccountDocument } from './manage-your-account.js';
import { logicalIdFor } from './names.js';
import { planUsers } from './users.js';
import type { RosterPlan } from './types.js';

export const CENTRAL_STACK_NAME = 'CentralStack';

/**
 * A user stack holds one IAM user and one output per user; keep well clear of
 * CloudFormation's 200 outputs (and hence its 500 resources).
 */
export const MAX_USERS_PER_BUCKET = CFN_LIMITS.outputsPerStack - 10;

export interface PlanResult {
  /** Present only when planning found no errors. */
  plan?: RosterPlan;
  issues: ConfigIssue[];
}

/** Turn a validated config into the plain-data plan of every resource to create. */
export function buildPlan(config: RosterConfig, catalog: readonly RoleDefinition[] = roleCatalog): PlanResult {
  const issues: PlanIssue[] = [];
  const { partition, account, region } = config.central;
  const assumePolicies = planAssumePolicies(config, catalog);
  const groups = planGroups(config, assumePolicies, issues);
  const users = planUsers(config);
  const accounts = planAccounts(config, catalog, issues);

  const perBucket = new Map<number, number>();
  for (const user of users) perBucket.set(user.bucket, (perBucket.get(user.bucket) ?? 0) + 1);
  for (const [bucket, count] of perBucket) {
    if (count > MAX_USERS_PER_BUCKET) {
      issues.push({ origin: { file: 'users.yaml', path: ['users'] }, target: 'key', message: `user stack ${bucket} would hold ${count} users, over ${MAX_USERS_PER_BUCKET}`, hint: 'see README "Scaling" before changing USER_BUCKETS' });
    }
  }

  const plan: RosterPlan = {
    partition,
    central: { account, region, stackName: CENTRAL_STACK_NAME },
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
  };
  const converted = sortIssues(issues.map((i) => toConfigIssue(config, i)));
  return converted.some((i) => i.severity === 'error') ? { issues: converted } : { plan, issues: converted };
}
