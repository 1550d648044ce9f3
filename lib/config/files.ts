import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigIssue } from './errors.js';

export const USERS_FILE = 'users.yaml';
export const ACCOUNTS_DIR = 'accounts';
export const ROLES_DIR = 'roles';
export const POLICIES_DIR = 'policies';

/** Which files of each directory are read; anything else there is reported as a warning. */
const DIRECTORIES: { dir: string; pattern: RegExp; extensions: string; required: boolean; what: string }[] = [
  { dir: ACCOUNTS_DIR, pattern: /\.ya?ml$/, extensions: '.yaml and .yml', required: true, what: 'one file per member account, e.g. accounts/prod.yaml' },
  { dir: ROLES_DIR, pattern: /\.ya?ml$/, extensions: '.yaml and .yml', required: true, what: 'one file per role, e.g. roles/ReadOnly.yaml' },
  { dir: POLICIES_DIR, pattern: /\.(json|ya?ml)$/, extensions: '.json, .yaml and .yml', required: false, what: 'shared policies, e.g. policies/logs-write.json' },
];

export interface ConfigTree {
  /** Path relative to the config directory -> decoded text. */
  files: Map<string, string>;
  issues: ConfigIssue[];
  /** Directories that do not exist (their absence is reported once, not as a cascade of missing references). */
  missingDirs: Set<string>;
}

const fileIssue = (file: string, message: string, hint: string, severity: 'error' | 'warning' = 'error'): ConfigIssue =>
  ({ file, line: 1, col: 1, severity, message, hint });

/** A file-system error in the user's terms. */
export function describeFsError(error: unknown, what: 'file' | 'directory'): { message: string; hint: string } {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return { message: `${what} not found (a dangling symbolic link?)`, hint: 'point the link at an existing file, or remove it' };
    case 'ELOOP':
      return { message: 'symbolic link loop', hint: 'the link points (through other links) back at itself; replace it with the real file' };
    case 'EACCES':
    case 'EPERM':
      return { message: `cannot read the ${what}: permission denied`, hint: `give the user running roster read access (chmod a+r${what === 'directory' ? 'x' : ''})` };
    case 'EISDIR':
      return { message: 'is a directory, not a file', hint: 'rename or remove the directory; iam-roster expects a YAML file here' };
    case 'ENOTDIR':
      return { message: 'is a file, not a directory', hint: 'iam-roster expects a directory here' };
    default:
      return { message: `cannot read the ${what}: ${(error as Error).message}`, hint: 'check the file system (disk, permissions, network mounts)' };
  }
}

/** Offset of the first byte that is not valid UTF-8, or -1. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    // overlong 3/4-byte forms, surrogates and code points past U+10FFFF
    if (length === 3 && ((b === 0xe0 && bytes[i + 1] < 0xa0) || (b === 0xed && bytes[i + 1] >= 0xa0))) return i;
    if (length === 4 && ((b === 0xf0 && bytes[i + 1] < 0x90) || (b === 0xf4 && bytes[i + 1] >= 0x90))) return i;
    i += length;
  }
  return -1;
}

/**
 * Decode a config file: UTF-8 (a byte-order mark is dropped), never silently replacing bytes.
 * Returns the text, or an issue at the line and column of the first undecodable byte.
 */
export function decodeConfigFile(file: string, bytes: Uint8Array): { text?: string; issue?: ConfigIssue } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { issue: fileIssue(file, 'the file is UTF-16, not UTF-8', 'save it as UTF-8 (most editors: "Save with encoding")') };
  }
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const bad = invalidUtf8Offset(body);
  if (bad >= 0) {
    const before = new TextDecoder('utf-8').decode(body.subarray(0, bad));
    const lines = before.split('\n');
    return {
      issue: {
        file, line: lines.length, col: lines.at(-1)!.length + 1, severity: 'error',
        message: `byte 0x${body[bad].toString(16).padStart(2, '0')} is not valid UTF-8`,
        hint: 'save the file as UTF-8; this looks like Latin-1 or Windows-1252 text',
      },
    };
  }
  const text = new TextDecoder('utf-8').decode(body);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const lines = text.slice(0, nul).split('\n');
    return { issue: { file, line: lines.length, col: lines.at(-1)!.length + 1, severity: 'error', message: 'the file contains a NUL byte (binary data?)', hint: 'config files are plain text; remove the byte or restore the file' } };
  }
  return { text };
}

function readText(root: string, file: string, issues: ConfigIssue[], files: Map<string, string>): void {
  let bytes: Buffer;
  try {
    if (statSync(join(root, file)).isDirectory()) {
      const { message, hint } = describeFsError({ code: 'EISDIR' }, 'file');
      issues.push(fileIssue(file, message, hint));
      return;
    }
    bytes = readFileSync(join(root, file));
  } catch (error) {
    const { message, hint } = describeFsError(error, 'file');
    issues.push(fileIssue(file, message, hint));
    return;
  }
  const decoded = decodeConfigFile(file, bytes);
  if (decoded.issue) issues.push(decoded.issue);
  else files.set(file, decoded.text!);
}

/** Read users.yaml, accounts/, roles/ and policies/ under `root`, never throwing: every problem is an issue. */
export function readConfigTree(root: string): ConfigTree {
  const files = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  const missingDirs = new Set<string>();
  try {
    if (!statSync(root).isDirectory()) {
      return { files, issues: [fileIssue(root, 'the config directory is a file', 'pass the directory that holds users.yaml (--dir or ROSTER_CONFIG_DIR)')], missingDirs };
    }
  } catch (error) {
    const { message } = describeFsError(error, 'directory');
    return { files, issues: [fileIssue(root, `the config directory: ${message}`, 'pass the directory that holds users.yaml (--dir or ROSTER_CONFIG_DIR)')], missingDirs };
  }
  try {
    statSync(join(root, USERS_FILE));
    readText(root, USERS_FILE, issues, files);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      issues.push(fileIssue(USERS_FILE, `${USERS_FILE} not found in ${root}`, 'create it with central, groups and users (see README), or pass --dir'));
    } else {
      const { message, hint } = describeFsError(error, 'file');
      issues.push(fileIssue(USERS_FILE, message, hint));
    }
  }
  for (const { dir, pattern, extensions, required, what } of DIRECTORIES) {
    let entries: string[];
    try {
      if (!statSync(join(root, dir)).isDirectory()) {
        issues.push(fileIssue(`${dir}/`, 'is a file, not a directory', `iam-roster expects a directory here: ${what}`));
        missingDirs.add(dir);
        continue;
      }
      entries = readdirSync(join(root, dir)).sort();
    } catch (error) {
      missingDirs.add(dir);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        if (required) issues.push(fileIssue(`${dir}/`, `the ${dir}/ directory is missing`, `create it: ${what}`));
      } else {
        const { message, hint } = describeFsError(error, 'directory');
        issues.push(fileIssue(`${dir}/`, message, hint));
      }
      continue;
    }
    const read = entries.filter((f) => pattern.test(f));
    for (const f of entries.filter((e) => !pattern.test(e) && !e.startsWith('.'))) {
      issues.push(fileIssue(`${dir}/${f}`, 'not read: not a config file name', `iam-roster reads only ${extensions} files here (${what}); rename it or move it elsewhere`, 'warning'));
    }
    if (read.length === 0 && required) issues.push(fileIssue(`${dir}/`, `the ${dir}/ directory has no config files`, `add ${what}`));
    for (const f of read) readText(root, `${dir}/${f}`, issues, files);
  }
  return { files, issues, missingDirs };
}
