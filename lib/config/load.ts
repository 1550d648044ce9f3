import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { roleCatalog, type RoleDefinition } from '../roles/index.js';
import { sortIssues, type ConfigIssue } from './errors.js';
import { IAM_LIMITS } from './limits.js';
import { schemaIssues } from './schema.js';
import { isRealDate, today } from './dates.js';
import { readSecurity, resolveGuardrails } from './security.js';
import { issueAt, parseSource, type PathSegment, type SourceFile } from './source.js';
import { hintFor } from './suggest.js';
import type { AccountConfig, GroupConfig, Partition, PipelineConfig, RosterConfig, ServiceRoleConfig, UserConfig } from './types.js';

export const USERS_FILE = 'users.yaml';
export const ACCOUNTS_DIR = 'accounts';
/** The file name of an account becomes part of its stack name `Account-<prefix>`. */
const PREFIX_PATTERN = /^[a-z0-9][a-z0-9-]{0,49}$/;

export interface LoadResult {
  /** Present only when there are no errors (warnings allowed). */
  config?: RosterConfig;
  /** Errors and warnings, sorted by file and position. */
  issues: ConfigIssue[];
}

export interface LoadOptions {
  catalog?: readonly RoleDefinition[];
  /** YYYY-MM-DD used to warn about expired entries (default: today, UTC, or $ROSTER_TODAY). */
  today?: string;
}

/** Read `users.yaml` and `accounts/*.yaml` under `dir`, validate everything, and report all problems at once. */
export function loadConfig(dir: string, options: LoadOptions = {}): LoadResult {
  const files = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  const missing = (file: string, message: string, hint: string) =>
    issues.push({ file, line: 1, col: 1, severity: 'error', message, hint });

  const usersPath = join(dir, USERS_FILE);
  if (existsSync(usersPath)) files.set(USERS_FILE, readFileSync(usersPath, 'utf8'));
  else missing(USERS_FILE, `${USERS_FILE} not found in ${dir}`, 'create it with central, groups and users (see README)');

  const accountsPath = join(dir, ACCOUNTS_DIR);
  const accountFiles =
    existsSync(accountsPath) && statSync(accountsPath).isDirectory()
      ? readdirSync(accountsPath).filter((f) => /\.ya?ml$/.test(f)).sort()
      : [];
  if (accountFiles.length === 0) {
    missing(`${ACCOUNTS_DIR}/`, 'no account files found', `add one file per member account, e.g. ${ACCOUNTS_DIR}/prod.yaml`);
  }
  for (const f of accountFiles) files.set(`${ACCOUNTS_DIR}/${f}`, readFileSync(join(accountsPath, f), 'utf8'));
  return validateFiles(files, options);
}

/** Validate in-memory file contents (path relative to the config dir -> text). Used by `loadConfig` and by tests. */
export function validateFiles(files: ReadonlyMap<string, string>, options: LoadOptions = {}): LoadResult {
  const catalog = options.catalog ?? roleCatalog;
  const issues: ConfigIssue[] = [];
  const sources = new Map<string, SourceFile>();
  for (const [file, text] of files) {
    const parsed = parseSource(file, text);
    issues.push(...parsed.issues);
    sources.set(file, parsed.source);
    if (parsed.issues.length === 0) {
      issues.push(...schemaIssues(parsed.source, file === USERS_FILE ? 'users' : 'account'));
    }
  }
  if (!files.has(USERS_FILE) && !issues.some((i) => i.file === USERS_FILE)) {
    issues.push({ file: USERS_FILE, line: 1, col: 1, severity: 'error', message: `${USERS_FILE} is missing` });
  }

  const roleNames = new Set(catalog.map((r) => r.name));
  const accounts = readAccounts(sources, roleNames, issues);
  // Types come from every account file that names one, even a file with other errors, so one
  // bad account id does not cascade into "type has no accounts" errors elsewhere.
  const accountTypes = [...new Set([...sources.values()].filter((s) => s.file !== USERS_FILE).map((s) => (isMapLike(s.data) ? str(s.data.type) : undefined)).filter((t): t is string => t !== undefined))].sort();
  const usersSource = sources.get(USERS_FILE);
  const central = usersSource ? readCentral(usersSource) : undefined;
  const groups = usersSource ? readGroups(usersSource, roleNames, accountTypes, issues) : [];
  const users = usersSource ? readUsers(usersSource, groups, options.today ?? today(), issues) : [];
  if (usersSource) checkGrantsReachAnAccount(usersSource, groups, accounts, catalog, issues);
  const usersData = isMapLike(usersSource?.data) ? usersSource.data : {};
  const pipeline = usersSource ? readPipeline(usersSource, accountTypes, issues) : undefined;
  const security = readSecurity(usersData.security, usersData.revokeSessions);
  if (usersSource) warnStaleRevocations(usersSource, security.revokedSessions, options.today ?? today(), issues);

  const sorted = sortIssues(issues);
  if (!central || sorted.some((i) => i.severity === 'error')) return { issues: sorted };
  for (const a of accounts) a.region ??= central.region;
  // Default allowed regions: every region the config uses, so nothing is written twice.
  const regions = [...new Set([central.region, ...accounts.map((a) => a.region!)])];
  const globalGuardrails = isMapLike(usersData.security) ? usersData.security.guardrails : undefined;
  const resolved = accounts.map((a) => ({ ...a, guardrails: resolveGuardrails(globalGuardrails, a.rawGuardrails, regions) }));
  return {
    config: { central, security, pipeline, groups, users, accounts: resolved.map(({ rawGuardrails: _, ...a }) => a as AccountConfig), accountTypes, sources },
    issues: sorted,
  };
}

