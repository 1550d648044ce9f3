import { expiryInstant, hasExpired } from '../../config/dates.js';
import type { BoundaryConfig, PasswordPolicyConfig, RosterConfig, UserConfig } from '../../config/types.js';
import type { PolicyStatement } from '../../config/iam-policy.js';
import { policyJson } from '../policy-size.js';
import type { ManagedPolicyPlan, RolePlan } from '../types.js';
import { splitTypeRole, type Grant, type Snapshot, type TypeRole } from './snapshot.js';
import { organizationChanges } from './organization.js';
import { compareStatements } from './statements.js';

export type Direction = 'grew' | 'shrank' | 'neutral';
export type Risk = 'critical' | 'high' | 'medium' | 'low';
export type ChangeKind = 'access' | 'role' | 'account' | 'user' | 'group' | 'security' | 'revocation' | 'pipeline' | 'central' | 'organization';

export interface AccessRow {
  user: string;
  account: string;
  role: string;
  change: 'gained' | 'lost' | 'ends later' | 'ends sooner';
  from?: string;
  to?: string;
}

/** One change, by its cause: "group `platform` gains `PowerUser` in type `prod`". */
export interface Change {
  kind: ChangeKind;
  cause: string;
  direction: Direction;
  risk: Risk;
  /** Why the risk is what it is (admin-equivalent role, wildcard action, MFA loosened, ...). */
  why?: string;
  detail: string[];
  /** Access rows this cause explains (users x accounts). */
  access?: AccessRow[];
  /**
   * Deploying it deletes something for good that re-adding cannot bring back (an IAM user with its
   * access keys, MFA devices and console password): the `detail` says what.
   */
  destructive?: boolean;
  /** The IAM users deploying it deletes (a user removed or renamed). */
  deletes?: string[];
  /** Why CloudFormation cannot deploy the change as written, and how to do it instead. */
  blocked?: string;
}

const RISK_ORDER: Record<Risk, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const DIRECTION_ORDER: Record<Direction, number> = { grew: 0, neutral: 1, shrank: 2 };

/** Riskiest first: growth before the rest, then by risk, then by how many it touches. */
export function byRisk(a: Change, b: Change): number {
  return DIRECTION_ORDER[a.direction] - DIRECTION_ORDER[b.direction] || RISK_ORDER[a.risk] - RISK_ORDER[b.risk]
    || (b.access?.length ?? 0) - (a.access?.length ?? 0) || (a.cause < b.cause ? -1 : a.cause > b.cause ? 1 : 0);
}

const later = (a: string | undefined, b: string | undefined) => (a === undefined ? b !== undefined : b !== undefined && expiryInstant(a) > expiryInstant(b));
const code = (s: string) => `\`${s}\``;

class Changes {
  private readonly byKey = new Map<string, Change>();

  get(key: string, make: () => Change): Change {
    let c = this.byKey.get(key);
    if (!c) {
      c = make();
      this.byKey.set(key, c);
    }
    return c;
  }

  /** Make `key` name `change` too: causes found later under that key are this change. */
  alias(key: string, change: Change): void {
    this.byKey.set(key, change);
  }

  add(change: Change): void {
    this.byKey.set(`${change.kind}\u0000${change.cause}\u0000${this.byKey.size}`, change);
  }

  list(): Change[] {
    return [...new Set(this.byKey.values())].filter((c) => c.detail.length > 0 || (c.access?.length ?? 0) > 0 || c.direction !== 'neutral' || c.kind === 'account' || c.kind === 'user').sort(byRisk);
  }
}

/**
 * Everything that changes effective permissions between two revisions, each change classified
 * as grew, shrank or neutral (see docs in README "Reviewing changes") and grouped by its cause.
 */
export function diffSnapshots(old: Snapshot, now: Snapshot, at: string): Change[] {
  const changes = new Changes();
  const renamed = groupRenames(old.config, now.config);
  const gone = removedUsers(old.config, now.config);
  centralChanges(old.config, now.config, changes);
  securityChanges(old.config, now.config, changes);
  revocationChanges(old.config, now.config, at, changes);
  pipelineChanges(old.config, now.config, changes);
  userChanges(old, now, changes);
  groupChanges(old.config, now.config, renamed, changes);
  accountChanges(old, now, changes);
  accessChanges(old, now, changes, at, renamed);
  roleChanges(old, now, gone, changes);
  sharedPolicyChanges(old, now, gone, changes);
  for (const c of organizationChanges(old.config, now.config)) changes.add({ kind: 'organization', ...c });
  return changes.list();
}

/** Users in `old` that `now` no longer has (renamed ones included: their IAM user is deleted). */
function removedUsers(old: RosterConfig, now: RosterConfig): Set<string> {
  const kept = new Set(now.users.map((u) => u.name));
  return new Set(old.users.filter((u) => !kept.has(u.name)).map((u) => u.name));
}

function centralChanges(old: RosterConfig, now: RosterConfig, changes: Changes): void {
  for (const key of ['account', 'region', 'partition'] as const) {
    if (old.central[key] !== now.central[key]) {
      changes.add({ kind: 'central', cause: `central ${key} changes from ${code(old.central[key])} to ${code(now.central[key])}`, direction: 'neutral', risk: 'critical', why: 'every user, group and policy moves: they are recreated', detail: [] });
    }
  }
}

const PASSWORD_LOOSER: Record<keyof PasswordPolicyConfig, (a: never, b: never) => boolean> = {
  minimumLength: (a: number, b: number) => b < a,
  requireUppercase: (a: boolean, b: boolean) => a && !b,
  requireLowercase: (a: boolean, b: boolean) => a && !b,
  requireNumbers: (a: boolean, b: boolean) => a && !b,
  requireSymbols: (a: boolean, b: boolean) => a && !b,
  passwordReusePrevention: (a: number, b: number) => b < a,
  maxPasswordAge: (a: number, b: number) => b > a,
  hardExpiry: (a: boolean, b: boolean) => a && !b,
  allowUsersToChangePassword: () => false,
};

