import { parseArgs } from 'node:util';
import { hintFor } from '../config/suggest.js';
import { accessCommand } from './commands/access.js';
import { diffCommand } from './commands/diff.js';
import { execPolicyCommand } from './commands/exec-policy.js';
import { explainCommand } from './commands/explain.js';
import { importMappingCommand } from './commands/import-mapping.js';
import { credentialsCommand } from './commands/credentials.js';
import { linksCommand, profilesCommand } from './commands/profiles.js';
import { validateCommand } from './commands/validate.js';
import { importCommand } from './commands/import.js';
import { EXIT, UsageError, type CliIo } from './io.js';

export const USAGE = `roster — who may assume which role where, from users.yaml and accounts/*.yaml

usage: roster <command> [options]

commands:
  validate                          check the config (the same errors as cdk synth)
  access [--user U] [--account A] [--role R] [--format table|md|csv|json|html] [--max-chars N]
                                    the effective access matrix; Markdown keeps to N characters
  explain <user> <account> <role>   the chain that grants access, or why it is denied (exit 1)
  diff <git-rev> [--format md|text|json] [--max-chars N] [--json FILE]
                                    every permission change since <git-rev>, by cause (exit 1 if any grew
                                    or an IAM user is deleted); Markdown fits N characters (default 65536,
                                    a GitHub comment); --json also writes the JSON report to FILE
  profiles <user> [--source-profile NAME] [--roster-command CMD] [--format credential-process|aws-vault]
                                    ~/.aws/config profiles for every role the user may assume
                                    (credential_process: roster credentials, with source identity)
  credentials --user U --role-arn ARN --mfa-serial ARN [--source-profile NAME] [--region R]
              [--duration S] [--session-seconds S] [--token-code CODE] [--refresh]
                                    role credentials for credential_process: GetSessionToken with MFA
                                    (asked on the terminal, cached), then AssumeRole with source identity
  links <user>                      console switch-role URLs for the user
  import --central FILE --account PREFIX[:TYPE]=FILE ... [--types types.yaml] [--central-region R] --out DIR
                                    a config from IAM exports (aws iam get-account-authorization-details), with a report
  import-mapping --existing central.json [--users a,b] [--assembly cdk.out] [--out import]
                                    runbook to adopt existing users, groups and policies (after npx cdk synth)
  exec-policy --account A|central   the narrow CloudFormation execution policy for bootstrapping an account

options:
  --dir DIR     config directory (default: $ROSTER_CONFIG_DIR or the current directory)
  -h, --help    this text

accounts may be named by file prefix (prod-us), alias or ID.`;

const COMMANDS = ['validate', 'access', 'explain', 'diff', 'profiles', 'credentials', 'links', 'import', 'import-mapping', 'exec-policy'];

/**
 * Run one CLI invocation; returns the exit code (a promise of it for `credentials`, the one
 * command that calls AWS). Never throws for user mistakes.
 */
export function main(argv: string[], io: CliIo): number | Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dir: { type: 'string' },
        user: { type: 'string' },
        account: { type: 'string', multiple: true },
        central: { type: 'string' },
        existing: { type: 'string' },
        types: { type: 'string' },
        'central-region': { type: 'string' },
        role: { type: 'string' },
        format: { type: 'string' },
        'source-profile': { type: 'string' },
        'roster-command': { type: 'string' },
        'role-arn': { type: 'string' },
        'mfa-serial': { type: 'string' },
        'token-code': { type: 'string' },
        region: { type: 'string' },
        duration: { type: 'string' },
        'session-seconds': { type: 'string' },
        refresh: { type: 'boolean' },
        users: { type: 'string' },
        assembly: { type: 'string' },
        out: { type: 'string' },
        'max-chars': { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      io.out(USAGE);
      return values.help ? EXIT.ok : EXIT.usage;
    }
    // --account is repeated only by import; elsewhere it names one account.
    const accounts = values.account ?? [];
    if (command !== 'import' && accounts.length > 1) throw new UsageError('--account given more than once', `${command} takes one account`);
    const single = { ...values, account: accounts[0] };
    switch (command) {
      case 'validate':
        return validateCommand(io, single);
      case 'access':
        return accessCommand(io, single);
      case 'explain':
        return explainCommand(io, rest, single);
      case 'diff':
        return diffCommand(io, rest, single);
      case 'profiles':
        return profilesCommand(io, rest, single);
      case 'credentials':
        if (rest.length > 0) throw new UsageError(`credentials takes options only, not '${rest[0]}'`, 'e.g. roster credentials --user alice --role-arn arn:aws:iam::222222222222:role/ReadOnly --mfa-serial arn:aws:iam::111111111111:mfa/alice');
        return credentialsCommand(io, single);
      case 'links':
        return linksCommand(io, rest, single);
      case 'import-mapping':
        return importMappingCommand(io, single);
      case 'import':
        return importCommand(io, values);
      case 'exec-policy':
        return execPolicyCommand(io, single);
      default:
        throw new UsageError(`unknown command '${command}'`, hintFor(command, COMMANDS, 'command'));
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`roster: ${(error as Error).message}${error instanceof UsageError && error.hint ? `\n    hint: ${error.hint}` : ''}`);
      return EXIT.usage;
    }
    throw error;
  }
}
