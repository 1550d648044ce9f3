import { IAM_LIMITS } from '../config/limits.js';
import { fillPlaceholders, ROLE_ID_PLACEHOLDER, ROLE_ID_STANDIN, type PolicyDocument, type PolicyStatement } from '../config/iam-policy.js';
import type { AccountConfig, Origin, RoleConfig, RosterConfig, ServiceRoleConfig } from '../config/types.js';
import { roleEnabled } from '../config/types.js';
import { policyArn, roleArn } from './assume-policies.js';
import { BOUNDARY_POLICY, boundaryDocument } from './boundary.js';
import { GUARDRAILS_POLICY, guardrailStatements, REGION_SIDS } from './guardrails.js';
import type { PlanIssue } from './issues.js';
import { unjustified } from './nag-rules.js';
import { isAdminEquivalent, privilegeOf } from './privilege.js';
import { boundaryProtectionStatements, PROTECT_CENTRAL_POLICY, PROTECTION_POLICY, protectCentralStatements, protectionStatements, ROSTER_POLICY_PREFIX, type ProtectionInput } from './protection.js';
import { SESSIONS_POLICY, sessionPlanner } from './sessions.js';
import { mfaConditions, sessionTagConditions, SOURCE_IDENTITY_IS_THE_USER_NAME } from './mfa.js';
import { logicalIdFor } from './names.js';
import { documentOf, packStatements, policyChars, policyJson, rememberJson } from './policy-size.js';
import { fitBoundary, orgDenyEntries } from './org-deny-statements.js';
import type { AccountPlan, ManagedPolicyPlan, RolePlan } from './types.js';

export const DEFAULT_MAX_SESSION_SECONDS = 3600;

/**
 * Who may assume a catalog role: users of the central account (aws:PrincipalArn), only with MFA,
 * only under their own user name as session name, and with their own user name as source identity
 * if they set one (SOURCE_IDENTITY_IS_THE_USER_NAME). The same conditions as the assume policies, so a
 * central role or a user with its own sts:AssumeRole right cannot get in under another name.
 * Never individual user ARNs: those would break the trust policy's 2,048-character limit.
 * Then the role's trust extras (other accounts with MFA or an ExternalId) and session tags.
 */
export function catalogTrustPolicy(config: Pick<RosterConfig, 'central' | 'security'>, role: Pick<RoleConfig, 'sessionTags' | 'trustExtras'> & Partial<Pick<RoleConfig, 'people'>>): PolicyDocument {
  const { partition, account } = config.central;
  const root = `arn:${partition}:iam::${account}:root`;
  const users = { ArnLike: { 'aws:PrincipalArn': `arn:${partition}:iam::${account}:user/*` } };
  // A role nobody signs into (people: false) trusts its extras only.
  const statements: PolicyStatement[] = role.people === false ? [] : [{
    Sid: 'TrustCentralUsersWithMFA',
    Effect: 'Allow',
    Principal: { AWS: root },
    Action: 'sts:AssumeRole',
    Condition: {
      ...mfaConditions(config.security),
      ...users,
      // requireSourceIdentity: no session without the name as source identity (console switch-role refused).
      StringEquals: { 'sts:RoleSessionName': '${aws:username}', ...(config.security.requireSourceIdentity ? { 'sts:SourceIdentity': '${aws:username}' } : {}) },
    },
  }, {
    ...SOURCE_IDENTITY_IS_THE_USER_NAME,
    Principal: { AWS: root },
    Condition: { ...users, ...SOURCE_IDENTITY_IS_THE_USER_NAME.Condition },
  }];
  if (role.people !== false && Object.keys(role.sessionTags).length > 0) {
    statements.push({
      Sid: 'TagSessionsFromUserTags',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: 'sts:TagSession',
      Condition: { ...users, ...sessionTagConditions(role.sessionTags) },
    });
  }
  role.trustExtras.forEach((extra, i) => {
    const condition: NonNullable<PolicyStatement['Condition']> = {
      ...(extra.mfa ? mfaConditions(config.security) : {}),
      ...(extra.externalId ? { StringEquals: { 'sts:ExternalId': extra.externalId } } : {}),
    };
    statements.push({
      Sid: `TrustExtra${i + 1}`,
      Effect: 'Allow',
      Principal: { AWS: extra.principal },
      Action: 'sts:AssumeRole',
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    });
  });
  return documentOf(statements);
}

