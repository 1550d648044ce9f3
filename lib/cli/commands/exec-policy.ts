import { EXECUTION_POLICY_NAME, executionPolicy } from '../../plan/execution-policy.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { loadOrReport, requireAccount } from '../load.js';

/**
 * `roster exec-policy --account A|central`: the CloudFormation execution policy for bootstrapping
 * one account (create it there as iam-roster-cfn-exec, then pass its ARN to `cdk bootstrap
 * --cloudformation-execution-policies`).
 */
export function execPolicyCommand(io: CliIo, options: { dir?: string; account?: string }): number {
  if (!options.account) throw new UsageError('exec-policy needs --account <prefix, alias or id> (or --account central)', `e.g. roster exec-policy --account central; then aws iam create-policy --policy-name ${EXECUTION_POLICY_NAME} --policy-document file://policy.json`);
  const loaded = loadOrReport(io, options.dir);
  if (!loaded) return EXIT.invalid;
  const id = options.account === 'central' ? loaded.plan.central.account : requireAccount(loaded.plan, options.account).id;
  io.out(JSON.stringify(executionPolicy(loaded.plan, id), null, 2));
  return EXIT.ok;
}
