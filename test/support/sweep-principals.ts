// Who the action-space sweep evaluates: every role iam-roster creates in every member account, and
// every central IAM user, of each config the sweep covers, in several guardrail variants of that
// config (as shipped, with the permissions boundary everywhere, with the guardrails off). Each is
// read from the synthesized templates (test/support/member-model.ts, iam-model.ts), never from
// the plan, so the sweep judges what would be deployed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { formatIssue } from '../../lib/config/errors.js';
import { validateFiles } from '../../lib/config/load.js';
import { buildPlan } from '../../lib/plan/plan.js';
import type { RosterConfig } from '../../lib/config/types.js';
import type { RosterPlan } from '../../lib/plan/types.js';
import { synthesize } from './assembly.js';
import { iamModel, type IamModel } from './iam-model.js';
import { memberAccounts, roleSession, type AccountModel, type Principal } from './member-model.js';
import type { SimulationOrgPolicies } from '@cloud-copilot/iam-simulate';
import { organizationPolicies } from './org-policies.js';

/** The tests' fixed "now" (test/helpers.ts TEST_NOW), repeated so scripts need not import vitest helpers. */
const NOW = '2026-11-22T00:00:00Z';

export type Variant = 'shipped' | 'boundary' | 'unguarded';

export interface SweepConfig {
  /** Short name used in allow-list patterns: acme, login-gov-style, small-team. */
  name: string;
  dir: string;
  variants: Variant[];
}

export interface SweptPrincipal {
  /** `<config>/<account prefix>/<Role>` for a role, `<config>/central/<user>` for a central user. */
  id: string;
  config: string;
  variant: Variant;
  account: string;
  accountPrefix: string;
  region: string;
  /** Role name, or `CentralUser` for a central IAM user. */
  role: string;
  /** The role carries a permissions boundary (as synthesized). */
  boundary: boolean;
  /** The role carries the guardrails policy (region restriction, deletion protection). */
  guardrails: boolean;
  /** Central users: the request is made with MFA (a console or GetSessionToken session) or not (a bare access key). */
  mfa: boolean;
  principal: Principal;
  /** Tags of the role (aws:PrincipalTag in its sessions) or the user. */
  principalTags: Record<string, string>;
  /** The session name (user name) the principal's requests carry. */
  session: string;
  /** Names (protected targets) from the config and the account. */
  facts: AccountFacts;
  /** The organization's SCPs on the principal's account and RCPs on its resources (empty without an OrganizationStack). */
  scps: SimulationOrgPolicies[];
  rcps: SimulationOrgPolicies[];
}

export interface AccountFacts {
  account: string;
  prefix: string;
  region: string;
  centralAccount: string;
  pipelineAccount?: string;
  protectedNamePatterns: string[];
  /** Every role iam-roster creates in the account (catalog and service roles). */
  rosterRoles: string[];
  instanceProfiles: string[];
  /** Customer managed policies iam-roster creates in the account. */
  rosterPolicies: string[];
  boundaryArn?: string;
  /** Central account: iam-roster's users and groups there. */
  users: string[];
  groups: string[];
  /** Role ARN -> trust policy, for sts:AssumeRole. */
  trust: Map<string, Record<string, unknown>>;
}

/** Every file of a config tree, path -> text. */
function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/.test(entry)) files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/** The config tree with the variant's guardrails: the boundary on every guarded account, or no guardrails anywhere. */
export function variantFiles(files: Map<string, string>, variant: Variant): Map<string, string> {
  if (variant === 'shipped') return files;
  const out = new Map(files);
  for (const [path, text] of files) {
    const isUsers = path === 'users.yaml';
    if (!isUsers && !path.startsWith('accounts/')) continue;
    const doc = parseDocument(text);
    if (variant === 'boundary') {
      // The organisation's own deny statements (login-gov-style) do not fit a boundary on every
      // role next to iam-roster's own part: this variant is about the boundary, so they stay out.
      if (isUsers) {
        doc.setIn(['security', 'guardrails', 'permissionsBoundary'], true);
        doc.deleteIn(['security', 'guardrails', 'denyStatements']);
      } else if (doc.get('guardrails') !== false && doc.get('guardrails') !== undefined) {
        doc.setIn(['guardrails', 'permissionsBoundary'], true);
        doc.deleteIn(['guardrails', 'denyStatements']);
      }
    } else if (!isUsers) {
      doc.set('guardrails', false);
    }
    out.set(path, doc.toString());
  }
  return out;
}

function planOfFiles(name: string, files: Map<string, string>): { config: RosterConfig; plan: RosterPlan } {
  const { config, issues } = validateFiles(files, { now: NOW });
  if (!config) throw new Error(`${name}: invalid config:\n${issues.map(formatIssue).join('\n')}`);
  const planned = buildPlan(config);
  if (!planned.plan) throw new Error(`${name}: plan failed:\n${planned.issues.map(formatIssue).join('\n')}`);
  return { config, plan: planned.plan };
}

const synth = (plan: RosterPlan) => synthesize(plan, 'roster-sweep-');

const POLICY = (account: string, name: string) => `arn:aws:iam::${account}:policy/${name}`;

