import { listOf, type PolicyStatement } from '../config/iam-policy.js';

/** The service an action or ARN belongs to; STS acts on IAM's roles, so the two count as one. */
function serviceOf(value: string, kind: 'action' | 'arn'): string | undefined {
  const service = kind === 'action' ? value.split(':')[0] : value.split(':')[2];
  if (!service || service === '*') return undefined;
  return service === 'sts' ? 'iam' : service;
}

type Kind = 'Action' | 'NotAction';

/**
 * Unconditional Deny statements merged where that denies exactly the same. IAM matches a request
 * against its own resource, and an action of one service never acts on another service's ARN, so
 * statements whose actions and resources belong to services no other statement in the merge
 * touches can share one list: `Deny A1+A2 on R1+R2` is `Deny A1 on R1` plus `Deny A2 on R2`, and
 * `Deny NotAction N1+N2 on R1+R2` is the same as the two (the reads of one service exempted on
 * another's resources exempt nothing). Statements with a condition, a NotResource, a `*` resource
 * or a service already taken stay as they are. It saves the per-statement overhead in documents
 * IAM caps (a permissions boundary: 6,144 characters).
 */
export function mergeDisjointDenies(statements: readonly PolicyStatement[], sid: string): PolicyStatement[] {
  const kindOf = (s: PolicyStatement): Kind | undefined => (s.Action !== undefined && s.NotAction === undefined ? 'Action' : s.NotAction !== undefined && s.Action === undefined ? 'NotAction' : undefined);
  const servicesOf = (s: PolicyStatement, kind: Kind): Set<string> | undefined => {
    const all = [...listOf(s[kind]).map((a) => serviceOf(a, 'action')), ...listOf(s.Resource).map((r) => serviceOf(r, 'arn'))];
    return all.every((x) => x !== undefined) ? new Set(all as string[]) : undefined;
  };
  const groups: Record<Kind, { taken: Set<string>; actions: string[]; resources: string[]; count: number }> = {
    Action: { taken: new Set(), actions: [], resources: [], count: 0 },
    NotAction: { taken: new Set(), actions: [], resources: [], count: 0 },
  };
  const rest: PolicyStatement[] = [];
  for (const s of statements) {
    const kind = s.Effect === 'Deny' && !s.Condition && !s.NotResource && s.Resource !== undefined ? kindOf(s) : undefined;
    const own = kind ? servicesOf(s, kind) : undefined;
    if (!kind || !own || [...own].some((x) => groups[kind].taken.has(x))) {
      rest.push(s);
      continue;
    }
    const group = groups[kind];
    for (const x of own) group.taken.add(x);
    group.actions.push(...listOf(s[kind]));
    group.resources.push(...listOf(s.Resource));
    group.count++;
  }
  const merged = (['Action', 'NotAction'] as const).filter((k) => groups[k].count > 0)
    .map((k): PolicyStatement => ({ Sid: `${sid}${k === 'Action' ? '' : 'ExceptReads'}`, Effect: 'Deny', [k]: groups[k].actions, Resource: groups[k].resources }));
  return [...merged, ...rest];
}
