import type { RoleDefinition } from './types.js';

/** Day-to-day engineering: every service except IAM and Organizations management. */
export const powerUser: RoleDefinition = {
  name: 'PowerUser',
  description: 'Full access to services and resources, without IAM or Organizations management',
  enabled: true,
  awsManagedPolicies: ['PowerUserAccess'],
  statements: [
    {
      // PowerUserAccess omits IAM; service-linked roles and passing existing roles are needed to use most services.
      Sid: 'UseServiceRoles',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole', 'iam:GetRole', 'iam:ListRoles', 'iam:PassRole'],
      Resource: '*',
    },
  ],
  justification: {
    awsManagedPolicies:
      "PowerUserAccess is the AWS-maintained definition of 'everything but IAM and Organizations', kept current as services launch.",
    wildcards:
      'Using services means passing and creating service-linked roles whose names are not known in advance; PassRole is still bounded by the guardrails.',
  },
};
