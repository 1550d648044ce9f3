// `roster import`: an iam-roster config from the IAM exports of a live organisation. Who may assume
// which role where is inferred from what the exports allow; everything iam-roster cannot express
// is left out of the config and listed in the report, with every decision a human must make.
import { Document, isScalar, visit } from 'yaml';
import type { PolicyStatement } from '../config/iam-policy.js';
import { MANAGE_YOUR_ACCOUNT, manageYourAccountDocument } from '../plan/manage-your-account.js';
import type { AuthorizationDetails, ExportedRole, ExportedUser } from './authorization-details.js';
import { mfaOf, readPolicies, wildcardMatch, type PolicyReading, type RolePattern } from './statements.js';

export interface MemberExport {
  prefix: string;
  type: string;
  alias: string;
  region?: string;
  details: AuthorizationDetails;
}

export interface ImportInput {
  central: AuthorizationDetails;
  centralRegion: string;
  members: MemberExport[];
}

/** A role people assume, as configured in one account. */
interface RoleVariant {
  awsManagedPolicies: string[];
  statements: PolicyStatement[];
  trustAccounts: Array<{ id: string; mfa?: boolean; externalId?: string }>;
  trustPrincipals: Array<{ arn: string; mfa?: boolean; externalId?: string }>;
  /** Session tag key -> the user tag it must carry (trust: sts:TagSession with aws:RequestTag/K = ${aws:PrincipalTag/T}). */
  sessionTags: Record<string, string>;
  description?: string;
}

export interface ImportedOrganisation {
  /** Config files (path -> text). */
  files: Record<string, string>;
  report: Report;
}

export interface Report {
  sources: string[];
  summary: { users: number; groups: number; accounts: number; roles: number; grants: number };
  decisions: string[];
  unexpressed: Record<string, string[]>;
  ignored: string[];
}

const NOT_PEOPLE_ROLE = [
  { test: (r: ExportedRole) => r.path.startsWith('/aws-service-role/') || r.path.startsWith('/aws-reserved/'), why: 'AWS service-linked and reserved roles' },
  { test: (r: ExportedRole) => /^cdk-[a-z0-9]+-/.test(r.name), why: 'CDK bootstrap roles' },
  { test: (r: ExportedRole) => /^iam-roster-/.test(r.name), why: "iam-roster's own handler roles" },
];

/** iam-roster's own account-wide policies (guardrails, protection, sessions, boundary): not part of a role's definition. */
const ROSTER_INTERNAL = /^IamRoster[A-Z]/;

const placeholders = (partition: string, account: string) => (s: string) => s.split(`arn:${partition}:`).join('arn:{partition}:').split(`:${account}:`).join(':{account}:');

function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  return value;
}