function factsOf(config: RosterConfig, plan: RosterPlan, m: AccountModel, prefix: string, central: IamModel): AccountFacts {
  const accountConfig = config.accounts.find((a) => a.prefix === prefix)!;
  const trust = new Map<string, Record<string, unknown>>();
  for (const [arn, role] of central.roles) if (role.account === m.account) trust.set(arn, role.trust);
  const rosterPolicies = [...m.policies.keys()].map((arn) => arn.split('/').at(-1)!);
  const boundaryArn = [...m.roles.values()].find((r) => r.boundaryArn)?.boundaryArn;
  const isCentral = m.account === central.centralAccount;
  return {
    account: m.account,
    prefix,
    region: m.region,
    centralAccount: central.centralAccount,
    pipelineAccount: plan.pipeline?.account,
    protectedNamePatterns: accountConfig.guardrails ? [...accountConfig.guardrails.protectedNamePatterns] : [],
    rosterRoles: [...m.roles.keys()].filter((r) => !r.startsWith('iam-roster-')),
    instanceProfiles: accountConfig.serviceRoles.filter((r) => r.instanceProfile).map((r) => r.name),
    rosterPolicies,
    boundaryArn,
    users: isCentral ? [...central.users.keys()] : [],
    groups: isCentral ? [...central.groups.keys()] : [],
    trust,
  };
}

/** Central account facts when it is not also a member. */
function centralFacts(config: RosterConfig, plan: RosterPlan, central: IamModel): AccountFacts {
  const region = plan.central.region;
  const guarded = config.accounts.find((a) => a.guardrails)?.guardrails;
  return {
    account: central.centralAccount, prefix: 'central', region, centralAccount: central.centralAccount, pipelineAccount: plan.pipeline?.account,
    protectedNamePatterns: guarded ? [...guarded.protectedNamePatterns] : [],
    rosterRoles: [], instanceProfiles: [], rosterPolicies: [...central.policies.keys()].filter((a) => a.includes(`::${central.centralAccount}:`)).map((a) => a.split('/').at(-1)!),
    users: [...central.users.keys()], groups: [...central.groups.keys()], trust: new Map(),
  };
}

/** Every principal of one config in one variant. */
export function principalsOf(config: SweepConfig, variant: Variant): SweptPrincipal[] {
  const { config: rosterConfig, plan } = planOfFiles(`${config.name} (${variant})`, variantFiles(readTree(config.dir), variant));
  const dir = synth(plan);
  const centralAccount = plan.central.account;
  const central = iamModel(dir, centralAccount);
  const orgOf = organizationPolicies(dir);
  const out: SweptPrincipal[] = [];
  let centralFactsCache: AccountFacts | undefined;
  for (const [prefix, m] of memberAccounts(dir)) {
    const facts = factsOf(rosterConfig, plan, m, prefix, central);
    if (m.account === centralAccount) centralFactsCache = facts;
    for (const [role, r] of m.roles) {
      if (role.startsWith('iam-roster-')) continue; // handler roles run only iam-roster's code
      const session = 'alice@example.com';
      // Customer managed policies the account already has (attached by name): iam-roster cannot see
      // their content; the sweep takes them as granting nothing (the role's other policies decide).
      const existing = Object.fromEntries(r.policyArns.filter((arn) => !arn.includes(':iam::aws:policy/') && !m.policies.has(arn))
        .map((arn) => [arn, { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'route53:DisableHostedZoneDNSSEC', Resource: 'arn:aws:route53:::hostedzone/none' }] }]));
      const principal = roleSession(m, role, session, existing);
      out.push({
        id: `${config.name}/${prefix}/${role}`, config: config.name, variant, account: m.account, accountPrefix: prefix, region: m.region, role,
        boundary: r.boundaryArn !== undefined,
        guardrails: r.policyArns.some((p) => p.endsWith('/IamRosterGuardrails')),
        mfa: true, principal, principalTags: r.tags, session, facts, scps: orgOf.scpsFor(m.account), rcps: orgOf.rcpsFor(m.account),
      });
    }
  }
  // Central users assume roles in every account: they see every role's trust policy.
  const facts = { ...(centralFactsCache ?? centralFacts(rosterConfig, plan, central)), trust: new Map([...central.roles].map(([arn, r]) => [arn, r.trust])) };
  for (const [name, user] of central.users) {
    const arns = [...user.managedPolicyArns, ...user.groups.flatMap((g) => central.groups.get(g)?.managedPolicyArns ?? [])];
    const principal: Principal = {
      arn: `arn:aws:iam::${centralAccount}:user/${name}`, account: centralAccount, principalArn: `arn:aws:iam::${centralAccount}:user/${name}`,
      identity: arns.map((a) => ({ name: a, policy: (central.policies.get(a) ?? (() => { throw new Error(`user ${name} references ${a}, which no template creates`); })()) as Record<string, unknown> })),
    };
    for (const mfa of [true, false]) {
      out.push({
        id: `${config.name}/central/${name}`, config: config.name, variant, account: centralAccount, accountPrefix: 'central', region: facts.region,
        role: 'CentralUser', boundary: false, guardrails: false, mfa, principal, principalTags: user.tags, session: name, facts, scps: orgOf.scpsFor(centralAccount), rcps: orgOf.rcpsFor(centralAccount),
      });
    }
  }
  return out;
}

export { POLICY };
