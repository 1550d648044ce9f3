import type { AccessEntry } from '../../plan/access.js';
import { roleArn } from '../../plan/assume-policies.js';
import type { RosterPlan } from '../../plan/types.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { liveAccess } from '../live.js';
import { loadOrReport, requireUser } from '../load.js';

function entriesFor(io: CliIo, positionals: string[], options: { dir?: string }, command: string) {
  if (positionals.length !== 1) throw new UsageError(`${command} needs <user>`, `e.g. roster ${command} alice@example.com`);
  const loaded = loadOrReport(io, options.dir);
  if (!loaded) return undefined;
  requireUser(loaded.plan, positionals[0]);
  // Grants whose memberships (or the user) have expired are left out, as in `access` and `explain`.
  return { plan: loaded.plan, user: positionals[0], entries: liveAccess(loaded, { user: positionals[0] }) };
}

/** `[profile <alias>-<role>]` blocks for ~/.aws/config; work with the AWS CLI, aws-vault and granted. */
export function renderProfiles(plan: RosterPlan, user: string, entries: AccessEntry[], sourceProfile: string): string {
  const accounts = new Map(plan.accounts.map((a) => [a.prefix, a]));
  const lines = [
    `# iam-roster: roles ${user} may assume (generated; do not edit by hand).`,
    `# [profile ${sourceProfile}] must hold the access key of IAM user ${user} in account ${plan.central.account}`,
    `# (or: aws-vault add ${sourceProfile}). Every role asks for the MFA code of the device below.`,
  ];
  for (const e of entries) {
    const account = accounts.get(e.account)!;
    const role = account.roles.find((r) => r.name === e.role)!;
    lines.push(
      '',
      ...('until' in e && e.until ? [`# until ${e.until}`] : []),
      `[profile ${e.accountAlias}-${e.role}]`,
      `role_arn = ${roleArn(plan.partition, e.accountId, e.role)}`,
      `source_profile = ${sourceProfile}`,
      `mfa_serial = arn:${plan.partition}:iam::${plan.central.account}:mfa/${user}`,
      `role_session_name = ${user}`,
      `region = ${account.region}`,
      `duration_seconds = ${role.maxSessionDuration}`,
    );
  }
  return lines.join('\n');
}

export function profilesCommand(io: CliIo, positionals: string[], options: { dir?: string; 'source-profile'?: string }): number {
  const found = entriesFor(io, positionals, options, 'profiles');
  if (!found) return EXIT.invalid;
  io.out(renderProfiles(found.plan, found.user, found.entries, options['source-profile'] ?? 'iam-roster'));
  return EXIT.ok;
}

const SIGNIN: Record<string, string> = {
  aws: 'https://signin.aws.amazon.com',
  'aws-cn': 'https://signin.amazonaws.cn',
  'aws-us-gov': 'https://signin.amazonaws-us-gov.com',
};

/** Console switch-role URLs, one per role the user may assume. */
export function switchRoleLinks(plan: RosterPlan, entries: AccessEntry[]): string[] {
  return entries.map((e) => {
    const query = new URLSearchParams({ roleName: e.role, account: e.accountId, displayName: `${e.accountAlias} ${e.role}`.slice(0, 64) });
    return `${SIGNIN[plan.partition]}/switchrole?${query.toString()}`;
  });
}

export function linksCommand(io: CliIo, positionals: string[], options: { dir?: string }): number {
  const found = entriesFor(io, positionals, options, 'links');
  if (!found) return EXIT.invalid;
  const links = switchRoleLinks(found.plan, found.entries);
  io.out(found.entries.map((e, i) => `${`${e.accountAlias} ${e.role}`.padEnd(40)} ${links[i]}`).join('\n'));
  return EXIT.ok;
}