function securityChanges(old: RosterConfig, now: RosterConfig, changes: Changes): void {
  const [a, b] = [old.security, now.security];
  if (a.mfaMaxAgeSeconds !== b.mfaMaxAgeSeconds) {
    const grew = b.mfaMaxAgeSeconds === undefined || (a.mfaMaxAgeSeconds !== undefined && b.mfaMaxAgeSeconds > a.mfaMaxAgeSeconds);
    changes.add({
      kind: 'security', direction: grew ? 'grew' : 'shrank', risk: grew ? 'critical' : 'low', why: grew ? 'MFA loosened' : undefined,
      cause: b.mfaMaxAgeSeconds === undefined ? `MFA age no longer limited (was ${a.mfaMaxAgeSeconds} s)` : a.mfaMaxAgeSeconds === undefined ? `MFA sign-ins must be less than ${b.mfaMaxAgeSeconds} s old` : `maximum MFA age ${a.mfaMaxAgeSeconds} s -> ${b.mfaMaxAgeSeconds} s`,
      detail: ['every assume policy and every trust policy'],
    });
  }
  for (const key of Object.keys(PASSWORD_LOOSER) as (keyof PasswordPolicyConfig)[]) {
    if (a.passwordPolicy[key] === b.passwordPolicy[key]) continue;
    const looser = PASSWORD_LOOSER[key](a.passwordPolicy[key] as never, b.passwordPolicy[key] as never);
    const tighter = key !== 'allowUsersToChangePassword' && !looser;
    changes.add({ kind: 'security', cause: `password policy ${key}: ${a.passwordPolicy[key]} -> ${b.passwordPolicy[key]}`, direction: looser ? 'grew' : tighter ? 'shrank' : 'neutral', risk: looser ? 'high' : 'low', why: looser ? 'password policy loosened' : undefined, detail: [] });
  }
  if (a.memberAccountPasswordPolicy !== b.memberAccountPasswordPolicy) {
    changes.add({ kind: 'security', cause: b.memberAccountPasswordPolicy ? 'the password policy is set in every member account too' : 'member accounts no longer get the password policy (it is deleted there)', direction: b.memberAccountPasswordPolicy ? 'shrank' : 'grew', risk: b.memberAccountPasswordPolicy ? 'low' : 'high', detail: [] });
  }
  if (a.onboardingPrincipal !== b.onboardingPrincipal) {
    changes.add({ kind: 'security', cause: `initial console passwords readable by ${code(b.onboardingPrincipal ?? 'nobody')} (was ${code(a.onboardingPrincipal ?? 'nobody')})`, direction: b.onboardingPrincipal ? 'grew' : 'shrank', risk: b.onboardingPrincipal ? 'critical' : 'low', why: 'a new reader of passwords', detail: [] });
  }
}

function revocationChanges(old: RosterConfig, now: RosterConfig, at: string, changes: Changes): void {
  const twelveHours = 12 * 3600 * 1000;
  const live = (time: string) => Date.parse(time) + twelveHours >= Date.parse(at);
  const users = new Set([...Object.keys(old.security.revokedSessions), ...Object.keys(now.security.revokedSessions)]);
  for (const user of [...users].sort()) {
    const [a, b] = [old.security.revokedSessions[user], now.security.revokedSessions[user]];
    if (a === b) continue;
    if (b === undefined) {
      changes.add({ kind: 'revocation', cause: `revocation of ${code(user)}'s sessions (${a}) removed`, direction: live(a) ? 'grew' : 'neutral', risk: live(a) ? 'high' : 'low', why: live(a) ? 'sessions it revoked may still be live' : undefined, detail: [] });
    } else if (a === undefined) {
      changes.add({ kind: 'revocation', cause: `${code(user)}'s sessions issued before ${b} revoked`, direction: 'shrank', risk: 'low', detail: [] });
    } else {
      const earlier = b < a;
      changes.add({ kind: 'revocation', cause: `revocation of ${code(user)}'s sessions moved from ${a} to ${b}`, direction: earlier ? 'grew' : 'shrank', risk: earlier ? 'high' : 'low', detail: [] });
    }
  }
}

function pipelineChanges(old: RosterConfig, now: RosterConfig, changes: Changes): void {
  const [a, b] = [old.pipeline, now.pipeline];
  if (!a && !b) return;
  for (const type of a?.manualApproval ?? []) {
    if (!(b?.manualApproval ?? []).includes(type)) changes.add({ kind: 'pipeline', cause: `the ${code(type)} wave deploys without a manual approval`, direction: 'grew', risk: 'high', why: 'less review before deployment', detail: [] });
  }
  for (const type of b?.manualApproval ?? []) if (!(a?.manualApproval ?? []).includes(type)) changes.add({ kind: 'pipeline', cause: `the ${code(type)} wave waits for a manual approval`, direction: 'shrank', risk: 'low', detail: [] });
  for (const role of b?.approvers ?? []) {
    if (!(a?.approvers ?? []).includes(role)) changes.add({ kind: 'pipeline', cause: `${code(role)} sessions may give the pipeline's manual approvals`, direction: 'grew', risk: 'high', why: 'more people can let a deployment through', detail: [] });
  }
  for (const role of a?.approvers ?? []) if (!(b?.approvers ?? []).includes(role)) changes.add({ kind: 'pipeline', cause: `${code(role)} sessions no longer give the pipeline's manual approvals`, direction: 'shrank', risk: 'low', detail: [] });
  for (const key of ['repository', 'branch', 'connectionArn', 'account', 'region'] as const) {
    if (a?.[key] !== b?.[key]) changes.add({ kind: 'pipeline', cause: `pipeline ${key}: ${code(a?.[key] ?? '(none)')} -> ${code(b?.[key] ?? '(none)')}`, direction: 'grew', risk: 'high', why: 'what gets deployed comes from elsewhere', detail: [] });
  }
  if (JSON.stringify(a?.waveOrder) !== JSON.stringify(b?.waveOrder)) changes.add({ kind: 'pipeline', cause: `wave order: ${(a?.waveOrder ?? []).join(', ')} -> ${(b?.waveOrder ?? []).join(', ')}`, direction: 'neutral', risk: 'low', detail: [] });
}

/** Session-tag sources: user tags that feed a session tag of some role. */
function sessionTagSources(config: RosterConfig): Set<string> {
  return new Set(config.roles.flatMap((r) => Object.values(r.sessionTags)));
}

