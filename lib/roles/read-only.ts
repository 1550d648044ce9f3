import type { RoleDefinition } from './types.js';

/** Look at everything, change nothing. */
export const readOnly: RoleDefinition = {
  name: 'ReadOnly',
  description: 'Read-only access to every service',
  enabled: true,
  awsManagedPolicies: ['ReadOnlyAccess'],
  statements: [],
  justification: {
    awsManagedPolicies:
      'ReadOnlyAccess is AWS-maintained and gains read actions of new services automatically, which a hand-written list would miss.',
  },
};
