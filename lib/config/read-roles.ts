import { isKnownManagedPolicy, MANAGED_POLICY_NAMES } from './aws-data.js';
import type { ConfigIssue } from './errors.js';
import { readCustomerManagedPolicies } from './customer-managed.js';
import { POLICIES_DIR, ROLES_DIR } from './files.js';
import { isMapLike, str, strings } from './loose.js';
import { checkStatements } from './policy-check.js';
import { checkPolicyReferences } from './read-policies.js';
import { issueAt, type PathSegment, type SourceFile } from './source.js';
import { hintFor } from './suggest.js';
import type { CentralConfig, RoleConfig, TrustExtra } from './types.js';

/** `roles/PowerUser.yaml` -> `PowerUser`. */
export function roleFileName(file: string): string {
  return file.slice(ROLES_DIR.length + 1).replace(/\.ya?ml$/, '');
}

/**
 * Warn about (or, in the commercial partition, reject) an AWS managed policy name that does not
 * exist: a typo there would otherwise fail the deployment in CloudFormation.
 */
export function checkManagedPolicies(source: SourceFile, path: PathSegment[], names: unknown, partition: string | undefined, issues: ConfigIssue[]): void {
  strings(names).forEach((name, i) => {
    if (isKnownManagedPolicy(name)) return;
    const hint = hintFor(name, MANAGED_POLICY_NAMES, 'AWS managed policy');
    if (partition === undefined || partition === 'aws') {
      issues.push(issueAt(source, [...path, i], `AWS has no managed policy '${name}'`, { hint: hint.startsWith('did you mean') ? `${hint} (names include their path, e.g. job-function/ViewOnlyAccess)` : 'names include their path, e.g. job-function/ViewOnlyAccess or service-role/AWSGlueServiceRole' }));
    } else {
      issues.push(issueAt(source, [...path, i], `'${name}' is not an AWS managed policy of the commercial partition`, { severity: 'warning', hint: `check that it exists in ${partition}; ${hint}` }));
    }
  });
}

function readTrustExtras(source: SourceFile, raw: unknown, central: CentralConfig | undefined, issues: ConfigIssue[]): TrustExtra[] {
  const trust = isMapLike(raw) ? raw : {};
  const extras: TrustExtra[] = [];
  const partition = central?.partition ?? 'aws';
  (Array.isArray(trust.accounts) ? trust.accounts : []).forEach((entry: unknown, i: number) => {
    if (!isMapLike(entry) || !str(entry.id)) return;
    const path = ['trust', 'accounts', i];
    const id = str(entry.id)!;
    if (id === central?.account) {
      issues.push(issueAt(source, [...path, 'id'], `the central account ${id} is trusted already (its users, with MFA and their own session name)`, { hint: 'remove this entry; trusting the whole central account again would bypass the session-name and MFA checks' }));
      return;
    }
    if (entry.mfa !== true && str(entry.externalId) === undefined) {
      issues.push(issueAt(source, path, `trusting account ${id} needs a condition`, { hint: 'add mfa: true for people of that account, or externalId: <id> for a third party\'s service' }));
    }
    extras.push({ principal: `arn:${partition}:iam::${id}:root`, mfa: entry.mfa === true, externalId: str(entry.externalId), origin: { file: source.file, path } });
  });
  (Array.isArray(trust.principals) ? trust.principals : []).forEach((entry: unknown, i: number) => {
    if (!isMapLike(entry) || !str(entry.arn)) return;
    const path = ['trust', 'principals', i];
    const arn = str(entry.arn)!;
    if (central && arn.split(':')[4] === central.account) {
      issues.push(issueAt(source, [...path, 'arn'], `${arn} is in the central account, whose users are trusted already`, { hint: 'grant people roles through groups in users.yaml; a central role or user trusted here would bypass them' }));
      return;
    }
    if (!arn.startsWith(`arn:${partition}:`)) {
      issues.push(issueAt(source, [...path, 'arn'], `${arn} is not in the central account's partition (${partition})`, { hint: `use arn:${partition}:iam::...` }));
    }
    extras.push({ principal: arn, mfa: entry.mfa === true, externalId: str(entry.externalId), origin: { file: source.file, path } });
  });
  return extras;
}

/**
 * `people: false`: the role is for the principals under `trust` only. Without any, nobody could
 * assume it; session tags come from central users' tags, which never reach it.
 */
