import type { ConfigIssue } from './errors.js';
import { IAM_LIMITS } from './limits.js';
import { isRealDate } from './dates.js';
import { hintFor } from './suggest.js';
import { issueAt, type PathSegment, type SourceFile } from './source.js';
import type { GroupConfig, UserConfig } from './types.js';
import { isMapLike, str, strings } from './loose.js';

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

export function readGroups(source: SourceFile, roleNames: Set<string>, accountTypes: string[], issues: ConfigIssue[]): GroupConfig[] {
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

export function readUsers(source: SourceFile, groups: GroupConfig[], todayDate: string, issues: ConfigIssue[]): UserConfig[] {
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
