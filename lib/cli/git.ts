import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';
import type { ConfigIssue } from '../config/errors.js';
import { ACCOUNTS_DIR, decodeConfigFile, POLICIES_DIR, ROLES_DIR, USERS_FILE } from '../config/files.js';
import { UsageError } from './io.js';

function git(cwd: string, args: string[], input?: Buffer): Buffer {
  try {
    return execFileSync('git', args, { cwd, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1024 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n')[0];
    throw new UsageError(`git ${args[0]} failed: ${stderr || (error as Error).message}`, 'run roster inside the git checkout that holds the config, with a revision git knows (e.g. origin/main)');
  }
}

/** Whether a path in the config directory is a config file (what the loader reads). */
export function isConfigPath(local: string): boolean {
  return local === USERS_FILE || new RegExp(`^(${ACCOUNTS_DIR}|${ROLES_DIR})/[^/]+\\.ya?ml$`).test(local) || new RegExp(`^${POLICIES_DIR}/[^/]+\\.(json|ya?ml)$`).test(local);
}

/**
 * The config files as they were at `rev` (path relative to the config dir -> text), read in two
 * git processes whatever the number of files: `ls-tree` for the list, one `cat-file --batch`.
 * `missing`: `rev` exists but has no users.yaml (the pull request that introduces the config):
 * the caller compares against the empty config.
 */
export function configAtRevision(dir: string, rev: string): { files: Map<string, string>; issues: ConfigIssue[]; missing?: true } {
  const top = git(dir, ['rev-parse', '--show-toplevel']).toString('utf8').trim();
  const prefix = relative(top, dir).split('\\').join('/');
  const inRepo = (p: string) => (prefix ? `${prefix}/${p}` : p);
  const commit = git(top, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).toString('utf8').trim();
  const listing = git(top, ['ls-tree', '-r', '-z', commit, '--', inRepo(USERS_FILE), inRepo(ACCOUNTS_DIR), inRepo(ROLES_DIR), inRepo(POLICIES_DIR)]).toString('utf8');
  const entries = listing.split('\0').filter(Boolean).map((line) => {
    const [meta, path] = line.split('\t');
    const [, type, sha] = meta.split(' ');
    return { type, sha, local: prefix ? path.slice(prefix.length + 1) : path };
  }).filter((e) => e.type === 'blob' && isConfigPath(e.local));
  const files = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  if (!entries.some((e) => e.local === USERS_FILE)) return { files: new Map(), issues: [], missing: true };
  const batch = git(top, ['cat-file', '--batch'], Buffer.from(entries.map((e) => e.sha).join('\n') + '\n'));
  let offset = 0;
  for (const entry of entries) {
    const headerEnd = batch.indexOf(10, offset);
    const size = Number(batch.subarray(offset, headerEnd).toString('utf8').split(' ')[2]);
    const start = headerEnd + 1;
    const decoded = decodeConfigFile(entry.local, batch.subarray(start, start + size));
    if (decoded.issue) issues.push(decoded.issue);
    else files.set(entry.local, decoded.text!);
    offset = start + size + 1;
  }
  return { files, issues };
}

/** The commit a config directory was read from, and whether its config files differ from it. */
export interface Revision {
  commit: string;
  dirty: boolean;
}

/** The checkout's commit, or undefined outside git (the page then says so). Never throws. */
export function describeRevision(dir: string): Revision | undefined {
  try {
    const run = (args: string[]) => execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8').trim();
    const commit = run(['rev-parse', '--short=12', 'HEAD']);
    const dirty = run(['status', '--porcelain', '--', USERS_FILE, ACCOUNTS_DIR, ROLES_DIR, POLICIES_DIR]) !== '';
    return { commit, dirty };
  } catch {
    return undefined;
  }
}
