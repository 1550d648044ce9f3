import { roleEnabled } from '../config/load.js';
import { IAM_LIMITS } from '../config/limits.js';
import type { AccountConfig, Origin, RosterConfig, ServiceRoleConfig } from '../config/types.js';
import type { PolicyDocument, PolicyStatement, RoleDefinition } from '../roles/types.js';
import { ASSUME_ACTIONS, policyArn, roleArn } from './assume-policies.js';
import { BOUNDARY_POLICY, boundaryDocument, GUARDRAILS_POLICY, guardrailStatements, REVOKED_SESSIONS_POLICY, revokedSessionStatements } from './guardrails.js';
import type { PlanIssue } from './issues.js';
import { mfaConditions } from './mfa.js';
import { logicalIdFor } from './names.js';
import { documentOf, packStatements, policyChars } from './policy-size.js';
import type { AccountPlan, ManagedPolicyPlan, RolePlan } from './types.js';

export const DEFAULT_MAX_SESSION_SECONDS = 3600;

/**
 * Who may assume a member-account role: the central account as a whole (its IAM policies then
 * decide which users), and only with MFA. Never individual user ARNs: those would put every user
 * into every trust policy and break its 2,048-character limit.
 */
export function trustPolicy(config: RosterConfig): PolicyDocument {
  const { partition, account } = config.central;
  return documentOf([
    {
      Sid: 'TrustCentralAccountWithMFA',
      Effect: 'Allow',
      Principal: { AWS: `arn:${partition}:iam::${account}:root` },
      Action: ASSUME_ACTIONS,
      Condition: mfaConditions(config.security),
    } as PolicyStatement,
  ]);
}

