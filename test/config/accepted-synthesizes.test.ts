// Property: any config `roster validate` accepts synthesizes without a CDK error and within every
// IAM and CloudFormation limit. The generators add what trips tools up: case variants of types,
// users, groups and roles, and names that fold together in IAM names (prod-us / produs).
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { validateFiles } from '../../lib/config/load.js';
import { buildPlan } from '../../lib/plan/plan.js';
import { templateLimitProblems } from '../../lib/stacks/template-limits.js';
import { CATALOG_ROLES, orgArbitrary, orgFiles } from '../arbitraries.js';
import { TEST_NOW } from '../helpers.js';

/** Flip the case of some letters, deterministically from `seed`. */
function recase(name: string, seed: number): string {
  const out = [...name].map((c, i) => ((seed >> (i % 16)) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
  return out === name ? name.toUpperCase() : out;
}

type Tweak = (files: Record<string, string>, seed: number) => void;

const TWEAKS: Tweak[] = [
  // an account whose type is a case variant of another's
  (f, seed) => {
    const accounts = Object.keys(f).filter((k) => k.startsWith('accounts/'));
    const file = accounts[seed % accounts.length];
    const type = /type: (\S+)/.exec(f[file])![1];
    f[`accounts/twin-${seed % 1000}.yaml`] = stringify({ id: String(700000000000 + (seed % 99999)), alias: `twin-${seed % 1000}`, type: recase(type, seed) });
  },
  // an account whose type folds into the same IAM name (hyphens dropped)
  (f, seed) => {
    const accounts = Object.keys(f).filter((k) => k.startsWith('accounts/'));
    const type = /type: (\S+)/.exec(f[accounts[seed % accounts.length]])![1];
    const folded = type.includes('-') ? type.replace(/-/g, '') : `${type.slice(0, 1)}-${type.slice(1)}`;
    f[`accounts/fold-${seed % 1000}.yaml`] = stringify({ id: String(710000000000 + (seed % 99999)), alias: `fold-${seed % 1000}`, type: folded });
  },
  // a user whose name is a case variant of another's
  (f, seed) => {
    const name = /\n {2}(\S+?):/.exec(f['users.yaml'].slice(f['users.yaml'].indexOf('users:')))?.[1];
    if (name) f['users.yaml'] += `  ${recase(name.replace(/^["']|["']$/g, ''), seed)}: []\n`;
  },
  // a service role named like a catalog role in another case
  (f, seed) => {
    const accounts = Object.keys(f).filter((k) => k.startsWith('accounts/'));
    f[accounts[seed % accounts.length]] += `serviceRoles:\n  ${recase(CATALOG_ROLES[seed % CATALOG_ROLES.length], seed)}:\n    service: ec2.amazonaws.com\n`;
  },
  // a custom role whose name is a case variant of a catalog role
  (f, seed) => {
    const name = recase(CATALOG_ROLES[seed % CATALOG_ROLES.length], seed);
    f[`roles/${name}.yaml`] = stringify({ name, description: 'a twin', enabled: true, statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
  },
  // a harmless service role with an instance profile (accepted)
  (f, seed) => {
    const accounts = Object.keys(f).filter((k) => k.startsWith('accounts/'));
    f[accounts[seed % accounts.length]] += `serviceRoles:\n  Worker${seed % 100}:\n    service: ecs-tasks.amazonaws.com\n    awsManagedPolicies: [AmazonS3ReadOnlyAccess]\n    instanceProfile: true\n`;
  },
];

describe('what validate accepts, synthesizes', () => {
  it('for random organisations with case variants and folded names (property)', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(orgArbitrary, fc.array(fc.tuple(fc.nat(TWEAKS.length - 1), fc.nat()), { maxLength: 2 }), (org, tweaks) => {
        const files = orgFiles(org);
        for (const [which, seed] of tweaks) TWEAKS[which](files, seed);
        const { config } = validateFiles(new Map(Object.entries(files)), { now: TEST_NOW });
        const plan = config && buildPlan(config).plan;
        if (!plan) {
          refused++;
          return;
        }
        accepted++;
        const app = newApp({ outdir: mkdtempSync(join(tmpdir(), 'roster-accepted-')) });
        renderApp(plan, app);
        const assembly = app.synth();
        expect(templateLimitProblems(assembly.directory)).toEqual([]);
      }),
      { numRuns: 40 },
    );
    // Both outcomes happen, so the property is not vacuous either way.
    expect(accepted).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(5);
  });
});
