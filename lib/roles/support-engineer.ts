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
};
