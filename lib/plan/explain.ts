import { locate } from '../config/source.js';
import type { Origin, RosterConfig } from '../config/types.js';
import { accessMatrix } from './access.js';
import { roleArn } from './assume-policies.js';
import { liveGroups } from './expiry.js';
import type { AccountPlan, RosterPlan } from './types.js';

export interface Explanation {
  allowed: boolean;
  /** Human-readable chain (allowed) or reasons (denied). */
  lines: string[];
}

function where(config: RosterConfig, origin: Origin, path: readonly (string | number)[] = [], target: 'key' | 'value' = 'key'): string {
  const source = config.sources.get(origin.file);
  if (!source) return origin.file;
  const { line, col } = locate(source, [...origin.path, ...path], target);
  return `${origin.file}:${line}:${col}`;
}

/** Find an account by CLI prefix, alias or ID. */
export function findAccount(plan: RosterPlan, name: string): AccountPlan | undefined {
  return plan.accounts.find((a) => a.prefix === name || a.alias === name || a.id === name);
}

/**
 * Why `user` may or may not assume `role` in `account`: the chain user -> group ->
 * `<Type>Assume<Role>` policy -> role trust, or the first link that is missing.
 * The caller has checked that user, account and role names exist.
 */
export function explainAccess(
  config: RosterConfig, plan: RosterPlan, userName: string, account: AccountPlan, role: string, catalogDefault: boolean | undefined, today: string,
): Explanation {
  const userConfig = config.users.find((u) => u.name === userName)!;
  const accountConfig = config.accounts.find((a) => a.prefix === account.prefix)!;
  const head = `${role} in ${account.prefix} (${account.alias}, ${account.id}, type ${account.type})`;
  const entry = accessMatrix(plan).find((e) => e.user === userName && e.account === account.prefix && e.role === role);
  const rolePlan = account.roles.find((r) => r.name === role);
  // Time-bound access that has already ended is denied by the expiry policies.
  const userExpired = userConfig.expires !== undefined && userConfig.expires < today;
  if (entry && rolePlan && liveGroups(userConfig, entry.groups, today).length === 0) {
    const reason = userExpired
      ? `  - ${userName}'s access ended after ${userConfig.expires} (${where(config, userConfig.origin, ['expires'], 'value')})`
      : `  - the membership(s) that granted it ended: ${entry.groups.map((g) => `${g} after ${userConfig.membershipExpiry[g]}`).join(', ')}`;
    return { allowed: false, lines: [`DENIED: ${userName} may not assume ${head}`, '', reason] };
  }
  if (entry && rolePlan) {
    const lines = [`ALLOWED: ${userName} may assume ${head}`, ''];
    const maxAge = config.security.mfaMaxAgeSeconds;
    const mfa = maxAge === undefined ? 'only with MFA' : `only with an MFA sign-in less than ${maxAge} s old`;
    const groups = new Map(plan.groups.map((g) => [g.name, g]));
    for (const groupName of entry.groups) {
      const group = groups.get(groupName)!;
      const policy = group.policyNames.find((p) => entry.policies.includes(p))!;
      lines.push(
        `  user    ${userName.padEnd(32)} ${where(config, userConfig.origin)}`,
        `  group   ${groupName.padEnd(32)} ${where(config, group.origin)}${userConfig.membershipExpiry[groupName] ? ` (membership ends after ${userConfig.membershipExpiry[groupName]})` : ''}`,
        `  policy  ${policy.padEnd(32)} sts:AssumeRole on ${roleArn(plan.partition, account.id, role)}`,
        `          ${''.padEnd(32)} ${mfa}, and with session name = ${userName}`,
        `  role    ${`${role} in ${account.stackName}`.padEnd(32)} trusts arn:${plan.partition}:iam::${plan.central.account}:root with MFA`,
        '',
      );
    }
    if (userConfig.expires) lines.push(`  ${userName} may assume no role after ${userConfig.expires} (${where(config, userConfig.origin, ['expires'], 'value')})`, '');
    return { allowed: true, lines: lines.slice(0, -1) };
  }

  const lines = [`DENIED: ${userName} may not assume ${head}`, ''];
  if (!rolePlan) {
    const toggle = accountConfig.roleToggles[role];
    if (toggle === false) lines.push(`  - ${role} is turned off for this account at ${where(config, accountConfig.origin, ['roles', role])}`);
    else if (catalogDefault === false) lines.push(`  - ${role} is off by default in the catalog (lib/roles) and ${accountConfig.origin.file} does not turn it on`, `    (add 'roles: {${role}: true}' there)`);
    else lines.push(`  - ${role} does not exist in ${account.prefix}`);
  }
  const grantsHere = config.groups.filter((g) => g.grants.some((gr) => gr.role === role && gr.accountTypes.includes(account.type)));
  const mine = grantsHere.filter((g) => userConfig.groups.includes(g.name));
  if (mine.length === 0) {
    const memberOf = userConfig.groups.length > 0 ? userConfig.groups.join(', ') : 'no group';
    lines.push(`  - none of ${userName}'s groups (${memberOf}) grants ${role} in '${account.type}' accounts`);
    if (grantsHere.length > 0) {
      lines.push(`    groups that do: ${grantsHere.map((g) => `${g.name} (${where(config, g.origin)})`).join(', ')}`);
    } else {
      lines.push(`    no group grants ${role} in '${account.type}' accounts`);
    }
  }
  return { allowed: false, lines };
}
