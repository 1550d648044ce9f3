// Properties IAM never lets change on a named resource (a policy's description and path, any
// resource's name) must not depend on anything but the name: CloudFormation would have to replace
// the resource, which it refuses for custom-named resources, and the deployment would fail.
import { describe, expect, it } from 'vitest';
import type { RosterPlan } from '../../lib/plan/types.js';
import { baseFiles, planOf } from '../helpers.js';

type Files = Record<string, string>;

/** Every managed policy of a plan: `<account>/<name>` -> description. */
function descriptions(plan: RosterPlan): Map<string, string> {
  const central = [plan.manageYourAccount, ...plan.assumePolicies, ...plan.groups.flatMap((g) => g.packedPolicies), ...plan.users.flatMap((u) => [...u.packedPolicies, ...u.expiryPolicies])];
  return new Map([
    ...central.map((p) => [`${plan.central.account}/${p.name}`, p.description] as const),
    ...plan.accounts.flatMap((a) => [...a.sharedPolicies, ...a.roles.flatMap((r) => r.policies)].map((p) => [`${a.id}/${p.name}`, p.description] as const)),
  ]);
}

function expectSameDescriptions(small: Files, large: Files) {
  const [a, b] = [descriptions(planOf(small)), descriptions(planOf(large))];
  const common = [...a.keys()].filter((k) => b.has(k));
  expect(common.length).toBeGreaterThan(0);
  expect(Object.fromEntries(common.map((k) => [k, b.get(k)]))).toEqual(Object.fromEntries(common.map((k) => [k, a.get(k)])));
  // the growth really split something into more parts
  expect(b.size).toBeGreaterThan(a.size);
}

const statements = (n: number) => `statements:\n${Array.from({ length: n }, (_, i) => `  - Sid: Read${i}\n    Effect: Allow\n    Action: [s3:GetObject, s3:ListBucket]\n    Resource: ["arn:{partition}:s3:::bucket-number-${i}-with-a-long-name-{account}", "arn:{partition}:s3:::bucket-number-${i}-with-a-long-name-{account}/*"]\n`).join('')}justification:\n  wildcards: Objects of these buckets are the job of the role.\n`;

describe('immutable properties depend on names only', () => {
  it('a role whose statements grow into more policy parts keeps the descriptions of the parts it had', () => {
    const small = baseFiles();
    small['roles/Extra.yaml'] = `name: Extra\ndescription: Extra role\nenabled: true\n${statements(3)}`;
    const large = { ...small, 'roles/Extra.yaml': `name: Extra\ndescription: Extra role\nenabled: true\n${statements(60)}` };
    expectSameDescriptions(small, large);
  });

  it('a group whose packed assume policies grow into more parts keeps its descriptions', () => {
    // 30 account types of 4 accounts each: a group granted ReadOnly in many of them is packed
    // (more than 10 policies) and its packed policy splits as the type list grows.
    const types = Array.from({ length: 30 }, (_, i) => `t${i}`);
    const files = (n: number): Files => {
      const f = baseFiles();
      types.forEach((t, i) => {
        for (let k = 0; k < 4; k++) f[`accounts/${t}-${k}.yaml`] = `id: "${String(500000000000 + i * 10 + k)}"\nalias: acme-${t}-${k}\ntype: ${t}\n`;
      });
      f['users.yaml'] = f['users.yaml'].replace('      ReadOnly: [prod]', `      ReadOnly: [prod, ${types.slice(0, n).join(', ')}]`);
      return f;
    };
    const parts = (n: number) => planOf(files(n)).groups.find((g) => g.name === 'devs')!.packedPolicies.length;
    expect([parts(12), parts(30)]).toEqual([1, 2]);
    expectSameDescriptions(files(12), files(30));
  });

  it('guardrails that grow into a second policy keep the first one\'s description', () => {
    const small = baseFiles();
    const patterns = (n: number) => Array.from({ length: n }, (_, i) => `"important-data-set-number-${i}-*"`).join(', ');
    small['accounts/prod.yaml'] += `guardrails:\n  protectedNamePatterns: [${patterns(1)}]\n`;
    const large = { ...small, 'accounts/prod.yaml': small['accounts/prod.yaml'].replace(patterns(1), patterns(12)) };
    expectSameDescriptions(small, large);
  });
});
