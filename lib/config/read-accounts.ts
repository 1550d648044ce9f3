import type { ConfigIssue } from './errors.js';
import { ACCOUNTS_DIR, POLICIES_DIR } from './files.js';
import { readCustomerManagedPolicies } from './customer-managed.js';
import { checkPolicyReferences } from './read-policies.js';
import { checkManagedPolicies } from './read-roles.js';
import { checkRegion } from './regions.js';
import { hintFor } from './suggest.js';
import { issueAt, type SourceFile } from './source.js';
import type { AccountConfig, AccountRoleSetting, CentralConfig, ServiceRoleConfig } from './types.js';
import { isMapLike, str, strings } from './loose.js';

/** The file name of an account becomes part of its stack name `Account-<prefix>`. */
const PREFIX_PATTERN = /^[a-z0-9][a-z0-9-]{0,49}$/;

export type DraftAccount = Omit<AccountConfig, 'region' | 'guardrails' | 'boundary'> & { region?: string; rawGuardrails: unknown };

/** `accounts/prod-us.yaml` -> `prod-us`. */
export function accountPrefix(file: string): string {
  return file.slice(ACCOUNTS_DIR.length + 1).replace(/\.ya?ml$/, '');
}

function readRoleSettings(source: SourceFile, raw: unknown, roleNames: ReadonlySet<string> | undefined, policyNames: ReadonlySet<string>, issues: ConfigIssue[]): Record<string, AccountRoleSetting> {
  const settings: Record<string, AccountRoleSetting> = {};
  for (const [role, value] of Object.entries(isMapLike(raw) ? raw : {})) {
    if (roleNames && !roleNames.has(role)) {
      issues.push(issueAt(source, ['roles', role], `unknown role '${role}'`, { target: 'key', hint: `${hintFor(role, roleNames, 'role')} (roles are the files in roles/)` }));
      continue;
    }
    if (typeof value === 'boolean') settings[role] = { enabled: value, extraPolicies: [], customerManagedPolicies: [] };
    else if (isMapLike(value)) {
      const extraPolicies = checkPolicyReferences(source, ['roles', role, 'extraPolicies'], value.extraPolicies, policyNames, issues,
        (p) => `${hintFor(p, policyNames, 'policy file')} (files in ${POLICIES_DIR}/, named without .json/.yaml)`);
      const customerManagedPolicies = readCustomerManagedPolicies(source, ['roles', role, 'customerManagedPolicies'], value.customerManagedPolicies, issues);
      settings[role] = { enabled: typeof value.enabled === 'boolean' ? value.enabled : undefined, extraPolicies: [...extraPolicies].sort(), customerManagedPolicies: [...customerManagedPolicies].sort() };
    }
  }
  return settings;
}

