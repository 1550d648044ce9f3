import type { RoleDefinition } from './types.js';

/** Finance and FinOps: bills, budgets and cost reports, nothing else. */
export const billingReadOnly: RoleDefinition = {
  name: 'BillingReadOnly',
  description: 'Read-only access to billing, cost and usage data',
  enabled: true,
  awsManagedPolicies: ['AWSBillingReadOnlyAccess'],
  statements: [
    {
      Sid: 'ReadCostAndUsage',
      Effect: 'Allow',
      Action: [
        'budgets:Describe*',
        'budgets:View*',
        'ce:Describe*',
        'ce:Get*',
        'ce:List*',
        'cur:Describe*',
        'cur:Get*',
        'pricing:Describe*',
        'pricing:Get*',
        'savingsplans:Describe*',
      ],
      Resource: '*',
    },
  ],
};
