// `roster` CLI: pure core only (never loads aws-cdk-lib), so it answers in well under a second.
import { main } from '../lib/cli/main.js';

process.exitCode = main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
  env: process.env,
});
