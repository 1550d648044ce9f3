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
  justification: {
    awsManagedPolicies:
      'AWSBillingReadOnlyAccess is the AWS-maintained read-only view of billing.',
    wildcards:
      "Cost Explorer, Budgets, CUR, Pricing and Savings Plans reads are account-wide APIs without resource-level permissions, so they need Resource '*' and read-only verb wildcards.",
  },
};
