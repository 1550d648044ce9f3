import type { RoleDefinition } from './types.js';

/** Support staff: open and follow AWS Support cases and see health events; off by default. */
export const supportEngineer: RoleDefinition = {
  name: 'SupportEngineer',
  description: 'Open and manage AWS Support cases and read service health',
  enabled: false,
  awsManagedPolicies: ['AWSSupportAccess', 'job-function/ViewOnlyAccess'],
  statements: [
    {
      Sid: 'ReadHealthAndTrustedAdvisor',
      Effect: 'Allow',
      Action: ['health:Describe*', 'trustedadvisor:Describe*', 'trustedadvisor:List*', 'support-console:*'],
      Resource: '*',
    },
  ],
  justification: {
    awsManagedPolicies:
      'AWSSupportAccess and ViewOnlyAccess are the AWS-maintained job-function policies for support staff.',
    wildcards:
      'Support cases, Health and Trusted Advisor have no resource-level permissions; only Describe/List reads and the support console.',
  },
};