function serviceTrustPolicy(service: string): PolicyDocument {
  return documentOf([{ Sid: 'TrustService', Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' } as PolicyStatement]);
}

/** Stands for an account ID while packing: as long as a real one, so sizes come out exact. */
const ACCOUNT_STANDIN = 'ACCOUNT_ID__';

/**
 * Pack a role's statements once for all accounts (every account ID has 12 digits, so the packing
 * is the same everywhere), then fill in each account: 300 accounts x 25 roles stay cheap.
 */
function packerFor(partition: string) {
  const packed = new Map<readonly PolicyStatement[], string[]>();
  return (statements: readonly PolicyStatement[], account: string): PolicyDocument[] => {
    let docs = packed.get(statements);
    if (!docs) {
      const filled = JSON.parse(JSON.stringify(statements).replaceAll('{partition}', partition).replaceAll('{account}', ACCOUNT_STANDIN));
      docs = packStatements(filled, IAM_LIMITS.managedPolicyChars).map((d) => JSON.stringify(d));
      packed.set(statements, docs);
    }
    return docs.map((d) => JSON.parse(d.replaceAll(ACCOUNT_STANDIN, account)));
  };
}

function sharedPolicies(config: RosterConfig, account: AccountConfig): ManagedPolicyPlan[] {
  const { partition } = config.central;
  const policy = (name: string, description: string, document: PolicyDocument): ManagedPolicyPlan => ({
    name, logicalId: logicalIdFor('Policy', name), description, document, arn: policyArn(partition, account.id, name),
  });
  // Revocation is break-glass: it applies even where an account opted out of the guardrails.
  const revoked = revokedSessionStatements(config.security.revokedSessions);
  const revocation = revoked.length > 0 ? [policy(REVOKED_SESSIONS_POLICY, 'iam-roster: revoked role sessions of offboarded or compromised users', documentOf(revoked))] : [];
  if (account.guardrails === false) return revocation;
  const policies = [
    ...revocation,
    policy(GUARDRAILS_POLICY, 'iam-roster guardrails: region restriction and deletion protection', documentOf(guardrailStatements(partition, account.id, account.guardrails))),
  ];
  if (account.guardrails.permissionsBoundary) {
    policies.push(policy(BOUNDARY_POLICY, 'iam-roster permissions boundary for every role', boundaryDocument(partition, account.id, account.guardrails)));
  }
  return policies;
}

interface RoleSpec {
  kind: 'catalog' | 'service';
  name: string;
  description: string;
  trust: PolicyDocument;
  maxSessionDuration?: number;
  awsManagedPolicies: readonly string[];
  statements: readonly PolicyStatement[];
  instanceProfile?: boolean;
  justification: RolePlan['justification'];
  origin: Origin;
}

function planRole(
  config: RosterConfig, account: AccountConfig, shared: ManagedPolicyPlan[], spec: RoleSpec, pack: ReturnType<typeof packerFor>, issues: PlanIssue[],
): RolePlan {
  const { partition } = config.central;
  const logicalId = logicalIdFor('Role', spec.name);
  const docs = pack(spec.statements, account.id);
  const policies = docs.map((document, i) => {
    const name = `${spec.name}Policy${i + 1}`;
    return {
      name,
      logicalId: logicalIdFor('Policy', name),
      description: `${spec.name} permissions, part ${i + 1} of ${docs.length}`,
      document,
      arn: policyArn(partition, account.id, name),
    };
  });
  // Service roles' sessions are not people's; revocation concerns the catalog roles people assume.
  const attach = spec.kind === 'service' ? [GUARDRAILS_POLICY] : [GUARDRAILS_POLICY, REVOKED_SESSIONS_POLICY];
  const guardrails = shared.filter((p) => attach.includes(p.name)).map((p) => p.name);
  const boundary = shared.find((p) => p.name === BOUNDARY_POLICY)?.name;
  const { origin } = spec;
  if (policyChars(spec.trust) > config.central.trustPolicyLimit) {
    issues.push({ origin, message: `trust policy of ${spec.name} is ${policyChars(spec.trust)} characters; the limit is ${config.central.trustPolicyLimit}`, hint: 'raise the quota and set central.trustPolicyLimit: 4096' });
  }
  const attached = spec.awsManagedPolicies.length + policies.length + guardrails.length;
  if (attached > IAM_LIMITS.managedPoliciesPerRole) {
    issues.push({ origin, message: `role ${spec.name} needs ${attached} managed policies; IAM allows ${IAM_LIMITS.managedPoliciesPerRole} per role`, hint: `trim the policies of ${spec.name}` });
  }
  if (spec.name.length > IAM_LIMITS.roleNameChars) {
    issues.push({ origin, message: `role name ${spec.name} is longer than ${IAM_LIMITS.roleNameChars} characters`, hint: 'rename it' });
  }
  return {
    name: spec.name,
    logicalId,
    arn: roleArn(partition, account.id, spec.name),
    description: spec.description,
    maxSessionDuration: spec.maxSessionDuration ?? DEFAULT_MAX_SESSION_SECONDS,
    trustPolicy: spec.trust,
    awsManagedPolicyArns: spec.awsManagedPolicies.map((p) => `arn:${partition}:iam::aws:policy/${p}`),
    policies,
    sharedPolicyNames: guardrails,
    boundaryPolicyName: boundary,
    instanceProfile: spec.instanceProfile,
    justification: spec.justification,
  };
}

function catalogSpec(account: AccountConfig, role: RoleDefinition, trust: PolicyDocument): RoleSpec {
  return {
    ...role,
    kind: 'catalog',
    trust,
    maxSessionDuration: account.maxSessionDuration,
    origin: { file: account.origin.file, path: account.roleToggles[role.name] === undefined ? [] : ['roles', role.name] },
  };
}

function serviceSpec(account: AccountConfig, role: ServiceRoleConfig): RoleSpec {
  return {
    kind: 'service',
    name: role.name,
    description: role.description ?? `Service role for ${role.service}`,
    trust: serviceTrustPolicy(role.service),
    maxSessionDuration: role.maxSessionDuration,
    awsManagedPolicies: role.awsManagedPolicies,
    statements: [],
    instanceProfile: role.instanceProfile,
    justification: { awsManagedPolicies: `The workload's permissions, declared for ${role.service} in ${account.origin.file} and reviewed there.` },
    origin: { file: account.origin.file, path: ['serviceRoles', role.name] },
  };
}

/** One stack per account file: every enabled catalog role and every service role. */
export function planAccounts(config: RosterConfig, catalog: readonly RoleDefinition[], issues: PlanIssue[]): AccountPlan[] {
  const roles = [...catalog].sort((a, b) => (a.name < b.name ? -1 : 1));
  const trust = trustPolicy(config);
  const pack = packerFor(config.central.partition);
  return config.accounts.map((account) => {
    const shared = sharedPolicies(config, account);
    const specs = [
      ...roles.filter((r) => roleEnabled(account, r.name, r.enabled)).map((r) => catalogSpec(account, r, trust)),
      ...account.serviceRoles.map((r) => serviceSpec(account, r)),
    ];
    return {
      prefix: account.prefix,
      stackName: `Account-${account.prefix}`,
      id: account.id,
      alias: account.alias,
      type: account.type,
      region: account.region,
      sharedPolicies: shared,
      roles: specs.map((spec) => planRole(config, account, shared, spec, pack, issues)),
      passwordPolicy: config.security.memberAccountPasswordPolicy ? config.security.passwordPolicy : undefined,
      origin: account.origin,
    };
  });
}
