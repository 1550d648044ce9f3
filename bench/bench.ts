// `npm run bench`: synthesis time and peak memory for synthetic organisations, as ratios to a bare
// one-resource CDK app measured in the same run (absolute seconds vary too much between machines).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LARGE, SMALL, syntheticFiles, type OrgSize } from './synthetic.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, '.bench');
const runs = Number(process.env.BENCH_RUNS ?? 3);

function writeOrg(name: string, size: OrgSize): string {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of Object.entries(syntheticFiles(size))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

interface Measure { seconds: number; workSeconds: number; maxRssMB: number; cdkLoaded: boolean }

/**
 * The `roster` CLI as a user runs it (`node bin/roster.mjs ...`, start-up included), median wall
 * time; `expectExit` is the exit status it must end with (diff: 1, privileges grew).
 */
function measureCli(args: string[], cwd: string, expectExit: number): Measure {
  const roster = join(root, 'bin', 'roster.mjs');
  spawnSync(process.execPath, [roster, '--help'], { cwd }); // builds the CLI bundle once, as any first run does
  const samples: Measure[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    // GNU time reports the peak memory when the machine has it (Debian's `time` package).
    const timed = existsSync('/usr/bin/time');
    const command = timed ? ['/usr/bin/time', '-f', '%M', process.execPath] : [process.execPath];
    const child = spawnSync(command[0], [...command.slice(1), roster, ...args], { encoding: 'utf8', cwd, maxBuffer: 64 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (child.status !== expectExit) throw new Error(`roster ${args.join(' ')} exited ${child.status}, expected ${expectExit}:\n${child.stderr.slice(-2000)}`);
    const maxRssMB = timed ? Math.round(Number(child.stderr.trim().split('\n').at(-1)) / 1024) : Number.NaN;
    samples.push({ seconds, workSeconds: Number.NaN, maxRssMB, cdkLoaded: false });
  }
  samples.sort((a, b) => a.seconds - b.seconds);
  return samples[Math.floor(samples.length / 2)];
}

/**
 * The large organisation committed to its own git repository, then one line added to users.yaml:
 * a group gains an administrator role in one account type, the change a reviewer must not miss.
 */
function writeDiffOrg(size: OrgSize): string {
  const dir = writeOrg('large-diff', size);
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-qm', 'base');
  const usersFile = join(dir, 'users.yaml');
  const lines = readFileSync(usersFile, 'utf8').split('\n');
  const group = lines.findIndex((l) => /^  team-\d+:$/.test(l));
  const rolesLine = lines.findIndex((l, i) => i > group && l === '    roles:');
  const next = lines.findIndex((l, i) => i > group && /^  \S/.test(l));
  if (lines.slice(rolesLine, next).some((l) => l.startsWith('      FullAdministrator'))) throw new Error('bench: the first group already has FullAdministrator');
  lines.splice(rolesLine + 1, 0, '      FullAdministrator: [prod]');
  writeFileSync(usersFile, lines.join('\n'));
  return dir;
}

function measure(args: string[]): Measure {
  const samples: Measure[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/synth-once.ts'), ...args], { encoding: 'utf8', cwd: root });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (child.status !== 0) throw new Error(`bench run ${args.join(' ')} failed:\n${child.stderr}`);
    const report = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
    samples.push({ seconds, workSeconds: report.workSeconds, maxRssMB: report.maxRssMB, cdkLoaded: report.cdkLoaded });
  }
  samples.sort((a, b) => a.seconds - b.seconds);
  return samples[Math.floor(samples.length / 2)]; // median run
}

const orgs = [
  { name: 'small', size: SMALL },
  { name: 'large', size: LARGE },
];
console.log(`iam-roster bench: ${cpus().length} cores, node ${process.version}, median of ${runs} runs\n`);
// iam-roster turns CDK's built-in template validation off (see lib/app.ts), so the ratio is taken
// against a bare app with the same setting; the CDK-default bare app is shown for reference.
const bareDefault = measure(['bare']);
const bare = measure(['bare-novalidation']);
const rows: string[][] = [['case', 'wall s', 'in-process s', 'peak MB', 'x bare time', 'x bare MB', 'aws-cdk-lib loaded']];
const row = (name: string, m: Measure) =>
  rows.push([name, m.seconds.toFixed(2), m.workSeconds.toFixed(2), String(m.maxRssMB), (m.seconds / bare.seconds).toFixed(2), (m.maxRssMB / bare.maxRssMB).toFixed(2), String(m.cdkLoaded)]);
row('bare one-resource CDK app, CDK defaults', bareDefault);
row('bare one-resource CDK app, no built-in validation (baseline)', bare);
const results: Record<string, Measure> = { bareDefault, bare };
for (const { name, size } of orgs) {
  const dir = writeOrg(name, size);
  const label = `${size.users} users/${size.accounts} accounts/${size.roles} roles/${size.groups} groups`;
  const validate = measure(['validate', dir]);
  const synth = measure(['synth', dir]);
  row(`${name} validate only (${label})`, validate);
  row(`${name} synth (${label})`, synth);
  results[`${name}-validate`] = validate;
  results[`${name}-synth`] = synth;
}
{
  const dir = writeDiffOrg(LARGE);
  const label = `${LARGE.users} users/${LARGE.accounts} accounts`;
  const validate = measureCli(['validate'], dir, 0);
  const diff = measureCli(['diff', 'HEAD', '--format', 'md'], dir, 1);
  row(`large roster validate, CLI (${label})`, validate);
  row(`large roster diff HEAD, one-line change, CLI (${label})`, diff);
  results['large-cli-validate'] = validate;
  results['large-cli-diff'] = diff;
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
writeFileSync(join(work, 'results.json'), JSON.stringify(results, null, 2));

const large = results['large-synth'];
const verdicts = [
  [`large synth under 12 s`, large.seconds < 12],
  [`large synth under 1.5 GB`, large.maxRssMB < 1536],
  // What users run: `roster validate` (the bundled CLI); `validate only` above goes through tsx.
  [`large roster validate under 1 s (wall, CLI start-up included) without aws-cdk-lib`, results['large-cli-validate'].seconds < 1 && !results['large-validate'].cdkLoaded],
  [`large roster diff of a one-line change under 1.5 s (wall, CLI start-up included)`, results['large-cli-diff'].seconds <= 1.5],
] as const;
console.log('');
for (const [what, ok] of verdicts) console.log(`${ok ? 'ok  ' : 'MISS'} ${what}`);
