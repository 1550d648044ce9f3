import { currentInstant } from './dates.js';
import { sortIssues, type ConfigIssue } from './errors.js';
import { ACCOUNTS_DIR, POLICIES_DIR, readConfigTree, ROLES_DIR, USERS_FILE } from './files.js';
import { IAM_LIMITS } from './limits.js';
import { isMapLike, str, strings } from './loose.js';
import { typeKey } from './names.js';
import { accountPrefix, readAccounts, type DraftAccount } from './read-accounts.js';
import { readOrganization } from './read-organization.js';
import { readPipeline } from './read-pipeline.js';
import { policyFileName, readPolicyFiles } from './read-policies.js';
import { readRoles, roleFileName } from './read-roles.js';
import { readGroups, readUsers, type GrantContext } from './read-users.js';
import { checkRegion } from './regions.js';
import type { SchemaKind } from './schema.js';
import { checkDenyStatements } from './deny-statements.js';
import { KEY_REFERENCE, readSecurity, resolveBoundary, resolveGuardrails } from './security.js';
import { hintFor } from './suggest.js';
import { issueAt, type SourceFile } from './source.js';
import { parseChecked, rememberParsed, type ParsedFile } from './parse-cache.js';
import type { AccountConfig, CentralConfig, GroupConfig, Partition, RoleConfig, RosterConfig, UserConfig } from './types.js';
import { grantsOf, roleEnabled } from './types.js';

export { ACCOUNTS_DIR, POLICIES_DIR, ROLES_DIR, USERS_FILE };

export interface LoadResult {
  /** Present only when there are no errors (warnings allowed). */
  config?: RosterConfig;
  /** Errors and warnings, sorted by file and position. */
  issues: ConfigIssue[];
}

export interface LoadOptions {
  /** UTC instant used to warn about expired entries (default: now, or $ROSTER_NOW / $ROSTER_TODAY). */
  now?: string;
  /** Directories known to be missing (reported once by the file reader). */
  missingDirs?: ReadonlySet<string>;
}

/** Read the config tree under `dir`, validate everything, and report all problems at once. */
export function loadConfig(dir: string, options: LoadOptions = {}): LoadResult {
  const tree = readConfigTree(dir);
  const result = validateFiles(tree.files, { ...options, missingDirs: tree.missingDirs });
  const issues = sortIssues([...tree.issues, ...result.issues]);
  return issues.some((i) => i.severity === 'error') ? { issues } : { config: result.config, issues };
}

export function schemaKindOf(file: string): SchemaKind | undefined {
  if (file === USERS_FILE) return 'users';
  if (file.startsWith(`${ACCOUNTS_DIR}/`)) return 'account';
  if (file.startsWith(`${ROLES_DIR}/`)) return 'role';
  if (file.startsWith(`${POLICIES_DIR}/`)) return 'policy';
  return undefined;
}

/**
 * Validate in-memory file contents (path relative to the config dir -> text). Used by `loadConfig`,
 * by `roster diff` for older revisions, and by tests. Every check runs even when others fail, so
 * every problem in every file is reported in one pass.
 */
