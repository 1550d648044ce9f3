import type { RoleDefinition } from './types.js';

/** Look at everything, change nothing. */
export const readOnly: RoleDefinition = {
  name: 'ReadOnly',
  description: 'Read-only access to every service',
  enabled: true,
  awsManagedPolicies: ['ReadOnlyAccess'],
  statements: [],
};