export function readAccounts(
  sources: Map<string, SourceFile>, roleNames: ReadonlySet<string> | undefined, policyNames: ReadonlySet<string>, central: CentralConfig | undefined, issues: ConfigIssue[],
): DraftAccount[] {
  const accounts: DraftAccount[] = [];
  const byId = new Map<string, DraftAccount>();
  const byAlias = new Map<string, DraftAccount>();
  const byPrefix = new Map<string, string>();
  const foldedRoles = new Map([...(roleNames ?? [])].map((r) => [r.toLowerCase(), r]));
  for (const source of sources.values()) {
    if (!source.file.startsWith(`${ACCOUNTS_DIR}/`)) continue;
    const prefix = accountPrefix(source.file);
    if (!PREFIX_PATTERN.test(prefix)) {
      issues.push({
        file: source.file, line: 1, col: 1, severity: 'error',
        message: `account file name '${prefix}' is not a valid CLI prefix`,
        hint: `use 1-50 lower-case letters, digits and hyphens, e.g. ${ACCOUNTS_DIR}/${prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '') || 'prod-eu'}.yaml`,
      });
    }
    const samePrefix = byPrefix.get(prefix);
    if (samePrefix) {
      for (const file of [samePrefix, source.file]) {
        issues.push({ file, line: 1, col: 1, severity: 'error', message: `${samePrefix} and ${source.file} both make stack Account-${prefix}`, hint: 'keep one file per account: remove or rename one' });
      }
      continue;
    }
    byPrefix.set(prefix, source.file);
    const data = source.data;
    if (!isMapLike(data)) continue;
    const roleSettings = readRoleSettings(source, data.roles, roleNames, policyNames, issues);
    const serviceRoles = readServiceRoles(source, data.serviceRoles, foldedRoles, policyNames, central, issues);
    const region = str(data.region);
    if (region !== undefined) checkRegion(source, ['region'], region, central, issues);
    const id = str(data.id);
    const alias = str(data.alias);
    const type = str(data.type);
    if (!id || !alias || !type) continue;
    const account: DraftAccount = {
      prefix, id, alias, type,
      region,
      maxSessionDuration: typeof data.maxSessionDuration === 'number' ? data.maxSessionDuration : undefined,
      roleSettings,
      rawGuardrails: data.guardrails,
      serviceRoles,
      origin: { file: source.file, path: [] },
    };
    const sameId = byId.get(id);
    if (sameId) {
      issues.push(issueAt(source, ['id'], `account id ${id} is already used by ${sameId.origin.file}`, {
        hint: 'each account file describes a different AWS account; remove one of the two',
      }));
    } else byId.set(id, account);
    const sameAlias = byAlias.get(alias);
    if (sameAlias) {
      issues.push(issueAt(source, ['alias'], `alias '${alias}' is already used by ${sameAlias.origin.file}`, {
        hint: 'account aliases are globally unique in AWS; pick another',
      }));
    } else byAlias.set(alias, account);
    accounts.push(account);
  }
  return accounts.sort((a, b) => (a.prefix < b.prefix ? -1 : 1));
}

function readServiceRoles(
  source: SourceFile, raw: unknown, catalogRoles: ReadonlyMap<string, string>, policyNames: ReadonlySet<string>, central: CentralConfig | undefined, issues: ConfigIssue[],
): ServiceRoleConfig[] {
  if (!isMapLike(raw)) return [];
  const roles: ServiceRoleConfig[] = [];
  const seen = new Map<string, string>();
  for (const [name, body] of Object.entries(raw)) {
    const catalog = catalogRoles.get(name.toLowerCase());
    if (catalog !== undefined) {
      issues.push(issueAt(source, ['serviceRoles', name], `service role '${name}' has the name of the catalog role '${catalog}'${catalog === name ? '' : ' (IAM role names ignore case)'}`, {
        target: 'key', hint: `rename it, e.g. '${name}Service'`,
      }));
    }
    const clash = seen.get(name.toLowerCase());
    if (clash) {
      issues.push(issueAt(source, ['serviceRoles', name], `service roles '${clash}' and '${name}' differ only in case`, { target: 'key', hint: 'IAM role names are case-insensitive: rename one' }));
    }
    seen.set(name.toLowerCase(), name);
    if (!isMapLike(body) || !str(body.service)) continue;
    checkManagedPolicies(source, ['serviceRoles', name, 'awsManagedPolicies'], body.awsManagedPolicies, central?.partition, issues);
    const policies = checkPolicyReferences(source, ['serviceRoles', name, 'policies'], body.policies, policyNames, issues,
      (p) => `${hintFor(p, policyNames, 'policy file')} (files in ${POLICIES_DIR}/)`);
    roles.push({
      name,
      service: str(body.service)!,
      description: str(body.description),
      awsManagedPolicies: strings(body.awsManagedPolicies).sort(),
      policies: [...policies].sort(),
      instanceProfile: body.instanceProfile === true,
      maxSessionDuration: typeof body.maxSessionDuration === 'number' ? body.maxSessionDuration : undefined,
    });
  }
  return roles.sort((a, b) => (a.name < b.name ? -1 : 1));
}
