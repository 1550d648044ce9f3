// The action-space sweep: every swept action (sweep-actions.ts) against every target
// (sweep-targets.ts) for every principal (sweep-principals.ts), each decided by iam-simulate with
// the principal's identity policies, its boundary, the target's resource policy, and the
// organization's SCPs and RCPs when the assembly has an OrganizationStack. Principals whose
// policies, boundary and account facts are the same up to the account ID are simulated once.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createValidatedPolicy, validateIdentityPolicy } from '@cloud-copilot/iam-policy';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { sweptActions } from './sweep-actions.js';
import { principalsOf, type SweepConfig, type SweptPrincipal } from './sweep-principals.js';
import { otherRosterRole, targetsOf, type Target } from './sweep-targets.js';

export interface Finding {
  principal: SweptPrincipal;
  action: string;
  target: string;
}

export interface SweepStats {
  configs: number;
  principals: number;
  /** Principals simulated (one per class of principals that differ only by account ID). */
  distinctPrincipals: number;
  actions: number;
  simulations: number;
  /** Requests iam-simulate could not evaluate (e.g. an ARN matching two resource types of the action). */
  errors: number;
  allowed: number;
  seconds: number;
}

export interface SweepResult {
  principals: SweptPrincipal[];
  /** Allowed (principal, action, target label) triples. */
  findings: Finding[];
  /** Distinct requests iam-simulate could not evaluate. */
  errors: string[];
  stats: SweepStats;
}

/** Request context of a principal's session, as IAM fills it. */
export function sessionContext(p: SweptPrincipal): Record<string, string | string[]> {
  const isUser = p.role === 'CentralUser';
  return {
    'aws:PrincipalArn': p.principal.principalArn,
    'aws:PrincipalAccount': p.account,
    'aws:PrincipalType': isUser ? 'User' : 'AssumedRole',
    'aws:userid': isUser ? 'AIDAEXAMPLEUSERID' : `AROAEXAMPLEROLEID:${p.session}`,
    ...(isUser ? { 'aws:username': p.session } : { 'aws:SourceIdentity': p.session }),
    ...Object.fromEntries(Object.entries(p.principalTags).map(([k, v]) => [`aws:PrincipalTag/${k}`, v])),
    'aws:RequestedRegion': p.region,
    'aws:CurrentTime': '2026-11-22T12:00:00Z',
    'aws:TokenIssueTime': '2026-11-22T11:00:00Z',
    'aws:SecureTransport': 'true',
    'aws:MultiFactorAuthPresent': String(p.mfa),
    ...(p.mfa ? { 'aws:MultiFactorAuthAge': '300' } : {}),
  };
}

/** 'Allowed', 'ImplicitlyDenied', 'ExplicitlyDenied', or `Error: ...` when iam-simulate cannot evaluate the request. */
export async function simulate(p: SweptPrincipal, action: string, target: Target): Promise<string> {
  const resourceAccount = target.resourceAccount ?? p.facts.account;
  const result = await runSimulation({
    identityPolicies: p.principal.identity,
    permissionBoundaryPolicies: p.principal.boundary ? [p.principal.boundary] : undefined,
    serviceControlPolicies: p.scps,
    resourceControlPolicies: p.rcps,
    resourcePolicy: target.resourcePolicy,
    request: {
      action,
      principal: p.principal.arn,
      resource: { accountId: resourceAccount, resource: target.arn },
      contextVariables: { ...sessionContext(p), ...target.context },
    },
  }, {});
  if (result.resultType === 'error') return `Error: ${JSON.stringify(result.errors)}`;
  return result.overallResult;
}

/** Glob match on IAM action names (case-insensitive, * and ?). */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

/**
 * Whether any Allow statement of the identity policies names the action (ignoring resources and
 * conditions): if none does and the target has no resource policy, the request is implicitly
 * denied and need not be simulated.
 */
