import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { baseFiles } from '../helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'access-review.sh');
const MARKER = '<!-- iam-roster:access-review -->';

type Files = Record<string, string>;

/**
 * A stand-in for the GitHub CLI: records each call (and the comment body it sends), lists the
 * comments given in STUB_COMMENTS ("id<TAB>first line" per line) as `gh api --jq` would select
 * them, and fails the calls named in STUB_FAIL.
 */
const STUB_GH = `#!/bin/sh
printf '%s\\n' "$*" >> "$STUB_LOG/calls"
for a in "$@"; do case "$a" in body=@*) cp "\${a#body=@}" "$STUB_LOG/body.md";; esac; done
case "$*" in *"--paginate"*)
  printf '%s\\n' "$STUB_COMMENTS" | while IFS='	' read -r id first; do
    case "$first" in "${MARKER}"*) echo "$id";; esac
  done;;
esac
case "$*" in *"$STUB_FAIL"*) [ -n "$STUB_FAIL" ] && exit 1;; esac
exit 0
`;

/** A pull request: `base` committed on main (as origin/main), then `edit` committed on a branch. */
function pullRequest(edit: (f: Files) => void, base: Files = baseFiles()): string {
  const dir = mkdtempSync(join(tmpdir(), 'roster-pr-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  const write = (files: Files) => {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
  };
  git('init', '-q', '-b', 'main');
  write(base);
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  git('checkout', '-q', '-b', 'change');
  const files = { ...base };
  edit(files);
  write(files);
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'change', '--allow-empty');
  return dir;
}

function review(config: string, stub: { comments?: string; fail?: string } = {}, env: Record<string, string> = {}) {
  const log = mkdtempSync(join(tmpdir(), 'roster-gh-'));
  const bin = join(log, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'gh'), STUB_GH);
  chmodSync(join(bin, 'gh'), 0o755);
  const summary = join(log, 'summary.md');
  const r = spawnSync('bash', [SCRIPT], {
    encoding: 'utf8',
    env: {
      ...process.env, PATH: `${bin}:${process.env.PATH}`, STUB_LOG: log, STUB_COMMENTS: stub.comments ?? '', STUB_FAIL: stub.fail ?? '',
      TOOL_DIR: ROOT, CONFIG_DIR: config, BASE_REF: 'main', PR_NUMBER: '7', GITHUB_REPOSITORY: 'acme/iam', GITHUB_STEP_SUMMARY: summary, ROSTER_TODAY: '2026-11-22', ...env,
    },
  });
  const calls = existsSync(join(log, 'calls')) ? readFileSync(join(log, 'calls'), 'utf8').trim().split('\n') : [];
  const body = existsSync(join(log, 'body.md')) ? readFileSync(join(log, 'body.md'), 'utf8') : '';
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, calls, body, summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' };
}

const grow = (f: Files) => { f['users.yaml'] = f['users.yaml'].replace('      PowerUser: [dev]', '      PowerUser: [dev, prod]'); };

