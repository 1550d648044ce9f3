import type { PolicyDocument, PolicyStatement } from '../../config/iam-policy.js';
import { ORGANIZATIONS_LIMITS } from '../../config/limits.js';
import type { AccountConfig, RosterConfig } from '../../config/types.js';
import { guardrailStatements, REGION_SIDS } from '../guardrails.js';
import type { PlanIssue } from '../issues.js';
import { logicalIdFor } from '../names.js';
import { packStatements, policyJson } from '../policy-size.js';
import { perimeterStatements } from './perimeter-rcp.js';
import { protectStatements } from './protect-scp.js';
import { sessionStatements } from './sessions-scp.js';

export const ORGANIZATION_STACK_NAME = 'OrganizationStack';

export type OrganizationPolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

/** One `AWS::Organizations::Policy`: a document and the roots, OUs or accounts it attaches to. */
export interface OrganizationPolicyPlan {
  name: string;
  logicalId: string;
  type: OrganizationPolicyType;
  description: string;
  document: PolicyDocument;
  /** OU IDs and account IDs, sorted. */
  targets: readonly string[];
}

export interface OrganizationPlan {
  id: string;
  /** Where OrganizationStack deploys: the account that manages Organizations policies. */
  account: string;
  region: string;
  stackName: string;
  policies: readonly OrganizationPolicyPlan[];
  /** Account ID -> names of the SCPs that bind it (directly or through its type's OUs). */
  scpsByAccount: Readonly<Record<string, readonly string[]>>;
}

/** Statements that keep detection on: part of the organization layer even where an account opts out of the guardrails. */
const DETECTION_SIDS = new Set(['KeepDetectionOn']);

/**
 * Guardrail statements left to the identity policies of iam-roster's roles (and out of the SCPs,
 * whose 4 slots of 5,120 characters per target they would overflow): the destination-region
 * denies (a request made in an allowed region that puts a copy in another; the region
 * restriction itself is in the SCPs) and the finding-tuning deny (detection staying on is in).
 * README "Organization guardrails" says so.
 */
const IDENTITY_ONLY = (sid: string) => sid === 'KeepFindingsVisible' || (/^Deny.+(OutsideAllowedRegions|ToOtherRegions)$/.test(sid) && !REGION_SIDS.includes(sid));

/** The guardrails of an account as organization-wide statements (any account ID: the SCP binds the account it is attached to). */
function guardrailsFor(partition: string, account: AccountConfig | undefined): PolicyStatement[] {
  if (account && account.guardrails !== false) return guardrailStatements(partition, '*', account.guardrails).filter((s) => !IDENTITY_ONLY(s.Sid ?? ''));
  const detection = guardrailStatements(partition, '*', { allowedRegions: ['us-east-1'], protectedNamePatterns: ['*'], protectedKeyIds: [], detectionManagers: {}, permissionsBoundary: false, denyStatements: [] });
  return detection.filter((s) => DETECTION_SIDS.has(s.Sid ?? ''));
}

interface Member {
  /** `type-<type>`, `account-<prefix>` or `central`. */
  key: string;
  accountIds: string[];
  /** The shared protection and session statements (`central` or `members`). */
  protect: 'central' | 'members';
  guardrails: PolicyStatement[];
  /** OUs or accounts (organization.targets for a type, else the accounts). */
  targets: string[];
  origin: AccountConfig['origin'];
}

/**
 * The organization layer. Two SCP families per target: protection and session cut-offs (the same
 * for every member account, another for the central account), and the guardrails of a group of
 * accounts (an account type, or an account whose guardrails differ from its type's), each packed
 * under Organizations' 5,120 characters and together within the slots a target has (5,
 * FullAWSAccess included); and one resource perimeter RCP on every target.
 */
