import type { AccessEntry } from '../../plan/access.js';
import { roleArn } from '../../plan/assume-policies.js';
import type { RosterPlan } from '../../plan/types.js';
import { SESSION_SECONDS } from '../credentials.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { liveAccess } from '../live.js';
import { loadOrReport, requireUser } from '../load.js';

function entriesFor(io: CliIo, positionals: string[], options: { dir?: string }, command: string) {
  if (positionals.length !== 1) throw new UsageError(`${command} needs <user>`, `e.g. roster ${command} alice@example.com`);
  const loaded = loadOrReport(io, options.dir);
  if (!loaded) return undefined;
  requireUser(loaded.plan, positionals[0]);
  // Grants whose memberships (or the user) have expired are left out, as in `access` and `explain`.
  return { loaded, user: positionals[0], entries: liveAccess(loaded, { user: positionals[0] }) };
}

export interface ProfileOptions {
  /**
   * credential-process (default): runs `roster credentials`. aws-vault: its own keys, with
   * `source_identity` (aws-vault sets it; the AWS CLI reads the same block without it, so its
   * sessions work but cannot chain).
   */
  format?: 'credential-process' | 'aws-vault';
  sourceProfile: string;
  /** How credential_process runs roster (it must be on PATH, or e.g. `npx --prefix /path/to/config roster`). */
  rosterCommand: string;
  /** The MFA session's length: the trusts refuse MFA sign-ins older than security.mfaMaxAgeSeconds. */
  sessionSeconds: number;
}

/** The MFA session `roster credentials` asks for: as long as the trusts accept it, 12 h at most. */
export function mfaSessionSeconds(mfaMaxAgeSeconds: number | undefined): number {
  return Math.max(SESSION_SECONDS.min, Math.min(SESSION_SECONDS.max, mfaMaxAgeSeconds ?? SESSION_SECONDS.max));
}

/**
 * `[profile <alias>-<role>]` blocks for ~/.aws/config, each a credential_process running
 * `roster credentials`: the AWS CLI's own role_arn/mfa_serial keys cannot set a source identity,
 * and a session without one can assume no further role (IamRosterSessions). Any client that
 * reads ~/.aws/config with credential_process works: the AWS CLI, the SDKs, Terraform, CDK.
 */
export function renderProfiles(plan: RosterPlan, user: string, entries: AccessEntry[], options: ProfileOptions): string {
  const accounts = new Map(plan.accounts.map((a) => [a.prefix, a]));
  const mfaSerial = `arn:${plan.partition}:iam::${plan.central.account}:mfa/${user}`;
  const lines = [
    `# iam-roster: roles ${user} may assume (generated; do not edit by hand).`,
    `# [profile ${options.sourceProfile}] must hold the access key of IAM user ${user} in account ${plan.central.account}.`,
    `# Each profile runs \`roster credentials\`: GetSessionToken with the MFA code of ${mfaSerial}`,
    `# (asked on the terminal once per ${options.sessionSeconds} s, cached), then AssumeRole with ${user} as session name and source identity.`,
  ];
  for (const e of entries) {
    const account = accounts.get(e.account)!;
    const role = account.roles.find((r) => r.name === e.role)!;
    const command = [
      options.rosterCommand, 'credentials', '--user', user, '--role-arn', roleArn(plan.partition, e.accountId, e.role), '--mfa-serial', mfaSerial,
      '--source-profile', options.sourceProfile, '--region', plan.central.region, '--duration', String(role.maxSessionDuration), '--session-seconds', String(options.sessionSeconds),
    ];
    const body = options.format === 'aws-vault'
      ? [`source_profile = ${options.sourceProfile}`, `role_arn = ${roleArn(plan.partition, e.accountId, e.role)}`, `mfa_serial = ${mfaSerial}`,
          `role_session_name = ${user}`, `source_identity = ${user}`, `duration_seconds = ${role.maxSessionDuration}`]
      : [`credential_process = ${command.join(' ')}`];
    lines.push(
      '',
      ...('until' in e && e.until ? [`# until ${e.until}`] : []),
      `[profile ${e.accountAlias}-${e.role}]`,
      ...body,
      `region = ${account.region}`,
    );
  }
  if (options.format === 'aws-vault') {
    lines.splice(2, 2, `# For aws-vault (aws-vault add ${options.sourceProfile}; aws-vault exec <profile>): it calls GetSessionToken with the MFA code of`,
      `# ${mfaSerial}, then AssumeRole with ${user} as session name and source_identity.`);
  }
  return lines.join('\n');
}

const PROFILE_FORMATS = ['credential-process', 'aws-vault'] as const;

export function profilesCommand(io: CliIo, positionals: string[], options: { dir?: string; format?: string; 'source-profile'?: string; 'roster-command'?: string }): number {
  const format = options.format ?? 'credential-process';
  if (!(PROFILE_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown profiles format '${format}'`, `use one of ${PROFILE_FORMATS.join(', ')}`);
  const found = entriesFor(io, positionals, options, 'profiles');
  if (!found) return EXIT.invalid;
  const rosterCommand = options['roster-command'] ?? 'roster';
  if (!/^[\w./@=+:, -]+$/.test(rosterCommand)) throw new UsageError(`--roster-command '${rosterCommand}' has characters a credential_process line cannot hold as they are`, 'e.g. --roster-command "npx --prefix /home/me/iam-config roster"');
  io.out(renderProfiles(found.loaded.plan, found.user, found.entries, {
    format: format as ProfileOptions['format'],
    sourceProfile: options['source-profile'] ?? 'iam-roster',
    rosterCommand,
    sessionSeconds: mfaSessionSeconds(found.loaded.config.security.mfaMaxAgeSeconds),
  }));
  return EXIT.ok;
}

const SIGNIN: Record<string, string> = {
  aws: 'https://signin.aws.amazon.com',
  'aws-cn': 'https://signin.amazonaws.cn',
  'aws-us-gov': 'https://signin.amazonaws-us-gov.com',
};

/**
 * Console switch-role URLs, one per role the user may assume. The console's switch-role cannot
 * set a source identity, so the trusts accept a session without one (named after the user, as
 * the console names it); such a session works in the console but assumes no further role
 * (IamRosterSessions ChainOnlyWithSourceIdentity). Requiring the source identity would lock out
 * every console user, console-only users (no access key for `roster credentials`) entirely.
 */
export function switchRoleLinks(plan: RosterPlan, entries: AccessEntry[]): string[] {
  return entries.map((e) => {
    const query = new URLSearchParams({ roleName: e.role, account: e.accountId, displayName: `${e.accountAlias} ${e.role}`.slice(0, 64) });
    return `${SIGNIN[plan.partition]}/switchrole?${query.toString()}`;
  });
}

export function linksCommand(io: CliIo, positionals: string[], options: { dir?: string }): number {
  const found = entriesFor(io, positionals, options, 'links');
  if (!found) return EXIT.invalid;
  const links = switchRoleLinks(found.loaded.plan, found.entries);
  io.out(found.entries.map((e, i) => `${`${e.accountAlias} ${e.role}`.padEnd(40)} ${links[i]}`).join('\n'));
  if (found.entries.length > 0) {
    io.err(found.loaded.config.security.requireSourceIdentity
      ? 'warning: security.requireSourceIdentity is set: the roles refuse console switch-role (it sets no source identity); use the profiles of `roster profiles`'
      : 'note: console sessions carry no source identity: they cannot assume further roles (the CLI profiles of `roster profiles` can)');
  }
  return EXIT.ok;
}
