// The sweep's allow-list (test/security/sweep-allow-list.yaml): every request the sweep finds
// allowed must match an entry with a reason a person wrote. Entries are patterns over the
// principal (role name and facts), the action and the target label, so the list stays short
// enough to review. Three sections:
// - allowed: decided, with the reason the access is meant;
// - gaps: allowed today but issue 17 says it must be denied (gap: true, issue: its class). When a
//   fix lands the entry matches nothing, the test reports it stale, and it is deleted;
// - holdsOnlyWithOrganizationGuardrails: chains (create a principal, give it a policy, assume it,
//   act) whose last step succeeds because no SCP/RCP layer exists.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Finding } from './sweep.js';
import type { SweptPrincipal } from './sweep-principals.js';

export interface AllowEntry {
  section: 'allowed' | 'gaps';
  /** Position in its section (for messages). */
  index: number;
  /** Role name globs; `CentralUser` for central IAM users. */
  roles: string[];
  actions: string[];
  targets: string[];
  configs?: string[];
  accounts?: string[];
  boundary?: boolean;
  guardrails?: boolean;
  mfa?: boolean;
  reason: string;
  gap?: boolean;
  issue?: string;
}

export interface ChainEntry {
  section: 'holdsOnlyWithOrganizationGuardrails' | 'gaps';
  index: number;
  /** Chain id globs: `<config>/<account>/<Role>:<chain>:<final act>`. */
  chains: string[];
  reason: string;
  gap?: boolean;
  issue?: string;
}

/** A request a role must keep being allowed: its job (fixes that over-deny fail). */
export interface MustAllowEntry {
  index: number;
  roles: string[];
  configs?: string[];
  accounts?: string[];
  boundary?: boolean;
  guardrails?: boolean;
  mfa?: boolean;
  actions: string[];
  /** Target label glob: the first target of the action whose label matches is tried. */
  target: string;
  reason: string;
}

export interface AllowList {
  entries: AllowEntry[];
  chains: ChainEntry[];
  mustAllow: MustAllowEntry[];
  /** Problems with the file itself (missing fields, TODO reasons). */
  problems: string[];
}