function mayAllow(p: SweptPrincipal, action: string): boolean {
  for (const { policy } of p.principal.identity) {
    const statements = ([] as Record<string, unknown>[]).concat((policy as { Statement: Record<string, unknown>[] }).Statement);
    for (const s of statements) {
      if (s.Effect !== 'Allow') continue;
      const list = (v: unknown) => ([] as string[]).concat((v ?? []) as string[]);
      if (s.Action !== undefined && list(s.Action).some((a) => actionMatches(a, action))) return true;
      if (s.NotAction !== undefined && !list(s.NotAction).some((a) => actionMatches(a, action))) return true;
    }
  }
  return false;
}

/**
 * Key of a principal's class: everything that decides its requests, with its account ID
 * abstracted. Policy lists (Action, Resource, condition values) are sets, so they are sorted; a
 * literal role or instance-profile ARN that is none of the sweep's targets only decides requests
 * on that ARN, so such ARNs are abstracted too (accounts whose roles differ only by which catalog
 * roles they have then share a class). The targets chosen from the account's roles and policies
 * are part of the key.
 */
export function classKey(p: SweptPrincipal): string {
  const { users, groups, trust, rosterRoles: _roles, rosterPolicies, instanceProfiles, ...facts } = p.facts;
  const self = p.role === 'CentralUser' ? undefined : p.role;
  const other = otherRosterRole(p.facts, self);
  const assumed = otherRosterRole(p.facts, undefined);
  const targetNames = new Set([self, other, assumed, instanceProfiles[0]].filter((n): n is string => n !== undefined));
  const literal = /^arn:aws:iam::\d{12}:(role|instance-profile)\/([^*?]+)$/;
  const normalize = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const m = literal.exec(v);
      return m && !targetNames.has(m[2]) && !m[2].startsWith('cdk-') && !m[2].startsWith('iam-roster-') ? `<other ${m[1]}>` : v;
    }
    if (Array.isArray(v)) {
      const items = v.map(normalize);
      return items.every((i) => typeof i === 'string') ? [...new Set(items as string[])].sort() : items;
    }
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
    return v;
  };
  const shape = {
    role: p.role, mfa: p.mfa, region: p.region, tags: p.principalTags,
    identity: normalize(p.principal.identity.map((i) => i.policy)), boundary: normalize(p.principal.boundary?.policy),
    facts, self, other, instanceProfile: instanceProfiles[0] ?? null,
    rosterPolicy: rosterPolicies.find((n) => n === 'IamRosterProtection') ?? rosterPolicies.find((n) => n === 'ManageYourAccount') ?? rosterPolicies[0] ?? null,
    hasOtherUser: users.some((u) => u !== p.session), group: groups[0] ?? null,
    trust: assumed ? normalize(trust.get(`arn:aws:iam::${p.facts.account}:role/${assumed}`) ?? null) : null,
    userTrust: p.role === 'CentralUser' ? normalize([...trust.entries()]) : null,
    scps: p.scps, rcps: p.rcps,
  };
  // The account's stack name is its only other account-specific string (Account-<prefix>).
  return JSON.stringify(shape).split(p.account).join('<account>').split(p.session).join('<session>')
    .split(`Account-${p.facts.prefix}`).join('Account-<prefix>').replace(`"prefix":"${p.facts.prefix}"`, '"prefix":"<prefix>"');
}

/** Validate a principal's policies once: iam-simulate then skips validating them on every request. */
function prevalidated(p: SweptPrincipal): SweptPrincipal {
  const v = (doc: Record<string, unknown>) => createValidatedPolicy(doc, validateIdentityPolicy) as unknown as Record<string, unknown>;
  return {
    ...p,
    principal: {
      ...p.principal,
      identity: p.principal.identity.map((i) => ({ name: i.name, policy: v(i.policy) })),
      boundary: p.principal.boundary ? { name: p.principal.boundary.name, policy: v(p.principal.boundary.policy) } : undefined,
    },
  };
}

export interface ClassResult {
  allowed: { action: string; target: string }[];
  simulations: number;
  errors: string[];
}

