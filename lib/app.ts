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

/** No CDK analytics metadata resource: templates hold only what the YAML asks for. */
export function newApp(props: AppProps = {}): App {
  return new App({ analyticsReporting: false, ...props });
}
