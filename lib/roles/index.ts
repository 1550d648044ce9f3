import { auditor } from './auditor.js';
import { billingReadOnly } from './billing-read-only.js';
import { fullAdministrator } from './full-administrator.js';
import { kmsAdministrator } from './kms-administrator.js';
import { powerUser } from './power-user.js';
import { readOnly } from './read-only.js';
import { supportEngineer } from './support-engineer.js';
import type { RoleDefinition } from './types.js';

export type { PolicyDocument, PolicyStatement, RoleDefinition } from './types.js';

/** The catalog: every role iam-roster can create. Add a role by adding a file and listing it here. */
export const roleCatalog: readonly RoleDefinition[] = [
  auditor,
  billingReadOnly,
  fullAdministrator,
  kmsAdministrator,
  powerUser,
  readOnly,
  supportEngineer,
];
