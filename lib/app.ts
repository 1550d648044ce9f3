import { App, type AppProps } from 'aws-cdk-lib';
import type { Adoption } from './plan/adoption.js';
import type { RosterPlan } from './plan/types.js';
import type { AdoptionStep } from './stacks/central-stack.js';
import { AccountStack } from './stacks/account-stack.js';
import { CentralStack } from './stacks/central-stack.js';
import { OrganizationStack } from './stacks/organization-stack.js';
import { PipelineStack } from './stacks/pipeline-stack.js';

export interface RosterApp {
  app: App;
  central: CentralStack;
  accounts: AccountStack[];
  pipeline?: PipelineStack;
  organization?: OrganizationStack;
}

export interface RenderOptions {
  /**
   * Adoption of existing users, groups and policies (`roster import-mapping`'s runbook, ROSTER_ADOPT):
   * `import` renders CentralStack for `cdk import` (imported policies with their documents as they
   * are), `deploy` for `cdk deploy --import-existing-resources` (adopted users and groups as they
   * are, kept on rollback). The next ordinary deployment brings them to the config.
   */
  adoption?: { step: AdoptionStep; adoption: Adoption };
}

/** Render a plan as a CDK app: CentralStack, one `Account-<prefix>` stack per account file, the pipeline and the organization guardrails if configured. */
export function renderApp(plan: RosterPlan, app: App = newApp(), options: RenderOptions = {}): RosterApp {
  const central = new CentralStack(app, { plan, adoption: options.adoption });
  const accounts = plan.accounts.map((account) => new AccountStack(app, { account }));
  const pipeline = plan.pipeline ? new PipelineStack(app, { plan }) : undefined;
  const organization = plan.organization ? new OrganizationStack(app, { organization: plan.organization }) : undefined;
  return { app, central, accounts, pipeline, organization };
}

/**
 * No CDK analytics resource and no construct stack traces: templates hold only what the YAML asks
 * for, and synthesis of thousands of constructs is not spent capturing traces nobody reads.
 *
 * CDK's built-in CloudFormation schema validation costs about 8 s at 5,000 users, so it is off by
 * default: the plan and lib/stacks/template-limits.ts enforce the IAM and CloudFormation quotas,
 * and test/stacks/cfn-validation.test.ts runs the schema validation on every CI run. Set
 * ROSTER_CFN_VALIDATION=true to run it at synth too; its findings are then errors.
 */
export function newApp(props: AppProps = {}, cfnValidation = process.env.ROSTER_CFN_VALIDATION === 'true'): App {
  return new App({
    analyticsReporting: false,
    stackTraces: false,
    builtinCloudFormationValidation: cfnValidation,
    ...props,
    context: {
      'aws:cdk:disable-creation-stack-traces': true,
      '@aws-cdk/core:validateAgainstDefaultRules': cfnValidation,
      ...props.context,
    },
  });
}
