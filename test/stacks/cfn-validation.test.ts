import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { CfnRole } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { acmePlan } from '../helpers.js';

// CDK's CloudFormation schema validation is off at synth for speed (lib/app.ts); CI runs it here.
const validatingApp = () => newApp({ outdir: mkdtempSync(join(tmpdir(), 'roster-cfn-')) }, true);

describe("CDK's built-in CloudFormation validation", () => {
  it('finds nothing in any template of the shipped example', () => {
    const app = validatingApp();
    renderApp(acmePlan(), app);
    expect(() => app.synth()).not.toThrow();
  });

  it('is really running: it rejects a role CloudFormation would refuse', () => {
    const app = validatingApp();
    new CfnRole(new Stack(app, 'Broken'), 'Role', { assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }, maxSessionDuration: 100_000 });
    expect(() => app.synth()).toThrow(/MaxSessionDuration/);
  });
});
