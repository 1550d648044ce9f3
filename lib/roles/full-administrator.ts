import type { RoleDefinition } from './types.js';

/** Break-glass and platform-team access: everything. */
export const fullAdministrator: RoleDefinition = {
  name: 'FullAdministrator',
  description: 'Full access to every service and resource in the account',
  enabled: true,
  awsManagedPolicies: ['AdministratorAccess'],
  statements: [],
};