function userChanges(old: Snapshot, now: Snapshot, changes: Changes): void {
  const before = new Map(old.config.users.map((u) => [u.name, u]));
  const after = new Map(now.config.users.map((u) => [u.name, u]));
  const sources = sessionTagSources(now.config);
  const renames = userRenames(old.config, now.config);
  for (const [from, { to, proven }] of renames) {
    const [a, b] = [before.get(from)!, after.get(to)!];
    const caseOnly = from.toLowerCase() === to.toLowerCase();
    // Unproven (same access, nothing saying it is the same person): the new name's access is
    // judged as a user added's, since it may be someone else.
    const change: Change = {
      kind: 'user', cause: proven
        ? `user ${code(from)} renamed to ${code(to)}${caseOnly ? ' (case only)' : ''}: the IAM user ${code(from)} is deleted and ${code(to)} created`
        : `user ${code(from)} removed and ${code(to)} added with the same access (a rename? no email or description says so): the IAM user ${code(from)} is deleted and ${code(to)} created`,
      direction: 'neutral', risk: 'high', why: 'IAM users cannot be renamed by CloudFormation: a delete and a create', destructive: true, deletes: [from],
      detail: [...deletedWithUser(a), `created: the IAM user ${code(to)} (${describeUser(b).join('; ')}), with no keys or MFA device: ${b.console ? 'a new initial password' : 'no console password'}`],
      access: [],
      ...(caseOnly ? { blocked: `IAM user names are case-insensitive and CloudFormation creates ${code(to)} before it deletes ${code(from)}, so the create fails (the name exists). Do it in two steps: remove ${code(from)} in one pull request and deploy it, then add ${code(to)} in the next.` } : {}),
    };
    if (proven) PROVEN_RENAMES.add(change);
    changes.alias(userKey(from, '-'), change);
    changes.alias(userKey(to, '+'), change);
  }
  const paired = new Set([...renames.keys(), ...[...renames.values()].map((r) => r.to)]);
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [a, b] = [before.get(name), after.get(name)];
    if (paired.has(name) && (!a || !b)) continue;
    if (!a) {
      changes.get(userKey(name, '+'), () => ({ kind: 'user', cause: `user ${code(name)} added`, direction: b!.console ? 'grew' : 'neutral', risk: 'medium', detail: describeUser(b!), access: [] }));
      continue;
    }
    if (!b) {
      changes.get(userKey(name, '-'), () => ({ kind: 'user', cause: `user ${code(name)} removed`, direction: 'shrank', risk: 'high', why: 'deletes an IAM user and its credentials for good', destructive: true, deletes: [name], detail: deletedWithUser(a), access: [] }));
      continue;
    }
    if (a.expires !== b.expires) {
      const grew = later(b.expires, a.expires) || b.expires === undefined;
      changes.get(`user-expiry\u0000${name}`, () => ({
        kind: 'user', cause: b.expires === undefined ? `${code(name)} no longer expires (was ${a.expires})` : a.expires === undefined ? `${code(name)} expires ${b.expires}` : `${code(name)} expires ${b.expires} instead of ${a.expires}`,
        direction: grew ? 'grew' : 'shrank', risk: grew ? 'high' : 'low', why: grew ? 'expiry pushed later or removed' : undefined, detail: [], access: [],
      }));
    }
    for (const g of new Set([...Object.keys(a.membershipExpiry), ...Object.keys(b.membershipExpiry)])) {
      const [x, y] = [a.membershipExpiry[g], b.membershipExpiry[g]];
      if (x === y || !a.groups.includes(g) || !b.groups.includes(g)) continue;
      const grew = y === undefined || later(y, x);
      changes.get(`membership-expiry\u0000${name}\u0000${g}`, () => ({
        kind: 'user', cause: y === undefined ? `${code(name)}'s membership of ${code(g)} no longer expires (was ${x})` : x === undefined ? `${code(name)}'s membership of ${code(g)} expires ${y}` : `${code(name)}'s membership of ${code(g)} expires ${y} instead of ${x}`,
        direction: grew ? 'grew' : 'shrank', risk: grew ? 'high' : 'low', why: grew ? 'expiry pushed later or removed' : undefined, detail: [], access: [],
      }));
    }
    if (a.console !== b.console) {
      const grew = !a.console;
      const shrank = !b.console;
      changes.add({ kind: 'user', cause: `${code(name)} console: ${a.console || 'none'} -> ${b.console || 'none'}`, direction: grew ? 'grew' : shrank ? 'shrank' : 'neutral', risk: grew ? 'medium' : 'low', detail: [] });
    }
    for (const key of new Set([...Object.keys(a.tags), ...Object.keys(b.tags)])) {
      if (a.tags[key] === b.tags[key]) continue;
      const source = sources.has(key);
      changes.add({ kind: 'user', cause: `${code(name)} tag ${key}: ${a.tags[key] ?? '(none)'} -> ${b.tags[key] ?? '(none)'}`, direction: source ? 'grew' : 'neutral', risk: source ? 'medium' : 'low', why: source ? 'a session-tag source: the user acts under another identity in sessions' : undefined, detail: [] });
    }
  }
}

function describeUser(u: UserConfig): string[] {
  return [
    `groups: ${u.groups.join(', ') || 'none'}`,
    ...(u.directGrants.length ? [`direct: ${u.directGrants.map((g) => `${g.role} in ${g.accountTypes.join(', ')}`).join('; ')}`] : []),
    ...(u.expires ? [`expires ${u.expires}`] : []),
    ...(u.console ? [`console: ${u.console}`] : []),
  ];
}

const userKey = (name: string, sign: '+' | '-') => `user\u0000${sign}\u0000${name}`;

/**
 * What deleting a user's IAM user deletes for good (its cleanup resource removes whatever would
 * block DeleteUser): from the config, whether it has a console password; access keys, MFA devices,
 * signing certificates and SSH keys are the user's own (self-service) and may exist whatever the config says.
 */
function deletedWithUser(u: UserConfig): string[] {
  return [
    `deleted: the IAM user ${code(u.name)}${u.groups.length ? `, its memberships (${u.groups.join(', ')})` : ''}`,
    u.console === false ? 'deleted: no console password (console: false)' : `deleted: its console password (login profile)${u.console === 'initial-password' ? ' and the secret holding its initial password' : ''}`,
    'deleted: every access key, MFA device, signing certificate, SSH key and service credential the user made (self-service): they cannot be recovered, re-adding the user makes new ones',
  ];
}

/** The access a user is given: two users with the same profile could be one renamed. */
const accessProfile = (u: UserConfig) => JSON.stringify([u.groups, u.membershipExpiry, u.directGrants.map((g) => [g.role, g.accountTypes]), u.expires ?? null, u.console]);

/** Renames shown to be one person (case only, same email or description): compared as one user. */
const PROVEN_RENAMES = new WeakSet<Change>();

/**
 * Users renamed: a name removed and a name added that differ only in case, or that have the same
 * access and no different email. `proven` when the case alone differs or the email or description
 * is the same. Each pairing must be unique, else none is made.
 */
export function userRenames(old: RosterConfig, now: RosterConfig): Map<string, { to: string; proven: boolean }> {
  const oldNames = new Set(old.users.map((u) => u.name));
  const nowNames = new Set(now.users.map((u) => u.name));
  const removed = old.users.filter((u) => !nowNames.has(u.name));
  const added = now.users.filter((u) => !oldNames.has(u.name));
  const renames = new Map<string, { to: string; proven: boolean }>();
  if (removed.length === 0 || added.length === 0) return renames;
  const sameOne = (a: UserConfig, b: UserConfig) => a.name.toLowerCase() === b.name.toLowerCase() || (a.email !== undefined && a.email === b.email) || (a.description !== undefined && a.description === b.description);
  // Indexed by the two ways of being the same user, so a bulk offboarding and onboarding stays linear.
  const index = (users: UserConfig[]) => {
    const byLower = new Map<string, UserConfig[]>();
    const byProfile = new Map<string, UserConfig[]>();
    for (const u of users) {
      byLower.set(u.name.toLowerCase(), [...(byLower.get(u.name.toLowerCase()) ?? []), u]);
      const p = accessProfile(u);
      byProfile.set(p, [...(byProfile.get(p) ?? []), u]);
    }
    return (u: UserConfig) => [...new Set([
      ...(byLower.get(u.name.toLowerCase()) ?? []),
      ...(byProfile.get(accessProfile(u)) ?? []).filter((x) => u.email === undefined || x.email === undefined || u.email === x.email),
    ])];
  };
  const [addedLike, removedLike] = [index(added), index(removed)];
  for (const a of removed) {
    const candidates = addedLike(a);
    if (candidates.length !== 1) continue;
    const [b] = candidates;
    if (removedLike(b).length !== 1) continue;
    renames.set(a.name, { to: b.name, proven: sameOne(a, b) });
  }
  return renames;
}

const grantPairs = (g?: RosterConfig['groups'][number]) => new Set((g?.grants ?? []).flatMap((gr) => gr.accountTypes.map((t) => `${t}\u0000${gr.role}`)));
const membersOf = (config: RosterConfig, group: string) => config.users.filter((u) => u.groups.includes(group)).map((u) => u.name).sort();

/**
 * Groups renamed (old name -> new name): a group removed and one added whose members are the
 * removed one's members, or with the same grants and members moved from one to the other.
 */
