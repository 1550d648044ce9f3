import { IAM_LIMITS } from '../config/limits.js';
import type { PolicyStatement } from '../config/iam-policy.js';
import type { AccountConfig, RoleConfig, RoleGrant, RosterConfig, SecurityConfig } from '../config/types.js';
import { roleEnabled } from '../config/types.js';
import { mfaConditions, sessionTagConditions } from './mfa.js';
import { bucketOf, logicalIdFor, pascalCase } from './names.js';
import { POLICY_BUCKETS } from './placement.js';
import { documentOf, packStatements } from './policy-size.js';
import type { AssumePolicyPlan } from './types.js';
import type { PlanIssue } from './issues.js';

/** `arn:aws:iam::222222222222:role/FullAdministrator` */
export function roleArn(partition: string, accountId: string, role: string): string {
  return `arn:${partition}:iam::${accountId}:role/${role}`;
}

export function policyArn(partition: string, accountId: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:policy/${name}`;
}

/** Accounts of `type` in which `role` exists, sorted by ID. */
export function accountsWithRole(accounts: readonly AccountConfig[], type: string, role: RoleConfig): AccountConfig[] {
  return accounts
    .filter((a) => a.type === type && roleEnabled(a, role))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * The statements letting a central-account user assume `role` in the given accounts: only with
 * MFA, and only under their own user name as session name, so CloudTrail in the member account
 * shows who. sts:TagSession only for a role that takes session tags, and only with those keys,
 * valued from the caller's own user tags.
 */
export function assumeStatements(
  partition: string, type: string, role: Pick<RoleConfig, 'name' | 'sessionTags'>, accountIds: readonly string[], security: Pick<SecurityConfig, 'mfaMaxAgeSeconds'>,
): PolicyStatement[] {
  const resources = accountIds.map((id) => roleArn(partition, id, role.name));
  const statements: PolicyStatement[] = [{
    Sid: `Assume${pascalCase(role.name)}In${pascalCase(type)}`,
    Effect: 'Allow',
    Action: 'sts:AssumeRole',
    Resource: resources,
    Condition: {
      ...mfaConditions(security),
      StringEquals: { 'sts:RoleSessionName': '${aws:username}' },
    },
  }];
  if (Object.keys(role.sessionTags).length > 0) {
    statements.push({
      Sid: `Tag${pascalCase(role.name)}SessionsIn${pascalCase(type)}`,
      Effect: 'Allow',
      Action: 'sts:TagSession',
      Resource: resources,
      Condition: { ...mfaConditions(security), ...sessionTagConditions(role.sessionTags) },
    });
  }
  return statements;
}

/** Every (type, role) pair some group or user grants. */
export function usedGrants(config: Pick<RosterConfig, 'groups' | 'users'>): { type: string; role: string }[] {
  const seen = new Map<string, { type: string; role: string }>();
  const add = (grants: readonly RoleGrant[]) => {
    for (const grant of grants) for (const type of grant.accountTypes) seen.set(`${type}\u0000${grant.role}`, { type, role: grant.role });
  };
  for (const group of config.groups) add(group.grants);
  for (const user of config.users) add(user.directGrants);
  return [...seen.keys()].sort().map((k) => seen.get(k)!);
}

export function assumePolicyBaseName(type: string, role: string): string {
  return `${pascalCase(type)}Assume${role}`;
}

/**
 * One managed policy per (account type, role) that a group or user grants. If the account list does
 * not fit in 6,144 characters, the overflow goes to `<Type>Assume<Role>2`, `3`, … deterministically.
 */
export function planAssumePolicies(config: RosterConfig, issues: PlanIssue[]): AssumePolicyPlan[] {
  const { partition, account: central } = config.central;
  const roles = new Map(config.roles.map((r) => [r.name, r]));
  const plans: AssumePolicyPlan[] = [];
  for (const { type, role } of usedGrants(config)) {
    const definition = roles.get(role);
    if (!definition || !definition.people) continue; // a grant of a people: false role is refused by validation
    const accounts = accountsWithRole(config.accounts, type, definition);
    if (accounts.length === 0) continue; // warned about by validation; an empty Resource list is invalid
    const packed = packStatements(assumeStatements(partition, type, definition, accounts.map((a) => a.id), config.security), IAM_LIMITS.managedPolicyChars);
    if ('error' in packed) {
      issues.push({ origin: definition.origin, message: `the assume policy of ${role} in '${type}' accounts cannot be packed: ${packed.error}`, hint: 'shorten the role name' });
      continue;
    }
    packed.forEach((document, i) => {
      const name = assumePolicyBaseName(type, role) + (i === 0 ? '' : String(i + 1));
      if (name.length > IAM_LIMITS.policyNameChars) {
        issues.push({ origin: definition.origin, message: `policy name '${name}' is longer than ${IAM_LIMITS.policyNameChars} characters`, hint: 'shorten the account type or the role name' });
      }
      const ids = [...new Set(document.Statement.flatMap((s) => [s.Resource ?? []].flat()).map((arn) => arn.split(':')[4]))];
      plans.push({
        name,
        logicalId: logicalIdFor('Policy', name),
        description: `Assume ${role} in ${type} accounts (MFA required)`,
        document: documentOf(document.Statement),
        arn: policyArn(partition, central, name),
        accountType: type,
        role,
        accountIds: ids,
        bucket: bucketOf(name, POLICY_BUCKETS),
      });
    });
  }
  return plans;
}