export function planOrganization(config: RosterConfig, issues: PlanIssue[]): OrganizationPlan | undefined {
  const org = config.organization;
  if (!org) return undefined;
  const members = groupAccounts(config, issues);
  warnManagementAccount(config, issues);
  const policies: OrganizationPolicyPlan[] = [];
  const scpsByAccount: Record<string, string[]> = {};
  const slots = ORGANIZATIONS_LIMITS.scpsPerTarget - 1 - org.policySlotsInUse;
  // Protection and session statements are the same for every member account: computed once.
  const shared = {
    central: [...protectStatements(config, true), ...sessionStatements(config, true)],
    members: [...protectStatements(config, false), ...sessionStatements(config, false)],
  };
  for (const member of members) {
    const packed = packUnordered([...shared[member.protect], ...member.guardrails], ORGANIZATIONS_LIMITS.scpChars);
    if ('error' in packed) {
      issues.push({ origin: member.origin, message: `the organization guardrails of ${member.key}: ${packed.error}`, hint: 'shorten the protected name patterns or allowed regions of these accounts' });
      continue;
    }
    if (packed.length > slots) {
      const chars = packed.reduce((n, d) => n + policyJson(d).length, 0);
      issues.push({
        origin: member.origin,
        message: `the organization guardrails of ${member.key} need ${packed.length} SCPs (${chars} characters); a target has room for ${slots} besides FullAWSAccess${org.policySlotsInUse ? ` and the ${org.policySlotsInUse} already in use` : ''}`,
        hint: 'fewer revokeSessions entries or expiry instants (group contractors on common end days), fewer protected name patterns, or free SCP slots on these targets',
      });
      continue;
    }
    packed.forEach((document, i) => {
      const name = `iam-roster-${member.key}-${i + 1}`;
      policies.push({ name, logicalId: logicalIdFor('Scp', name), type: 'SERVICE_CONTROL_POLICY', description: `iam-roster: protection, session cut-offs and guardrails for ${member.key} (${i + 1} of ${packed.length})`, document, targets: member.targets });
      for (const id of member.accountIds) (scpsByAccount[id] ??= []).push(name);
    });
  }
  if (org.resourcePerimeter) {
    const name = 'iam-roster-perimeter';
    const targets = [...new Set(members.flatMap((m) => m.targets))].sort();
    policies.push({ name, logicalId: logicalIdFor('Rcp', name), type: 'RESOURCE_CONTROL_POLICY', description: 'iam-roster: roles, buckets, keys and secrets accept only principals of the organization and declared outside accounts', document: { Version: '2012-10-17', Statement: perimeterStatements(config) }, targets });
  }
  policies.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const id of Object.keys(scpsByAccount)) scpsByAccount[id].sort();
  const scps = policies.filter((x) => x.type === 'SERVICE_CONTROL_POLICY').length;
  if (scps > ORGANIZATIONS_LIMITS.policiesPerType) {
    issues.push({ origin: org.origin, target: 'key', message: `the organization guardrails need ${scps} SCPs; an organization holds at most ${ORGANIZATIONS_LIMITS.policiesPerType}`, hint: 'give accounts of a type the same guardrails, so they share their type\'s policies' });
  }
  return { id: org.id, account: org.policyAccount, region: org.region, stackName: ORGANIZATION_STACK_NAME, policies, scpsByAccount };
}

/**
 * Accounts grouped by their guardrails: an account type shares its policies unless an account's
 * guardrails differ from the type's usual ones; the central account is its own group (it also
 * holds the users, groups and their policies).
 */