export function validateFiles(files: ReadonlyMap<string, string>, options: LoadOptions = {}): LoadResult {
  const now = options.now ?? currentInstant();
  const issues: ConfigIssue[] = [];
  const sources = new Map<string, SourceFile>();
  const parsedNow = new Map<string, ParsedFile>();
  for (const [file, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const kind = schemaKindOf(file);
    if (!kind) continue;
    const parsed = parseChecked(file, text, kind);
    parsedNow.set(file, parsed);
    issues.push(...parsed.issues);
    sources.set(file, parsed.source);
  }
  rememberParsed(parsedNow);
  const missingDirs = options.missingDirs ?? new Set<string>();
  // Read from disk, a missing users.yaml is reported by the file reader; from memory, here.
  if (!files.has(USERS_FILE) && !options.missingDirs) {
    issues.push({ file: USERS_FILE, line: 1, col: 1, severity: 'error', message: `${USERS_FILE} is missing`, hint: 'create it with central, groups and users (see README)' });
  }
  const usersSource = sources.get(USERS_FILE);
  const usersData = isMapLike(usersSource?.data) ? usersSource.data : {};
  const central = usersSource ? readCentral(usersSource, issues) : undefined;

  const policies = readPolicyFiles(sources, issues);
  const policyNames = new Set([...policies.map((p) => p.name), ...[...files.keys()].filter((f) => f.startsWith(`${POLICIES_DIR}/`)).map(policyFileName)]);
  const roles = readRoles(sources, policyNames, central, issues);
  // A role file that failed to parse still names its role: references to it are not "unknown".
  const roleNames = new Set([...roles.map((r) => r.name), ...[...files.keys()].filter((f) => f.startsWith(`${ROLES_DIR}/`)).map(roleFileName)]);
  const rolesKnown = !missingDirs.has(ROLES_DIR) && [...sources.keys()].some((f) => f.startsWith(`${ROLES_DIR}/`));
  const accounts = readAccounts(sources, rolesKnown ? roleNames : undefined, policyNames, central, issues);
  checkAccountTypes(sources, accounts, issues);
  // Types come from every account file that names one, even a file with other errors, so one
  // bad account id does not cascade into "type has no accounts" errors elsewhere.
  const declaredTypes = [...sources.values()].filter((s) => s.file.startsWith(`${ACCOUNTS_DIR}/`)).map((s) => (isMapLike(s.data) ? str(s.data.type) : undefined));
  const accountTypes = [...new Set(declaredTypes.filter((t): t is string => t !== undefined))].sort();
  const accountFilesUnreadable = [...sources.keys()].some((f) => f.startsWith(`${ACCOUNTS_DIR}/`)) === false;
  const machineRoles = new Map(roles.filter((r) => !r.people).map((r) => [r.name, r.origin.file]));
  const context: GrantContext = { roleNames, machineRoles, rolesKnown, accountTypes, typesKnown: !missingDirs.has(ACCOUNTS_DIR) && !accountFilesUnreadable };
  const groups = usersSource ? readGroups(usersSource, context, issues) : [];
  const users = usersSource ? readUsers(usersSource, groups, context, now, issues) : [];
  if (usersSource) {
    checkGrantsReachAnAccount(usersSource, groups, users, accounts, roles, issues);
    checkSessionTagSources(usersSource, groups, users, roles, issues);
  }
  const pipeline = usersSource ? readPipeline(usersSource, accountTypes, context.typesKnown, central, issues) : undefined;
  const organization = usersSource ? readOrganization(usersSource, accountTypes, context.typesKnown, central, issues) : undefined;
  const security = readSecurity(usersData.security, usersData.revokeSessions);
  if (usersSource) {
    warnStaleRevocations(usersSource, security.revokedSessions, now, issues);
    checkConsoleUsers(usersSource, users, security.onboardingPrincipal, central, issues);
  }

  // Guardrails: regions must exist, and an account must not deny its own region.
  const globalGuardrails = isMapLike(usersData.security) ? usersData.security.guardrails : undefined;
  if (usersSource) checkAllowedRegions(usersSource, ['security', 'guardrails'], globalGuardrails, central, issues);
  const policyFiles = new Map(policies.map((p) => [p.name, p]));
  if (usersSource) checkDenyStatements(usersSource, ['security', 'guardrails'], globalGuardrails, policyFiles, policyNames, issues);
  for (const a of accounts) {
    const source = sources.get(a.origin.file)!;
    checkAllowedRegions(source, ['guardrails'], a.rawGuardrails, central, issues);
    checkDenyStatements(source, ['guardrails'], a.rawGuardrails, policyFiles, policyNames, issues);
  }

  // Administrators without the boundary and without organization guardrails: said why, in writing.
  if (usersSource && !organization) {
    const layers: { source: SourceFile; path: string[]; raw: unknown }[] = [
      { source: usersSource, path: ['security', 'guardrails'], raw: globalGuardrails },
      ...accounts.map((a) => ({ source: sources.get(a.origin.file)!, path: ['guardrails'], raw: a.rawGuardrails })),
    ];
    for (const { source, path, raw } of layers) {
      if (isMapLike(raw) && raw.permissionsBoundary === false && resolveBoundary(globalGuardrails, raw, false).optOut === undefined) {
        issues.push(issueAt(source, [...path, 'permissionsBoundary'], 'permissionsBoundary: false leaves administrators free to create roles without it, and no organization guardrails bind them', {
          target: 'value', hint: 'say why in permissionsBoundaryOptOut: "<reason>" next to it (diff shows it as critical), or configure organization: in users.yaml',
        }));
      }
    }
  }
  checkProtectedKeysAndManagers(usersSource, globalGuardrails, accounts, sources, roles, issues);

  const sorted = sortIssues(issues);
  if (!central || sorted.some((i) => i.severity === 'error')) return { issues: sorted };
  for (const a of accounts) a.region ??= central.region;
  // Default allowed regions: every region the config uses, so nothing is written twice.
  const regions = [...new Set([central.region, ...accounts.map((a) => a.region!)])];
  const resolved = accounts.map((a) => ({
    ...a,
    guardrails: resolveGuardrails(globalGuardrails, a.rawGuardrails, regions, a.origin.file, a.id),
    boundary: resolveBoundary(globalGuardrails, a.rawGuardrails, organization !== undefined),
  }));
  const ownRegionDenied: ConfigIssue[] = [];
  for (const a of resolved) {
    if (a.guardrails !== false && !a.guardrails.allowedRegions.includes(a.region!)) {
      const source = sources.get(a.origin.file)!;
      ownRegionDenied.push(issueAt(source, isMapLike(a.rawGuardrails) && a.rawGuardrails.allowedRegions ? ['guardrails', 'allowedRegions'] : ['region'],
        `the guardrails of ${a.prefix} deny its own region ${a.region} (allowed: ${a.guardrails.allowedRegions.join(', ')})`,
        { hint: `add ${a.region} to allowedRegions (here or in security.guardrails of users.yaml)` }));
    }
  }
  if (ownRegionDenied.length > 0) return { issues: sortIssues([...sorted, ...ownRegionDenied]) };
  return {
    config: {
      central, security, pipeline, organization, groups, users, roles, policies,
      accounts: resolved.map(({ rawGuardrails: _, ...a }) => a as AccountConfig),
      accountTypes, sources,
    },
    issues: sorted,
  };
}

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function readCentral(source: SourceFile, issues: ConfigIssue[]): CentralConfig | undefined {
  const data = isMapLike(source.data) && isMapLike(source.data.central) ? source.data.central : undefined;
  const account = str(data?.account);
  const region = str(data?.region);
  if (!data || !account || !region) return undefined;
  const declared = str(data.partition) as Partition | undefined;
  const partition = checkRegion(source, ['central', 'region'], region, undefined, issues);
  if (partition && declared && declared !== partition) {
    issues.push(issueAt(source, ['central', 'partition'], `partition ${declared} does not match the central region ${region} (partition ${partition})`, {
      hint: `remove central.partition (it follows the region) or use a region of ${declared}`,
    }));
  }
  return {
    account,
    region,
    partition: partition ?? declared ?? partitionOf(region),
    trustPolicyLimit: typeof data.trustPolicyLimit === 'number' ? data.trustPolicyLimit : IAM_LIMITS.trustPolicyChars,
    origin: { file: source.file, path: ['central'] },
  };
}

/**
 * Types are folded into IAM names (`<Type>Assume<Role>`), which ignore case: `prod` and `Prod`,
 * or `ab-c` and `abc`, would make the same policy. Reported at the first file of each spelling.
 */
function checkAccountTypes(sources: ReadonlyMap<string, SourceFile>, accounts: DraftAccount[], issues: ConfigIssue[]): void {
  const spellings = new Map<string, Map<string, DraftAccount>>();
  for (const a of accounts) {
    const byKey = spellings.get(typeKey(a.type)) ?? new Map<string, DraftAccount>();
    if (!byKey.has(a.type)) byKey.set(a.type, a);
    spellings.set(typeKey(a.type), byKey);
  }
  for (const byKey of spellings.values()) {
    if (byKey.size < 2) continue;
    const all = [...byKey.keys()];
    for (const [type, account] of byKey) {
      const others = all.filter((t) => t !== type).map((t) => `'${t}' (${byKey.get(t)!.origin.file})`).join(', ');
      issues.push(issueAt(sources.get(account.origin.file)!, ['type'], `account type '${type}' and ${others} make the same IAM names`, {
        hint: 'IAM names ignore case and types lose their hyphens in policy names (<Type>Assume<Role>): spell the type the same way in every account file',
      }));
    }
  }
}

function checkAllowedRegions(source: SourceFile, path: string[], raw: unknown, central: CentralConfig | undefined, issues: ConfigIssue[]): void {
  if (!isMapLike(raw)) return;
  strings(raw.allowedRegions).forEach((region, i) => checkRegion(source, [...path, 'allowedRegions', i], region, central, issues));
}

/**
 * Protected keys name keys of configured accounts (an account file only its own), and detection
 * managers are catalog roles: a typo would silently protect nothing or exempt nobody.
 */
function checkProtectedKeysAndManagers(
  usersSource: SourceFile | undefined, globalGuardrails: unknown, accounts: readonly DraftAccount[], sources: ReadonlyMap<string, SourceFile>, roles: readonly RoleConfig[], issues: ConfigIssue[],
): void {
  const ids = new Map(accounts.map((a) => [a.id, a.prefix]));
  const roleNames = roles.map((r) => r.name);
  const check = (source: SourceFile, path: string[], raw: unknown, ownAccount?: DraftAccount) => {
    if (!isMapLike(raw)) return;
    (Array.isArray(raw.protectedKeys) ? raw.protectedKeys : []).forEach((key, i) => {
      const account = typeof key === 'string' ? KEY_REFERENCE.exec(key)?.[1] : undefined;
      if (account === undefined) return; // a bare key ID, or refused by the schema
      if (ownAccount && account !== ownAccount.id) {
        issues.push(issueAt(source, [...path, 'protectedKeys', i], `key ${key} belongs to account ${account}, not to ${ownAccount.prefix} (${ownAccount.id})`, { hint: ids.has(account) ? `list it in accounts/${ids.get(account)}.yaml, or in security.guardrails of users.yaml` : 'an account file protects only its own keys' }));
      } else if (!ownAccount && !ids.has(account)) {
        issues.push(issueAt(source, [...path, 'protectedKeys', i], `key ${key} belongs to account ${account}, which no account file declares`, { hint: 'check the account ID in the key ARN' }));
      }
    });
    const managers = isMapLike(raw.detectionManagers) ? raw.detectionManagers : {};
    for (const name of Object.keys(managers)) {
      if (!roleNames.includes(name)) {
        issues.push(issueAt(source, [...path, 'detectionManagers', name], `detection manager ${name} is not a role of the catalog`, { target: 'key', hint: hintFor(name, roleNames, 'role') }));
      }
    }
  };
  if (usersSource) check(usersSource, ['security', 'guardrails'], globalGuardrails);
  for (const a of accounts) check(sources.get(a.origin.file)!, ['guardrails'], a.rawGuardrails, a);
}

/** Role sessions last at most 12 hours: a revocation older than that has done its work. */
function warnStaleRevocations(source: SourceFile, revoked: Readonly<Record<string, string>>, now: string, issues: ConfigIssue[]): void {
  const twelveHours = 12 * 3600 * 1000;
  for (const [user, time] of Object.entries(revoked)) {
    if (Date.parse(time) + twelveHours < Date.parse(now)) {
      issues.push(issueAt(source, ['revokeSessions', user], `the revocation of ${user}'s sessions (${time}) is over 12 hours old`, {
        target: 'key', severity: 'warning', hint: 'every session it revoked has expired; remove the entry',
      }));
    }
  }
}

/** Initial console passwords are readable by exactly one principal, which must be named. */
function checkConsoleUsers(source: SourceFile, users: UserConfig[], onboarding: string | undefined, central: CentralConfig | undefined, issues: ConfigIssue[]): void {
  const pending = users.filter((u) => u.console === 'initial-password');
  if (pending.length > 0 && onboarding === undefined) {
    for (const user of pending) {
      issues.push(issueAt(source, [...user.origin.path, 'console'], `user '${user.name}' gets an initial console password, but no one may read it`, {
        hint: 'set security.onboardingPrincipal to the role or user (in the central account) that hands initial passwords over',
      }));
    }
  }
  if (onboarding && central && onboarding.split(':')[4] !== central.account) {
    issues.push(issueAt(source, ['security', 'onboardingPrincipal'], `${onboarding} is not in the central account ${central.account}`, { hint: 'the secrets live in the central account: name a role or user there' }));
  }
}

/** A grant whose role is turned off in every account of the type would produce an empty policy. */
function checkGrantsReachAnAccount(
  source: SourceFile, groups: GroupConfig[], users: UserConfig[], accounts: DraftAccount[], roles: RoleConfig[], issues: ConfigIssue[],
): void {
  const byName = new Map(roles.map((r) => [r.name, r]));
  const owners: { path: (string | number)[]; label: string; grants: GroupConfig['grants'] }[] = [
    ...groups.map((g) => ({ path: ['groups', g.name, 'roles'], label: `group '${g.name}'`, grants: g.grants })),
    ...users.map((u) => ({ path: ['users', u.name, 'roles'], label: `user '${u.name}'`, grants: u.directGrants })),
  ];
  for (const owner of owners) {
    for (const grant of owner.grants) {
      const role = byName.get(grant.role);
      if (!role) continue;
      grant.accountTypes.forEach((type, index) => {
        const ofType = accounts.filter((a) => a.type === type);
        if (ofType.length === 0) return; // already reported
        if (ofType.some((a) => roleEnabled(a, role))) return;
        issues.push(issueAt(source, [...owner.path, grant.role, index], `${owner.label} grants ${grant.role} in '${type}' accounts, but no '${type}' account has that role`, {
          severity: 'warning',
          hint: `enable it with 'roles: {${grant.role}: true}' in an account file, or remove the grant`,
        }));
      });
    }
  }
}

/** A role that takes session tags from user tags: everyone who may assume it should carry the tag. */
function checkSessionTagSources(source: SourceFile, groups: GroupConfig[], users: UserConfig[], roles: RoleConfig[], issues: ConfigIssue[]): void {
  const groupMap = new Map(groups.map((g) => [g.name, g]));
  const tagged = roles.filter((r) => Object.keys(r.sessionTags).length > 0);
  for (const user of users) {
    const granted = new Set(grantsOf(user, groupMap).map((g) => g.grant.role));
    for (const role of tagged) {
      if (!granted.has(role.name)) continue;
      for (const [sessionTag, userTag] of Object.entries(role.sessionTags)) {
        if (user.tags[userTag] !== undefined) continue;
        issues.push(issueAt(source, user.origin.path, `user '${user.name}' may assume ${role.name}, whose session tag ${sessionTag} comes from the user tag '${userTag}', which the user lacks`, {
          target: 'key', severity: 'warning', hint: `add tags: {${userTag}: <value>} to the user; sessions with that tag are refused until then`,
        }));
      }
    }
  }
}

export { accountPrefix };
