import type { RoleDefinition } from './types.js';

/** Break-glass and platform-team access: everything. */
export const fullAdministrator: RoleDefinition = {
  name: 'FullAdministrator',
  description: 'Full access to every service and resource in the account',
  enabled: true,
  awsManagedPolicies: ['AdministratorAccess'],
  statements: [],
  justification: {
    awsManagedPolicies:
      'AdministratorAccess is the purpose of this break-glass role; AWS maintains it as services are added.',
  },
};