export function groupRenames(old: RosterConfig, now: RosterConfig): Map<string, string> {
  const oldNames = new Set(old.groups.map((g) => g.name));
  const nowNames = new Set(now.groups.map((g) => g.name));
  const removed = old.groups.filter((g) => !nowNames.has(g.name));
  const added = now.groups.filter((g) => !oldNames.has(g.name));
  const renames = new Map<string, string>();
  const taken = new Set<string>();
  for (const r of removed) {
    const before = membersOf(old, r.name);
    const grants = [...grantPairs(r)].sort().join();
    const match = added.filter((a) => !taken.has(a.name)).filter((a) => {
      const after = membersOf(now, a.name);
      const moved = before.filter((u) => after.includes(u));
      return moved.length > 0 && (JSON.stringify(before) === JSON.stringify(after) || grants === [...grantPairs(a)].sort().join());
    });
    if (match.length !== 1) continue;
    renames.set(r.name, match[0].name);
    taken.add(match[0].name);
  }
  return renames;
}

function groupChanges(old: RosterConfig, now: RosterConfig, renamed: Map<string, string>, changes: Changes): void {
  const before = new Map(old.groups.map((g) => [g.name, g]));
  const after = new Map(now.groups.map((g) => [g.name, g]));
  const pairs = grantPairs;
  const renamedTo = new Set(renamed.values());
  for (const [from, to] of renamed) {
    const [a, b] = [pairs(before.get(from)), pairs(after.get(to))];
    const [was, is] = [membersOf(old, from), membersOf(now, to)];
    const moved = was.filter((u) => is.includes(u));
    changes.add({
      kind: 'group', cause: `group ${code(from)} renamed to ${code(to)}`, direction: 'neutral', risk: 'low',
      detail: [
        `members who move: ${moved.join(', ')}`,
        ...(was.some((u) => !is.includes(u)) ? [`members who do not: ${was.filter((u) => !is.includes(u)).join(', ')}`] : []),
        ...(is.some((u) => !was.includes(u)) ? [`new members: ${is.filter((u) => !was.includes(u)).join(', ')}`] : []),
        ...([...a].every((tr) => b.has(tr)) && [...b].every((tr) => a.has(tr)) ? ['the same grants'] : []),
      ],
    });
    for (const tr of b) if (!a.has(tr)) groupGrant(changes, to, tr, '+');
    for (const tr of a) if (!b.has(tr)) groupGrant(changes, from, tr, '-');
  }
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    if (renamed.has(name) || renamedTo.has(name)) continue;
    const [a, b] = [pairs(before.get(name)), pairs(after.get(name))];
    if (!before.has(name)) changes.add({ kind: 'group', cause: `group ${code(name)} added`, direction: 'neutral', risk: 'low', detail: [...b].map((tr) => `grants ${splitTypeRole(tr)[1]} in ${splitTypeRole(tr)[0]}`) });
    if (!after.has(name)) changes.add({ kind: 'group', cause: `group ${code(name)} removed`, direction: 'shrank', risk: 'low', detail: [] });
    for (const tr of b) if (!a.has(tr) && before.has(name)) groupGrant(changes, name, tr, '+');
    for (const tr of a) if (!b.has(tr) && after.has(name)) groupGrant(changes, name, tr, '-');
  }
}

function groupGrant(changes: Changes, group: string, tr: TypeRole, sign: '+' | '-'): Change {
  const [type, role] = splitTypeRole(tr);
  return changes.get(`group-grant\u0000${sign}\u0000${group}\u0000${tr}`, () => ({
    kind: 'access', cause: `group ${code(group)} ${sign === '+' ? 'gains' : 'loses'} ${code(role)} in type ${code(type)}`,
    direction: sign === '+' ? 'grew' : 'shrank', risk: sign === '+' ? 'medium' : 'low', detail: [], access: [],
  }));
}

function accountChanges(old: Snapshot, now: Snapshot, changes: Changes): void {
  const before = new Map(old.config.accounts.map((a) => [a.prefix, a]));
  const after = new Map(now.config.accounts.map((a) => [a.prefix, a]));
  for (const prefix of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [a, b] = [before.get(prefix), after.get(prefix)];
    if (!a) {
      changes.get(`account\u0000+\u0000${prefix}`, () => ({ kind: 'account', cause: `account ${code(prefix)} (${b!.id}, type ${b!.type}) added`, direction: 'neutral', risk: 'low', detail: [`roles: ${now.accounts.get(prefix)!.roles.map((r) => r.name).join(', ')}`], access: [] }));
      continue;
    }
    if (!b) {
      changes.get(`account\u0000-\u0000${prefix}`, () => ({ kind: 'account', cause: `account ${code(prefix)} (${a.id}) removed`, direction: 'shrank', risk: 'low', detail: [], access: [] }));
      continue;
    }
    if (a.type !== b.type) changes.get(`account-type\u0000${prefix}`, () => ({ kind: 'account', cause: `account ${code(prefix)} changes type from ${code(a.type)} to ${code(b.type)}`, direction: 'neutral', risk: 'medium', detail: [], access: [] }));
    if (a.id !== b.id) changes.add({ kind: 'account', cause: `account ${code(prefix)} now means AWS account ${b.id} (was ${a.id})`, direction: 'grew', risk: 'critical', why: 'every grant there now reaches another AWS account', detail: [] });
    boundaryChange(prefix, a.boundary, b.boundary, changes);
    if (a.guardrails !== false && b.guardrails === false) {
      changes.add({ kind: 'account', cause: `account ${code(prefix)}: guardrails turned off`, direction: 'grew', risk: 'critical', why: 'region restriction and deletion protection removed', detail: [] });
    } else if (a.guardrails === false && b.guardrails !== false) {
      changes.add({ kind: 'account', cause: `account ${code(prefix)}: guardrails turned on`, direction: 'shrank', risk: 'low', detail: [] });
    } else if (a.guardrails !== false && b.guardrails !== false) {
      const [x, y] = [a.guardrails, b.guardrails];
      const added = y.allowedRegions.filter((r) => !x.allowedRegions.includes(r));
      const dropped = x.allowedRegions.filter((r) => !y.allowedRegions.includes(r));
      if (added.length) changes.add({ kind: 'account', cause: `account ${code(prefix)}: roles may act in ${added.join(', ')}`, direction: 'grew', risk: 'medium', detail: [] });
      if (dropped.length) changes.add({ kind: 'account', cause: `account ${code(prefix)}: roles may no longer act in ${dropped.join(', ')}`, direction: 'shrank', risk: 'low', detail: [] });
      const unprotected = x.protectedNamePatterns.filter((p) => !y.protectedNamePatterns.includes(p));
      const protectedNow = y.protectedNamePatterns.filter((p) => !x.protectedNamePatterns.includes(p));
      if (unprotected.length) changes.add({ kind: 'account', cause: `account ${code(prefix)}: resources named ${unprotected.join(', ')} are no longer protected from deletion`, direction: 'grew', risk: 'high', why: 'deletion protection removed', detail: [] });
      if (protectedNow.length) changes.add({ kind: 'account', cause: `account ${code(prefix)}: resources named ${protectedNow.join(', ')} are protected from deletion`, direction: 'shrank', risk: 'low', detail: [] });
      const keysFreed = minus(x.protectedKeyIds, y.protectedKeyIds);
      const keysProtected = minus(y.protectedKeyIds, x.protectedKeyIds);
      if (keysFreed.length) changes.add({ kind: 'account', cause: `account ${code(prefix)}: keys ${keysFreed.join(', ')} are no longer protected by ID`, direction: 'grew', risk: 'high', why: 'roles may disable or delete them, or rewrite their key policies', detail: [] });
      if (keysProtected.length) changes.add({ kind: 'account', cause: `account ${code(prefix)}: keys ${keysProtected.join(', ')} are protected by ID`, direction: 'shrank', risk: 'low', detail: [] });
      const managers = minus(Object.keys(y.detectionManagers), Object.keys(x.detectionManagers));
      const noLonger = minus(Object.keys(x.detectionManagers), Object.keys(y.detectionManagers));
      if (managers.length) changes.add({ kind: 'account', cause: `account ${code(prefix)}: ${managers.map(code).join(', ')} may tune detection (suppression rules, trusted IP lists, finding workflow)`, direction: 'grew', risk: 'high', why: 'a detection manager can hide findings', detail: managers.map((m) => `${m}: ${y.detectionManagers[m]}`) });
      if (noLonger.length) changes.add({ kind: 'account', cause: `account ${code(prefix)}: ${noLonger.map(code).join(', ')} may no longer tune detection`, direction: 'shrank', risk: 'low', detail: [] });
    }
  }
}