// --- helpers that read possibly-invalid data defensively: schema errors are already reported ---

type Loose = Record<string, unknown>;
const isMapLike = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function readCentral(source: SourceFile): RosterConfig['central'] | undefined {
  const data = isMapLike(source.data) && isMapLike(source.data.central) ? source.data.central : undefined;
  const account = str(data?.account);
  const region = str(data?.region);
  if (!data || !account || !region) return undefined;
  return {
    account,
    region,
    partition: (str(data.partition) as Partition | undefined) ?? partitionOf(region),
    trustPolicyLimit: typeof data.trustPolicyLimit === 'number' ? data.trustPolicyLimit : IAM_LIMITS.trustPolicyChars,
    origin: { file: source.file, path: ['central'] },
  };
}

type DraftAccount = Omit<AccountConfig, 'region' | 'guardrails'> & { region?: string; rawGuardrails: unknown };

function readAccounts(sources: Map<string, SourceFile>, roleNames: Set<string>, issues: ConfigIssue[]): DraftAccount[] {
  const accounts: DraftAccount[] = [];
  const byId = new Map<string, DraftAccount>();
  const byAlias = new Map<string, DraftAccount>();
  for (const source of sources.values()) {
    if (source.file === USERS_FILE) continue;
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

/** IAM names are case-insensitive: `Alice` after `alice` is the same user to IAM. */
function reportCaseClashes(source: SourceFile, section: 'groups' | 'users', noun: string, hint: string, issues: ConfigIssue[]): void {
  const data = isMapLike(source.data) && isMapLike(source.data[section]) ? source.data[section] : {};
  const seen = new Map<string, string>();
  for (const name of Object.keys(data)) {
    const clash = seen.get(name.toLowerCase());
    if (clash) issues.push(issueAt(source, [section, name], `${noun} '${name}' differs from '${clash}' only in case`, { target: 'key', hint }));
    else seen.set(name.toLowerCase(), name);
  }
}

function readGroups(source: SourceFile, roleNames: Set<string>, accountTypes: string[], issues: ConfigIssue[]): GroupConfig[] {
  const data = isMapLike(source.data) && isMapLike(source.data.groups) ? source.data.groups : {};
  const groups: GroupConfig[] = [];
  const typeSet = new Set(accountTypes);
  reportCaseClashes(source, 'groups', 'group', 'IAM group names are case-insensitive; merge or rename one', issues);
  for (const [name, body] of Object.entries(data)) {
    const roles = isMapLike(body) && isMapLike(body.roles) ? body.roles : {};
    const grants = [];
    for (const [role, types] of Object.entries(roles)) {
      if (!roleNames.has(role)) {
        issues.push(issueAt(source, ['groups', name, 'roles', role], `group '${name}' grants unknown role '${role}'`, {
          target: 'key', hint: hintFor(role, roleNames, 'role'),
        }));
      }
      const list = strings(types);
      list.forEach((type, i) => {
        if (!typeSet.has(type)) {
          issues.push(issueAt(source, ['groups', name, 'roles', role, i], `account type '${type}' has no accounts`, {
            hint: `${hintFor(type, typeSet, 'account type')} (types come from the 'type' of each accounts/*.yaml file)`,
          }));
        }
      });
      grants.push({ role, accountTypes: [...list].sort() });
    }
    grants.sort((a, b) => (a.role < b.role ? -1 : 1));
    groups.push({
      name,
      description: isMapLike(body) ? str(body.description) : undefined,
      grants,
      origin: { file: source.file, path: ['groups', name] },
    });
  }
  if (groups.length > IAM_LIMITS.groupsPerAccount) {
    issues.push(issueAt(source, ['groups'], `${groups.length} groups exceed the IAM quota of ${IAM_LIMITS.groupsPerAccount} groups per account`, {
      target: 'key', hint: 'merge groups that grant the same roles',
    }));
  }
  return groups.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function readUsers(source: SourceFile, groups: GroupConfig[], todayDate: string, issues: ConfigIssue[]): UserConfig[] {
  const data = isMapLike(source.data) && isMapLike(source.data.users) ? source.data.users : {};
  const groupNames = new Set(groups.map((g) => g.name));
  const users: UserConfig[] = [];
  const checkDate = (path: PathSegment[], date: string, what: string) => {
    if (!isRealDate(date)) issues.push(issueAt(source, path, `${date} is not a real date`, { hint: 'use YYYY-MM-DD, e.g. 2026-12-31' }));
    else if (date < todayDate) {
      issues.push(issueAt(source, path, `${what} expired on ${date}`, { severity: 'warning', hint: 'access is already denied; remove the entry' }));
    }
  };
  reportCaseClashes(source, 'users', 'user', 'IAM user names are case-insensitive; remove the duplicate', issues);
  for (const [name, body] of Object.entries(data)) {
    const listPath = Array.isArray(body) ? ['users', name] : ['users', name, 'groups'];
    const list = Array.isArray(body) ? body : isMapLike(body) && Array.isArray(body.groups) ? body.groups : [];
    const memberOf: string[] = [];
    const membershipExpiry: Record<string, string> = {};
    list.forEach((item: unknown, i: number) => {
      const group = typeof item === 'string' ? item : isMapLike(item) ? str(item.group) : undefined;
      if (group === undefined) return; // schema error already reported
      const itemPath = typeof item === 'string' ? [...listPath, i] : [...listPath, i, 'group'];
      if (memberOf.includes(group)) {
        issues.push(issueAt(source, itemPath, `user '${name}' lists group '${group}' twice`, { hint: 'remove the repeat' }));
      } else if (!groupNames.has(group)) {
        issues.push(issueAt(source, itemPath, `user '${name}' is in unknown group '${group}'`, { hint: hintFor(group, groupNames, 'group') }));
      }
      memberOf.push(group);
      const expires = isMapLike(item) ? str(item.expires) : undefined;
      if (expires) {
        membershipExpiry[group] = expires;
        checkDate([...listPath, i, 'expires'], expires, `membership of '${name}' in '${group}'`);
      }
    });
    if (memberOf.length > IAM_LIMITS.groupsPerUser) {
      issues.push(issueAt(source, listPath, `user '${name}' is in ${memberOf.length} groups; IAM allows ${IAM_LIMITS.groupsPerUser}`, {
        hint: 'create a group that combines the roles of several of these groups',
      }));
    }
    const details = isMapLike(body) ? body : {};
    const expires = str(details.expires);
    if (expires) checkDate(['users', name, 'expires'], expires, `user '${name}'`);
    users.push({
      name,
      groups: [...new Set(memberOf)].sort(),
      membershipExpiry,
      expires,
      console: details.console === true,
      email: str(details.email),
      description: str(details.description),
      origin: { file: source.file, path: ['users', name] },
    });
  }
  if (users.length > IAM_LIMITS.usersPerAccount) {
    issues.push(issueAt(source, ['users'], `${users.length} users exceed the IAM quota of ${IAM_LIMITS.usersPerAccount} users per account`, {
      target: 'key', hint: 'move people to IAM Identity Center, or split the organisation into two central accounts',
    }));
  }
  return users.sort((a, b) => (a.name < b.name ? -1 : 1));
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

/** `pipeline:`: every account type must have its place in waveOrder, and approvals name real types. */
function readPipeline(source: SourceFile, accountTypes: string[], issues: ConfigIssue[]): PipelineConfig | undefined {
  const raw = isMapLike(source.data) && isMapLike(source.data.pipeline) ? source.data.pipeline : undefined;
  if (!raw) return undefined;
  const waveOrder = strings(raw.waveOrder);
  const manualApproval = strings(raw.manualApproval);
  const types = new Set(accountTypes);
  const check = (list: string[], key: string) => list.forEach((type, i) => {
    if (!types.has(type)) issues.push(issueAt(source, ['pipeline', key, i], `account type '${type}' has no accounts`, { hint: hintFor(type, types, 'account type') }));
  });
  check(waveOrder, 'waveOrder');
  check(manualApproval, 'manualApproval');
  const missing = accountTypes.filter((t) => !waveOrder.includes(t));
  if (Array.isArray(raw.waveOrder) && missing.length > 0) {
    issues.push(issueAt(source, ['pipeline', 'waveOrder'], `pipeline.waveOrder leaves out account type(s) ${missing.map((t) => `'${t}'`).join(', ')}`, {
      hint: 'list every account type once, in the order to deploy them',
    }));
  }
  const [account, region, connectionArn, repository] = [raw.account, raw.region, raw.connectionArn, raw.repository].map(str);
  if (!account || !region || !connectionArn || !repository) return undefined;
  return { account, region, connectionArn, repository, branch: str(raw.branch) ?? 'main', waveOrder, manualApproval, origin: { file: source.file, path: ['pipeline'] } };
}

/** Role sessions last at most 12 hours: a revocation older than that has done its work. */
function warnStaleRevocations(source: SourceFile, revoked: Readonly<Record<string, string>>, todayDate: string, issues: ConfigIssue[]): void {
  const twelveHours = 12 * 3600 * 1000;
  for (const [user, time] of Object.entries(revoked)) {
    if (Date.parse(time) + twelveHours < Date.parse(`${todayDate}T00:00:00Z`)) {
      issues.push(issueAt(source, ['revokeSessions', user], `the revocation of ${user}'s sessions (${time}) is over 12 hours old`, {
        target: 'key', severity: 'warning', hint: 'every session it revoked has expired; remove the entry',
      }));
    }
  }
}

/** A grant whose role is turned off in every account of the type would produce an empty policy. */
function checkGrantsReachAnAccount(
  source: SourceFile, groups: GroupConfig[], accounts: DraftAccount[], catalog: readonly RoleDefinition[], issues: ConfigIssue[],
): void {
  const defaults = new Map(catalog.map((r) => [r.name, r.enabled]));
  for (const group of groups) {
    for (const grant of group.grants) {
      if (!defaults.has(grant.role)) continue;
      grant.accountTypes.forEach((type) => {
        const ofType = accounts.filter((a) => a.type === type);
        if (ofType.length === 0) return; // already reported
        if (ofType.some((a) => roleEnabled(a, grant.role, defaults.get(grant.role)!))) return;
        const index = strings(lookup(source.data, ['groups', group.name, 'roles', grant.role])).indexOf(type);
        issues.push(issueAt(source, ['groups', group.name, 'roles', grant.role, index], `group '${group.name}' grants ${grant.role} in '${type}' accounts, but no '${type}' account has that role`, {
          severity: 'warning',
          hint: `enable it with 'roles: {${grant.role}: true}' in an account file, or remove the grant`,
        }));
      });
    }
  }
}

/** Whether a catalog role exists in an account: the account's toggle wins over the catalog default. */
export function roleEnabled(account: Pick<AccountConfig, 'roleToggles'>, role: string, catalogDefault: boolean): boolean {
  return account.roleToggles[role] ?? catalogDefault;
}

function lookup(data: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (isMapLike(node) ? node[key] : undefined), data);
}
