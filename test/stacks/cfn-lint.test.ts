// cfn-lint (AWS's CloudFormation linter, a Python package these machines have) over every template,
// top-level and nested, of the tool's fixture and of both examples: no finding but the two below.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { loadRoster } from '../../lib/roster.js';
import { ACME, repoRoot, TEST_NOW } from '../helpers.js';

/**
 * Findings accepted, each for a reason; anything else fails the test.
 * - E3703 "Prefer Fn::Sub over Fn::Join with an empty delimiter": a style rule, raised on the
 *   TemplateURL that aws-cdk-lib writes for every nested stack (Fn::Join of the S3 URL parts).
 * - W3005 "dependency already enforced": aws-cdk-lib's Lambda Function adds DependsOn on its role
 *   (and on the log group it is given) although a GetAtt/Ref already orders them; harmless.
 */
const IGNORED = ['E3703', 'W3005'];

function synthesized(dir: string): string {
  const { plan, issues } = loadRoster(dir, TEST_NOW);
  if (!plan) throw new Error(issues.map((i) => i.message).join('\n'));
  const outdir = mkdtempSync(join(tmpdir(), 'roster-lint-'));
  const app = newApp({ outdir });
  renderApp(plan, app);
  app.synth();
  return outdir;
}

describe('cfn-lint', () => {
  it('finds nothing in any template of the fixture and the examples (besides the accepted findings)', () => {
    const dirs = [ACME, join(repoRoot, 'examples', 'small-team'), join(repoRoot, 'examples', 'login-gov-style')].map(synthesized);
    const templates = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.template.json')).map((f) => join(d, f)));
    expect(templates.filter((t) => t.endsWith('.nested.template.json')).length).toBeGreaterThan(3);
    const run = spawnSync('cfn-lint', ['--format', 'json', '--ignore-checks', ...IGNORED, '--', ...templates], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(run.error).toBeUndefined();
    const findings = JSON.parse(run.stdout || '[]') as Array<{ Rule: { Id: string }; Message: string; Filename: string }>;
    expect(findings.map((f) => `${f.Rule.Id} ${f.Filename.split('/').at(-1)}: ${f.Message}`)).toEqual([]);
    expect(run.status).toBe(0);
  }, 120_000);

  it('still reports what it should: the ignore list is not hiding everything', () => {
    const outdir = synthesized(ACME);
    const template = join(outdir, 'Account-dev.template.json');
    const run = spawnSync('cfn-lint', ['--format', 'json', '--', template], { encoding: 'utf8' });
    const rules = new Set((JSON.parse(run.stdout || '[]') as Array<{ Rule: { Id: string } }>).map((f) => f.Rule.Id));
    expect([...rules].sort()).toEqual(['W3005']);
  }, 60_000);
});
