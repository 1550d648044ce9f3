import { App, type AppProps } from 'aws-cdk-lib';
import type { RosterPlan } from './plan/types.js';
import { AccountStack } from './stacks/account-stack.js';
import { CentralStack } from './stacks/central-stack.js';

export interface RosterApp {
  app: App;
  central: CentralStack;
  accounts: AccountStack[];
}

/** Render a plan as a CDK app: CentralStack plus one `Account-<prefix>` stack per account file. */
export function renderApp(plan: RosterPlan, app: App = newApp()): RosterApp {
  const central = new CentralStack(app, { plan });
  const accounts = plan.accounts.map((account) => new AccountStack(app, { account }));
  return { app, central, accounts };
}

/**
 * No CDK analytics resource and no construct stack traces: templates hold only what the YAML asks
 * for, and synthesis of thousands of constructs is not spent capturing traces nobody reads.
 */
export function newApp(props: AppProps = {}): App {
  return new App({
    analyticsReporting: false,
    stackTraces: false,
    // CDK's schema validation costs ~8 s at 5,000 users; test/stacks/cfn-validation.test.ts runs it in CI instead.
    builtinCloudFormationValidation: process.env.ROSTER_CFN_VALIDATION === 'true',
    ...props,
    context: { 'aws:cdk:disable-creation-stack-traces': true, ...props.context },
  });
}
