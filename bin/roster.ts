// `roster` CLI: pure core only (never loads aws-cdk-lib), so it answers in well under a second.
import { main } from '../lib/cli/main.js';

try {
  process.exitCode = await main(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    cwd: process.cwd(),
    env: process.env,
  });
} catch (error) {
  // Config and usage mistakes never get here (they are reported with file:line:col or a hint);
  // anything else is a bug or the environment (a full disk, a permission): one line, no trace.
  process.stderr.write(`roster: ${(error as Error).message}\n`);
  if (process.env.ROSTER_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 2;
}
