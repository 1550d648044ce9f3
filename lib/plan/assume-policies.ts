import type { AccountConfig, GroupConfig, RosterConfig, SecurityConfig } from '../config/types.js';
import { mfaConditions } from './mfa.js';
import { IAM_LIMITS } from '../config/limits.js';
import type { PolicyStatement, RoleDefinition } from '../roles/types.js';
import { bucketOf, logicalIdFor, pascalCase } from './names.js';
import { POLICY_BUCKETS } from './placement.js';
import { documentOf, packStatements } from './policy-size.js';
import type { AssumePolicyPlan } from './types.js';
import { roleEnabled } from '../config/load.js';

export const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:TagSession'];

/** `arn:aws:iam::222222222222:role/FullAdministrator` */
export function roleArn(partition: string, accountId: string, role: string): string {
  return `arn:${partition}:iam::${accountId}:role/${role}`;
}

export function policyArn(partition: string, accountId: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:policy/${name}`;
}

/** Accounts of `type` in which `role` exists, sorted by ID. */
export function accountsWithRole(
  accounts: readonly AccountConfig[], type: string, role: RoleDefinition,
): AccountConfig[] {
  return accounts
    .filter((a) => a.type === type && roleEnabled(a, role.name, role.enabled))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * The statement letting a central-account user assume `role` in the given accounts: only with MFA,
 * and only under their own user name as session name, so CloudTrail in the member account shows who.
 */
export function assumeStatement(
  partition: string, type: string, role: string, accountIds: readonly string[], security: Pick<SecurityConfig, 'mfaMaxAgeSeconds'>,
): PolicyStatement {
  return {
    Sid: `Assume${pascalCase(role)}In${pascalCase(type)}`,
    Effect: 'Allow',
    Action: ASSUME_ACTIONS,
    Resource: accountIds.map((id) => roleArn(partition, id, role)),
    Condition: {
      ...mfaConditions(security),
      StringEquals: { 'sts:RoleSessionName': '${aws:username}' },
    },
  };
}

/** Every (type, role) pair some group grants, with the accounts it reaches. */
export function usedGrants(groups: readonly GroupConfig[]): { type: string; role: string }[] {
  const seen = new Map<string, { type: string; role: string }>();
  for (const group of groups) {
    for (const grant of group.grants) {
      for (const type of grant.accountTypes) seen.set(`${type}\u0000${grant.role}`, { type, role: grant.role });
    }
  }
  return [...seen.keys()].sort().map((k) => seen.get(k)!);
}

export function assumePolicyBaseName(type: string, role: string): string {
  return `${pascalCase(type)}Assume${role}`;
}

/**
 * One managed policy per (account type, role) that a group grants. If the account list does not
 * fit in 6,144 characters, the overflow goes to `<Type>Assume<Role>2`, `3`, … deterministically.
 */
export function planAssumePolicies(config: RosterConfig, catalog: readonly RoleDefinition[]): AssumePolicyPlan[] {
  const { partition, account: central } = config.central;
  const roles = new Map(catalog.map((r) => [r.name, r]));
  const plans: AssumePolicyPlan[] = [];
  for (const { type, role } of usedGrants(config.groups)) {
    const definition = roles.get(role);
    if (!definition) continue;
    const accounts = accountsWithRole(config.accounts, type, definition);
    if (accounts.length === 0) continue; // warned about by validation; an empty Resource list is invalid
    const statement = assumeStatement(partition, type, role, accounts.map((a) => a.id), config.security);
    const docs = packStatements([statement], IAM_LIMITS.managedPolicyChars);
    docs.forEach((document, i) => {
      const name = assumePolicyBaseName(type, role) + (i === 0 ? '' : String(i + 1));
      const ids = document.Statement.flatMap((s) => s.Resource as string[]).map((arn) => arn.split(':')[4]);
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
