import { main } from '../../lib/cli/main.js';
import { ACME } from '../helpers.js';

/** Run the CLI in-process against a config dir (default: the acme fixture); capture stdout, stderr and the exit code. */
export function roster(args: string[], cwd = ACME, env: NodeJS.ProcessEnv = { ROSTER_TODAY: '2026-11-22' }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, { out: (t) => out.push(t), err: (t) => err.push(t), cwd, env });
  if (typeof code !== 'number') throw new Error(`roster ${args[0]} is asynchronous: use rosterAsync`);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** The same for a command that answers asynchronously (credentials). */
export async function rosterAsync(args: string[], cwd = ACME, env: NodeJS.ProcessEnv = { ROSTER_TODAY: '2026-11-22' }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t), cwd, env });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
