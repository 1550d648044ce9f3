import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { userResourceIds } from '../../lib/constructs/roster-user.js';
import { bucketId } from '../../lib/plan/names.js';
import { USERS_STACK_PREFIX } from '../../lib/plan/placement.js';
import { templateLimitProblems } from '../../lib/stacks/template-limits.js';
import { orgArbitrary, orgFiles, type OrgSpec } from '../arbitraries.js';
import { planOf } from '../helpers.js';

/** Synthesize a config in-process; return every template file's exact text. */
function synthTemplates(files: Record<string, string>): Map<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'roster-stable-'));
  const app = newApp({ outdir });
  renderApp(planOf(files), app);
  app.synth();
  return new Map(readdirSync(outdir).filter((f) => f.endsWith('.template.json')).sort().map((f) => [f, readFileSync(join(outdir, f), 'utf8')]));
}

const withoutKeys = (obj: Record<string, unknown> = {}, drop: (k: string) => boolean) =>
  Object.fromEntries(Object.entries(obj).filter(([k]) => !drop(k)));

describe('stability (property-based)', () => {
  it('reordering every map and list in the YAML gives byte-identical templates', () => {
    fc.assert(
      fc.property(orgArbitrary, fc.integer(), (org, seed) => {
        const a = synthTemplates(orgFiles(org));
        const b = synthTemplates(orgFiles(org, seed));
        expect([...b.keys()]).toEqual([...a.keys()]);
        for (const [file, text] of a) expect(b.get(file), file).toBe(text);
      }),
      { numRuns: 15 },
    );
  });

  it('adding one user changes only that user: its own resources, and its bucket stack in the parent', () => {
    fc.assert(
      fc.property(orgArbitrary, fc.stringMatching(/^new[a-z0-9.]{1,10}@example\.com$/), (org: OrgSpec, newUser) => {
        fc.pre(!Object.keys(org.users).some((u) => u.toLowerCase() === newUser));
        const groups = Object.keys(org.groups).slice(0, 2);
        const before = synthTemplates(orgFiles(org));
        const after = synthTemplates(orgFiles({ ...org, users: { ...org.users, [newUser]: groups } }));
        const added = planOf(orgFiles({ ...org, users: { [newUser]: groups } })).users[0];
        const bucket = bucketId(USERS_STACK_PREFIX, added.bucket);
        for (const [file, text] of after) {
          if (before.get(file) === text) continue;
          if (file === 'CentralStack.template.json') {
            // Only the nested stack resource of the new user's bucket may change (new template URL, or new stack).
            const [old, now] = [JSON.parse(before.get(file)!), JSON.parse(text)];
            const isBucket = (id: string) => id.startsWith(`${bucket}NestedStack`);
            expect(withoutKeys(now.Resources, isBucket)).toEqual(withoutKeys(old.Resources, isBucket));
            expect(now.Outputs).toEqual(old.Outputs);
            continue;
          }
          expect(file.startsWith(`CentralStack${bucket}`), `${file} changed`).toBe(true);
          const now = JSON.parse(text);
          const own = new Set(userResourceIds(added));
          const isNewUser = (id: string) => own.has(id);
          expect(Object.keys(now.Resources).filter(isNewUser).sort()).toEqual([added.logicalId, `Cleanup${added.logicalId}`].sort());
          if (before.has(file)) {
            const old = JSON.parse(before.get(file)!);
            expect(withoutKeys(now.Resources, isNewUser)).toEqual(old.Resources);
            expect(withoutKeys(now.Outputs, isNewUser)).toEqual(old.Outputs);
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  it('random configurations never produce a template over an IAM or CloudFormation limit', () => {
    fc.assert(
      fc.property(orgArbitrary, (org) => {
        const outdir = mkdtempSync(join(tmpdir(), 'roster-limits-'));
        const app = newApp({ outdir });
        renderApp(planOf(orgFiles(org)), app);
        app.synth();
        expect(templateLimitProblems(outdir)).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });
});