/**
 * Services that send aws:SourceAccount when they assume a role. Others (EC2 through an instance
 * profile, Lambda, Glue, ...) do not, and the condition would lock them out; a role can only be
 * passed to a service within its own account anyway.
 */
export const SOURCE_ACCOUNT_SERVICES = [
  'bedrock.amazonaws.com', 'codebuild.amazonaws.com', 'datasync.amazonaws.com', 'ecs-tasks.amazonaws.com', 'events.amazonaws.com',
  'firehose.amazonaws.com', 'iot.amazonaws.com', 'personalize.amazonaws.com', 'pipes.amazonaws.com', 'sagemaker.amazonaws.com',
  'scheduler.amazonaws.com', 'states.amazonaws.com', 'transfer.amazonaws.com',
];

export function serviceTrustPolicy(service: string, accountId: string): PolicyDocument {
  const sourceAccount = SOURCE_ACCOUNT_SERVICES.includes(service) ? { Condition: { StringEquals: { 'aws:SourceAccount': accountId } } } : {};
  return documentOf([{ Sid: 'TrustService', Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', ...sourceAccount }]);
}

/**
 * iam:PassRole on the account's declared service roles, each only to its own service: a role may
 * start workloads with the roles meant for them, never with a person's role or a deployment role.
 */
export function passServiceRoleStatements(partition: string, account: Pick<AccountConfig, 'id' | 'serviceRoles'>): PolicyStatement[] {
  const byService = new Map<string, string[]>();
  for (const role of account.serviceRoles) byService.set(role.service, [...(byService.get(role.service) ?? []), roleArn(partition, account.id, role.name)]);
  return [...byService.keys()].sort().map((service, i) => ({
    Sid: `PassServiceRoles${i + 1}`,
    Effect: 'Allow',
    Action: 'iam:PassRole',
    Resource: byService.get(service)!.sort(),
    Condition: { StringEquals: { 'iam:PassedToService': service } },
  }));
}

/** Stand for an account ID while packing: as long as a real one, so sizes come out exact. */
const ACCOUNT_STANDIN = 'ACCOUNT_ID__';

/**
 * Pack a role's statements once per distinct input (account IDs all have 12 digits, so the
 * packing is the same in every account of a region with the same extra policies and service
 * roles), then fill in each account: 300 accounts x 25 roles stay cheap.
 */
function packerFor(partition: string) {
  const packed = new Map<string, string[] | { error: string }>();
  return (key: string, statements: () => readonly PolicyStatement[], account: string, region: string, accountAlias: string): PolicyDocument[] | { error: string } => {
    let docs = packed.get(key);
    if (!docs) {
      // {roleId} is sized as a role ID while packing and stays a placeholder in the plan (the renderer resolves it).
      const filled = fillPlaceholders(statements(), { partition, account: ACCOUNT_STANDIN, region, accountAlias, roleId: ROLE_ID_STANDIN });
      const template = JSON.stringify(filled).replaceAll(account, ACCOUNT_STANDIN);
      const result = packStatements(JSON.parse(template), IAM_LIMITS.managedPolicyChars);
      docs = 'error' in result ? result : result.map((d) => JSON.stringify(d).replaceAll(ROLE_ID_STANDIN, ROLE_ID_PLACEHOLDER));
      packed.set(key, docs);
    }
    return 'error' in docs ? docs : docs.map((d) => {
      const text = d.replaceAll(ACCOUNT_STANDIN, account);
      return rememberJson(JSON.parse(text), text);
    });
  };
}

/** The name of a role's n-th own policy (1-based): under iam-roster's protected prefix. */
export function rolePolicyName(role: string, n: number): string {
  return `${ROSTER_POLICY_PREFIX}-${role}-${n}`;
}

/**
 * Packings of account-wide policies, by content with the account ID and the account's own stack
 * name stood in: most accounts share them. Stand-ins have the length of what they replace, so
 * the packing (which is by size) is the same as the account's own would be.
 */
const sharedPackings = new Map<string, string[]>();

function standIns(account: AccountConfig): Array<[real: string, standIn: string]> {
  return [
    [account.id, ACCOUNT_STANDIN],
    [`:stack/Account-${account.prefix}/`, `:stack/Account-${'~'.repeat(account.prefix.length)}/`],
  ];
}

/** An account-wide policy, packed under the size limit into `<name>`, `<name>2`, ... */
function packedShared(partition: string, account: AccountConfig, name: string, description: string, statements: PolicyStatement[]): ManagedPolicyPlan[] {
  if (statements.length === 0) return [];
  const subs = standIns(account);
  const template = subs.reduce((t, [real, standIn]) => t.replaceAll(real, standIn), JSON.stringify(statements));
  let packed = sharedPackings.get(template);
  if (!packed) {
    const docs = packStatements(JSON.parse(template), IAM_LIMITS.managedPolicyChars);
    // an unpackable statement is reported by the quota check, on the unpacked document
    packed = ('error' in docs ? [documentOf(JSON.parse(template))] : docs).map((d) => JSON.stringify(d));
    if (sharedPackings.size > 1000) sharedPackings.clear();
    sharedPackings.set(template, packed);
  }
  const documents: PolicyDocument[] = packed.map((d) => {
    const text = subs.reduce((t, [real, standIn]) => t.replaceAll(standIn, real), d);
    return rememberJson(JSON.parse(text), text);
  });
  return documents.map((document, i) => {
    const partName = i === 0 ? name : `${name}${i + 1}`;
    return { name: partName, logicalId: logicalIdFor('Policy', partName), // A policy's description can never change (IAM: immutable; CloudFormation would have to
    // replace a custom-named policy, which fails): it depends on the name alone, never on counts.
    description: i === 0 ? description : `${description} (part ${i + 1})`, document, arn: policyArn(partition, account.id, partName) };
  });
}

/** Which account-wide policies a role carries. */
interface Shared {
  protection: ManagedPolicyPlan[];
  protectCentral: ManagedPolicyPlan[];
  guardrails: ManagedPolicyPlan[];
  sessions: ManagedPolicyPlan[];
  boundary?: ManagedPolicyPlan;
}

function sharedPolicies(config: RosterConfig, account: AccountConfig, specs: readonly RoleSpec[], isCentral: boolean, cutOffs: PolicyStatement[], issues: PlanIssue[]): Shared {
  const { partition } = config.central;
  const pack = (name: string, description: string, statements: PolicyStatement[]) => packedShared(partition, account, name, description, statements);
  const input: ProtectionInput = {
    partition,
    account: account.id,
    peopleRoles: specs.filter((s) => s.kind === 'catalog').map((s) => s.name),
    rosterRoles: specs.map((s) => s.name),
    instanceProfiles: specs.filter((s) => s.instanceProfile).map((s) => s.name),
    managesPasswordPolicy: config.security.memberAccountPasswordPolicy || isCentral,
    pipeline: config.pipeline?.account === account.id ? { approvers: config.pipeline.approvers } : undefined,
  };
  const protection = protectionStatements(input);
  const builtIn = account.guardrails === false ? [] : guardrailStatements(partition, account.id, account.guardrails);
  // The organisation's own deny statements follow iam-roster's, in the same policies (see org-deny-statements.ts).
  const org = orgDenyEntries(partition, account, new Map(config.policies.map((p) => [p.name, p])));
  const guardrails = [...builtIn, ...org.flatMap((e) => e.statements)];
  const shared: Shared = {
    protection: pack(PROTECTION_POLICY, 'iam-roster: its roles, policies, handlers and stacks are changed by deployments only', protection),
    protectCentral: isCentral ? pack(PROTECT_CENTRAL_POLICY, "iam-roster: only full administrators change the central account's users, groups and policies", protectCentralStatements(partition, config.central.account)) : [],
    // Revocation and expiry are break-glass: they apply even where an account opted out of the guardrails.
    sessions: pack(SESSIONS_POLICY, 'iam-roster: revoked and expired role sessions of people', cutOffs),
    guardrails: pack(GUARDRAILS_POLICY, 'iam-roster guardrails: region restriction and deletion protection', guardrails),
  };
  if (account.boundary.mode !== 'none') {
    const name = BOUNDARY_POLICY;
    const regionRestriction = builtIn.filter((g) => REGION_SIDS.includes(g.Sid!));
    const build = (own: PolicyStatement[]) => boundaryDocument(partition, account.id, [...regionRestriction, ...own, ...boundaryProtectionStatements(input)], account.serviceRoles.map((r) => r.name));
    const document = fitBoundary(build, org, account.prefix, issues, account.boundary.mode === 'every-role');
    shared.boundary = { name, logicalId: logicalIdFor('Policy', name), description: `iam-roster permissions boundary for ${account.boundary.mode === 'every-role' ? 'every role' : 'roles that can write IAM or do everything'}`, document, arn: policyArn(partition, account.id, name) };
  }
  return shared;
}

/** Approvers of the pipeline's manual approvals are roles iam-roster creates in the pipeline's account. */
function unknownApprovers(pipeline: NonNullable<RosterConfig['pipeline']>, account: AccountConfig, specs: readonly RoleSpec[]): PlanIssue[] {
  const names = new Set(specs.map((s) => s.name));
  return pipeline.approvers.flatMap((role, i) => (names.has(role) ? [] : [{
    origin: { file: pipeline.origin.file, path: [...pipeline.origin.path, 'approvers', i] },
    message: `approver '${role}' is not a role of ${account.prefix} (${account.id}), the pipeline's account`,
    hint: `name a role iam-roster creates in ${account.prefix}: ${[...names].sort().join(', ')}`,
  }]));
}

/** Where an account's guardrails come from: its own file if it sets them, else security.guardrails in users.yaml. */
function guardrailsOrigin(config: RosterConfig, account: AccountConfig): Origin {
  const data = config.sources.get(account.origin.file)?.data;
  const inFile = typeof data === 'object' && data !== null && 'guardrails' in data;
  return inFile ? { file: account.origin.file, path: ['guardrails'] } : { file: 'users.yaml', path: ['security', 'guardrails'] };
}

/** Every account-wide policy, in a stable order. */
function allShared(shared: Shared): ManagedPolicyPlan[] {
  return [...shared.protection, ...shared.protectCentral, ...shared.guardrails, ...shared.sessions, ...(shared.boundary ? [shared.boundary] : [])];
}

interface RoleSpec {
  kind: 'catalog' | 'service';
  /** What the statements depend on besides the account ID: equal keys pack the same. */
  packKey: string;
  name: string;
  description: string;
  trust: PolicyDocument;
  maxSessionDuration?: number;
  awsManagedPolicies: readonly string[];
  /** Existing customer managed policies, as `path/Name` after `policy/`. */
  customerManagedPolicies: readonly string[];
  /** A role people assume (revocation and expiry of people's sessions apply). */
  people: boolean;
  statements: readonly PolicyStatement[];
  instanceProfile?: boolean;
  justification: RolePlan['justification'];
  origin: Origin;
  /** Where the role's `justification` is written (a catalog role's file); service roles justify themselves. */
  justificationOrigin?: Origin;
}

/** The role file and the account file may name one policy under two paths: IAM policy names are unique per account. */
function checkOnePathPerName(spec: RoleSpec, account: AccountConfig, issues: PlanIssue[]): void {
  const byName = new Map<string, string>();
  for (const p of spec.customerManagedPolicies) {
    const name = p.split('/').at(-1)!.toLowerCase();
    const other = byName.get(name);
    if (other !== undefined) {
      issues.push({ origin: { file: account.origin.file, path: ['roles', spec.name, 'customerManagedPolicies'] }, message: `${spec.name} in ${account.prefix} attaches '${other}' and '${p}', one policy name under two paths`, hint: 'a policy name is unique in an account whatever its path: write the path it has, once' });
    }
    byName.set(name, p);
  }
}

function planRole(
  config: RosterConfig, account: AccountConfig, shared: Shared, spec: RoleSpec, pack: ReturnType<typeof packerFor>, issues: PlanIssue[],
): RolePlan {
  const { partition } = config.central;
  const logicalId = logicalIdFor('Role', spec.name);
  const { origin } = spec;
  const packed = pack(`${spec.packKey}\u0000${account.region}`, () => spec.statements, account.id, account.region, account.alias);
  if ('error' in packed) issues.push({ origin, message: `the policies of ${spec.name} cannot be packed: ${packed.error}`, hint: 'split the statement by hand' });
  const docs = 'error' in packed ? [] : packed;
  const policies = docs.map((document, i) => {
    const name = rolePolicyName(spec.name, i + 1);
    return {
      name,
      logicalId: logicalIdFor('Policy', name),
      description: `${spec.name} permissions, part ${i + 1}`, // immutable: never counts (see packedShared)
      document,
      arn: policyArn(partition, account.id, name),
      ...(policyJson(document).includes(ROLE_ID_PLACEHOLDER) ? { refersToRoleId: true as const } : {}),
    };
  });
  const customerManagedPolicyArns = spec.customerManagedPolicies.map((p) => policyArn(partition, account.id, p));
  checkOnePathPerName(spec, account, issues);
  const awsManagedPolicyArns = spec.awsManagedPolicies.map((p) => `arn:${partition}:iam::aws:policy/${p}`);
  if (spec.justificationOrigin) {
    // What cdk-nag (in npm test) would fail on, refused here with the file and the key to add.
    for (const { key, rule, findings } of unjustified({ awsManagedPolicyArns, policies, justification: spec.justification })) {
      const shown = [...new Set(findings.map((f) => f.replaceAll(account.id, '{account}')))];
      issues.push({
        origin: spec.justificationOrigin, target: 'key',
        message: `role ${spec.name} ${key === 'wildcards' ? 'has wildcard permissions' : 'attaches AWS managed policies'} (${shown.slice(0, 4).join(', ')}${shown.length > 4 ? `, +${shown.length - 4} more` : ''}) without a justification: the security linter (cdk-nag ${rule}, in npm test) fails on them`,
        hint: `add to ${spec.justificationOrigin.file}: justification: {${key}: "why the role needs ${key === 'wildcards' ? 'them' : 'these policies'}"}${key === 'wildcards' ? ', or name the actions and resources' : ''}`,
      });
    }
  }
  // Full administrators of the central account are the ones who may change its users (they administer iam-roster).
  const fullAdmin = privilegeOf({ awsManagedPolicyArns, policies }) === 'admin';
  // Service roles' sessions are not people's: revocation and expiry concern the roles people assume.
  const guardrails = [
    ...shared.protection,
    ...(fullAdmin ? [] : shared.protectCentral),
    ...shared.guardrails,
    ...(spec.people ? shared.sessions : []),
  ].map((p) => p.name);
  // Administrators carry the boundary by default (see resolveBoundary): whatever they create carries it too.
  const bounded = account.boundary.mode === 'every-role' || (account.boundary.mode === 'administrators' && isAdminEquivalent({ awsManagedPolicyArns, policies }));
  const boundary = bounded ? shared.boundary?.name : undefined;
  if (policyChars(spec.trust) > config.central.trustPolicyLimit) {
    issues.push({ origin, message: `trust policy of ${spec.name} is ${policyChars(spec.trust)} characters; the limit is ${config.central.trustPolicyLimit}`, hint: 'trust fewer extra principals, or raise the quota and set central.trustPolicyLimit: 4096' });
  }
  const attached = spec.awsManagedPolicies.length + customerManagedPolicyArns.length + policies.length + guardrails.length;
  if (attached > IAM_LIMITS.managedPoliciesPerRole) {
    // Point at what made it grow: the guardrails or session limits packed into several policies, or the role itself.
    // Had the guardrails and session limits each fit in one policy, would the role still be over?
    const unsplit = attached - Math.max(0, shared.guardrails.length - 1) - (spec.people ? Math.max(0, shared.sessions.length - 1) : 0);
    const cause = unsplit > IAM_LIMITS.managedPoliciesPerRole
      ? { origin, hint: `attach fewer AWS or customer managed policies or shorten the statements of ${spec.name}` }
      : shared.guardrails.length > 1 && (!spec.people || shared.guardrails.length >= shared.sessions.length)
      ? { origin: guardrailsOrigin(config, account), hint: 'the guardrails need several policies: use fewer or broader protectedNamePatterns, or shorter denyStatements files' }
      : spec.people && shared.sessions.length > 1
        ? { origin: { file: 'users.yaml', path: ['revokeSessions'] }, hint: 'revocations and expiry times need several policies: remove revocations older than 12 hours and users who have expired' }
        : { origin, hint: `attach fewer AWS or customer managed policies or shorten the statements of ${spec.name}` };
    const breakdown = `${spec.awsManagedPolicies.length} AWS managed, ${customerManagedPolicyArns.length ? `${customerManagedPolicyArns.length} existing customer managed, ` : ''}${policies.length} of its own, ${guardrails.length} of iam-roster's`;
    issues.push({ origin: cause.origin, target: 'key', message: `role ${spec.name} needs ${attached} managed policies in ${account.prefix} (${breakdown}); IAM allows ${IAM_LIMITS.managedPoliciesPerRole} per role`, hint: cause.hint });
  }
  return {
    kind: spec.kind,
    name: spec.name,
    logicalId,
    arn: roleArn(partition, account.id, spec.name),
    description: spec.description,
    maxSessionDuration: spec.maxSessionDuration ?? DEFAULT_MAX_SESSION_SECONDS,
    trustPolicy: spec.trust,
    awsManagedPolicyArns,
    customerManagedPolicyArns,
    policies,
    sharedPolicyNames: guardrails,
    boundaryPolicyName: boundary,
    instanceProfile: spec.instanceProfile,
    justification: spec.justification,
  };
}

/** The statements a catalog role carries in one account: its own, its policy files, the account's extras, and PassRole. */
export function roleStatements(config: RosterConfig, account: AccountConfig, role: RoleConfig): PolicyStatement[] {
  const files = new Map(config.policies.map((p) => [p.name, p]));
  const extra = account.roleSettings[role.name]?.extraPolicies ?? [];
  return [
    ...role.statements,
    ...[...role.policies, ...extra].flatMap((name) => files.get(name)?.statements ?? []),
    ...(role.passServiceRoles ? passServiceRoleStatements(config.central.partition, account) : []),
  ];
}

function catalogSpec(config: RosterConfig, account: AccountConfig, role: RoleConfig, trust: PolicyDocument): RoleSpec {
  const extra = account.roleSettings[role.name]?.extraPolicies ?? [];
  const passes = role.passServiceRoles ? account.serviceRoles.map((r) => `${r.name}=${r.service}`).join(',') : '';
  // Statements naming {accountAlias} pack differently in each account (aliases differ in length).
  const alias = usesAlias(config, [...role.policies, ...extra], role.statements) ? account.alias : '';
  const setting = account.roleSettings[role.name];
  return {
    kind: 'catalog',
    packKey: `catalog\u0000${role.name}\u0000${extra.join(',')}\u0000${passes}\u0000${alias}`,
    name: role.name,
    description: role.description,
    trust,
    maxSessionDuration: account.maxSessionDuration ?? role.maxSessionDuration,
    awsManagedPolicies: role.awsManagedPolicies,
    customerManagedPolicies: [...new Set([...role.customerManagedPolicies, ...(setting?.customerManagedPolicies ?? [])])],
    people: role.people,
    get statements() { return roleStatements(config, account, role); },
    justification: role.justification,
    origin: account.roleSettings[role.name] === undefined ? role.origin : { file: account.origin.file, path: ['roles', role.name] },
    justificationOrigin: { file: role.origin.file, path: role.justification.awsManagedPolicies || role.justification.wildcards ? ['justification'] : role.statements.length ? ['statements'] : role.awsManagedPolicies.length ? ['awsManagedPolicies'] : role.policies.length ? ['policies'] : [] },
  };
}

/** Whether a role's statements or policy files name {accountAlias}. */
function usesAlias(config: RosterConfig, files: readonly string[], statements: readonly PolicyStatement[]): boolean {
  const named = (s: readonly PolicyStatement[]) => s.length > 0 && JSON.stringify(s).includes('{accountAlias}');
  return named(statements) || files.some((f) => named(config.policies.find((p) => p.name === f)?.statements ?? []));
}

function serviceSpec(config: RosterConfig, account: AccountConfig, role: ServiceRoleConfig): RoleSpec {
  const files = new Map(config.policies.map((p) => [p.name, p]));
  return {
    kind: 'service',
    packKey: `service\u0000${role.name}\u0000${role.policies.join(',')}\u0000${usesAlias(config, role.policies, []) ? account.alias : ''}`,
    name: role.name,
    description: role.description ?? `Service role for ${role.service}`,
    trust: serviceTrustPolicy(role.service, account.id),
    maxSessionDuration: role.maxSessionDuration,
    awsManagedPolicies: role.awsManagedPolicies,
    customerManagedPolicies: [],
    people: false,
    statements: role.policies.flatMap((name) => files.get(name)?.statements ?? []),
    instanceProfile: role.instanceProfile,
    justification: {
      awsManagedPolicies: `The workload's permissions, declared for ${role.service} in ${account.origin.file} and reviewed there.`,
      wildcards: `The workload's own policies, declared for ${role.service} in ${account.origin.file} and reviewed there.`,
    },
    origin: { file: account.origin.file, path: ['serviceRoles', role.name] },
  };
}

/**
 * Account plans of the previous `planAccounts` call, by what they were planned from. `roster diff`
 * plans two revisions in one process; an account whose inputs did not change between them (most,
 * in a one-line change) is not planned twice.
 */
let previousPlans: { context: string; byInput: Map<string, { plan: AccountPlan; issues: PlanIssue[] }> } | undefined;

/** One stack per account file: every enabled catalog role and every service role. */
export function planAccounts(config: RosterConfig, issues: PlanIssue[]): AccountPlan[] {
  const roles = [...config.roles].sort((a, b) => (a.name < b.name ? -1 : 1));
  const trusts = new Map(roles.map((r) => [r.name, catalogTrustPolicy(config, r)]));
  const pack = packerFor(config.central.partition);
  const sessions = sessionPlanner(config);
  // Everything an account's plan depends on besides the account itself and its session cut-offs.
  const context = JSON.stringify([config.central, config.security, config.roles, config.policies, config.pipeline]);
  const reusable = previousPlans?.context === context ? previousPlans.byInput : undefined;
  const byInput = new Map<string, { plan: AccountPlan; issues: PlanIssue[] }>();
  const plans = config.accounts.map((account) => {
    const cutOffs = sessions(account.id, account.type);
    const input = JSON.stringify([account, cutOffs, guardrailsOrigin(config, account)]);
    const known = reusable?.get(input);
    const planned = known ?? planAccount(config, account, roles, trusts, pack, cutOffs);
    byInput.set(input, planned);
    issues.push(...planned.issues);
    return planned.plan;
  });
  previousPlans = { context, byInput };
  const { pipeline } = config;
  if (pipeline && pipeline.approvers.length > 0 && !config.accounts.some((a) => a.id === pipeline.account)) {
    issues.push({
      origin: { file: pipeline.origin.file, path: [...pipeline.origin.path, 'approvers'] },
      target: 'key',
      message: `pipeline.approvers cannot be enforced: iam-roster manages no roles in the pipeline's account ${pipeline.account}`,
      hint: "remove approvers (who may approve is then up to that account's own IAM), or add an account file for it",
    });
  }
  return plans;
}

function planAccount(
  config: RosterConfig, account: AccountConfig, roles: readonly RoleConfig[], trusts: ReadonlyMap<string, PolicyDocument>, pack: ReturnType<typeof packerFor>, cutOffs: PolicyStatement[],
): { plan: AccountPlan; issues: PlanIssue[] } {
  const issues: PlanIssue[] = [];
  const specs = [
    ...roles.filter((r) => roleEnabled(account, r)).map((r) => catalogSpec(config, account, r, trusts.get(r.name)!)),
    ...account.serviceRoles.map((r) => serviceSpec(config, account, r)),
  ];
  const isCentral = account.id === config.central.account;
  const shared = sharedPolicies(config, account, specs, isCentral, cutOffs, issues);
  if (config.pipeline?.account === account.id) issues.push(...unknownApprovers(config.pipeline, account, specs));
  const plan: AccountPlan = {
    prefix: account.prefix,
    partition: config.central.partition,
    stackName: `Account-${account.prefix}`,
    id: account.id,
    alias: account.alias,
    type: account.type,
    region: account.region,
    sharedPolicies: allShared(shared),
    roles: specs.map((spec) => planRole(config, account, shared, spec, pack, issues)),
    // The central account has its password policy from CentralStack: one custom resource only.
    passwordPolicy: config.security.memberAccountPasswordPolicy && !isCentral ? config.security.passwordPolicy : undefined,
    isCentral,
    origin: account.origin,
  };
  return { plan, issues };
}
