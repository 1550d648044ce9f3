import type { PolicyStatement } from '../../config/iam-policy.js';
import type { RosterConfig } from '../../config/types.js';

/** Services whose resources the perimeter closes to principals outside the organization. */
export const PERIMETER_ACTIONS = ['kms:*', 's3:*', 'secretsmanager:*', 'sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'];

/**
 * Accounts outside the organization that may still reach in: those a role file trusts (a vendor,
 * another organization's CI) and those organization.trustedAccounts names.
 */
export function trustedOutsideAccounts(config: RosterConfig): string[] {
  const inside = new Set([config.central.account, ...config.accounts.map((a) => a.id)]);
  const fromRoles = config.roles.flatMap((r) => r.trustExtras.map((t) => /^arn:[^:]+:iam::(\d{12}):/.exec(t.principal)?.[1])).filter((id): id is string => id !== undefined);
  return [...new Set([...fromRoles, ...(config.organization?.trustedAccounts ?? [])])].filter((id) => !inside.has(id)).sort();
}

/**
 * The resource perimeter (an RCP): roles, buckets, keys and secrets of the organization accept
 * only its own principals, AWS services acting for it, and the declared outside accounts. A role
 * an administrator writes to trust an outside account, or a bucket policy opened to the world,
 * then opens nothing.
 */
export function perimeterStatements(config: RosterConfig): PolicyStatement[] {
  const trusted = trustedOutsideAccounts(config);
  return [{
    Sid: 'OnlyOrganizationPrincipals',
    Effect: 'Deny',
    Principal: '*',
    Action: PERIMETER_ACTIONS,
    Resource: '*',
    Condition: {
      StringNotEqualsIfExists: { 'aws:PrincipalOrgID': config.organization!.id, ...(trusted.length > 0 ? { 'aws:PrincipalAccount': trusted } : {}) },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    },
  }];
}
