import { resolve } from 'node:path';
import { currentInstant } from '../config/dates.js';
import { formatIssue } from '../config/errors.js';
import type { RoleConfig, RosterConfig } from '../config/types.js';
import type { RosterPlan } from '../plan/types.js';
import { loadRoster } from '../roster.js';
import { hintFor } from '../config/suggest.js';
import { findAccount } from '../plan/explain.js';
import { UsageError, type CliIo } from './io.js';

export interface Loaded {
  dir: string;
  config: RosterConfig;
  plan: RosterPlan;
  /** The instant access is evaluated at (expiries): now, or $ROSTER_NOW / $ROSTER_TODAY. */
  now: string;
}

/** The config directory a command works on. */
export function configDir(io: CliIo, dirOption: string | undefined): string {
  return resolve(io.cwd, dirOption ?? io.env.ROSTER_CONFIG_DIR ?? '.');
}

/** Load and plan the config; print its problems (warnings too) to stderr; undefined on errors. */
export function loadOrReport(io: CliIo, dirOption: string | undefined): Loaded | undefined {
  const dir = configDir(io, dirOption);
  const now = currentInstant(io.env);
  const { config, plan, issues } = loadRoster(dir, now);
  for (const issue of issues) io.err(formatIssue(issue));
  if (!config || !plan) {
    io.err(`\n${issues.filter((i) => i.severity === 'error').length} error(s) in the config at ${dir}`);
    return undefined;
  }
  return { dir, config, plan, now };
}

export function requireUser(plan: RosterPlan, name: string): void {
  if (!plan.users.some((u) => u.name === name)) {
    throw new UsageError(`unknown user '${name}'`, hintFor(name, plan.users.map((u) => u.name), 'user'));
  }
}

export function requireAccount(plan: RosterPlan, name: string) {
  const account = findAccount(plan, name);
  if (!account) throw new UsageError(`unknown account '${name}'`, hintFor(name, plan.accounts.map((a) => a.prefix), 'account'));
  return account;
}

export function requireRole(config: RosterConfig, name: string): RoleConfig {
  const role = config.roles.find((r) => r.name === name);
  if (!role) throw new UsageError(`unknown role '${name}'`, hintFor(name, config.roles.map((r) => r.name), 'role'));
  return role;
}
