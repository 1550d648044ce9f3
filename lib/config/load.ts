import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { roleCatalog, type RoleDefinition } from '../roles/index.js';
import { sortIssues, type ConfigIssue } from './errors.js';
import { IAM_LIMITS } from './limits.js';
import { schemaIssues } from './schema.js';
import { today } from './dates.js';
import { isMapLike, str, strings } from './loose.js';
import { ACCOUNTS_DIR, readAccounts, type DraftAccount } from './read-accounts.js';
import { readPipeline } from './read-pipeline.js';
import { readGroups, readUsers } from './read-users.js';
import { readSecurity, resolveGuardrails } from './security.js';
import { issueAt, parseSource, type SourceFile } from './source.js';
import type { AccountConfig, GroupConfig, Partition, RosterConfig } from './types.js';

export const USERS_FILE = 'users.yaml';
export { ACCOUNTS_DIR };

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
  const todayDate = options.today ?? today();
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
  const declaredTypes = [...sources.values()].filter((s) => s.file !== USERS_FILE).map((s) => (isMapLike(s.data) ? str(s.data.type) : undefined));
  const accountTypes = [...new Set(declaredTypes.filter((t): t is string => t !== undefined))].sort();
  const usersSource = sources.get(USERS_FILE);
  const central = usersSource ? readCentral(usersSource) : undefined;
  const groups = usersSource ? readGroups(usersSource, roleNames, accountTypes, issues) : [];
  const users = usersSource ? readUsers(usersSource, groups, todayDate, issues) : [];
  if (usersSource) checkGrantsReachAnAccount(usersSource, groups, accounts, catalog, issues);
  const usersData = isMapLike(usersSource?.data) ? usersSource.data : {};
  const pipeline = usersSource ? readPipeline(usersSource, accountTypes, issues) : undefined;
  const security = readSecurity(usersData.security, usersData.revokeSessions);
  if (usersSource) warnStaleRevocations(usersSource, security.revokedSessions, todayDate, issues);

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
