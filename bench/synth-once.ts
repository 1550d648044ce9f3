// One measured run, in its own process so each starts cold like `cdk synth` does.
//   synth-once.ts bare                 one-resource CDK app, CDK defaults (built-in template validation on)
//   synth-once.ts bare-novalidation    the same with CDK's built-in validation off, as iam-roster runs
//   synth-once.ts validate DIR         load + validate + plan only (must not load aws-cdk-lib)
//   synth-once.ts synth DIR            the whole pipeline: validate, plan, render, synthesize, re-check
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [mode, dir] = process.argv.slice(2);
const started = performance.now();
const outdir = mkdtempSync(join(tmpdir(), 'roster-bench-'));
const report: Record<string, unknown> = { mode };

if (mode === 'bare' || mode === 'bare-novalidation') {
  const { App, Stack } = await import('aws-cdk-lib');
  const { CfnUser } = await import('aws-cdk-lib/aws-iam');
  const app = new App({ outdir, analyticsReporting: false, builtinCloudFormationValidation: mode === 'bare' });
  new CfnUser(new Stack(app, 'Bare'), 'User', { userName: 'bare' });
  app.synth();
} else {
  const { loadRoster } = await import('../lib/roster.js');
  const { plan, issues } = loadRoster(dir);
  if (!plan) throw new Error(`invalid synthetic config: ${issues[0]?.message}`);
  report.warnings = issues.length;
  report.users = plan.users.length;
  report.accounts = plan.accounts.length;
  if (mode === 'synth') {
    const { newApp, renderApp } = await import('../lib/app.js');
    const { templateLimitProblems } = await import('../lib/stacks/template-limits.js');
    const app = newApp({ outdir });
    renderApp(plan, app);
    const problems = templateLimitProblems(app.synth().directory);
    if (problems.length > 0) throw new Error(problems.join('\n'));
  }
}
// Time inside the process, after Node and tsx started: what the work itself costs.
report.workSeconds = (performance.now() - started) / 1000;
report.cdkLoaded = Object.keys(await import('node:module').then((m) => m.createRequire(import.meta.url).cache)).some((p) => p.includes('/aws-cdk-lib/'));
report.maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(report));
