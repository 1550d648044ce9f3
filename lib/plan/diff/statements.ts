import { listOf, type PolicyStatement } from '../../config/iam-policy.js';

/**
 * What a change of policy statements does to permissions, unit by unit. A unit is one (effect,
 * action, resource) of a statement (NotAction/NotResource lists count as one unit each), with its
 * condition. Rules:
 * - an Allow unit added, or a Deny unit removed: grew;
 * - an Allow unit removed, or a Deny unit added: shrank;
 * - the same unit with other conditions: an Allow that keeps every old condition and adds more,
 *   or a Deny that drops some and adds none, shrank; the reverse grew; any other rewrite of the
 *   conditions counts as grew (it cannot be shown to be narrower).
 */
export interface StatementDelta {
  grew: string[];
  shrank: string[];
  /** Allow actions added that contain a wildcard (`s3:*`, `*`), for the risk rating. */
  wildcards: string[];
  /** Allow of `*` or of IAM writes added: the policy became admin-equivalent. */
  adminLike: boolean;
}

interface Unit {
  effect: string;
  action: string;
  resource: string;
  condition: Record<string, Record<string, unknown>>;
}

function unitsOf(statements: readonly PolicyStatement[]): Map<string, Unit[]> {
  const units = new Map<string, Unit[]>();
  for (const s of statements) {
    const actions = s.NotAction !== undefined ? [`NOT(${listOf(s.NotAction).join(',')})`] : listOf(s.Action);
    const resources = s.NotResource !== undefined ? [`NOT(${listOf(s.NotResource).join(',')})`] : s.Resource === undefined ? ['(none)'] : listOf(s.Resource);
    const principals = s.Principal ? Object.entries(s.Principal).flatMap(([k, v]) => listOf(v as string | string[]).map((p) => `${k}:${p}`)) : [''];
    for (const principal of principals) {
      for (const action of actions) {
        for (const resource of resources) {
          const shown = principal ? `${principal} ${action}` : action;
          const key = `${s.Effect}\u0000${shown}\u0000${resource}`;
          const unit = { effect: s.Effect, action: shown, resource, condition: (s.Condition ?? {}) as Unit['condition'] };
          units.set(key, [...(units.get(key) ?? []), unit]);
        }
      }
    }
  }
  return units;
}

/** Flatten a condition block to `operator key=value` entries. */
function conditionEntries(condition: Unit['condition']): Set<string> {
  const entries = new Set<string>();
  for (const [operator, keys] of Object.entries(condition)) {
    for (const [key, value] of Object.entries(keys)) entries.add(`${operator} ${key}=${JSON.stringify([value].flat().map(String).sort())}`);
  }
  return entries;
}

const subset = (a: Set<string>, b: Set<string>) => [...a].every((x) => b.has(x));

const describe = (u: Unit) => `${u.effect} ${u.action} on ${u.resource}${Object.keys(u.condition).length ? ` when ${[...conditionEntries(u.condition)].join(', ')}` : ''}`;

const IAM_WRITE = /^iam:(\*|Create|Put|Attach|Update|Add|Delete|Detach|Remove|Set|PassRole)/;

export function compareStatements(before: readonly PolicyStatement[], after: readonly PolicyStatement[]): StatementDelta {
  const old = unitsOf(before);
  const now = unitsOf(after);
  const delta: StatementDelta = { grew: [], shrank: [], wildcards: [], adminLike: false };
  const added = (u: Unit) => {
    (u.effect === 'Allow' ? delta.grew : delta.shrank).push(`${u.effect === 'Allow' ? 'allows' : 'denies'} ${describe(u).replace(/^(Allow|Deny) /, '')}`);
    if (u.effect === 'Allow') {
      if (u.action.includes('*')) delta.wildcards.push(u.action);
      if ((u.action === '*' && (u.resource === '*' || u.resource.endsWith(':*'))) || IAM_WRITE.test(u.action)) delta.adminLike = true;
    }
  };
  const removed = (u: Unit) => (u.effect === 'Allow' ? delta.shrank : delta.grew).push(`no longer ${u.effect === 'Allow' ? 'allows' : 'denies'} ${describe(u).replace(/^(Allow|Deny) /, '')}`);
  for (const [key, units] of now) {
    const previous = old.get(key);
    if (!previous) {
      units.forEach(added);
      continue;
    }
    const before = previous.map((u) => conditionEntries(u.condition));
    for (const u of units) {
      const after = conditionEntries(u.condition);
      if (before.some((b) => b.size === after.size && subset(b, after))) continue; // unchanged
      const tighter = before.some((b) => (u.effect === 'Allow' ? subset(b, after) : subset(after, b)));
      (tighter ? delta.shrank : delta.grew).push(`${describe(u)} (conditions changed${tighter ? ', narrower' : ''})`);
    }
  }
  for (const [key, units] of old) if (!now.has(key)) units.forEach(removed);
  return delta;
}