describe('access-review workflow script (stub gh)', () => {
  it('privileges grew: one new comment with the report, the label added, the check passes', () => {
    const r = review(pullRequest(grow));
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([
      'api repos/acme/iam/issues/7/comments --paginate --jq .[] | select(.body | startswith("<!-- iam-roster:access-review -->")) | .id',
      expect.stringMatching(/^api -X POST repos\/acme\/iam\/issues\/7\/comments -F body=@.*body\.md$/),
      expect.stringMatching(/^api -X POST repos\/acme\/iam\/labels -f name=privileges-grew /),
      'api -X POST repos/acme/iam/issues/7/labels -f labels[]=privileges-grew',
      'api -X DELETE repos/acme/iam/issues/7/labels/deletes-users',
    ]);
    expect(r.body.split('\n')[0]).toBe(MARKER);
    expect(r.body).toContain('## iam-roster: permission changes since `origin/main`');
    expect(r.body).toContain('group `devs` gains `PowerUser` in type `prod`');
    expect(r.body).not.toContain('[!WARNING]');
    expect(r.summary).toBe(`${r.body}`);
  });

  it('updates its own comment on the next push, never a second one, and takes the label off when nothing grows', () => {
    const shrink = (f: Files) => { f['users.yaml'] = f['users.yaml'].replace('      ReadOnly: [prod]\n', ''); };
    const r = review(pullRequest(shrink), { comments: `11\tLooks good to me\n42\t${MARKER}\n43\tanother ${MARKER}` });
    expect(r.code).toBe(0);
    expect(r.calls.slice(1)).toEqual([
      expect.stringMatching(/^api -X PATCH repos\/acme\/iam\/issues\/comments\/42 -F body=@/),
      'api -X DELETE repos/acme/iam/issues/7/labels/privileges-grew',
      'api -X DELETE repos/acme/iam/issues/7/labels/deletes-users',
    ]);
    expect(r.body).toContain('**No privilege grew**');
  });

  it('an invalid config fails the check, with the errors in the comment', () => {
    const r = review(pullRequest((f) => { f['users.yaml'] = f['users.yaml'].replace('  bob:\n    groups: [devs]', '  bob:\n    groups: [dves]'); }));
    expect(r.code).toBe(1);
    expect(r.body).toContain('## iam-roster: the configuration is invalid');
    expect(r.body).toMatch(/users\.yaml:\d+:\d+: error: .*dves/);
    expect(r.stdout).toContain('::error::the configuration is invalid');
    expect(r.calls.some((c) => c.includes('labels[]='))).toBe(false);
    // The labels stay while the config is invalid: a broken push must not clear privileges-grew.
    expect(r.calls.some((c) => c.includes('DELETE'))).toBe(false);
  });

  it('a user removed: the deletes-users label (not privileges-grew), the destruction in the comment, the check passes', () => {
    const r = review(pullRequest((f) => { f['users.yaml'] = f['users.yaml'].replace('  bob:\n    groups: [devs]\n    email: bob@example.com\n', ''); }));
    expect(r.code).toBe(0);
    expect(r.calls.slice(2)).toEqual([
      'api -X DELETE repos/acme/iam/issues/7/labels/privileges-grew',
      expect.stringMatching(/^api -X POST repos\/acme\/iam\/labels -f name=deletes-users /),
      'api -X POST repos/acme/iam/issues/7/labels -f labels[]=deletes-users',
    ]);
    expect(r.body).toContain('**Destructive**: deletes 1 IAM user (`bob`)');
  });

  it('compares with BASE_SHA (the pull request\'s base commit), not wherever origin/main has moved to', () => {
    const dir = pullRequest(grow);
    const baseSha = execFileSync('git', ['rev-parse', 'main'], { cwd: dir, encoding: 'utf8' }).trim();
    execFileSync('git', ['update-ref', 'refs/remotes/origin/main', 'HEAD'], { cwd: dir });
    const r = review(dir, {}, { BASE_SHA: baseSha });
    expect(r.body).toContain('group `devs` gains `PowerUser` in type `prod`');
    expect(r.body).toContain(`against main at ${baseSha.slice(0, 12)}`);
    expect(r.calls).toContain('api -X POST repos/acme/iam/issues/7/labels -f labels[]=privileges-grew');
  });

  it('a merge queue (no pull request number): the report in the job summary, no comment, no label', () => {
    const r = review(pullRequest(grow), {}, { PR_NUMBER: '' });
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
    expect(r.summary).toContain('gains `PowerUser` in type `prod`');
  });

  it('says when the pull request also changes the tool, which the report cannot cover', () => {
    const r = review(pullRequest((f) => { grow(f); f['lib/plan/privilege.ts'] = '// weakened\n'; f['package.json'] = '{}\n'; }));
    expect(r.code).toBe(0);
    expect(r.body).toContain('> [!WARNING]');
    expect(r.body).toContain('`lib/plan/privilege.ts`, `package.json`');
  });

  it('a read-only token (a fork): the report stays in the job summary, with a warning, and the check still reflects validity', () => {
    const r = review(pullRequest(grow), { fail: '-X POST repos/acme/iam/issues/7/comments' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('::warning::could not comment on the pull request');
    expect(r.summary).toContain('gains `PowerUser` in type `prod`');
  });

  const WORKFLOW = join(ROOT, '.github', 'workflows', 'access-review.yml');
  const BASE = '${{ github.event.pull_request.base.sha || github.event.merge_group.base_sha }}';

  it('the workflow runs the base branch\'s tool on the pull request\'s config, with only the permissions it documents', () => {
    const workflow = parse(readFileSync(WORKFLOW, 'utf8'));
    expect(Object.keys(workflow.on)).toEqual(['pull_request', 'merge_group']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', issues: 'write' });
    const steps = workflow.jobs.review.steps;
    expect(steps.find((s: any) => s.with?.path === 'tool').with.ref).toBe(BASE);
    expect(steps.find((s: any) => s.with?.path === 'pr').with['fetch-depth']).toBe(0);
    expect(steps.at(-1)).toMatchObject({ run: 'bash tool/scripts/access-review.sh', env: { TOOL_DIR: '${{ github.workspace }}/tool', CONFIG_DIR: '${{ github.workspace }}/pr', BASE_SHA: BASE } });
  });

  it('every action is pinned by a full commit SHA with its version in a comment; Node is the current LTS (24)', () => {
    const text = readFileSync(WORKFLOW, 'utf8');
    const uses = [...text.matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThanOrEqual(4);
    for (const [, ref, comment] of uses) {
      expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      expect(comment).toMatch(/^\s+# v\d+\.\d+\.\d+$/);
    }
    const workflow = parse(text);
    for (const job of Object.values<any>(workflow.jobs)) {
      for (const step of job.steps.filter((s: any) => String(s.uses).startsWith('actions/setup-node@'))) expect(step.with['node-version']).toBe(24);
    }
  });

  it('the user\'s own config tests run on the pull request\'s config, with the base branch\'s tests, read-only', () => {
    const job = parse(readFileSync(WORKFLOW, 'utf8')).jobs['config-tests'];
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(job.steps.find((s: any) => s.with?.path === 'tool').with.ref).toBe(BASE);
    const run = job.steps.map((s: any) => s.run ?? '').join('\n');
    expect(run).toMatch(/cp -R pr\/users\.yaml pr\/accounts pr\/roles tool\//);
    expect(run).toContain('npx vitest run test/user-config.test.ts');
  });
});
