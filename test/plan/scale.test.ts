import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LARGE, syntheticFiles } from '../../bench/synthetic.js';
import { IAM_LIMITS } from '../../lib/config/limits.js';
import { bucketOf } from '../../lib/plan/names.js';
import { MAX_USERS_PER_BUCKET } from '../../lib/plan/plan.js';
import { USER_BUCKETS } from '../../lib/plan/placement.js';
import { policyChars } from '../../lib/plan/policy-size.js';
import { planOf, repoRoot } from '../helpers.js';

describe('the 5,000-user, 300-account organisation', () => {
  const plan = planOf(syntheticFiles(LARGE));

  it('plans within every IAM quota', () => {
    expect(plan.users).toHaveLength(5000);
    expect(plan.accounts).toHaveLength(300);
    const policies = [plan.manageYourAccount, ...plan.assumePolicies, ...plan.groups.flatMap((g) => g.packedPolicies), ...plan.accounts.flatMap((a) => a.roles.flatMap((r) => r.policies))];
    for (const p of policies) expect(policyChars(p.document)).toBeLessThanOrEqual(IAM_LIMITS.managedPolicyChars);
    for (const g of plan.groups) expect(g.policyNames.length).toBeLessThanOrEqual(IAM_LIMITS.managedPoliciesPerGroup);
    expect(plan.groups.some((g) => g.packedPolicies.length > 0)).toBe(true); // the packing path is exercised
    for (const u of plan.users) expect(u.groups.length).toBeLessThanOrEqual(IAM_LIMITS.groupsPerUser);
  });

  it('spreads users over the buckets far below the per-stack ceiling', () => {
    const counts = new Map<number, number>();
    for (const u of plan.users) counts.set(u.bucket, (counts.get(u.bucket) ?? 0) + 1);
    expect(counts.size).toBe(USER_BUCKETS);
    expect(Math.max(...counts.values())).toBeLessThan(MAX_USERS_PER_BUCKET);
  });
});

describe('bucket load for any 5,000 user names (property)', () => {
  it('never comes near the per-stack ceiling', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z0-9.@_-]{1,64}$/), { minLength: 5000, maxLength: 5000 }), (names) => {
        const counts = new Array(USER_BUCKETS).fill(0);
        for (const n of names) counts[bucketOf(n, USER_BUCKETS)]++;
        expect(Math.max(...counts)).toBeLessThan(MAX_USERS_PER_BUCKET);
      }),
      { numRuns: 5 },
    );
  });
});

describe('the pure core', () => {
  it('never imports aws-cdk-lib or constructs, so validation and the CLI stay fast', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    const core = ['lib/config', 'lib/plan', 'lib/cli'].flatMap((d) => files(join(repoRoot, d))).concat(join(repoRoot, 'lib/roster.ts'));
    const offenders = core.filter((f) => f.endsWith('.ts') && /from '(aws-cdk-lib|constructs)/.test(readFileSync(f, 'utf8')));
    expect(core.length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
