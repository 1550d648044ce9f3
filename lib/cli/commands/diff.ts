import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';
import { formatIssue } from '../../config/errors.js';
import { ACCOUNTS_DIR, POLICIES_DIR, ROLES_DIR, USERS_FILE, validateFiles } from '../../config/load.js';
import { accessMatrix, type AccessEntry } from '../../plan/access.js';
import { buildPlan } from '../../plan/plan.js';
import { ACCESS_COLUMNS, accessRow, markdown } from '../format.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { loadOrReport } from '../load.js';

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0];
    throw new UsageError(`git ${args[0]} failed: ${stderr || String(error)}`, 'run roster diff inside the git checkout that holds the config, with a revision git knows');
  }
}

/** The config files as they were at `rev`: path relative to the config dir -> text. */
function filesAt(dir: string, rev: string): Map<string, string> {
  const top = git(dir, ['rev-parse', '--show-toplevel']).trim();
  const prefix = relative(top, dir).split('\\').join('/');
  const inRepo = (p: string) => (prefix ? `${prefix}/${p}` : p);
  git(top, ['rev-parse', '--verify', `${rev}^{commit}`]);
  const listed = git(top, ['ls-tree', '-r', '--name-only', rev, '--', inRepo(USERS_FILE), inRepo(ACCOUNTS_DIR), inRepo(ROLES_DIR), inRepo(POLICIES_DIR)]).split('\n').filter(Boolean);
  const files = new Map<string, string>();
  for (const path of listed) {
    const local = prefix ? path.slice(prefix.length + 1) : path;
    if (local === USERS_FILE || /^(accounts|roles)\/[^/]+\.ya?ml$/.test(local) || /^policies\/[^/]+\.(json|ya?ml)$/.test(local)) files.set(local, git(top, ['show', `${rev}:${path}`]));
  }
  if (!files.has(USERS_FILE)) throw new UsageError(`${inRepo(USERS_FILE)} does not exist at ${rev}`);
  return files;
}

const key = (e: AccessEntry) => `${e.user}\u0000${e.account}\u0000${e.role}`;

/**
 * `roster diff <rev>`: access gained and lost between the config at `rev` and the working tree, as
 * Markdown for a pull-request comment. Exit 1 when privileges grew, 0 when they did not.
 */
export function diffCommand(io: CliIo, positionals: string[], options: { dir?: string }): number {
  if (positionals.length !== 1) throw new UsageError('diff needs <git-rev>', 'e.g. roster diff origin/main');
  const [rev] = positionals;
  const current = loadOrReport(io, options.dir);
  if (!current) return EXIT.invalid;
  const before = validateFiles(filesAt(current.dir, rev), { now: current.now });
  const beforePlan = before.config && buildPlan(before.config);
  if (!beforePlan?.plan) {
    for (const issue of [...before.issues, ...(beforePlan?.issues ?? [])]) io.err(`(at ${rev}) ${formatIssue(issue)}`);
    io.err(`\nthe config at ${rev} is invalid; nothing to compare against`);
    return EXIT.invalid;
  }
  const old = new Map(accessMatrix(beforePlan.plan).map((e) => [key(e), e]));
  const now = new Map(accessMatrix(current.plan).map((e) => [key(e), e]));
  const gained = [...now.values()].filter((e) => !old.has(key(e)));
  const lost = [...old.values()].filter((e) => !now.has(key(e)));
  const lines = [`## iam-roster: access changes since \`${rev}\``, ''];
  if (gained.length === 0 && lost.length === 0) {
    lines.push('No change in who may assume which role where.');
  } else {
    lines.push(`**${gained.length} gained, ${lost.length} lost**${gained.length > 0 ? ' — privileges grew; review carefully.' : '.'}`);
    if (gained.length > 0) lines.push('', '### Gained', '', markdown(ACCESS_COLUMNS, gained.map(accessRow)));
    if (lost.length > 0) lines.push('', '### Lost', '', markdown(ACCESS_COLUMNS, lost.map(accessRow)));
  }
  io.out(lines.join('\n'));
  return gained.length > 0 ? EXIT.grew : EXIT.ok;
}

