import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateLimitProblems } from '../lib/stacks/template-limits.js';
import { ACME, baseFiles, repoRoot, writeConfig } from './helpers.js';

/** Run bin/app.ts the way `cdk synth` does, with no AWS credentials in the environment. */
function synth(configDir: string) {
  const outdir = mkdtempSync(join(tmpdir(), 'roster-out-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'bin/app.ts')], {
    cwd: repoRoot,
    env: { ...env, CDK_OUTDIR: outdir, ROSTER_CONFIG_DIR: configDir },
    encoding: 'utf8',
  });
  return { ...result, outdir };
}

describe('bin/app.ts', () => {
  it('synthesizes a config offline: CentralStack, its nested stacks and every account stack', () => {
    const { status, stderr, outdir } = synth(ACME);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const files = readdirSync(outdir);
    expect(files).toContain('CentralStack.template.json');
    for (const f of readdirSync(join(ACME, 'accounts'))) {
      expect(files).toContain(`Account-${f.replace('.yaml', '')}.template.json`);
    }
    expect(files.some((f) => f.endsWith('.nested.template.json'))).toBe(true);
    expect(templateLimitProblems(outdir)).toEqual([]);
  });

  it('refuses an invalid config: every error with file:line:col and a hint, exit 1, no stack trace, no templates', () => {
    const files = baseFiles();
    files['users.yaml'] = files['users.yaml'].replace('[admins]', '[admin]').replace('PowerUser: [dev]', 'PowerUsr: [dev]');
    const { status, stderr, outdir } = synth(writeConfig(files));
    expect(status).toBe(1);
    expect(stderr).toContain("users.yaml:10:7: error: group 'devs' grants unknown role 'PowerUsr'\n    hint: did you mean 'PowerUser'?");
    expect(stderr).toContain("users.yaml:13:23: error: user 'alice@example.com' is in unknown group 'admin'\n    hint: did you mean 'admins'?");
    expect(stderr).toMatch(/2 error\(s\) in the config at .*; nothing was synthesized\./);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(outdir, 'CentralStack.template.json'))).toBe(false);
  });
});
