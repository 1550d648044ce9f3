import { parseArgs } from 'node:util';
import { hintFor } from '../config/suggest.js';
import { accessCommand } from './commands/access.js';
import { diffCommand } from './commands/diff.js';
import { execPolicyCommand } from './commands/exec-policy.js';
import { explainCommand } from './commands/explain.js';
import { importMappingCommand } from './commands/import-mapping.js';
import { linksCommand, profilesCommand } from './commands/profiles.js';
import { validateCommand } from './commands/validate.js';
import { EXIT, UsageError, type CliIo } from './io.js';

export const USAGE = `roster — who may assume which role where, from users.yaml and accounts/*.yaml

usage: roster <command> [options]

commands:
  validate                          check the config (the same errors as cdk synth)
  access [--user U] [--account A] [--role R] [--format table|md|csv|json|html]
                                    the effective access matrix
  explain <user> <account> <role>   the chain that grants access, or why it is denied (exit 1)
  diff <git-rev> [--format md|text|json] [--max-chars N]
                                    every permission change since <git-rev>, by cause (exit 1 if any grew);
                                    Markdown fits N characters (default 65536, a GitHub comment)
  profiles <user> [--source-profile NAME]
                                    ~/.aws/config profiles for every role the user may assume
  links <user>                      console switch-role URLs for the user
  import-mapping [--users a,b] [--assembly cdk.out] [--out import]
                                    files and runbook to adopt existing IAM users (after npx cdk synth)
  exec-policy --account A|central   the narrow CloudFormation execution policy for bootstrapping an account

options:
  --dir DIR     config directory (default: $ROSTER_CONFIG_DIR or the current directory)
  -h, --help    this text

accounts may be named by file prefix (prod-us), alias or ID.`;

const COMMANDS = ['validate', 'access', 'explain', 'diff', 'profiles', 'links', 'import-mapping', 'exec-policy'];

/** Run one CLI invocation; returns the exit code. Never throws for user mistakes. */
export function main(argv: string[], io: CliIo): number {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dir: { type: 'string' },
        user: { type: 'string' },
        account: { type: 'string' },
        role: { type: 'string' },
        format: { type: 'string' },
        'source-profile': { type: 'string' },
        users: { type: 'string' },
        assembly: { type: 'string' },
        out: { type: 'string' },
        'max-chars': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      io.out(USAGE);
      return values.help ? EXIT.ok : EXIT.usage;
    }
    switch (command) {
      case 'validate':
        return validateCommand(io, values);
      case 'access':
        return accessCommand(io, values);
      case 'explain':
        return explainCommand(io, rest, values);
      case 'diff':
        return diffCommand(io, rest, values);
      case 'profiles':
        return profilesCommand(io, rest, values);
      case 'links':
        return linksCommand(io, rest, values);
      case 'import-mapping':
        return importMappingCommand(io, values);
      case 'exec-policy':
        return execPolicyCommand(io, values);
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
