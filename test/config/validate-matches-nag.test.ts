// `roster validate` refuses what cdk-nag (the AwsSolutions pack, in npm test) would fail on, at
// the role file with the key to add; and whatever validate accepts passes cdk-nag. The two share
// one rule (lib/plan/nag-rules.ts), so the pull-request check and npm test never disagree.
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { formatIssue } from '../../lib/config/errors.js';
import { validateFiles } from '../../lib/config/load.js';
import { buildPlan } from '../../lib/plan/plan.js';
import type { RosterPlan } from '../../lib/plan/types.js';
import { orgArbitrary, orgFiles } from '../arbitraries.js';
import { baseFiles, planOf, TEST_NOW } from '../helpers.js';
import { roster } from '../cli/run.js';
import { writeConfig } from '../helpers.js';

type Files = Record<string, string>;

function nagSynth(plan: RosterPlan): void {
  const app = newApp({ outdir: mkdtempSync(join(tmpdir(), 'roster-nag-')) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  renderApp(plan, app);
  app.synth();
}

const WILD = 'name: Wild\ndescription: Reads any bucket\nenabled: true\nstatements:\n  - Effect: Allow\n    Action: "s3:Get*"\n    Resource: "*"\n';
const withRole = (text: string): Files => ({ ...baseFiles(), 'roles/Wild.yaml': text });

describe('validate reports what cdk-nag fails on', () => {
  it('a role with wildcard statements and no justification: an error at the role file, naming the key to add; cdk-nag fails on the same role', () => {
    const dir = writeConfig(withRole(WILD));
    const r = roster(['validate', '--dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^roles\/Wild\.yaml:4:1: error: role Wild has wildcard permissions \(Action::s3:Get\*, Resource::\*\) without a justification: the security linter \(cdk-nag AwsSolutions-IAM5, in npm test\) fails on them$/m);
    expect(r.stderr).toContain('hint: add to roles/Wild.yaml: justification: {wildcards: "why the role needs them"}');
    // Without the refusal, the plan would render and cdk-nag would fail synthesis on that role.
    const plan = planOf(withRole(`${WILD}justification:\n  wildcards: Any object of any bucket, for the audits.\n`));
    for (const account of plan.accounts) for (const role of account.roles) if (role.name === 'Wild') role.justification = {};
    expect(() => nagSynth(plan)).toThrow(/AwsSolutions-IAM5\[Action::s3:Get\*\]/);
  });

  it('an AWS managed policy without a justification: an error (cdk-nag AwsSolutions-IAM4), no longer a warning', () => {
    const dir = writeConfig(withRole('name: Wild\ndescription: Reads\nenabled: true\nawsManagedPolicies: [ReadOnlyAccess]\n'));
    const r = roster(['validate', '--dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^roles\/Wild\.yaml:4:1: error: role Wild attaches AWS managed policies \(Policy::arn:aws:iam::aws:policy\/ReadOnlyAccess\) without a justification: .*AwsSolutions-IAM4/m);
  });

  it('the same role with its justification: validates, and passes cdk-nag', () => {
    const files = withRole(`${WILD}justification:\n  wildcards: Any object of any bucket, for the data team's audits.\n`);
    expect(roster(['validate', '--dir', writeConfig(files)]).code).toBe(0);
    expect(() => nagSynth(planOf(files))).not.toThrow();
  });

  it('whatever validate accepts passes cdk-nag (property, with and without justifications)', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(orgArbitrary.filter((o) => (o.customRoles ?? []).some((r) => r.enabled)), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), (valid, justified) => {
        const org = { ...valid, customRoles: valid.customRoles!.map((r, i) => ({ ...r, justified: justified[i] })) };
        const files = orgFiles(org);
        const { config, issues } = validateFiles(new Map(Object.entries(files)), { now: TEST_NOW });
        const built = config && buildPlan(config);
        if (!built?.plan) {
          refused++;
          // Refused for a justification: said at a role file.
          if (org.customRoles!.some((r) => !r.justified)) expect([...issues, ...(built?.issues ?? [])].map(formatIssue).join('\n')).toMatch(/^roles\/.*without a justification/m);
          return;
        }
        accepted++;
        expect(() => nagSynth(built.plan!)).not.toThrow();
      }),
      { numRuns: 8, seed: 21 },
    );
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
