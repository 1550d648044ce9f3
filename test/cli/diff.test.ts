import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseFiles, writeConfig } from '../helpers.js';
import { roster } from './run.js';

/** A git repo whose config lives in `config/`, with one commit of the base config. */
function repoWithBaseConfig(): { repo: string; dir: string } {
  const repo = writeConfig({});
  const dir = join(repo, 'config');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  for (const [file, text] of Object.entries(baseFiles())) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
  return { repo, dir };
}

describe('roster diff', () => {
  it('reports no change (exit 0) when access is the same', () => {
    const { dir } = repoWithBaseConfig();
    const r = roster(['diff', 'HEAD', '--dir', dir]);
    expect(r).toEqual({ code: 0, stdout: '## iam-roster: access changes since `HEAD`\n\nNo change in who may assume which role where.', stderr: '' });
  });

  it('lists access gained and lost as Markdown, exit 1 because privileges grew', () => {
    const { dir } = repoWithBaseConfig();
    const files = baseFiles();
    writeFileSync(join(dir, 'users.yaml'), files['users.yaml'].replace('  alice@example.com: [admins]', '  alice@example.com: [devs]').replace('      ReadOnly: [prod]', '      ReadOnly: [prod]\n      FullAdministrator: [dev]'));
    const r = roster(['diff', 'HEAD', '--dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe([
      '## iam-roster: access changes since `HEAD`',
      '',
      '**3 gained, 1 lost** — privileges grew; review carefully.',
      '',
      '### Gained',
      '',
      '| user | account | account id | type | role | via | until |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| alice@example.com | dev | 333333333333 | dev | PowerUser | devs | - |',
      '| alice@example.com | prod | 222222222222 | prod | ReadOnly | devs | - |',
      '| bob | dev | 333333333333 | dev | FullAdministrator | devs | - |',
      '',
      '### Lost',
      '',
      '| user | account | account id | type | role | via | until |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| alice@example.com | prod | 222222222222 | prod | FullAdministrator | admins | - |',
    ].join('\n'));
  });

  it('exit 0 when access only shrank, and sees a removed account file', () => {
    const { dir } = repoWithBaseConfig();
    execFileSync('git', ['rm', '-q', 'config/accounts/prod.yaml'], { cwd: join(dir, '..') });
    writeFileSync(join(dir, 'users.yaml'), baseFiles()['users.yaml'].replace('prod, dev', 'dev').replace('      ReadOnly: [prod]\n', ''));
    const r = roster(['diff', 'HEAD', '--dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('**0 gained, 2 lost**.');
  });

  it('explains a bad revision without a stack trace (exit 2)', () => {
    const { dir } = repoWithBaseConfig();
    const r = roster(['diff', 'no-such-rev', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^roster: git rev-parse failed: fatal: /);
  });
});