const BOUNDED: Record<BoundaryConfig['mode'], number> = { none: 0, administrators: 1, 'every-role': 2 };
const BOUNDARY_WORDS: Record<BoundaryConfig['mode'], string> = { none: 'no role', administrators: 'roles that can write IAM or do everything', 'every-role': 'every role' };

/** Fewer roles under the boundary is growth; administrators leaving it is critical (they may create unbounded roles). */
function boundaryChange(prefix: string, a: BoundaryConfig, b: BoundaryConfig, changes: Changes): void {
  if (a.mode === b.mode) return;
  const grew = BOUNDED[b.mode] < BOUNDED[a.mode];
  changes.add({
    kind: 'account', cause: `account ${code(prefix)}: permissions boundary on ${BOUNDARY_WORDS[b.mode]} (was ${BOUNDARY_WORDS[a.mode]})`,
    direction: grew ? 'grew' : 'shrank', risk: grew ? (b.mode === 'none' ? 'critical' : 'high') : 'low',
    why: grew ? (b.mode === 'none' ? 'administrators may create unbounded roles again' : 'roles outside the boundary may create unbounded roles') : undefined,
    detail: b.optOut ? [`reason given: ${b.optOut}`] : [],
  });
}

/** An access row waiting for the rows of the same user to be compared, with the cause that explains it. */
interface Pending {
  row: AccessRow;
  until?: string;
  cause: () => Change;
  skip?: boolean;
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

function minus(a: readonly string[], b: readonly string[]): string[] {
  const set = new Set(b);
  return a.filter((x) => !set.has(x));
}

/**
 * Access changes, computed on the factored form (user -> (type, role) grants, (type, role) ->
 * accounts) and attributed to their cause: a grant appearing is explained by the user, a
 * membership, a group's grant, a direct grant or an expiry; a grant reaching other accounts by a
 * new account, a type change, or the role turned on or off there.
 */
function accessChanges(old: Snapshot, now: Snapshot, changes: Changes, at: string, renamed: Map<string, string>): void {
  const oldNameOf = new Map([...renamed].map(([from, to]) => [to, from]));
  const users = (s: Snapshot) => new Map(s.config.users.map((u) => [u.name, u]));
  const [oldUsers, nowUsers] = [users(old), users(now)];

  /** Why a role newly reaches (or no longer reaches) an account. */
  const reachCause = (prefix: string, role: string, sign: '+' | '-'): Change => {
    const [a, b] = [old.accounts.get(prefix), now.accounts.get(prefix)];
    if (!a || !b) return changes.get(`account\u0000${sign}\u0000${prefix}`, () => ({ kind: 'account', cause: `account ${code(prefix)} ${sign === '+' ? 'added' : 'removed'}`, direction: sign === '+' ? 'neutral' : 'shrank', risk: 'low', detail: [], access: [] }));
    if (a.type !== b.type) return changes.get(`account-type\u0000${prefix}`, () => ({ kind: 'account', cause: `account ${code(prefix)} changes type from ${code(a.type)} to ${code(b.type)}`, direction: 'neutral', risk: 'medium', detail: [], access: [] }));
    return changes.get(`role-exists\u0000${sign}\u0000${prefix}\u0000${role}`, () => ({
      kind: 'role', cause: `role ${code(role)} ${sign === '+' ? 'now exists' : 'no longer exists'} in ${code(prefix)}`, direction: sign === '+' ? 'grew' : 'shrank', risk: sign === '+' ? 'medium' : 'low', detail: [], access: [],
    }));
  };

  /** Why a user holds a grant on one side and not on the other (`sign` '+': gained in `now`). */
  const sourceCause = (user: string, tr: TypeRole, grant: Grant, sign: '+' | '-'): Change => {
    const [lacking, holding] = sign === '+' ? [oldUsers.get(user), nowUsers.get(user)!] : [nowUsers.get(user), oldUsers.get(user)!];
    const [lackingConfig] = sign === '+' ? [old.config] : [now.config];
    const verb = (plus: string, minus_: string) => (sign === '+' ? plus : minus_);
    if (!lacking) return changes.get(userKey(user, sign), () => ({ kind: 'user', cause: `user ${code(user)} ${verb('added', 'removed')}`, direction: verb('grew', 'shrank') as Direction, risk: 'medium', detail: [], access: [] }));
    if (hasExpired(lacking.expires, at) && !hasExpired(holding.expires, at)) {
      return changes.get(`user-expiry\u0000${user}`, () => ({ kind: 'user', cause: `${code(user)}'s expiry changes`, direction: verb('grew', 'shrank') as Direction, risk: 'high', detail: [], access: [] }));
    }
    const [type, role] = splitTypeRole(tr);
    for (const g of grant.groups) {
      // A renamed group is the same group under its other name (`lacking` has the other name).
      const other = sign === '+' ? oldNameOf.get(g) : renamed.get(g);
      const as = other !== undefined && lacking.groups.includes(other) ? other : g;
      const member = lacking.groups.includes(as);
      const groupGrants = lackingConfig.groups.find((x) => x.name === as)?.grants.some((gr) => gr.role === role && gr.accountTypes.includes(type));
      if (!member) {
        return changes.get(`membership\u0000${sign}\u0000${user}\u0000${g}`, () => ({ kind: 'access', cause: `${code(user)} ${verb('joins', 'leaves')} group ${code(g)}`, direction: verb('grew', 'shrank') as Direction, risk: sign === '+' ? 'medium' : 'low', detail: [], access: [] }));
      }
      if (hasExpired(lacking.membershipExpiry[as], at)) {
        return changes.get(`membership-expiry\u0000${user}\u0000${g}`, () => ({ kind: 'user', cause: `${code(user)}'s membership of ${code(g)} changes expiry`, direction: verb('grew', 'shrank') as Direction, risk: 'high', detail: [], access: [] }));
      }
      if (!groupGrants) return groupGrant(changes, g, tr, sign);
    }
    if (grant.direct) {
      return changes.get(`direct\u0000${sign}\u0000${user}\u0000${tr}`, () => ({ kind: 'access', cause: `${code(user)} ${verb('is granted', 'loses')} ${code(role)} in type ${code(type)} directly`, direction: verb('grew', 'shrank') as Direction, risk: sign === '+' ? 'medium' : 'low', detail: [], access: [] }));
    }
    return changes.get(`other\u0000${sign}\u0000${user}`, () => ({ kind: 'access', cause: `${code(user)}'s grants change`, direction: verb('grew', 'shrank') as Direction, risk: 'medium', detail: [], access: [] }));
  };

  // Which (type, role) grants reach other accounts than before, once; then, per pair of grant
  // maps (users share them), the grants that differ, once: the loop over 5,000 users is lookups.
  const reachMoved = new Set<TypeRole>();
  for (const tr of new Set([...old.reach.keys(), ...now.reach.keys()])) {
    const [oa, na] = [old.reach.get(tr) ?? [], now.reach.get(tr) ?? []];
    if (oa.length !== na.length || oa.some((x, i) => x !== na[i])) reachMoved.add(tr);
  }
  const ids = new Map<Map<TypeRole, Grant>, number>();
  const idOf = (m: Map<TypeRole, Grant>) => ids.get(m) ?? (ids.set(m, ids.size), ids.size - 1);
  const differing = new Map<string, TypeRole[]>();
  const differ = (og: Map<TypeRole, Grant>, ng: Map<TypeRole, Grant>): TypeRole[] => {
    const key = `${idOf(og)}:${idOf(ng)}`;
    let list = differing.get(key);
    if (!list) {
      list = [...new Set([...og.keys(), ...ng.keys()])].filter((tr) => {
        const [o, n] = [og.get(tr), ng.get(tr)];
        return !o || !n || o.until !== n.until || reachMoved.has(tr);
      });
      differing.set(key, list);
    }
    return list;
  };

  const empty = new Map<TypeRole, Grant>();
  for (const user of [...new Set([...old.grants.keys(), ...now.grants.keys()])].sort()) {
    const [og, ng] = [old.grants.get(user) ?? empty, now.grants.get(user) ?? empty];
    const pending: Pending[] = [];
    for (const tr of differ(og, ng)) {
      const [o, n] = [og.get(tr), ng.get(tr)];
      const oa = o ? old.reach.get(tr) ?? [] : [];
      const na = n ? now.reach.get(tr) ?? [] : [];
      const sameReach = oa.length === na.length && oa.every((x, i) => x === na[i]);
      if (sameReach && o?.until === n?.until) continue;
      const role = splitTypeRole(tr)[1];
      if (!sameReach) {
        const gained = minus(na, oa);
        const lost = minus(oa, na);
        const gainedBy = !o ? once(() => sourceCause(user, tr, n!, '+')) : undefined;
        const lostBy = !n ? once(() => sourceCause(user, tr, o!, '-')) : undefined;
        for (const account of gained) pending.push({ row: { user, account, role, change: 'gained' }, until: n!.until, cause: gainedBy ?? (() => reachCause(account, role, '+')) });
        for (const account of lost) pending.push({ row: { user, account, role, change: 'lost' }, until: o!.until, cause: lostBy ?? (() => reachCause(account, role, '-')) });
      }
      if (o && n && o.until !== n.until) {
        const kept = na.filter((x) => oa.includes(x));
        if (kept.length === 0) continue;
        const grew = n.until === undefined || later(n.until, o.until);
        const [before, after] = [oldUsers.get(user)!, nowUsers.get(user)!];
        const membership = after.groups.find((g) => before.membershipExpiry[g] !== after.membershipExpiry[g] && n.groups.includes(g));
        const key = before.expires !== after.expires ? `user-expiry\u0000${user}` : membership ? `membership-expiry\u0000${user}\u0000${membership}` : `expiry\u0000${user}`;
        const cause = changes.get(key, () => ({ kind: 'user', cause: `${code(user)}'s access ends ${n.until ?? 'never'} instead of ${o.until ?? 'never'}`, direction: grew ? 'grew' : 'shrank', risk: grew ? 'high' : 'low', why: grew ? 'expiry pushed later or removed' : undefined, detail: [], access: [] }));
        cause.access!.push(...kept.map((account) => ({ user, account, role, change: grew ? 'ends later' as const : 'ends sooner' as const, from: o.until ?? 'never', to: n.until ?? 'never' })));
      }
    }
    // The same (account, role) lost under one (type, role) grant and gained under another (the
    // account changed type, both types grant the role) is no change of access: only a moved end is.
    const lostAt = new Map(pending.filter((p) => p.row.change === 'lost').map((p) => [`${p.row.account}\u0000${p.row.role}`, p]));
    for (const p of pending) {
      const l = p.row.change === 'gained' ? lostAt.get(`${p.row.account}\u0000${p.row.role}`) : undefined;
      if (!l) continue;
      p.skip = l.skip = true;
      if (p.until === l.until) continue;
      const grew = p.until === undefined || later(p.until, l.until);
      p.cause().access!.push({ ...p.row, change: grew ? 'ends later' : 'ends sooner', from: l.until ?? 'never', to: p.until ?? 'never' });
    }
    for (const p of pending) if (!p.skip) p.cause().access!.push(p.row);
  }
  for (const c of changes.list()) {
    if (!c.access?.length) continue;
    if (PROVEN_RENAMES.has(c) && c.direction === 'neutral') {
      // A user renamed: the same person, so only the (account, role) held on one side and not on
      // the other is a change of access; what both names hold is not listed.
      const at = (change: AccessRow['change']) => new Set(c.access!.filter((r) => r.change === change).map((r) => `${r.account}\u0000${r.role}`));
      const [gained, lost] = [at('gained'), at('lost')];
      c.access = c.access!.filter((r) => !(r.change === 'gained' ? lost : r.change === 'lost' ? gained : new Set()).has(`${r.account}\u0000${r.role}`));
      if (c.access.some((r) => r.change === 'gained')) c.direction = 'grew';
      else if (c.access.some((r) => r.change === 'lost')) c.direction = 'shrank';
      else continue;
    }
    // A cause that grants access grew whatever it is (a user or an account added); one that takes it away shrank.
    if (c.direction === 'neutral') c.direction = c.access.some((r) => r.change === 'gained' || r.change === 'ends later') ? 'grew' : 'shrank';
    if (c.direction === 'grew' && c.risk === 'low') c.risk = 'medium';
    // Access to an administrator-equivalent role is the riskiest access change there is.
    if (c.direction !== 'grew') continue;
    if (c.access.some((r) => r.change === 'gained' && now.privilege(`${r.account}\u0000${r.role}`) !== 'standard')) {
      Object.assign(c, { risk: 'critical', why: 'access to an administrator-equivalent role' });
    }
  }
}

/** Said of every existing customer managed policy: the diff cannot see what it allows or denies. */
export const UNREVIEWED = 'content not reviewed by iam-roster';

const ADMIN_MANAGED = /:policy\/(AdministratorAccess|IAMFullAccess|PowerUserAccess|job-function\/SystemAdministrator)$/;
const BROAD_MANAGED = /FullAccess$/;

/** A role's changes between revisions, as lines with the account ID generalised, so accounts with the same change are grouped. */
function roleDelta(a: RolePlan | undefined, b: RolePlan | undefined, accountId: string, shared: SharedSides): { grew: string[]; shrank: string[]; risk: Risk; why?: string } {
  const out = { grew: [] as string[], shrank: [] as string[], risk: 'low' as Risk, why: undefined as string | undefined };
  const raise = (risk: Risk, why: string) => {
    if (RISK_ORDER[risk] < RISK_ORDER[out.risk]) Object.assign(out, { risk, why });
  };
  const generic = (s: string) => s.replaceAll(accountId, '<account>');
  const own = (r?: RolePlan) => (r?.policies ?? []).flatMap((p) => p.document.Statement);
  const managedA = new Set(a?.awsManagedPolicyArns ?? []);
  const managedB = new Set(b?.awsManagedPolicyArns ?? []);
  for (const arn of managedB) {
    if (managedA.has(arn)) continue;
    out.grew.push(`AWS managed policy ${arn.split(':policy/')[1]} attached`);
    raise(ADMIN_MANAGED.test(arn) ? 'critical' : BROAD_MANAGED.test(arn) ? 'high' : 'medium', ADMIN_MANAGED.test(arn) ? 'administrator-equivalent AWS managed policy' : 'AWS managed policy added');
  }
  for (const arn of managedA) if (!managedB.has(arn)) out.shrank.push(`AWS managed policy ${arn.split(':policy/')[1]} detached`);
  // Existing customer managed policies: iam-roster sees their names only, never what they allow.
  const customerA = new Set(a?.customerManagedPolicyArns ?? []);
  const customerB = new Set(b?.customerManagedPolicyArns ?? []);
  for (const arn of customerB) {
    if (customerA.has(arn)) continue;
    out.grew.push(`existing customer managed policy ${arn.split(':policy/')[1]} attached (${UNREVIEWED})`);
    raise('high', `an existing customer managed policy attached: ${UNREVIEWED}`);
  }
  for (const arn of customerA) if (!customerB.has(arn)) out.shrank.push(`existing customer managed policy ${arn.split(':policy/')[1]} detached (${UNREVIEWED})`);
  const statements = compareStatements(own(a), own(b));
  out.grew.push(...statements.grew.map(generic));
  out.shrank.push(...statements.shrank.map(generic));
  if (statements.adminLike) raise('critical', 'allows everything or IAM writes');
  else if (statements.wildcards.length) raise('high', `wildcard actions (${[...new Set(statements.wildcards)].slice(0, 5).join(', ')})`);
  else if (statements.grew.length) raise('medium', 'permissions added');
  const trust = compareStatements(a?.trustPolicy.Statement ?? [], b?.trustPolicy.Statement ?? []);
  if (trust.grew.length) {
    out.grew.push(...trust.grew.map((l) => `trust: ${generic(l)}`));
    raise('critical', 'trust policy loosened or a principal added');
  }
  out.shrank.push(...trust.shrank.map((l) => `trust: ${generic(l)}`));
  if (a?.boundaryPolicyName && !b?.boundaryPolicyName) {
    out.grew.push('permissions boundary removed');
    raise('critical', 'permissions boundary removed');
  }
  if (!a?.boundaryPolicyName && b?.boundaryPolicyName && a) out.shrank.push('permissions boundary set');
  const sharedA = new Set(a?.sharedPolicyNames ?? []);
  const sharedB = new Set(b?.sharedPolicyNames ?? []);
  // An account-wide policy attached or detached counts by what it says: detaching denies grows,
  // detaching allows shrinks; one whose statements concern only users removed, neither.
  for (const name of sharedA) if (!sharedB.has(name) && b) {
    const delta = compareStatements(shared.old.get(name) ?? [], []);
    if (delta.grew.length) {
      out.grew.push(`no longer carries ${name}`);
      raise('high', `${name} detached`);
    } else if (delta.shrank.length) out.shrank.push(`no longer carries ${name}`);
  }
  for (const name of sharedB) if (!sharedA.has(name) && a) {
    const delta = compareStatements([], shared.now.get(name) ?? []);
    if (delta.grew.length) {
      out.grew.push(`now carries ${name}`);
      raise('medium', `${name} attached`);
    } else if (delta.shrank.length) out.shrank.push(`now carries ${name}`);
  }
  if (a && b && a.maxSessionDuration !== b.maxSessionDuration) {
    (b.maxSessionDuration > a.maxSessionDuration ? out.grew : out.shrank).push(`sessions last up to ${b.maxSessionDuration} s (was ${a.maxSessionDuration} s)`);
    if (b.maxSessionDuration > a.maxSessionDuration) raise('medium', 'longer sessions');
  }
  if (!a?.instanceProfile && b?.instanceProfile && a) out.grew.push('instance profile added');
  if (a?.instanceProfile && !b?.instanceProfile && b) out.shrank.push('instance profile removed');
  return out;
}

/** An account's iam-roster policies by exact name (packed parts apart), on both sides, users removed left out. */
interface SharedSides {
  old: Map<string, PolicyStatement[]>;
  now: Map<string, PolicyStatement[]>;
}

function roleChanges(old: Snapshot, now: Snapshot, gone: Set<string>, changes: Changes): void {
  const sidesOf = new Map<string, SharedSides>();
  const sides = (prefix: string): SharedSides => {
    let found = sidesOf.get(prefix);
    if (!found) {
      const byName = (s: Snapshot) => new Map((s.accounts.get(prefix)?.sharedPolicies ?? []).map((p) => [p.name, withoutUsers(p.document.Statement.map(({ Sid: _, ...st }) => st as PolicyStatement), gone)] as const).filter(([, st]) => st.length > 0));
      found = { old: byName(old), now: byName(now) };
      sidesOf.set(prefix, found);
    }
    return found;
  };
  // Group identical changes of one role across accounts.
  const grouped = new Map<string, { role: RolePlan; accounts: string[]; delta: ReturnType<typeof roleDelta>; added: boolean; removed: boolean }>();
  for (const key of new Set([...old.roles.keys(), ...now.roles.keys()])) {
    const [a, b] = [old.roles.get(key), now.roles.get(key)];
    if (a && b && sameRole(a, b)) continue;
    const [prefix] = key.split('\u0000');
    const accountId = (now.accounts.get(prefix) ?? old.accounts.get(prefix))!.id;
    const delta = roleDelta(a, b, accountId, sides(prefix));
    const role = (b ?? a)!;
    const signature = JSON.stringify([role.name, role.kind, !a, !b, delta.grew, delta.shrank]);
    const group = grouped.get(signature) ?? { role, accounts: [], delta, added: !a, removed: !b };
    group.accounts.push(prefix);
    grouped.set(signature, group);
  }
  for (const { role, accounts, delta, added, removed } of grouped.values()) {
    const where = accounts.length === 1 ? code(accounts[0]) : `${accounts.length} accounts (${accounts.slice(0, 6).join(', ')}${accounts.length > 6 ? ', …' : ''})`;
    const what = role.kind === 'service' ? 'service role' : 'role';
    if (added || removed) {
      // People's roles appearing or disappearing are explained with their access (reachCause);
      // in an account added or removed, by the account itself; service roles here.
      if (role.kind === 'catalog') {
        if (accounts.every((prefix) => !old.accounts.has(prefix) || !now.accounts.has(prefix))) continue;
        for (const prefix of accounts.filter((p) => old.accounts.has(p) && now.accounts.has(p))) {
          const c = changes.get(`role-exists\u0000${added ? '+' : '-'}\u0000${prefix}\u0000${role.name}`, () => ({ kind: 'role', cause: `role ${code(role.name)} ${added ? 'now exists' : 'no longer exists'} in ${code(prefix)}`, direction: added ? 'grew' : 'shrank', risk: added ? 'medium' : 'low', detail: [], access: [] }));
          if (added && now.privilege(`${prefix}\u0000${role.name}`) !== 'standard') Object.assign(c, { risk: 'critical', why: 'an administrator-equivalent role' });
        }
        continue;
      }
      const privilege = (added ? now : old).privilege(`${accounts[0]}\u0000${role.name}`);
      changes.add({
        kind: 'role', cause: `${what} ${code(role.name)} ${added ? 'added' : 'removed'} in ${where}`,
        direction: added ? 'grew' : 'shrank', risk: added ? (privilege !== 'standard' ? 'critical' : 'medium') : 'low',
        why: added && privilege !== 'standard' ? 'an administrator-equivalent service role' : undefined,
        detail: added ? [`trusted by ${JSON.stringify(role.trustPolicy.Statement.map((s) => s.Principal))}`, ...role.awsManagedPolicyArns.map((a) => `AWS managed policy ${a.split(':policy/')[1]}`), ...role.customerManagedPolicyArns.map((a) => `existing customer managed policy ${a.split(':policy/')[1]} (${UNREVIEWED})`), ...delta.grew] : [],
      });
      continue;
    }
    const direction: Direction = delta.grew.length ? 'grew' : delta.shrank.length ? 'shrank' : 'neutral';
    changes.add({
      kind: 'role', cause: `${what} ${code(role.name)} in ${where}`, direction, risk: direction === 'grew' ? delta.risk : 'low', why: direction === 'grew' ? delta.why : undefined,
      detail: [...delta.grew.map((l) => `+ ${l}`), ...delta.shrank.map((l) => `- ${l}`)],
    });
  }
}

/** Equal roles, compared through their policies' memoized JSON (thousands of roles at scale). */
function sameRole(a: RolePlan, b: RolePlan): boolean {
  return a.kind === b.kind && a.arn === b.arn && a.description === b.description && a.maxSessionDuration === b.maxSessionDuration
    && a.boundaryPolicyName === b.boundaryPolicyName && a.instanceProfile === b.instanceProfile
    && a.awsManagedPolicyArns.join() === b.awsManagedPolicyArns.join() && a.customerManagedPolicyArns.join() === b.customerManagedPolicyArns.join() && a.sharedPolicyNames.join() === b.sharedPolicyNames.join()
    && policyJson(a.trustPolicy) === policyJson(b.trustPolicy)
    && a.policies.length === b.policies.length && a.policies.every((p, i) => p.name === b.policies[i].name && policyJson(p.document) === policyJson(b.policies[i].document));
}

/** iam-roster's account-wide policies (protection, guardrails, sessions, boundary), by base name, across their packed parts. */
function sharedStatements(policies: readonly ManagedPolicyPlan[], gone: Set<string>): Map<string, PolicyStatement[]> {
  const byBase = new Map<string, PolicyStatement[]>();
  for (const p of policies) {
    const base = p.name.replace(/\d+$/, '');
    byBase.set(base, [...(byBase.get(base) ?? []), ...withoutUsers(p.document.Statement.map(({ Sid: _, ...s }) => s as PolicyStatement), gone)]);
  }
  return byBase;
}

/**
 * Statements with the session limits of users removed left out: a Deny on the sessions of a user
 * who no longer exists (an expiry, the end of a membership) denies nothing anyone can do, and
 * its removal with the user is no growth. Sessions are named after users (`aws:userid` ends with
 * `:<user>`, `aws:SourceIdentity` is the user); a statement naming only removed users goes, one
 * naming others too keeps those.
 * Revocations stay: they live in `revokeSessions`, whose removal is a change of its own.
 */
function withoutUsers(statements: PolicyStatement[], gone: Set<string>): PolicyStatement[] {
  if (gone.size === 0) return statements;
  // The two keys a session limit names users by: the session name, and the source identity.
  const keys: [operator: string, key: string, user: (v: string) => string | undefined][] = [
    ['StringLike', 'aws:userid', (v) => (v.startsWith('*:') ? v.slice(2) : undefined)],
    ['StringEquals', 'aws:SourceIdentity', (v) => v],
  ];
  const out: PolicyStatement[] = [];
  for (const s of statements) {
    const named = keys.find(([op, key]) => s.Condition?.[op]?.[key] !== undefined);
    if (s.Effect !== 'Deny' || !named || s.Condition?.DateLessThan?.['aws:TokenIssueTime'] !== undefined) {
      out.push(s);
      continue;
    }
    const [op, key, user] = named;
    const kept = [s.Condition![op][key]].flat().map(String).filter((v) => !gone.has(user(v) ?? '\u0000'));
    if (kept.length === 0) continue;
    out.push({ ...s, Condition: { ...s.Condition, [op]: { ...s.Condition![op], [key]: kept.length === 1 ? kept[0] : kept } } });
  }
  return out;
}

function sharedPolicyChanges(old: Snapshot, now: Snapshot, gone: Set<string>, changes: Changes): void {
  const grouped = new Map<string, { name: string; accounts: string[]; grew: string[]; shrank: string[] }>();
  for (const prefix of new Set([...old.accounts.keys(), ...now.accounts.keys()])) {
    const [a, b] = [old.accounts.get(prefix), now.accounts.get(prefix)];
    if (!a || !b) continue; // an account added or removed brings its policies with it
    if (a.sharedPolicies.length === b.sharedPolicies.length && a.sharedPolicies.every((p, i) => p.name === b.sharedPolicies[i].name && policyJson(p.document) === policyJson(b.sharedPolicies[i].document))) continue;
    const [x, y] = [sharedStatements(a.sharedPolicies, gone), sharedStatements(b.sharedPolicies, gone)];
    for (const name of new Set([...x.keys(), ...y.keys()])) {
      const delta = compareStatements(x.get(name) ?? [], y.get(name) ?? []);
      if (!delta.grew.length && !delta.shrank.length) continue;
      const generic = (l: string) => l.replaceAll(b.id, '<account>');
      const entry = { name, grew: delta.grew.map(generic), shrank: delta.shrank.map(generic) };
      const signature = JSON.stringify(entry);
      const group = grouped.get(signature) ?? { ...entry, accounts: [] };
      group.accounts.push(prefix);
      grouped.set(signature, group);
    }
  }
  for (const g of grouped.values()) {
    const direction: Direction = g.grew.length ? 'grew' : 'shrank';
    const where = g.accounts.length === 1 ? code(g.accounts[0]) : `${g.accounts.length} accounts (${g.accounts.slice(0, 6).join(', ')}${g.accounts.length > 6 ? ', …' : ''})`;
    changes.add({
      kind: 'account', cause: `${code(g.name)} in ${where}`, direction, risk: direction === 'grew' ? 'high' : 'low', why: direction === 'grew' ? 'a guardrail, protection or session limit loosened' : undefined,
      detail: [...g.grew.map((l) => `+ ${l}`), ...g.shrank.map((l) => `- ${l}`)],
    });
  }
}
