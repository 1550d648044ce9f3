import type { ConfigIssue } from './errors.js';
import { hintFor } from './suggest.js';
import { issueAt, type SourceFile } from './source.js';
import type { AccountConfig, ServiceRoleConfig } from './types.js';
import { isMapLike, str, strings } from './loose.js';

export const ACCOUNTS_DIR = 'accounts';
/** The file name of an account becomes part of its stack name `Account-<prefix>`. */
const PREFIX_PATTERN = /^[a-z0-9][a-z0-9-]{0,49}$/;

export type DraftAccount = Omit<AccountConfig, 'region' | 'guardrails'> & { region?: string; rawGuardrails: unknown };

export function readAccounts(sources: Map<string, SourceFile>, roleNames: Set<string>, issues: ConfigIssue[]): DraftAccount[] {
  const accounts: DraftAccount[] = [];
  const byId = new Map<string, DraftAccount>();
  const byAlias = new Map<string, DraftAccount>();
  for (const source of sources.values()) {
    if (!source.file.startsWith(`${ACCOUNTS_DIR}/`)) continue;
    const prefix = source.file.slice(ACCOUNTS_DIR.length + 1).replace(/\.ya?ml$/, '');
    if (!PREFIX_PATTERN.test(prefix)) {
      issues.push({
        file: source.file, line: 1, col: 1, severity: 'error',
        message: `account file name '${prefix}' is not a valid CLI prefix`,
        hint: 'use 1-50 lower-case letters, digits and hyphens, e.g. accounts/prod-eu.yaml',
      });
    }
    const data = source.data;
    if (!isMapLike(data)) continue;
    const toggles = isMapLike(data.roles) ? data.roles : {};
    for (const role of Object.keys(toggles)) {
      if (!roleNames.has(role)) {
        issues.push(issueAt(source, ['roles', role], `unknown role '${role}'`, { target: 'key', hint: hintFor(role, roleNames, 'role') }));
      }
    }
    const serviceRoles = readServiceRoles(source, data.serviceRoles, roleNames, issues);
    const id = str(data.id);
    const alias = str(data.alias);
    const type = str(data.type);
    if (!id || !alias || !type) continue;
    const account: DraftAccount = {
      prefix, id, alias, type,
      region: str(data.region),
      maxSessionDuration: typeof data.maxSessionDuration === 'number' ? data.maxSessionDuration : undefined,
      roleToggles: Object.fromEntries(Object.entries(toggles).filter(([, v]) => typeof v === 'boolean')) as Record<string, boolean>,
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

function readServiceRoles(source: SourceFile, raw: unknown, catalogRoles: Set<string>, issues: ConfigIssue[]): ServiceRoleConfig[] {
  if (!isMapLike(raw)) return [];
  const roles: ServiceRoleConfig[] = [];
  for (const [name, body] of Object.entries(raw)) {
    if (catalogRoles.has(name)) {
      issues.push(issueAt(source, ['serviceRoles', name], `service role '${name}' has the name of a catalog role`, {
        target: 'key', hint: `rename it, e.g. '${name}Service'`,
      }));
    }
    if (!isMapLike(body) || !str(body.service)) continue;
    roles.push({
      name,
      service: str(body.service)!,
      description: str(body.description),
      awsManagedPolicies: strings(body.awsManagedPolicies).sort(),
      instanceProfile: body.instanceProfile === true,
      maxSessionDuration: typeof body.maxSessionDuration === 'number' ? body.maxSessionDuration : undefined,
    });
  }
  return roles.sort((a, b) => (a.name < b.name ? -1 : 1));
}
