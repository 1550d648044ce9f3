import { appendFileSync, cpSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { NestedStack, Stack } from 'aws-cdk-lib';
import { validateFiles } from '../lib/config/load.js';
import { formatIssue } from '../lib/config/errors.js';
import type { RosterConfig } from '../lib/config/types.js';
import { diffSnapshots, type Change } from '../lib/plan/diff/diff.js';
import { snapshot } from '../lib/plan/diff/snapshot.js';
import { buildPlan } from '../lib/plan/plan.js';
import type { RosterPlan } from '../lib/plan/types.js';
import { renderApp } from '../lib/app.js';
import { loadRoster } from '../lib/roster.js';

export const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** A config tree under test/fixtures/. Tool tests use these, never the repo's own (the user's) config. */
export function fixtureDir(name: string): string {
  return join(repoRoot, 'test', 'fixtures', name);
}

/** The acme fixture: 17 users, 8 groups, 9 accounts, every security feature. */
export const ACME = fixtureDir('acme');

/** The role catalog of the acme fixture, as config files (`roles/<Name>.yaml` -> text). */
export function catalogFiles(dir = ACME): Record<string, string> {
  return Object.fromEntries(readdirSync(join(dir, 'roles')).sort().map((f) => [`roles/${f}`, readFileSync(join(dir, 'roles', f), 'utf8')]));
}

/** The tests' fixed "now": the example's future dates stay future in every run. */
export const TEST_NOW = '2026-11-22T00:00:00Z';

/** A small valid config, as file path -> YAML text. Tests override single files. */
export function baseFiles(): Record<string, string> {
  return {
    'users.yaml': [
      'central:',
      '  account: "111111111111"',
      '  region: us-east-1',
      'groups:',
      '  admins:',
      '    roles:',
      '      FullAdministrator: [prod, dev]',
      '  devs:',
      '    roles:',
      '      PowerUser: [dev]',
      '      ReadOnly: [prod]',
      'users:',
      '  alice@example.com: [admins]',
      '  bob:',
      '    groups: [devs]',
      '    email: bob@example.com',
      '',
    ].join('\n'),
    'accounts/prod.yaml': 'id: "222222222222"\nalias: acme-prod\ntype: prod\n',
    'accounts/dev.yaml': 'id: "333333333333"\nalias: acme-dev\ntype: dev\nregion: eu-west-1\nroles:\n  KMSAdministrator: true\n',
    ...catalogFiles(),
  };
}

export function validate(files: Record<string, string>) {
  return validateFiles(new Map(Object.entries(files)), { now: TEST_NOW });
}

/** Issues as `file:line:col: severity: message` lines (hints dropped), for exact assertions. */
export function issueLines(files: Record<string, string>): string[] {
  return validate(files).issues.map((i) => formatIssue({ ...i, hint: '' }));
}

export function configOf(files: Record<string, string>): RosterConfig {
  const { config, issues } = validate(files);
  if (!config) throw new Error(`invalid test config:\n${issues.map(formatIssue).join('\n')}`);
  return config;
}

export function planOf(files: Record<string, string>): RosterPlan {
  const { plan, issues } = buildPlan(configOf(files));
  if (!plan) throw new Error(`plan failed:\n${issues.map(formatIssue).join('\n')}`);
  return plan;
}

export function writeConfig(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'roster-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** The plan of a fixture directory (default: acme). */
export function acmePlan(dir = ACME): RosterPlan {
  const { plan, issues } = loadRoster(dir, TEST_NOW);
  if (!plan) throw new Error(issues.map(formatIssue).join('\n'));
  return plan;
}

/** Every template of a rendered plan: the central stack, its nested stacks, and the account stacks. */
export function templatesOf(plan: RosterPlan) {
  const rendered = renderApp(plan);
  const nested = (stack: Stack) =>
    stack.node.children.filter((c): c is NestedStack => (c as NestedStack).nestedStackResource !== undefined);
  return {
    rendered,
    central: Template.fromStack(rendered.central),
    nested: new Map(nested(rendered.central).map((s) => [s.node.id, Template.fromStack(s)])),
    accounts: new Map(rendered.accounts.map((s) => [s.stackName, Template.fromStack(s)])),
  };
}

/**
 * acme with organization guardrails (policy account 999999999999, outside account 777777777777
 * trusted) and dave@example.com's sessions revoked at 2026-11-21T12:00:00Z,
 * as a config directory.
 */
export function organizationFixture(extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'roster-org-'));
  cpSync(ACME, dir, { recursive: true });
  appendFileSync(join(dir, 'users.yaml'), [
    '',
    'organization:',
    '  id: o-a1b2c3d4e5',
    '  policyAccount: "999999999999"',
    '  trustedAccounts: ["777777777777"]',
    'revokeSessions:',
    '  dave@example.com: 2026-11-21T12:00:00Z',
    extra,
  ].join('\n'));
  return dir;
}

/** `roster diff` between two configs (file path -> YAML text), as of TEST_NOW. */
export function diffOf(before: Record<string, string>, after: Record<string, string>): Change[] {
  const snap = (files: Record<string, string>) => {
    const config = configOf(files);
    const { plan, issues } = buildPlan(config);
    if (!plan) throw new Error(issues.map((i) => i.message).join('\n'));
    return snapshot(config, plan.accounts, TEST_NOW);
  };
  return diffSnapshots(snap(before), snap(after), TEST_NOW);
}