const stable = (v: unknown) => JSON.stringify(v, (_, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

/** The AWS-managed policy's name as iam-roster writes it (with its path: service-role/...). */
const awsManagedName = (arn: string) => arn.replace(/^arn:[^:]+:iam::aws:policy\//, '');
const isAwsManaged = (arn: string) => /^arn:[^:]+:iam::aws:policy\//.test(arn);

/**
 * Who a member role trusts: the central account (people), other accounts, other principals,
 * services. iam-roster's own trust (central root with aws:PrincipalArn user/*) counts as central.
 */
function trustOf(role: ExportedRole, central: string): { central: boolean; accounts: RoleVariant['trustAccounts']; principals: RoleVariant['trustPrincipals']; services: string[]; federated: string[]; sessionTags: Record<string, string> } {
  const out = { central: false, accounts: [] as RoleVariant['trustAccounts'], principals: [] as RoleVariant['trustPrincipals'], services: [] as string[], federated: [] as string[], sessionTags: {} as Record<string, string> };
  for (const s of role.trust.Statement) {
    if (s.Effect === 'Allow' && [s.Action ?? []].flat().some((a) => /^sts:TagSession$/i.test(a))) {
      for (const [key, value] of Object.entries(s.Condition?.StringEquals ?? {})) {
        const tag = /^aws:RequestTag\/(.+)$/.exec(key)?.[1];
        const source = /^\$\{aws:PrincipalTag\/(.+)\}$/.exec(String(value))?.[1];
        if (tag && source) out.sessionTags[tag] = source;
      }
    }
    if (s.Effect !== 'Allow' || !([s.Action ?? []].flat().some((a) => wildcardMatch(a, 'sts:AssumeRole')))) continue;
    const principal = (typeof s.Principal === 'string' ? { AWS: s.Principal } : s.Principal ?? {}) as Record<string, string | string[]>;
    const externalId = s.Condition?.StringEquals?.['sts:ExternalId'];
    const extra = { ...(mfaOf(s.Condition).required ? { mfa: true } : {}), ...(typeof externalId === 'string' ? { externalId } : {}) };
    for (const p of [principal.AWS ?? []].flat()) {
      const account = /^(\d{12})$/.exec(p)?.[1] ?? /^arn:[^:]+:iam::(\d{12}):root$/.exec(p)?.[1];
      const entity = /^arn:[^:]+:iam::(\d{12}):(user|role)\//.exec(p);
      if (account === central || entity?.[1] === central) out.central = true;
      else if (account) out.accounts.push({ id: account, ...extra });
      else if (entity) out.principals.push({ arn: p, ...extra });
    }
    out.services.push(...[principal.Service ?? []].flat());
    out.federated.push(...[principal.Federated ?? []].flat());
  }
  return out;
}

/** What one principal (user or group) may assume and what else its policies do. */
function readPrincipal(details: AuthorizationDetails, kind: string, name: string, attached: Array<{ name: string; arn: string }>, inline: Array<{ name: string; document: { Statement: PolicyStatement[] } }>, unexpressed: string[], missing: Set<string>): PolicyReading {
  const self = manageYourAccountDocument(details.partition, details.account);
  const policies: Array<{ source: string; statements: PolicyStatement[] }> = [];
  for (const a of attached) {
    if (isAwsManaged(a.arn)) {
      unexpressed.push(`${kind} ${name}: AWS managed policy ${awsManagedName(a.arn)} attached in the central account`);
      continue;
    }
    const policy = details.policies.get(a.arn);
    if (!policy?.document) {
      missing.add(a.arn);
      continue;
    }
    if (a.name === MANAGE_YOUR_ACCOUNT && stable(policy.document.Statement) === stable(self.Statement)) continue; // iam-roster's own self-service
    policies.push({ source: `${kind} ${name}, policy ${a.name}`, statements: policy.document.Statement });
  }
  for (const p of inline) policies.push({ source: `${kind} ${name}, inline policy ${p.name}`, statements: p.document.Statement });
  const reading = readPolicies(policies);
  unexpressed.push(...reading.unexpressed);
  return reading;
}

/** A day (YYYY-MM-DD) when the instant is its last second, else the instant as written. */
const asWritten = (instant: string) => (/T23:59:59Z$/.test(instant) ? instant.slice(0, 10) : instant.replace(/\.\d+Z$/, 'Z'));

export function importOrganisation(input: ImportInput): ImportedOrganisation {
  const { central } = input;
  const report: Report = { sources: [], summary: { users: 0, groups: 0, accounts: 0, roles: 0, grants: 0 }, decisions: [], unexpressed: {}, ignored: [] };
  const note = (section: string, line: string) => (report.unexpressed[section] ??= []).push(line);
  report.sources.push(`${central.file}: central account ${central.account}`);
  for (const m of input.members) report.sources.push(`${m.details.file}: ${m.prefix} (${m.details.account}, type ${m.type})`);

  // 1. People's roles in each member account: those the central account may assume.
  const ignored = new Map<string, number>();
  const peopleRoles = new Map<string, Map<string, RoleVariant>>(); // role -> prefix -> variant
  const accountRoles = new Map<string, Set<string>>(); // prefix -> roles
  for (const m of input.members) {
    const mine = new Set<string>();
    accountRoles.set(m.prefix, mine);
    const d = m.details;
    const sub = placeholders(d.partition, d.account);
    for (const role of d.roles) {
      const skip = NOT_PEOPLE_ROLE.find((x) => x.test(role));
      if (skip) {
        ignored.set(skip.why, (ignored.get(skip.why) ?? 0) + 1);
        continue;
      }
      const trust = trustOf(role, central.account);
      if (!trust.central) {
        const by = [...trust.services.map((s) => `service ${s}`), ...trust.accounts.map((a) => `account ${a.id}`), ...trust.principals.map((p) => p.arn), ...trust.federated.map((f) => `federated ${f}`)];
        note(trust.services.length > 0 && by.length === trust.services.length ? 'Service roles (declare the ones iam-roster should manage under serviceRoles: in the account file)' : 'Roles trusted by others, not by the central account', `${m.prefix}: ${role.name} (trusted by ${by.join(', ') || 'nobody'})`);
        continue;
      }
      if (trust.services.length || trust.federated.length) note('Trust not expressed', `${m.prefix}: ${role.name} also trusts ${[...trust.services, ...trust.federated].join(', ')}: iam-roster's role will not`);
      if (role.permissionsBoundary && !ROSTER_INTERNAL.test(role.permissionsBoundary.split('/').at(-1)!)) note('Permissions boundaries not expressed', `${m.prefix}: ${role.name} has boundary ${role.permissionsBoundary} (iam-roster sets its own when guardrails.permissionsBoundary is on)`);
      const statements: PolicyStatement[] = [];
      const managed: string[] = [];
      for (const a of role.attached) {
        if (isAwsManaged(a.arn)) managed.push(awsManagedName(a.arn));
        else if (ROSTER_INTERNAL.test(a.name)) continue;
        else {
          const doc = d.policies.get(a.arn)?.document;
          if (!doc) note('Policies missing from the exports', `${m.prefix}: ${a.arn} attached to ${role.name} is not in ${d.file}; its statements are not imported`);
          else statements.push(...doc.Statement);
        }
      }
      for (const p of role.inline) statements.push(...p.document.Statement);
      const variant: RoleVariant = {
        awsManagedPolicies: managed.sort(),
        statements: mapStrings(statements, sub),
        trustAccounts: trust.accounts,
        trustPrincipals: trust.principals,
        sessionTags: trust.sessionTags,
        description: role.description,
      };
      (peopleRoles.get(role.name) ?? peopleRoles.set(role.name, new Map()).get(role.name)!).set(m.prefix, variant);
      mine.add(role.name);
    }
  }
  for (const [why, n] of ignored) report.ignored.push(`${n} ${why}`);

  // 2. One definition per role: the most common configuration; other accounts are listed.
  const roleFiles: Record<string, string> = {};
  const definitions = new Map<string, RoleVariant>();
  for (const [name, byAccount] of [...peopleRoles].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const counts = new Map<string, { variant: RoleVariant; accounts: string[] }>();
    for (const [prefix, v] of byAccount) {
      const key = stable({ ...v, description: undefined });
      const entry = counts.get(key) ?? { variant: v, accounts: [] };
      entry.accounts.push(prefix);
      counts.set(key, entry);
    }
    const ranked = [...counts.values()].sort((a, b) => b.accounts.length - a.accounts.length || (a.accounts[0] < b.accounts[0] ? -1 : 1));
    const chosen = ranked[0].variant;
    definitions.set(name, chosen);
    for (const other of ranked.slice(1)) {
      report.decisions.push(`Role ${name} differs in ${other.accounts.sort().join(', ')} from ${ranked[0].accounts.sort().join(', ')}, whose definition roles/${name}.yaml takes; iam-roster gives every account that one. Attach the difference with extraPolicies: in those account files, or accept it.`);
    }
  }

  // 3. Grants of each group and user, from what their policies allow assuming.
  const unexpressedLines: string[] = [];
  const missingPolicies = new Set<string>();
  const membersById = new Map(input.members.map((m) => [m.details.account, m]));
  const typeAccounts = new Map<string, string[]>(); // type -> prefixes
  for (const m of input.members) typeAccounts.set(m.type, [...(typeAccounts.get(m.type) ?? []), m.prefix]);
  const accountOf = new Map(input.members.map((m) => [m.prefix, m.details.account]));
  const covers = (p: RolePattern, pair: string) => {
    const [prefix, role] = pair.split('\u0000');
    return wildcardMatch(p.account, accountOf.get(prefix)!) && wildcardMatch(p.role, role);
  };
  const pairsOf = (patterns: RolePattern[], who: string): Set<string> => {
    const pairs = new Set<string>();
    for (const p of patterns) {
      let matched = 0;
      for (const m of input.members) {
        if (!wildcardMatch(p.account, m.details.account)) continue;
        for (const role of accountRoles.get(m.prefix) ?? []) if (wildcardMatch(p.role, role)) { pairs.add(`${m.prefix}\u0000${role}`); matched++; }
      }
      if (matched === 0) {
        const known = membersById.has(p.account);
        note('Access to roles outside the exports', `${who} may assume ${p.role} in ${p.account === '*' ? 'any account' : `account ${p.account}`}${known ? ', where no such role trusts the central account' : ', which was not exported (add it with --account)'}`);
      }
    }
    return pairs;
  };
  const grantsOf = (pairs: Set<string>, who: string): Record<string, string[]> => {
    const grants: Record<string, string[]> = {};
    const roles = new Set([...pairs].map((p) => p.split('\u0000')[1]));
    for (const role of [...roles].sort()) {
      for (const [type, prefixes] of [...typeAccounts].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const having = prefixes.filter((p) => accountRoles.get(p)!.has(role));
        const held = having.filter((p) => pairs.has(`${p}\u0000${role}`));
        if (held.length === 0) continue;
        if (held.length === having.length) (grants[role] ??= []).push(type);
        else note('Grants to part of an account type (left out: a grant covers every account of its type)', `${who}: ${role} in ${held.join(', ')} but not in ${having.filter((p) => !held.includes(p)).join(', ')} (type ${type})`);
      }
    }
    return grants;
  };

  const groupsOut: Record<string, { roles: Record<string, string[]> }> = {};
  const groupPairs = new Map<string, Set<string>>();
  const mfaAges: number[] = [];
  let mfaEverywhere = true;
  for (const g of [...central.groups].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const reading = readPrincipal(central, 'group', g.name, g.attached, g.inline, unexpressedLines, missingPolicies);
    if (reading.timedDenies.length) unexpressedLines.push(`group ${g.name}: time-bound denies (iam-roster puts expiries on users and memberships)`);
    const pairs = pairsOf(reading.assume, `group ${g.name}`);
    groupPairs.set(g.name, pairs);
    mfaAges.push(...reading.mfaAges);
    if (!reading.mfa && pairs.size > 0) mfaEverywhere = false;
    const roles = grantsOf(pairs, `group ${g.name}`);
    groupsOut[g.name] = { roles };
    report.summary.grants += Object.values(roles).reduce((n, t) => n + t.length, 0);
  }

  const usersOut: Record<string, unknown> = {};
  const knownGroups = new Set(central.groups.map((g) => g.name));
  for (const u of [...central.users].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const reading = readPrincipal(central, 'user', u.name, u.attached, u.inline, unexpressedLines, missingPolicies);
    const direct = pairsOf(reading.assume, `user ${u.name}`);
    mfaAges.push(...reading.mfaAges);
    if (!reading.mfa && direct.size > 0) mfaEverywhere = false;
    const roles = grantsOf(direct, `user ${u.name}`);
    report.summary.grants += Object.values(roles).reduce((n, t) => n + t.length, 0);
    const groups = u.groups.filter((g) => knownGroups.has(g)).sort();
    for (const g of u.groups.filter((x) => !knownGroups.has(x))) note('Memberships of groups not in the export', `${u.name}: ${g}`);
    usersOut[u.name] = userEntry(u, groups, roles, reading, groupPairs, direct, covers, note);
  }
  // Roles of the central account: iam-roster manages users and groups there, and its trust
  // policies admit central users only, so a central role that assumes member roles today (CI,
  // automation) loses that access.
  for (const role of central.roles) {
    if (NOT_PEOPLE_ROLE.some((x) => x.test(role))) continue;
    const lines: string[] = [];
    const reading = readPrincipal(central, 'role', role.name, role.attached, role.inline, lines, missingPolicies);
    const pairs = pairsOf(reading.assume, `central role ${role.name}`);
    if (pairs.size > 0) note('Central roles that assume member roles (iam-roster trusts central users only: these lose that access)', `${role.name}: ${[...pairs].map((p) => p.replace('\u0000', ' ')).sort().join(', ')}`);
    else note('Roles in the central account (not managed by iam-roster; left as they are)', role.name);
  }
  if (missingPolicies.size > 0) for (const arn of [...missingPolicies].sort()) note('Policies missing from the exports', `${arn} is attached in the central account but its document is not in ${central.file}`);
  for (const line of unexpressedLines) {
    const section = /inline policy/.test(line) ? 'Inline policies' : /AWS managed policy/.test(line) ? 'AWS managed policies in the central account' : /^user /.test(line) ? 'Direct user policies' : 'Other permissions of groups';
    note(section, line);
  }

  // 4. Files.
  const security: Record<string, unknown> = {};
  const ages = [...new Set(mfaAges)];
  if (ages.length === 1) security.mfaMaxAgeSeconds = ages[0];
  else if (ages.length > 1) report.decisions.push(`Assume policies ask for MFA sign-ins of different ages (${ages.sort((a, b) => a - b).join(', ')} s): iam-roster has one, security.mfaMaxAgeSeconds; none is set, so any MFA sign-in counts until you set it.`);
  if (!mfaEverywhere) report.decisions.push('Some assume permissions did not require MFA; every grant iam-roster makes does. Users without an MFA device lose access until they add one.');
  report.decisions.push('Console passwords are not in the export: set console: onboarded on the users who sign in to the console (their password is kept), or console: true to issue an initial one.');
  report.decisions.push('The password policy is not in the export: iam-roster applies its default (security.passwordPolicy) unless you set one.');
  report.decisions.push(`Guardrails are on by default in every account: roles may act only in ${[...new Set([input.centralRegion, ...input.members.map((m) => m.region ?? input.centralRegion)])].sort().join(', ')}, and logs, trails and backups are protected from deletion. Set security.guardrails (or guardrails: false in an account file) before deploying.`);

  const users = { central: { account: central.account, region: input.centralRegion }, groups: groupsOut, users: usersOut, ...(Object.keys(security).length ? { security } : {}) };
  const files: Record<string, string> = { 'users.yaml': yamlFile('users', users, `Imported by roster import from ${report.sources.length} export(s); see IMPORT-REPORT.md.`) };
  for (const m of [...input.members].sort((a, b) => (a.prefix < b.prefix ? -1 : 1))) {
    const roles = Object.fromEntries([...accountRoles.get(m.prefix)!].sort().map((r) => [r, true]));
    files[`accounts/${m.prefix}.yaml`] = yamlFile('account', { id: m.details.account, alias: m.alias, type: m.type, ...(m.region ? { region: m.region } : {}), ...(Object.keys(roles).length ? { roles } : {}) });
  }
  for (const [name, v] of definitions) {
    const wildcard = v.statements.some((s) => [s.Action ?? [], s.Resource ?? []].flat().some((x) => String(x).includes('*')));
    const justification = {
      ...(v.awsManagedPolicies.length ? { awsManagedPolicies: `Imported unchanged from the existing ${name} role (roster import); replace with why it needs these.` } : {}),
      ...(wildcard ? { wildcards: `Imported unchanged from the existing ${name} role (roster import); replace with why it needs these.` } : {}),
    };
    const trust = {
      ...(v.trustAccounts.length ? { accounts: dedupe(v.trustAccounts) } : {}),
      ...(v.trustPrincipals.length ? { principals: dedupe(v.trustPrincipals) } : {}),
      ...(Object.keys(v.sessionTags).length ? { sessionTags: v.sessionTags } : {}),
    };
    roleFiles[`roles/${name}.yaml`] = yamlFile('role', {
      name,
      description: v.description ?? `${name} (imported)`,
      enabled: false,
      ...(v.awsManagedPolicies.length ? { awsManagedPolicies: v.awsManagedPolicies } : {}),
      ...(v.statements.length ? { statements: v.statements } : {}),
      ...(Object.keys(trust).length ? { trust } : {}),
      ...(Object.keys(justification).length ? { justification } : {}),
    });
    if (Object.keys(justification).length) report.decisions.push(`roles/${name}.yaml: the justification says "imported unchanged"; write why the role needs its ${Object.keys(justification).join(' and ')}.`);
  }
  Object.assign(files, roleFiles);
  report.summary = { ...report.summary, users: central.users.length, groups: central.groups.length, accounts: input.members.length, roles: definitions.size };
  return { files, report };
}

function dedupe<T>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((x) => (seen.has(stable(x)) ? false : (seen.add(stable(x)), true)));
}

/** A user's entry: a list of groups, or a map when it has more (direct grants, expiries, tags). */
function userEntry(
  u: ExportedUser, groups: string[], roles: Record<string, string[]>, reading: PolicyReading, groupPairs: Map<string, Set<string>>, direct: Set<string>,
  covers: (pattern: RolePattern, pair: string) => boolean, note: (section: string, line: string) => void,
): unknown {
  const tags = { ...u.tags };
  const email = takeTag(tags, 'email');
  const description = takeTag(tags, 'description');
  delete tags['managed-by'];
  for (const key of Object.keys(tags)) {
    if (/^aws:/i.test(key) || !/^[A-Za-z0-9_.:/=+@ -]{1,128}$/.test(key) || !/^[A-Za-z0-9_.:/=+@ -]{0,256}$/.test(tags[key])) {
      note('User tags not expressed', `${u.name}: ${key}=${tags[key]}`);
      delete tags[key];
    }
  }
  // Expiries. A deny of everything after a time ends the user. Denies of some roles end
  // memberships: each membership ends with the earliest end of the roles it grants (iam-roster
  // ends a role reached through several memberships with the last of them); checked by computing
  // the denies back, and if they differ, the user expires at the earliest such deny instead
  // (less access, never more) and the report says so.
  let expires: string | undefined;
  const memberships: Record<string, string> = {};
  const roleDenies = reading.timedDenies.filter((d) => d.roles);
  for (const d of reading.timedDenies) if (!d.roles) expires = expires === undefined || d.after < expires ? d.after : expires;
  if (roleDenies.length > 0) {
    const held = new Set([...groups.flatMap((g) => [...(groupPairs.get(g) ?? [])]), ...direct]);
    const endOf = new Map<string, string>();
    for (const d of roleDenies) for (const pair of held) if (d.roles!.some((p) => covers(p, pair))) endOf.set(pair, endOf.has(pair) && endOf.get(pair)! < d.after ? endOf.get(pair)! : d.after);
    // The earliest end among a membership's roles (a role without a deny never ends). This always
    // reproduces the denies when they came from memberships: each role's end is the latest of them.
    for (const g of groups) {
      const ends = [...(groupPairs.get(g) ?? [])].map((pair) => endOf.get(pair)).filter((e): e is string => e !== undefined).sort();
      if (ends.length > 0) memberships[g] = ends[0];
    }
    const recomputed = new Map<string, string | null>();
    for (const pair of direct) recomputed.set(pair, null);
    for (const g of groups) {
      for (const pair of groupPairs.get(g) ?? []) {
        const until = memberships[g] ?? null;
        const current = recomputed.get(pair);
        recomputed.set(pair, current === null || until === null ? null : current === undefined || until > current ? until : current);
      }
    }
    const differs = [...held].filter((pair) => (endOf.get(pair) ?? null) !== (recomputed.get(pair) ?? null) && !(expires !== undefined && (endOf.get(pair) ?? '') >= expires));
    if (differs.length > 0) {
      const earliest = roleDenies.map((d) => d.after).sort()[0];
      note('Time-bound denies not expressed', `${u.name}: denies on ${differs.map((p) => p.replace('\u0000', ' ')).join(', ')} do not match any set of membership ends; the user is set to expire at ${earliest} instead (less access, never more)`);
      expires = expires === undefined || earliest < expires ? earliest : expires;
      for (const g of Object.keys(memberships)) delete memberships[g];
    }
  }
  const groupList = groups.map((g) => (memberships[g] ? { group: g, expires: asWritten(memberships[g]) } : g));
  const simple = !expires && Object.keys(roles).length === 0 && Object.keys(tags).length === 0 && !email && !description && Object.keys(memberships).length === 0;
  if (simple) return groupList;
  return {
    groups: groupList,
    ...(Object.keys(roles).length ? { roles } : {}),
    ...(email ? { email } : {}),
    ...(description ? { description } : {}),
    ...(expires ? { expires: asWritten(expires) } : {}),
    ...(Object.keys(tags).length ? { tags } : {}),
  };
}

function takeTag(tags: Record<string, string>, key: string): string | undefined {
  const found = Object.keys(tags).find((k) => k.toLowerCase() === key);
  if (!found) return undefined;
  const value = tags[found];
  delete tags[found];
  return value;
}

/** A config file: the editor's schema line, a comment, then the YAML (lists of names kept on one line). */
function yamlFile(schema: 'users' | 'account' | 'role', data: unknown, comment?: string): string {
  const doc = new Document(data);
  visit(doc, {
    Seq: (_, node) => {
      // Short lists of names stay on one line ([admins, developers]); actions one per line.
      if (node.items.every((i) => isScalar(i)) && node.items.reduce((n, i) => n + String((i as { value: unknown }).value).length + 2, 0) <= 70) node.flow = true;
    },
  });
  const depth = schema === 'users' ? '.' : '..';
  const header = [`# yaml-language-server: $schema=${depth}/lib/config/schema/${schema}.schema.json`, ...(comment ? [`# ${comment}`] : [])].join('\n');
  return `${header}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}
