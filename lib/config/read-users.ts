import type { ConfigIssue } from './errors.js';
import { IAM_LIMITS } from './limits.js';
import { hasExpired, isRealExpiry } from './dates.js';
import { hintFor } from './suggest.js';
import { issueAt, type PathSegment, type SourceFile } from './source.js';
import type { GroupConfig, RoleGrant, UserConfig } from './types.js';
import { isMapLike, str, strings } from './loose.js';

/** IAM names are case-insensitive: `Alice` after `alice` is the same user to IAM. Reported at both. */
function reportCaseClashes(source: SourceFile, section: 'groups' | 'users', noun: string, hint: string, issues: ConfigIssue[]): void {
  const data = isMapLike(source.data) && isMapLike(source.data[section]) ? source.data[section] : {};
  const seen = new Map<string, string>();
  for (const name of Object.keys(data)) {
    const clash = seen.get(name.toLowerCase());
    if (clash) {
      issues.push(issueAt(source, [section, name], `${noun} '${name}' differs from '${clash}' only in case`, { target: 'key', hint }));
      issues.push(issueAt(source, [section, clash], `${noun} '${clash}' differs from '${name}' only in case`, { target: 'key', hint }));
    } else seen.set(name.toLowerCase(), name);
  }
}

export interface GrantContext {
  roleNames: ReadonlySet<string>;
  /** Roles with `people: false`: no group or user may be granted one (role name -> its file). */
  machineRoles: ReadonlyMap<string, string>;
  /** False when roles/ could not be read: unknown roles are then not reported one by one. */
  rolesKnown: boolean;
  accountTypes: readonly string[];
  /** False when accounts/ could not be read: unknown types are then not reported one by one. */
  typesKnown: boolean;
}

/** `roles: {Role: [types]}` of a group or a user: unknown roles and types reported with hints. */
function readGrants(source: SourceFile, path: PathSegment[], raw: unknown, context: GrantContext, issues: ConfigIssue[], owner: string): RoleGrant[] {
  const typeSet = new Set(context.accountTypes);
  const grants: RoleGrant[] = [];
  for (const [role, types] of Object.entries(isMapLike(raw) ? raw : {})) {
    if (context.rolesKnown && !context.roleNames.has(role)) {
      issues.push(issueAt(source, [...path, role], `${owner} grants unknown role '${role}'`, {
        target: 'key', hint: `${hintFor(role, context.roleNames, 'role')} (roles are the files in roles/)`,
      }));
    }
    const machine = context.machineRoles.get(role);
    if (machine !== undefined) {
      issues.push(issueAt(source, [...path, role], `${owner} grants ${role}, which nobody signs into (people: false in ${machine})`, {
        target: 'key', hint: `remove the grant; ${role} is assumed only by the principals under trust in ${machine}`,
      }));
      continue;
    }
    const list = strings(types);
    if (context.typesKnown) {
      list.forEach((type, i) => {
        if (typeSet.has(type)) return;
        const caseOnly = context.accountTypes.find((t) => t.toLowerCase() === type.toLowerCase());
        issues.push(issueAt(source, [...path, role, i], `account type '${type}' has no accounts`, {
          hint: caseOnly ? `account types are written as in the account files: '${caseOnly}'` : `${hintFor(type, typeSet, 'account type')} (types come from the 'type' of each accounts/*.yaml file)`,
        }));
      });
    }
    grants.push({ role, accountTypes: [...list].sort() });
  }
  return grants.sort((a, b) => (a.role < b.role ? -1 : 1));
}

export function readGroups(source: SourceFile, context: GrantContext, issues: ConfigIssue[]): GroupConfig[] {
  const data = isMapLike(source.data) && isMapLike(source.data.groups) ? source.data.groups : {};
  const groups: GroupConfig[] = [];
  reportCaseClashes(source, 'groups', 'group', 'IAM group names are case-insensitive; merge or rename one', issues);
  for (const [name, body] of Object.entries(data)) {
    const grants = readGrants(source, ['groups', name, 'roles'], isMapLike(body) ? body.roles : undefined, context, issues, `group '${name}'`);
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

/** Tags iam-roster sets itself; a user's own tags come after them. */
function userTags(details: Record<string, unknown>): Record<string, string> {
  const own = isMapLike(details.tags) ? details.tags : {};
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(own)) if (typeof v === 'string') tags[k] = v;
  const email = str(details.email);
  if (email) tags.email = email;
  const description = str(details.description);
  if (description) tags.description = description.slice(0, 256).replace(/[^\p{L}\p{Z}\p{N}_.:/=+@-]/gu, ' ');
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function readUsers(source: SourceFile, groups: GroupConfig[], context: GrantContext, now: string, issues: ConfigIssue[]): UserConfig[] {
  const data = isMapLike(source.data) && isMapLike(source.data.users) ? source.data.users : {};
  const groupNames = new Set(groups.map((g) => g.name));
  const users: UserConfig[] = [];
  const checkDate = (path: PathSegment[], date: string, what: string) => {
    if (!isRealExpiry(date)) issues.push(issueAt(source, path, `${date} is not a real date`, { hint: 'use a day that exists, as YYYY-MM-DD (e.g. 2026-12-31) or a UTC time such as 2026-12-31T18:00:00Z' }));
    else if (hasExpired(date, now)) {
      issues.push(issueAt(source, path, `${what} expired on ${date}`, { severity: 'warning', hint: 'access is already denied; remove the entry' }));
    }
  };
  reportCaseClashes(source, 'users', 'user', 'IAM user names are case-insensitive; remove the duplicate', issues);
  for (const [name, body] of Object.entries(data)) {
    // Role session names (always the user's name) must be 2-64 characters.
    if (name.length < 2) {
      issues.push(issueAt(source, ['users', name], `user name '${name}' is too short to be a role session name`, {
        target: 'key', hint: 'role sessions are named after the user and need at least 2 characters',
      }));
    }
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
    const directGrants = readGrants(source, ['users', name, 'roles'], details.roles, context, issues, `user '${name}'`);
    users.push({
      name,
      groups: [...new Set(memberOf)].sort(),
      membershipExpiry,
      directGrants,
      expires,
      console: details.console === true ? 'initial-password' : details.console === 'onboarded' ? 'onboarded' : false,
      email: str(details.email),
      description: str(details.description),
      tags: userTags(details),
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
