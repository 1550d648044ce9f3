// The first step of `npm test`: what the suite needs besides Node and npm, found or installed.
//   Debian's Chromium (/usr/bin/chromium) for the HTML matrix test: installed with apt-get when
//     missing (as root, or through passwordless sudo); the test never skips without it.
//   Python 3 with moto (moto_server) and cfn-lint, for the deploy test and the template lint: these
//     machines have them; PyPI is not reachable, so they are checked, not installed.
// Anything missing that cannot be installed stops the run here, with what to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const problems = [];

function installChromium() {
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!root && !sudo) return 'not root and no passwordless sudo';
  const run = (...args) => spawnSync(root ? args[0] : 'sudo', root ? args.slice(1) : ['-n', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status;
  process.stderr.write('npm test: installing Debian chromium for the HTML matrix test (apt-get install chromium)…\n');
  if (run('apt-get', 'update', '-qq') !== 0) return 'apt-get update failed';
  if (run('apt-get', 'install', '-y', '-qq', 'chromium') !== 0) return 'apt-get install chromium failed';
  return undefined;
}

if (!existsSync(CHROMIUM)) {
  const why = installChromium();
  if (why || !existsSync(CHROMIUM)) problems.push(`${CHROMIUM} is missing (${why ?? 'not installed'}): run  sudo apt-get install chromium`);
}

const python = (code) => spawnSync('python3', ['-c', code], { encoding: 'utf8' });
const moto = python('import moto, sys; sys.stdout.write(moto.__version__)');
if (moto.status !== 0) problems.push('Python 3 with moto (moto_server) is missing: the deploy test needs it (pip install "moto[server]")');
if (spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status !== 0) problems.push('cfn-lint is missing: the template lint needs it (pip install cfn-lint)');

if (problems.length > 0) {
  process.stderr.write(`npm test cannot run the whole suite:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