const compiled = new Map<string, RegExp>();
const glob = (pattern: string) => {
  let re = compiled.get(pattern);
  if (!re) compiled.set(pattern, (re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i')));
  return re;
};
const anyMatch = (patterns: string[] | undefined, value: string) => patterns === undefined || patterns.some((p) => glob(p).test(value));
const list = (v: unknown): string[] | undefined => (v === undefined ? undefined : ([] as unknown[]).concat(v).map(String));

export function loadAllowList(file: string): AllowList {
  const doc = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const entries: AllowEntry[] = [];
  const chains: ChainEntry[] = [];
  const chainEntry = (section: ChainEntry['section'], raw: Record<string, unknown>, index: number) => {
    const entry: ChainEntry = { section, index, chains: list(raw.chains) ?? [], reason: String(raw.reason ?? ''), gap: raw.gap as boolean | undefined, issue: raw.issue as string | undefined };
    if (!entry.reason.trim() || /\bTODO\b/.test(entry.reason)) problems.push(`${section}[${index}] (${entry.chains.join(',')}): reason is TODO or missing`);
    if (section === 'gaps' && (entry.gap !== true || !entry.issue)) problems.push(`${section}[${index}]: a gap needs gap: true and issue: <the issue class>`);
    chains.push(entry);
  };
  for (const section of ['allowed', 'gaps'] as const) {
    ((doc[section] ?? []) as Record<string, unknown>[]).forEach((raw, index) => {
      const where = `${section}[${index}]`;
      if (section === 'gaps' && raw.chains !== undefined) return chainEntry('gaps', raw, index);
      const entry: AllowEntry = {
        section, index,
        roles: list(raw.roles) ?? [], actions: list(raw.actions) ?? [], targets: list(raw.targets) ?? [],
        configs: list(raw.configs), accounts: list(raw.accounts),
        boundary: raw.boundary as boolean | undefined, guardrails: raw.guardrails as boolean | undefined, mfa: raw.mfa as boolean | undefined,
        reason: String(raw.reason ?? ''), gap: raw.gap as boolean | undefined, issue: raw.issue as string | undefined,
      };
      for (const field of ['roles', 'actions', 'targets'] as const) if (entry[field].length === 0) problems.push(`${where}: no ${field}`);
      if (!entry.reason.trim() || /\bTODO\b/.test(entry.reason)) problems.push(`${where} (${entry.roles.join(',')} ${entry.actions.join(',')}): reason is ${entry.reason.trim() ? 'TODO' : 'missing'}; decide and write why`);
      if (section === 'gaps' && (entry.gap !== true || !entry.issue)) problems.push(`${where}: a gap needs gap: true and issue: <the issue class>`);
      if (section === 'allowed' && entry.gap) problems.push(`${where}: gap: true belongs in the gaps section`);
      entries.push(entry);
    });
  }
  ((doc.holdsOnlyWithOrganizationGuardrails ?? []) as Record<string, unknown>[]).forEach((raw, index) => chainEntry('holdsOnlyWithOrganizationGuardrails', raw, index));
  const mustAllow: MustAllowEntry[] = ((doc.mustAllow ?? []) as Record<string, unknown>[]).map((raw, index) => {
    const entry: MustAllowEntry = {
      index, roles: list(raw.roles) ?? [], configs: list(raw.configs), accounts: list(raw.accounts),
      boundary: raw.boundary as boolean | undefined, guardrails: raw.guardrails as boolean | undefined, mfa: raw.mfa as boolean | undefined,
      actions: list(raw.actions) ?? [], target: String(raw.target ?? ''), reason: String(raw.reason ?? ''),
    };
    if (entry.roles.length === 0 || entry.actions.length === 0 || !entry.target) problems.push(`mustAllow[${index}]: needs roles, actions and target`);
    if (!entry.reason.trim()) problems.push(`mustAllow[${index}]: no reason`);
    return entry;
  });
  return { entries, chains, mustAllow, problems };
}

/** A target label against a glob (`ordinary:*`). */
export const labelMatches = (pattern: string, label: string): boolean => glob(pattern).test(label);

export function principalMatches(entry: Pick<AllowEntry, 'roles' | 'configs' | 'accounts' | 'boundary' | 'guardrails' | 'mfa'>, p: SweptPrincipal): boolean {
  return anyMatch(entry.roles, p.role)
    && anyMatch(entry.configs, p.config)
    && anyMatch(entry.accounts, p.accountPrefix)
    && (entry.boundary === undefined || entry.boundary === p.boundary)
    && (entry.guardrails === undefined || entry.guardrails === p.guardrails)
    && (entry.mfa === undefined || entry.mfa === p.mfa);
}

export function entryMatches(entry: AllowEntry, f: Finding): boolean {
  return principalMatches(entry, f.principal) && anyMatch(entry.actions, f.action) && anyMatch(entry.targets, f.target);
}

export interface Verdict {
  unlisted: Finding[];
  /** Entries no finding matches. */
  stale: AllowEntry[];
  /** Findings per entry (for the summary). */
  hits: Map<AllowEntry, number>;
}

/** Match every finding against the list: unlisted findings and stale entries both fail the sweep. */
export function judge(list: AllowList, findings: Finding[]): Verdict {
  const hits = new Map(list.entries.map((e) => [e, 0]));
  const unlisted: Finding[] = [];
  // Findings repeat per principal: decide each (principal facts, action, target) once.
  for (const f of findings) {
    let listed = false;
    for (const e of list.entries) {
      if (entryMatches(e, f)) {
        hits.set(e, hits.get(e)! + 1);
        listed = true;
      }
    }
    if (!listed) unlisted.push(f);
  }
  return { unlisted, stale: list.entries.filter((e) => hits.get(e) === 0), hits };
}

const describe = (e: AllowEntry) => `${e.section}[${e.index}] roles=${e.roles.join(',')} actions=${e.actions.slice(0, 3).join(',')}${e.actions.length > 3 ? ',…' : ''} targets=${e.targets.join(',')}`;
export { describe as describeEntry };

const yamlList = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;

/**
 * Unlisted findings as allow-list entries with `reason: TODO`, one per (role, principal facts,
 * target, service), for a person to decide: keep with a reason, or fix the policy.
 */
export function formatUnlisted(unlisted: Finding[]): string {
  const groups = new Map<string, { p: SweptPrincipal; target: string; actions: Set<string>; configs: Set<string> }>();
  for (const f of unlisted) {
    const p = f.principal;
    const facts = p.role === 'CentralUser' ? `mfa=${p.mfa}` : `boundary=${p.boundary} guardrails=${p.guardrails}`;
    const key = `${p.role} ${facts} ${f.target} ${f.action.split(':')[0]}`;
    const g = groups.get(key) ?? { p, target: f.target, actions: new Set(), configs: new Set() };
    g.actions.add(f.action);
    g.configs.add(p.config);
    groups.set(key, g);
  }
  const lines: string[] = [];
  for (const g of [...groups.values()].sort((a, b) => `${a.p.role}${a.target}`.localeCompare(`${b.p.role}${b.target}`))) {
    lines.push(`  - roles: [${g.p.role}]`);
    if (g.p.role === 'CentralUser') lines.push(`    mfa: ${g.p.mfa}`);
    else lines.push(`    boundary: ${g.p.boundary}`, `    guardrails: ${g.p.guardrails}`);
    lines.push(`    configs: ${yamlList([...g.configs].sort())}`);
    lines.push(`    actions: ${yamlList([...g.actions].sort())}`);
    lines.push(`    targets: [${JSON.stringify(g.target)}]`);
    lines.push('    reason: TODO');
  }
  return lines.join('\n');
}

/** Chain ids that succeed but match no chain entry, and chain entries no successful chain matches. */
export function judgeChains(list: AllowList, succeeded: string[]): { unlisted: string[]; stale: ChainEntry[] } {
  const used = new Set<ChainEntry>();
  const unlisted = succeeded.filter((id) => {
    const matching = list.chains.filter((e) => e.chains.some((c) => glob(c).test(id)));
    matching.forEach((e) => used.add(e));
    return matching.length === 0;
  });
  return { unlisted, stale: list.chains.filter((e) => !used.has(e)) };
}
