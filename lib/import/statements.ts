// What a central user's or group's policies say about assuming roles, read the way IAM reads them,
// and everything else they say, which iam-roster cannot express and the import report lists.
import { listOf, type PolicyStatement } from '../config/iam-policy.js';

/** A role ARN pattern an Allow of sts:AssumeRole names (`*` wildcards kept). */
export interface RolePattern {
  account: string;
  role: string;
}

/** A deny that ends access at a time: iam-roster's expiry policies, or a hand-written equivalent. */
export interface TimedDeny {
  /** The instant (aws:CurrentTime) after which it denies. */
  after: string;
  /** Role ARN patterns it denies assuming; undefined when it denies every action. */
  roles?: RolePattern[];
}

export interface PolicyReading {
  assume: RolePattern[];
  /** MFA ages required (aws:MultiFactorAuthAge) by the assume statements. */
  mfaAges: number[];
  /** Whether every assume statement requires MFA. */
  mfa: boolean;
  timedDenies: TimedDeny[];
  /** Plain-words descriptions of what cannot be expressed (other actions, other conditions, other denies). */
  unexpressed: string[];
}

/** IAM's wildcard matching of action and ARN patterns (`*` any run, `?` one character). */
export function wildcardMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(value);
}

const ASSUME_CONDITIONS = new Set(['aws:multifactorauthpresent', 'aws:multifactorauthage', 'sts:rolesessionname', 'aws:principalarn']);

/** Role ARN patterns of a Resource list; undefined for a resource that is not an IAM role. */
function rolePatterns(resources: string[]): { roles: RolePattern[]; others: string[] } {
  const roles: RolePattern[] = [];
  const others: string[] = [];
  for (const r of resources) {
    if (r === '*') {
      roles.push({ account: '*', role: '*' });
      continue;
    }
    const m = /^arn:[^:]*:iam::([0-9*?]+):role\/(?:.*\/)?([^/]+)$/.exec(r);
    if (m) roles.push({ account: m[1], role: m[2] });
    else others.push(r);
  }
  return { roles, others };
}

/** Whether a condition block requires MFA (aws:MultiFactorAuthPresent true, or any aws:MultiFactorAuthAge test), and the maximum ages it sets. */
export function mfaOf(condition: PolicyStatement['Condition']): { required: boolean; maxAges: number[] } {
  const entries = Object.entries(condition ?? {}).flatMap(([op, byKey]) => Object.entries(byKey).map(([k, v]) => ({ op, key: k.toLowerCase(), value: v })));
  const ages = entries.filter((e) => e.key === 'aws:multifactorauthage');
  return {
    required: ages.length > 0 || entries.some((e) => e.key === 'aws:multifactorauthpresent' && /^Bool/.test(e.op) && String(e.value) === 'true'),
    maxAges: ages.filter((e) => /^NumericLessThan/.test(e.op)).map((e) => Number(e.value)),
  };
}

const allowsAssume = (actions: string[]) => actions.some((a) => wildcardMatch(a, 'sts:AssumeRole'));

/** Read every statement of a principal's policies (`source` names the policy in messages). */
export function readPolicies(policies: Array<{ source: string; statements: PolicyStatement[] }>): PolicyReading {
  const reading: PolicyReading = { assume: [], mfaAges: [], mfa: true, timedDenies: [], unexpressed: [] };
  let assumeStatements = 0;
  for (const { source, statements } of policies) {
    for (const s of statements) {
      const actions = listOf(s.Action);
      const condition = s.Condition ?? {};
      const keys = Object.values(condition).flatMap((byKey) => Object.keys(byKey).map((k) => k.toLowerCase()));
      if (s.Effect === 'Deny') {
        const after = condition.DateGreaterThan?.['aws:CurrentTime'];
        const onlyTime = keys.length === 1 && typeof after === 'string';
        if (onlyTime && s.NotAction === undefined && s.NotResource === undefined) {
          const all = actions.includes('*') && listOf(s.Resource).includes('*');
          const { roles, others } = rolePatterns(listOf(s.Resource));
          if (all) { reading.timedDenies.push({ after }); continue; }
          if (allowsAssume(actions) && others.length === 0) { reading.timedDenies.push({ after, roles }); continue; }
        }
        reading.unexpressed.push(`${source}: denies ${s.NotAction ? `everything but ${listOf(s.NotAction).join(', ')}` : actions.join(', ')}${Object.keys(condition).length ? ' under conditions' : ''}`);
        continue;
      }
      if (s.NotAction !== undefined || s.NotResource !== undefined) {
        reading.unexpressed.push(`${source}: allows ${s.NotAction ? `everything but ${listOf(s.NotAction).join(', ')}` : actions.join(', ')}${s.NotResource ? ` on everything but ${listOf(s.NotResource).join(', ')}` : ''}`);
        continue;
      }
      const resources = listOf(s.Resource);
      if (allowsAssume(actions)) {
        const { roles, others } = rolePatterns(resources);
        reading.assume.push(...roles);
        assumeStatements++;
        const mfa = mfaOf(condition);
        if (!mfa.required) reading.mfa = false;
        reading.mfaAges.push(...mfa.maxAges);
        const extra = keys.filter((k) => !ASSUME_CONDITIONS.has(k) && !k.startsWith('aws:requesttag/') && k !== 'aws:tagkeys');
        if (extra.length > 0) reading.unexpressed.push(`${source}: assume conditions ${[...new Set(extra)].join(', ')} are not expressed (iam-roster requires MFA and the user's own session name)`);
        const otherActions = actions.filter((a) => !wildcardMatch(a, 'sts:AssumeRole') && !/^sts:TagSession$/i.test(a));
        if (otherActions.length > 0 || others.length > 0) reading.unexpressed.push(`${source}: allows ${[...otherActions, ...(others.length ? [`sts:AssumeRole on ${others.join(', ')}`] : [])].join(', ')}`);
        continue;
      }
      if (actions.every((a) => /^sts:TagSession$/i.test(a))) continue; // session tags go with assume
      reading.unexpressed.push(`${source}: allows ${actions.join(', ')} on ${resources.join(', ')}`);
    }
  }
  if (assumeStatements === 0) reading.mfa = true;
  return reading;
}
