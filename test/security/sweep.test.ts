// The action-space sweep (issue 17, "A sweep instead of a list"): instead of a hand-written list
// of attacks, every action AWS's service authorization data lists whose access level is
// Permissions management, and every Write or Tagging action of the identity, credential,
// detection, KMS, deletion-protected and deployment services, is simulated for every role of
// every account and every central user (acme and both examples, with and without the boundary
// and the guardrails), on protected targets (iam-roster's own resources, CDK's, protected names,
// detection) and ordinary ones (a workload's). Every allowed request must be decided in
// test/security/sweep-allow-list.yaml; entries nothing matches any more are stale. Chains
// (create a role, attach AdministratorAccess, assume it, act) are evaluated step by step, with the
// organization's SCPs and RCPs when the assembly has an OrganizationStack. Must-allow cases keep
// the roles usable. `npx tsx scripts/sweep-report.ts` prints what to add, as entries with
// `reason: TODO` for a person to decide.
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEntry, formatUnlisted } from '../support/allow-list.js';
import { runSuite, summary, SWEEP_CONFIGS, type SuiteResult } from '../support/sweep-suite.js';

let r: SuiteResult;
beforeAll(async () => {
  r = await runSuite();
  console.log(summary(r));
}, 900_000);

describe('the action-space sweep', () => {
  it('covers every config and variant, roles with and without the boundary and the guardrails, central users with and without MFA', () => {
    const s = r.sweep.stats;
    expect(s.actions).toBeGreaterThan(1500);
    for (const c of SWEEP_CONFIGS) for (const v of c.variants) expect(r.sweep.principals.some((p) => p.config === c.name && p.variant === v), `${c.name} ${v}`).toBe(true);
    const roles = r.sweep.principals.filter((p) => p.role !== 'CentralUser');
    for (const boundary of [true, false]) for (const guardrails of [true, false]) {
      if (boundary && !guardrails) continue; // the boundary comes with the guardrails
      expect(roles.some((p) => p.boundary === boundary && p.guardrails === guardrails), `boundary=${boundary} guardrails=${guardrails}`).toBe(true);
    }
    for (const mfa of [true, false]) expect(r.sweep.principals.some((p) => p.role === 'CentralUser' && p.mfa === mfa)).toBe(true);
  });

  it('iam-simulate evaluates every request but those whose ARN two resource types of the action share', () => {
    expect(r.sweep.errors.filter((e) => !e.includes('multiple.resource.types'))).toEqual([]);
  });

  it('the allow-list is well-formed: every entry has a reason a person wrote (no TODO), every gap names its issue class', () => {
    expect(r.list.problems).toEqual([]);
  });

  it('every allowed request is in the allow-list (npx tsx scripts/sweep-report.ts prints the missing entries)', () => {
    expect(formatUnlisted(r.verdict.unlisted)).toBe('');
  });

  it('no allow-list entry is stale: each still matches an allowed request (a fixed gap is deleted from the list)', () => {
    expect(r.verdict.stale.map(describeEntry)).toEqual([]);
  });

  it('every chain that succeeds is listed (as holding only with organization guardrails, or as a gap), and no chain entry is stale', () => {
    expect(r.chains.some((c) => c.id.includes(':shadow-admin'))).toBe(true);
    expect(r.chainVerdict.unlisted).toEqual([]);
    expect(r.chainVerdict.stale.map((e) => `${e.section}[${e.index}] ${e.chains.join(', ')}`)).toEqual([]);
  });

  it('every must-allow request is still allowed: the roles do their jobs', () => {
    expect(r.mustAllowChecked).toBeGreaterThan(20);
    expect(r.mustAllowFailures.map((f) => `mustAllow[${f.entry.index}] ${f.problem}`)).toEqual([]);
  });
});
