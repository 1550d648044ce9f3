import { EXIT, type CliIo } from '../io.js';
import { loadOrReport } from '../load.js';

/** `roster validate`: the same checks as synth, without loading aws-cdk-lib. */
export function validateCommand(io: CliIo, options: { dir?: string }): number {
  const loaded = loadOrReport(io, options.dir);
  if (!loaded) return EXIT.invalid;
  const { plan } = loaded;
  const roles = plan.accounts.reduce((n, a) => n + a.roles.length, 0);
  io.out(`ok: ${plan.users.length} users, ${plan.groups.length} groups, ${plan.accounts.length} accounts, ${roles} roles, ${plan.assumePolicies.length} assume policies`);
  return EXIT.ok;
}
