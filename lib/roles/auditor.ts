import type { RoleDefinition } from './types.js';

/** Internal and external auditors: security configuration and logs, read-only. */
export const auditor: RoleDefinition = {
  name: 'Auditor',
  description: 'Read security configuration and audit trails (SecurityAudit)',
  enabled: true,
  awsManagedPolicies: ['SecurityAudit'],
  statements: [
    {
      Sid: 'ReadAuditTrails',
      Effect: 'Allow',
      Action: [
        'access-analyzer:Get*',
        'access-analyzer:List*',
        'cloudtrail:LookupEvents',
        'config:Get*',
        'config:Select*',
        'guardduty:Get*',
        'guardduty:List*',
        'securityhub:Get*',
        'securityhub:List*',
      ],
      Resource: '*',
    },
  ],
  justification: {
    awsManagedPolicies:
      'SecurityAudit is the AWS-maintained read-only security configuration view that auditors expect.',
    wildcards:
      'Auditors read findings and configuration of every resource: Get/List/Select verbs only, on services without resource-level read permissions.',
  },
};
