// YOUR config: the users.yaml, accounts/, roles/ and policies/ at the root of this repository.
// These tests check only invariants that hold for any valid config (no counts, no names), so they
// keep passing as you add users, groups, roles and accounts; if one fails, your config has a
// problem worth fixing before it is deployed. Everything else in test/ tests the tool itself,
// on its own fixtures (test/fixtures/).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../lib/app.js';
import { formatIssue } from '../lib/config/errors.js';
import { loadRoster } from '../lib/roster.js';
import { templateLimitProblems } from '../lib/stacks/template-limits.js';
import { repoRoot } from './helpers.js';
import { proveAccess, synthesize } from './support/prove.js';

// Today, as the CLI and synth see it: your config's expiry dates are judged against the real clock.
const loaded = loadRoster(repoRoot);

describe('your config (repository root)', () => {
  it('validates: no errors (warnings are printed, not failed)', () => {
    const errors = loaded.issues.filter((i) => i.severity === 'error').map(formatIssue);
    expect(errors).toEqual([]);
    for (const warning of loaded.issues.filter((i) => i.severity === 'warning')) console.warn(formatIssue(warning));
  });

  it('synthesizes offline within every IAM and CloudFormation limit, and grants exactly what it declares', async () => {
    const { model, outdir } = synthesize(loaded.config!);
    expect(templateLimitProblems(outdir)).toEqual([]);
    await proveAccess(loaded.config!, model, new Date().toISOString().slice(0, 10));
  });

  it('passes the cdk-nag AwsSolutions checks: every finding is acknowledged with a reason from your role files', () => {
    const app = newApp({ outdir: mkdtempSync(join(tmpdir(), 'roster-nag-')) });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    renderApp(loaded.plan!, app);
    expect(() => app.synth()).not.toThrow();
  });
});