/** Every swept action on every target, for one principal (the representative of its class). */
export async function sweepPrincipal(principal: SweptPrincipal, actionNames?: readonly string[]): Promise<ClassResult> {
  const p = prevalidated(principal);
  const only = actionNames ? new Set(actionNames) : undefined;
  const actions = (await sweptActions()).filter((a) => !only || only.has(a.action));
  const result: ClassResult = { allowed: [], simulations: 0, errors: [] };
  for (const a of actions) {
    const identityMayAllow = mayAllow(principal, a.action);
    const done = new Set<string>();
    for (const t of targetsOf(a, p)) {
      if (done.has(t.label)) continue;
      if (!identityMayAllow && !t.resourcePolicy) continue;
      result.simulations++;
      const decision = await simulate(p, a.action, t);
      if (decision.startsWith('Error')) result.errors.push(`${a.action} on ${t.arn}: ${decision}`);
      if (decision === 'Allowed') {
        done.add(t.label);
        result.allowed.push({ action: a.action, target: t.label });
      }
    }
  }
  return result;
}

/** Sweep representatives on `workers` threads (each a share of the principals, costliest first). */
async function sweepInWorkers(reps: SweptPrincipal[], actionNames: readonly string[] | undefined, workers: number): Promise<ClassResult[]> {
  if (workers <= 1 || reps.length < 2) {
    const out: ClassResult[] = [];
    for (const rep of reps) out.push(await sweepPrincipal(rep, actionNames));
    return out;
  }
  const cost = (p: SweptPrincipal) => p.principal.identity.length + (p.role === 'CentralUser' ? 0 : 10);
  const order = reps.map((p, i) => ({ p, i })).sort((a, b) => cost(b.p) - cost(a.p));
  const shares: { p: SweptPrincipal; i: number }[][] = Array.from({ length: workers }, () => []);
  order.forEach((x, n) => shares[n % workers].push(x));
  const results: ClassResult[] = new Array(reps.length);
  await Promise.all(shares.map((share) => new Promise<void>((resolve, reject) => {
    const worker = new Worker(new URL('./sweep-worker.mjs', import.meta.url), {
      workerData: { principals: share.map((x) => x.p), actionNames },
    });
    worker.once('message', (out: ClassResult[]) => {
      share.forEach((x, n) => { results[x.i] = out[n]; });
      resolve();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`sweep worker exited with ${code}`))));
  })));
  return results;
}

export interface SweepOptions {
  /** Only these actions (tests of the mechanism); default every swept action. */
  actionNames?: readonly string[];
  /** Worker threads (default: the machine's parallelism, at most 4). */
  workers?: number;
}

/** Run the whole sweep. */
export async function runSweep(configs: SweepConfig[], options: SweepOptions = {}): Promise<SweepResult> {
  const start = Date.now();
  const actions = (await sweptActions()).filter((a) => !options.actionNames || options.actionNames.includes(a.action));
  const principals = configs.flatMap((c) => c.variants.flatMap((v) => principalsOf(c, v)));
  const classes = new Map<string, SweptPrincipal[]>();
  for (const p of principals) {
    const key = classKey(p);
    classes.set(key, [...(classes.get(key) ?? []), p]);
  }
  const groups = [...classes.values()];
  const results = await sweepInWorkers(groups.map((g) => g[0]), options.actionNames, options.workers ?? Math.min(4, availableParallelism()));
  const findings: Finding[] = [];
  // Every member of a class gets its representative's answers (its ARNs differ only by account ID).
  groups.forEach((members, n) => {
    for (const m of members) for (const f of results[n].allowed) findings.push({ principal: m, action: f.action, target: f.target });
  });
  const errors = results.flatMap((r) => r.errors);
  return {
    principals,
    findings,
    errors: [...new Set(errors)].sort(),
    stats: {
      configs: configs.length, principals: principals.length, distinctPrincipals: classes.size, actions: actions.length,
      simulations: results.reduce((n, r) => n + r.simulations, 0), errors: errors.length, allowed: findings.length,
      seconds: (Date.now() - start) / 1000,
    },
  };
}
