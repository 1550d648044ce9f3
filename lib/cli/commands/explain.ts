import { explainAccess } from '../../plan/explain.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { loadOrReport, requireAccount, requireRole, requireUser } from '../load.js';

/** `roster explain <user> <account> <role>`: the chain that grants access, or why there is none. */
export function explainCommand(io: CliIo, positionals: string[], options: { dir?: string }): number {
  if (positionals.length !== 3) throw new UsageError('explain needs <user> <account> <role>', 'e.g. roster explain alice@example.com prod-us ReadOnly');
  const [user, accountName, roleName] = positionals;
  const loaded = loadOrReport(io, options.dir);
  if (!loaded) return EXIT.invalid;
  const { config, plan, now } = loaded;
  requireUser(plan, user);
  const account = requireAccount(plan, accountName);
  const role = requireRole(config, roleName);
  const explanation = explainAccess(config, plan, user, account, role, now);
  io.out(explanation.lines.join('\n'));
  return explanation.allowed ? EXIT.ok : EXIT.denied;
}
