import type { Origin } from '../config/types.js';
import type { PlanIssue } from './issues.js';
import type { RosterPlan } from './types.js';

interface Named {
  name: string;
  origin: Origin;
  what: string;
}

/**
 * Names IAM (or CloudFormation) treats as one: compared case-insensitively within one namespace.
 * Each clash is reported at both entries, so the user sees which two to tell apart.
 */
function clashes(entries: readonly Named[], namespace: string, issues: PlanIssue[], hint: string, fold = (s: string) => s.toLowerCase()): void {
  const seen = new Map<string, Named>();
  for (const entry of entries) {
    const other = seen.get(fold(entry.name));
    if (!other) {
      seen.set(fold(entry.name), entry);
      continue;
    }
    if (other.name === entry.name && other.what === entry.what && other.origin.file === entry.origin.file && String(other.origin.path) === String(entry.origin.path)) continue;
    for (const [a, b] of [[entry, other], [other, entry]]) {
      issues.push({ origin: a.origin, target: 'key', message: `${a.what} '${a.name}' and ${b.what} '${b.name}' are the same ${namespace} name to AWS`, hint });
    }
  }
}

/** Every name the plan gives IAM and CloudFormation must be unique where AWS requires it. */
export function checkCollisions(plan: RosterPlan, issues: PlanIssue[]): void {
  const central = { file: 'users.yaml', path: ['central'] };
  const caseHint = 'IAM names ignore case: rename one of the two';
  const centralPolicies: Named[] = [
    { name: plan.manageYourAccount.name, origin: central, what: 'policy' },
    ...plan.assumePolicies.map((p) => ({ name: p.name, origin: central, what: `assume policy of ${p.role} in ${p.accountType}` })),
    ...plan.groups.flatMap((g) => g.packedPolicies.map((p) => ({ name: p.name, origin: g.origin, what: `packed policy of group ${g.name}` }))),
    ...plan.users.flatMap((u) => [...u.packedPolicies, ...u.expiryPolicies].map((p) => ({ name: p.name, origin: u.origin, what: `policy of user ${u.name}` }))),
  ];
  // The central account as a member: its account stack's policies share the one IAM namespace.
  const centralMember = plan.accounts.find((a) => a.isCentral);
  const memberPolicies: Named[] = centralMember ? [
    ...centralMember.sharedPolicies.map((p) => ({ name: p.name, origin: centralMember.origin, what: 'shared policy' })),
    ...centralMember.roles.flatMap((r) => r.policies.map((p) => ({ name: p.name, origin: { file: centralMember.origin.file, path: ['roles', r.name] }, what: `policy of role ${r.name}` }))),
  ] : [];
  clashes([...centralPolicies, ...memberPolicies], 'IAM policy (central account)', issues, caseHint);
  // Logical IDs are case-sensitive, but two spellings folded to the same letters must not meet in one template.
  const logical = (items: { logicalId: string; name: string; origin: Origin; what: string }[], where: string) =>
    clashes(items.map((i) => ({ name: i.logicalId, origin: i.origin, what: `${i.what} ${i.name}'s logical ID` })), `CloudFormation logical ID (${where})`, issues, 'rename one of the two', (s) => s);
  logical([
    ...plan.users.map((u) => ({ logicalId: u.logicalId, name: u.name, origin: u.origin, what: 'user' })),
    ...plan.groups.map((g) => ({ logicalId: g.logicalId, name: g.name, origin: g.origin, what: 'group' })),
  ], 'CentralStack');
  for (const account of plan.accounts) {
    const roleOrigin = (name: string) => ({ file: account.origin.file, path: ['roles', name] });
    clashes(account.roles.map((r) => ({ name: r.name, origin: r.kind === 'service' ? { file: account.origin.file, path: ['serviceRoles', r.name] } : roleOrigin(r.name), what: `${r.kind} role` })), `IAM role (in ${account.prefix})`, issues, caseHint);
    clashes([
      ...account.sharedPolicies.map((p) => ({ name: p.name, origin: account.origin, what: 'shared policy' })),
      ...account.roles.flatMap((r) => r.policies.map((p) => ({ name: p.name, origin: roleOrigin(r.name), what: `policy of role ${r.name}` }))),
    ], `IAM policy (in ${account.prefix})`, issues, caseHint);
    logical([
      ...account.sharedPolicies.map((p) => ({ logicalId: p.logicalId, name: p.name, origin: account.origin, what: 'policy' })),
      ...account.roles.flatMap((r) => [
        { logicalId: r.logicalId, name: r.name, origin: roleOrigin(r.name), what: 'role' },
        ...r.policies.map((p) => ({ logicalId: p.logicalId, name: p.name, origin: roleOrigin(r.name), what: 'policy' })),
      ]),
    ], account.stackName);
  }
  if (plan.pipeline) {
    const wave = (name: string, type: string) => ({ name, origin: { file: 'users.yaml', path: ['pipeline', 'waveOrder'] }, what: `wave of type ${type}` });
    clashes(plan.pipeline.waves.map((w) => wave(w.name, w.accountType)), 'pipeline stage', issues, 'a wave is named after its type (split waves get -1, -2, ...): rename the account type', (s) => s);
  }
}
