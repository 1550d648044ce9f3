#!/usr/bin/env node
// CDK entry point (cdk.json): YAML -> config -> plan -> stacks -> templates.
// The config is validated with the pure core first: a broken config is reported (file:line:col and
// a hint, no stack trace) before aws-cdk-lib is even loaded, and nothing is written to cdk.out.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIssue } from '../lib/config/errors.js';
import { loadRoster } from '../lib/roster.js';

/** Context the CDK CLI passes (`-c key=value` and cdk.json), read without aws-cdk-lib. */
function cliContext(): Record<string, unknown> {
  try {
    const overflow = process.env.CONTEXT_OVERFLOW_LOCATION_ENV;
    const fromFile = overflow ? JSON.parse(readFileSync(overflow, 'utf8')) : {};
    return { ...JSON.parse(process.env.CDK_CONTEXT_JSON ?? '{}'), ...fromFile };
  } catch {
    return {};
  }
}

const fail = (lines: string[]): never => {
  for (const line of lines) console.error(line);
  process.exit(1);
};

const context = cliContext();
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const configDir = resolve(String(context.configDir ?? process.env.ROSTER_CONFIG_DIR ?? repoRoot));

const { plan, issues } = loadRoster(configDir);
for (const issue of issues) console.error(formatIssue(issue));
if (!plan) fail([`\n${issues.filter((i) => i.severity === 'error').length} error(s) in the config at ${configDir}; nothing was synthesized.`]);

// ROSTER_ADOPT=import/adoption.json ROSTER_ADOPT_STEP=import|deploy: a step of the adoption
// runbook `roster import-mapping` writes (existing users, groups and policies rendered as they are).
const adoptFile = String(context.adopt ?? process.env.ROSTER_ADOPT ?? '');
const adoptStep = String(context.adoptStep ?? process.env.ROSTER_ADOPT_STEP ?? 'deploy');
let adoption: { step: 'import' | 'deploy'; adoption: import('../lib/plan/adoption.js').Adoption } | undefined;
if (adoptFile) {
  if (adoptStep !== 'import' && adoptStep !== 'deploy') fail([`error: ROSTER_ADOPT_STEP is '${adoptStep}'\n    hint: import (for cdk import) or deploy (for cdk deploy --import-existing-resources), as the runbook says`]);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(resolve(adoptFile), 'utf8'));
  } catch (error) {
    fail([`error: ROSTER_ADOPT: cannot read ${adoptFile} (${(error as Error).message.split('\n')[0]})\n    hint: run roster import-mapping again; it writes adoption.json`]);
  }
  const { checkAdoption } = await import('../lib/plan/adoption.js');
  const checked = checkAdoption(data, plan!);
  if (!checked.adoption) fail(checked.errors.map((e) => `error: ROSTER_ADOPT: ${adoptFile}: ${e.message}\n    hint: ${e.hint}`));
  adoption = { step: adoptStep as 'import' | 'deploy', adoption: checked.adoption! };
}

try {
  const { newApp, renderApp } = await import('../lib/app.js');
  const { templateLimitProblems } = await import('../lib/stacks/template-limits.js');
  const app = newApp();
  renderApp(plan!, app, { adoption });
  const problems = templateLimitProblems(app.synth().directory);
  if (problems.length > 0) fail(problems.map((p) => `error: ${p}\n    hint: this is a bug in iam-roster (the plan should have refused it); please report it with the config`));
} catch (error) {
  // The plan has already been validated; what CDK still rejects is reported in one line.
  console.error(`error: ${(error as Error).message}`);
  if (process.env.ROSTER_DEBUG) console.error((error as Error).stack);
  process.exit(1);
}
