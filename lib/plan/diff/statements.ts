import { listOf, type PolicyStatement } from '../../config/iam-policy.js';

/**
 * What a change of policy statements does to permissions, unit by unit. A unit is one (effect,
 * action, resource) of a statement (NotAction/NotResource lists count as one unit each), with its
 * condition. Rules:
 * - an Allow unit added, or a Deny unit removed: grew;
 * - an Allow unit removed, or a Deny unit added: shrank;
 * - the same unit with other conditions: conditions that match fewer requests (a constraint
 *   added, fewer alternatives for `StringLike`/`ArnLike`/..., a stricter date or number bound)
 *   narrow an Allow (shrank) and widen a Deny (it denies more: shrank); the reverse grew; an Allow
 *   rewritten otherwise counts as grew (it cannot be shown to be narrower). A Deny with conditions
 *   unrelated to every old one (a revocation of another user) is a Deny added: shrank.
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
    for (const [key, value] of Object.entries(keys)) entries.add(`${operator} ${key}=${JSON.stringify(valuesOf(value))}`);
  }
  return entries;
}

const valuesOf = (value: unknown) => [value].flat().map(String).sort();

/** Operators whose values are alternatives: more values match more requests. */
const ANY_OF = /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike|IpAddress|BinaryEquals)(IfExists)?$/;
/** Negated ones: more values match fewer requests. */
const NONE_OF = /^(ForAnyValue:|ForAllValues:)?(StringNotEquals|StringNotEqualsIgnoreCase|StringNotLike|ArnNotEquals|ArnNotLike|NotIpAddress)(IfExists)?$/;
/** Bounds: a later/greater lower bound or an earlier/smaller upper bound matches fewer requests. */
const LOWER = /^(Date|Numeric)GreaterThan(Equals)?$/;
const UPPER = /^(Date|Numeric)LessThan(Equals)?$/;

const instant = (v: string) => (/^\d+(\.\d+)?$/.test(v) ? Number(v) : Date.parse(v));

/**
 * Whether every request condition `a` matches is matched by `b` too (a is as narrow or narrower):
 * conditions are an AND of operator-key constraints; each constraint of `b` must be implied by
 * the same operator-key constraint of `a`. What cannot be shown implied counts as not implied.
 */
function implies(a: Unit['condition'], b: Unit['condition']): boolean {
  for (const [operator, keys] of Object.entries(b)) {
    for (const [key, value] of Object.entries(keys)) {
      const mine = a[operator]?.[key];
      if (mine === undefined) return false;
      const [x, y] = [valuesOf(mine), valuesOf(value)];
      if (ANY_OF.test(operator)) { if (!x.every((v) => y.includes(v))) return false; continue; }
      if (NONE_OF.test(operator)) { if (!y.every((v) => x.includes(v))) return false; continue; }
      if ((LOWER.test(operator) || UPPER.test(operator)) && x.length === 1 && y.length === 1 && !Number.isNaN(instant(x[0])) && !Number.isNaN(instant(y[0]))) {
        const [p, q] = [instant(x[0]), instant(y[0])];
        if (LOWER.test(operator) ? p < q : p > q) return false;
        continue;
      }
      if (JSON.stringify(x) !== JSON.stringify(y)) return false;
    }
  }
  return true;
}

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
  // Per (effect, action, resource): units on both sides with the same conditions are unchanged;
  // a remaining new unit is paired with a remaining old one whose conditions it narrows or
  // widens (a condition rewrite), else with any remaining old one (a rewrite that cannot be shown
  // narrower: grew), else it is new. Old units left over were removed.
  for (const key of new Set([...now.keys(), ...old.keys()])) {
    // Same conditions first, by their canonical text (linear: thousands of session limits).
    const canonical = (u: Unit) => [...conditionEntries(u.condition)].sort().join('\u0001');
    const unmatched = new Map<string, Unit[]>();
    for (const o of old.get(key) ?? []) unmatched.set(canonical(o), [...(unmatched.get(canonical(o)) ?? []), o]);
    const news: Unit[] = [];
    for (const u of now.get(key) ?? []) {
      const same = unmatched.get(canonical(u));
      if (same?.length) same.pop();
      else news.push(u);
    }
    const olds = [...unmatched.values()].flat();
    const unpaired: Unit[] = [];
    for (const u of news) {
      const i = olds.findIndex((o) => implies(u.condition, o.condition) || implies(o.condition, u.condition));
      if (i < 0) { unpaired.push(u); continue; }
      const [o] = olds.splice(i, 1);
      // Narrower conditions: an Allow allows less, a Deny denies more.
      const narrower = implies(u.condition, o.condition);
      const tighter = u.effect === 'Allow' ? narrower : !narrower;
      (tighter ? delta.shrank : delta.grew).push(`${describe(u)} (conditions changed${tighter ? ', narrower' : ''})`);
    }
    // A unit whose requests another unit of the other side matches as well changes nothing: an
    // Allow added that an old one already covered, a Deny dropped that a new one still covers
    // (a membership end replaced by the user's earlier end).
    const before = old.get(key) ?? [];
    const after = now.get(key) ?? [];
    for (const u of unpaired) {
      if (before.some((o) => implies(u.condition, o.condition))) continue;
      if (olds.length > 0 && u.effect === 'Allow') {
        olds.shift();
        delta.grew.push(`${describe(u)} (conditions changed)`);
      } else added(u);
    }
    for (const o of olds) if (!after.some((n) => implies(o.condition, n.condition))) removed(o);
  }
  return delta;
}