function checkNobodySignsIn(source: SourceFile, trust: Record<string, unknown>, extras: readonly TrustExtra[], issues: ConfigIssue[]): void {
  const written = (Array.isArray(trust.accounts) ? trust.accounts.length : 0) + (Array.isArray(trust.principals) ? trust.principals.length : 0);
  if (extras.length === 0 && written === 0) {
    issues.push(issueAt(source, ['people'], 'with people: false the role trusts nobody', {
      hint: 'add trust: {principals: [{arn: arn:aws:iam::<account>:role/<CI role>}]} (or trust.accounts), or remove people: false',
    }));
  }
  if (isMapLike(trust.sessionTags) && Object.keys(trust.sessionTags).length > 0) {
    issues.push(issueAt(source, ['trust', 'sessionTags'], 'session tags come from central users\' tags, and people: false roles are assumed by no central user', {
      target: 'key', hint: 'remove trust.sessionTags, or remove people: false',
    }));
  }
}

/** The catalog: one role per file in roles/, named like its file. */
export function readRoles(
  sources: ReadonlyMap<string, SourceFile>, policyNames: ReadonlySet<string>, central: CentralConfig | undefined, issues: ConfigIssue[],
): RoleConfig[] {
  const roles: RoleConfig[] = [];
  const folded = new Map<string, RoleConfig>();
  for (const source of sources.values()) {
    if (!source.file.startsWith(`${ROLES_DIR}/`) || !isMapLike(source.data)) continue;
    const data = source.data;
    const stem = roleFileName(source.file);
    const name = str(data.name);
    if (name === undefined) continue; // reported by the schema
    if (name !== stem) {
      issues.push(issueAt(source, ['name'], `role '${name}' is in ${source.file}`, { hint: `a role file is named after its role: rename the file to ${ROLES_DIR}/${name}.yaml, or set name: ${stem}` }));
    }
    const statements = checkStatements(source, ['statements'], Array.isArray(data.statements) ? data.statements : [], issues);
    const policies = checkPolicyReferences(source, ['policies'], data.policies, policyNames, issues, (p) => `${hintFor(p, policyNames, 'policy file')} (files in ${POLICIES_DIR}/, named without .json/.yaml)`);
    checkManagedPolicies(source, ['awsManagedPolicies'], data.awsManagedPolicies, central?.partition, issues);
    const justification = isMapLike(data.justification) ? data.justification : {};
    const trust = isMapLike(data.trust) ? data.trust : {};
    const trustExtras = readTrustExtras(source, data.trust, central, issues);
    const people = data.people !== false;
    if (!people) checkNobodySignsIn(source, trust, trustExtras, issues);
    const role: RoleConfig = {
      name,
      description: str(data.description) ?? '',
      enabled: data.enabled === true,
      maxSessionDuration: typeof data.maxSessionDuration === 'number' ? data.maxSessionDuration : undefined,
      awsManagedPolicies: strings(data.awsManagedPolicies),
      customerManagedPolicies: readCustomerManagedPolicies(source, ['customerManagedPolicies'], data.customerManagedPolicies, issues),
      people,
      statements,
      policies,
      passServiceRoles: data.passServiceRoles === true,
      justification: { awsManagedPolicies: str(justification.awsManagedPolicies), wildcards: str(justification.wildcards) },
      trustExtras,
      sessionTags: Object.fromEntries(Object.entries(isMapLike(trust.sessionTags) ? trust.sessionTags : {}).filter((e): e is [string, string] => typeof e[1] === 'string')),
      origin: { file: source.file, path: [] },
    };
    // A justification missing for what cdk-nag finds (AWS managed policies, wildcards) is refused
    // while planning, from the role as planned (lib/plan/nag-rules.ts): the same rule as npm test.
    const clash = folded.get(name.toLowerCase());
    if (clash) {
      for (const [r, other] of [[role, clash], [clash, role]] as const) {
        const s = sources.get(r.origin.file)!;
        issues.push(issueAt(s, ['name'], `role '${r.name}' and role '${other.name}' (${other.origin.file}) differ only in case`, { hint: 'IAM role names are case-insensitive: rename or remove one' }));
      }
      continue;
    }
    folded.set(name.toLowerCase(), role);
    roles.push(role);
  }
  return roles.sort((a, b) => (a.name < b.name ? -1 : 1));
}
