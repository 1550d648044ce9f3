#!/usr/bin/env node
// CDK entry point (cdk.json): YAML -> config -> plan -> stacks -> templates.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIssue } from '../lib/config/errors.js';
import { hintFor } from '../lib/config/suggest.js';
import { loadRoster } from '../lib/roster.js';
import { newApp, renderApp } from '../lib/app.js';
import { templateLimitProblems } from '../lib/stacks/template-limits.js';

const app = newApp();
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const configDir = resolve(app.node.tryGetContext('configDir') ?? process.env.ROSTER_CONFIG_DIR ?? repoRoot);

const { plan, issues } = loadRoster(configDir);
for (const issue of issues) console.error(formatIssue(issue));
if (!plan) {
  const errors = issues.filter((i) => i.severity === 'error').length;
  console.error(`\n${errors} error(s) in the config at ${configDir}; nothing was synthesized.`);
  process.exit(1);
}

// ROSTER_ADOPT=a,b (or -c adopt=a,b): step 1 of `roster import-mapping`'s runbook.
const adopting = String(app.node.tryGetContext('adopt') ?? process.env.ROSTER_ADOPT ?? '').split(',').map((u) => u.trim()).filter(Boolean);
const unknown = adopting.filter((name) => !plan.users.some((u) => u.name === name));
if (unknown.length > 0) {
  for (const name of unknown) console.error(`error: ROSTER_ADOPT names '${name}', which is not a user in users.yaml\n    hint: ${hintFor(name, plan.users.map((u) => u.name), 'user')}`);
  process.exit(1);
}
let problems: string[];
try {
  renderApp(plan, app, { adopting });
  problems = templateLimitProblems(app.synth().directory);
} catch (error) {
  // The plan has already been validated; what CDK still rejects is reported in one line.
  console.error(`error: ${(error as Error).message}`);
  if (process.env.ROSTER_DEBUG) console.error((error as Error).stack);
  process.exit(1);
}
if (problems.length > 0) {
  for (const p of problems) console.error(`error: ${p}`);
  process.exit(1);
}
