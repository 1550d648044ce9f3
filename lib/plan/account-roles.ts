import { roleEnabled } from '../config/load.js';
import { IAM_LIMITS } from '../config/limits.js';
import type { AccountConfig, RosterConfig } from '../config/types.js';
import type { PolicyDocument, PolicyStatement, RoleDefinition } from '../roles/types.js';
import { ASSUME_ACTIONS, policyArn } from './assume-policies.js';
import type { PlanIssue } from './issues.js';
import { logicalIdFor } from './names.js';
import { packStatements, policyChars } from './policy-size.js';
import type { AccountPlan, RolePlan } from './types.js';

export const DEFAULT_MAX_SESSION_SECONDS = 3600;

/**
 * Who may assume a member-account role: the central account as a whole (its IAM policies then
 * decide which users), and only with MFA. Never individual user ARNs: those would put every user
 * into every trust policy and break its 2,048-character limit.
 */
export function trustPolicy(partition: string, centralAccount: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TrustCentralAccountWithMFA',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${centralAccount}:root` },
        Action: ASSUME_ACTIONS,
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      } as PolicyStatement,
    ],
  };
}

function fillPlaceholders(statements: readonly PolicyStatement[], partition: string, account: string): PolicyStatement[] {
  return JSON.parse(JSON.stringify(statements).replaceAll('{partition}', partition).replaceAll('{account}', account));
}

function planRole(config: RosterConfig, account: AccountConfig, role: RoleDefinition, issues: PlanIssue[]): RolePlan {
  const { partition } = config.central;
  const logicalId = logicalIdFor('Role', role.name);
  const docs = packStatements(fillPlaceholders(role.statements, partition, account.id), IAM_LIMITS.managedPolicyChars);
  const policies = docs.map((document, i) => {
    const name = `${role.name}Policy${i + 1}`;
    return {
      name,
      logicalId: `${logicalId}Policy${i + 1}`,
      description: `${role.name} permissions, part ${i + 1} of ${docs.length}`,
      document,
      arn: policyArn(partition, account.id, name),
    };
  });
  const trust = trustPolicy(partition, config.central.account);
  const origin = { file: account.origin.file, path: account.roleToggles[role.name] === undefined ? [] : ['roles', role.name] };
  if (policyChars(trust) > config.central.trustPolicyLimit) {
    issues.push({ origin, message: `trust policy of ${role.name} is ${policyChars(trust)} characters; the limit is ${config.central.trustPolicyLimit}`, hint: 'raise the quota and set central.trustPolicyLimit: 4096' });
  }
  const attached = role.awsManagedPolicies.length + policies.length;
  if (attached > IAM_LIMITS.managedPoliciesPerRole) {
    issues.push({ origin, message: `role ${role.name} needs ${attached} managed policies; IAM allows ${IAM_LIMITS.managedPoliciesPerRole} per role`, hint: `trim lib/roles entry for ${role.name}` });
  }
  if (role.name.length > IAM_LIMITS.roleNameChars) {
    issues.push({ origin, message: `role name ${role.name} is longer than ${IAM_LIMITS.roleNameChars} characters`, hint: 'rename it in lib/roles' });
  }
  return {
    name: role.name,
    logicalId,
    description: role.description,
    maxSessionDuration: account.maxSessionDuration ?? DEFAULT_MAX_SESSION_SECONDS,
    trustPolicy: trust,
    awsManagedPolicyArns: role.awsManagedPolicies.map((p) => `arn:${partition}:iam::aws:policy/${p}`),
    policies,
  };
}

/** One stack per account file, with every catalog role enabled there. */
export function planAccounts(config: RosterConfig, catalog: readonly RoleDefinition[], issues: PlanIssue[]): AccountPlan[] {
  const roles = [...catalog].sort((a, b) => (a.name < b.name ? -1 : 1));
  return config.accounts.map((account) => ({
    prefix: account.prefix,
    stackName: `Account-${account.prefix}`,
    id: account.id,
    alias: account.alias,
    type: account.type,
    region: account.region,
    roles: roles.filter((r) => roleEnabled(account, r.name, r.enabled)).map((r) => planRole(config, account, r, issues)),
    origin: account.origin,
  }));
}