function groupAccounts(config: RosterConfig, issues: PlanIssue[]): Member[] {
  const org = config.organization!;
  const p = config.central.partition;
  const members: Member[] = [];
  const centralAccount = config.accounts.find((a) => a.id === config.central.account);
  members.push({ key: 'central', accountIds: [config.central.account], protect: 'central', guardrails: guardrailsFor(p, centralAccount), targets: [config.central.account], origin: centralAccount?.origin ?? { file: 'users.yaml', path: ['central'] } });
  for (const type of config.accountTypes) {
    const accounts = config.accounts.filter((a) => a.type === type && a.id !== config.central.account);
    if (accounts.length === 0) continue;
    const byContent = new Map<string, { statements: PolicyStatement[]; accounts: AccountConfig[] }>();
    for (const account of accounts) {
      const statements = guardrailsFor(p, account);
      const key = JSON.stringify(statements);
      const entry = byContent.get(key) ?? { statements, accounts: [] };
      entry.accounts.push(account);
      byContent.set(key, entry);
    }
    // The type's usual guardrails: those most of its accounts have (ties: the first by name).
    const groups = [...byContent.values()].sort((a, b) => b.accounts.length - a.accounts.length || (a.accounts[0].prefix < b.accounts[0].prefix ? -1 : 1));
    const [usual, ...odd] = groups;
    const ous = org.targets[type];
    members.push({ key: `type-${type}`, accountIds: usual.accounts.map((a) => a.id).sort(), protect: 'members', guardrails: usual.statements, targets: ous ? [...ous] : usual.accounts.map((a) => a.id).sort(), origin: usual.accounts[0].origin });
    for (const group of odd) {
      for (const account of group.accounts) {
        if (ous) {
          issues.push({
            origin: { file: account.origin.file, path: ['guardrails'] }, target: 'key',
            message: `${account.prefix}'s guardrails differ from the other ${type} accounts', but organization.targets attaches the ${type} policies to OUs: the account would get both`,
            hint: `give it the same guardrails as the other ${type} accounts, or give it its own account type`,
          });
          continue;
        }
        members.push({ key: `account-${account.prefix}`, accountIds: [account.id], protect: 'members', guardrails: group.statements, targets: [account.id], origin: account.origin });
      }
    }
  }
  return members;
}
/** AWS exempts the management account from every SCP and RCP: say so where it holds users or roles. */
function warnManagementAccount(config: RosterConfig, issues: PlanIssue[]): void {
  const org = config.organization!;
  const here = [...(config.central.account === org.policyAccount ? ['the central account'] : []), ...config.accounts.filter((a) => a.id === org.policyAccount && a.id !== config.central.account).map((a) => a.prefix)];
  if (here.length === 0) return;
  issues.push({
    origin: { file: org.origin.file, path: ['organization', 'policyAccount'] }, severity: 'warning',
    message: `organization.policyAccount ${org.policyAccount} is ${here.join(' and ')}: if it is the organization's management account, no SCP or RCP binds it`,
    hint: 'keep users and roles out of the management account, and manage the policies from a delegated administrator account',
  });
}

/**
 * Statements packed into as few documents as fit under `limit`, largest first into the first
 * document with room (order means nothing in an SCP, and every document is a slot of the 5 a
 * target has). Deterministic: ties keep the input order.
 */
function packUnordered(statements: readonly PolicyStatement[], limit: number): PolicyDocument[] | { error: string } {
  const pieces: PolicyStatement[] = [];
  for (const statement of statements) {
    const split = packStatements([statement], limit);
    if ('error' in split) return split;
    pieces.push(...split.flatMap((d) => d.Statement));
  }
  const empty = policyJson({ Version: '2012-10-17', Statement: [] }).length;
  const sized = pieces.map((statement, i) => ({ statement, i, size: JSON.stringify(statement).length })).sort((a, b) => b.size - a.size || a.i - b.i);
  const bins: { statements: PolicyStatement[]; size: number }[] = [];
  for (const { statement, size } of sized) {
    const bin = bins.find((b) => b.size + (b.statements.length > 0 ? 1 : 0) + size <= limit);
    if (bin) {
      bin.size += (bin.statements.length > 0 ? 1 : 0) + size;
      bin.statements.push(statement);
    } else {
      bins.push({ statements: [statement], size: empty + size });
    }
  }
  return bins.map((b) => ({ Version: '2012-10-17', Statement: b.statements }));
}
