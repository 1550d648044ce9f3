import { hasExpired } from '../config/dates.js';
import { locate } from '../config/source.js';
import type { Origin, RoleConfig, RosterConfig } from '../config/types.js';
import { accessMatrix } from './access.js';
import { roleArn } from './assume-policies.js';
import { grantEnds, liveSources } from './expiry.js';
import { organizationLines } from './organization/explain.js';
import { revocationOf } from './sessions.js';
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

/** The warning that goes with any grant in the central account: its roles can change every user's access. */
export const CENTRAL_GRANT_NOTE = 'this is the central account: a role here that may write IAM can change every user\'s access';

/**
 * Why `user` may or may not assume `role` in `account` at `now`: the chain user -> group (or the
 * user itself) -> `<Type>Assume<Role>` policy -> role trust, or the first link that is missing.
 * The caller has checked that user, account and role names exist.
 */
export function explainAccess(config: RosterConfig, plan: RosterPlan, userName: string, account: AccountPlan, role: RoleConfig, now: string): Explanation {
  const userConfig = config.users.find((u) => u.name === userName)!;
  const accountConfig = config.accounts.find((a) => a.prefix === account.prefix)!;
  const head = `${role.name} in ${account.prefix} (${account.alias}, ${account.id}, type ${account.type})`;
  const entry = accessMatrix(plan, { user: userName, account: account.prefix, role: role.name })[0];
  const rolePlan = account.roles.find((r) => r.name === role.name && r.kind === 'catalog');
  if (entry && rolePlan) {
    const live = liveSources(userConfig, entry, now);
    if (live.groups.length === 0 && !live.direct) {
      // Time-bound access that has already ended is denied by the expiry policies.
      const reason = hasExpired(userConfig.expires, now)
        ? `  - ${userName}'s access ended after ${userConfig.expires} (${where(config, userConfig.origin, ['expires'], 'value')})`
        : `  - the membership(s) that granted it ended: ${entry.groups.map((g) => `${g} after ${userConfig.membershipExpiry[g]}`).join(', ')}`;
      return { allowed: false, lines: [`DENIED: ${userName} may not assume ${head}`, '', reason, ...organizationLines(plan, account.id, userName)] };
    }
    const lines = [`ALLOWED: ${userName} may assume ${head}`, ''];
    const maxAge = config.security.mfaMaxAgeSeconds;
    const mfa = maxAge === undefined ? 'only with MFA' : `only with an MFA sign-in less than ${maxAge} s old`;
    const groups = new Map(plan.groups.map((g) => [g.name, g]));
    const userPlan = plan.users.find((u) => u.name === userName)!;
    const links: { label: string; at: string; policy: string; note: string }[] = [
      ...entry.groups.map((groupName) => ({
        label: `group   ${groupName.padEnd(32)}`,
        at: where(config, groups.get(groupName)!.origin),
        policy: groups.get(groupName)!.policyNames.find((p) => entry.policies.includes(p))!,
        note: userConfig.membershipExpiry[groupName] ? ` (membership ends after ${userConfig.membershipExpiry[groupName]})` : '',
      })),
      ...(entry.direct ? [{
        label: `direct  ${`granted on ${userName}`.padEnd(32)}`,
        at: where(config, userConfig.origin, ['roles', role.name]),
        policy: userPlan.directPolicyNames.find((p) => entry.policies.includes(p))!,
        note: '',
      }] : []),
    ];
    for (const link of links) {
      lines.push(
        `  user    ${userName.padEnd(32)} ${where(config, userConfig.origin)}`,
        `  ${link.label} ${link.at}${link.note}`,
        `  policy  ${link.policy.padEnd(32)} sts:AssumeRole on ${roleArn(plan.partition, account.id, role.name)}`,
        `          ${''.padEnd(32)} ${mfa}, and with session name = ${userName}`,
        `  role    ${`${role.name} in ${account.stackName}`.padEnd(32)} trusts users of ${plan.central.account} with MFA, under their own name`,
        '',
      );
    }
    if (rolePlan.customerManagedPolicyArns.length > 0) lines.push(...unreviewedLines(rolePlan.customerManagedPolicyArns), '');
    // Source identity: allowed as the user's own name only; without it (console switch-role) no chaining.
    lines.push(
      `  source identity ${userName} only (roster credentials sets it; it goes with every session chained from this one);`,
      config.security.requireSourceIdentity
        ? `  required (${where(config, { file: 'users.yaml', path: ['security', 'requireSourceIdentity'] })}): console switch-role, which sets none, is refused`
        : '  a session without one (console switch-role) assumes no further role',
      '',
    );
    const revoked = revocationOf(config, userName);
    if (revoked) {
      lines.push(`  sessions of ${userName} issued before ${revoked} are refused, in the central account and here (${where(config, { file: 'users.yaml', path: ['revokeSessions', userName] })}); a fresh sign-in works`, '');
    }
    const ends = grantEnds(userConfig, entry);
    if (ends) lines.push(`  ${userName} may assume it until ${ends}${userConfig.expires ? ` (${where(config, userConfig.origin, ['expires'], 'value')})` : ''}`, '');
    if (account.isCentral) lines.push(`  note: ${CENTRAL_GRANT_NOTE}`, '');
    lines.push(...organizationLines(plan, account.id, userName), '');
    return { allowed: true, lines: lines.slice(0, -1) };
  }

  const lines = [`DENIED: ${userName} may not assume ${head}`, ''];
  if (!rolePlan) {
    const setting = accountConfig.roleSettings[role.name];
    if (setting?.enabled === false) lines.push(`  - ${role.name} is turned off for this account at ${where(config, accountConfig.origin, ['roles', role.name])}`);
    else if (!role.enabled) lines.push(`  - ${role.name} is off by default (${role.origin.file}) and ${accountConfig.origin.file} does not turn it on`, `    (add 'roles: {${role.name}: true}' there)`);
    else lines.push(`  - ${role.name} does not exist in ${account.prefix}`);
  }
  if (!role.people) {
    lines.push(`  - nobody signs into ${role.name} (people: false at ${where(config, role.origin, ['people'])}): only the principals under its trust may assume it`);
    return { allowed: false, lines };
  }
  const grantsHere = config.groups.filter((g) => g.grants.some((gr) => gr.role === role.name && gr.accountTypes.includes(account.type)));
  const mine = grantsHere.filter((g) => userConfig.groups.includes(g.name));
  const direct = userConfig.directGrants.some((g) => g.role === role.name && g.accountTypes.includes(account.type));
  if (mine.length === 0 && !direct) {
    const memberOf = userConfig.groups.length > 0 ? userConfig.groups.join(', ') : 'no group';
    lines.push(`  - none of ${userName}'s groups (${memberOf}) grants ${role.name} in '${account.type}' accounts, nor does the user itself`);
    if (grantsHere.length > 0) {
      lines.push(`    groups that do: ${grantsHere.map((g) => `${g.name} (${where(config, g.origin)})`).join(', ')}`);
    } else {
      lines.push(`    no group grants ${role.name} in '${account.type}' accounts`);
    }
  }
  return { allowed: false, lines };
}

/** The existing customer managed policies a role carries: attached by name, their content unseen. */
export function unreviewedLines(arns: readonly string[]): string[] {
  return [
    `  also    ${arns.map((a) => a.split(':policy/')[1]).join(', ')}`,
    `          ${''.padEnd(32)} existing customer managed ${arns.length === 1 ? 'policy' : 'policies'} of the account, attached by name: content not reviewed by iam-roster`,
  ];
}
