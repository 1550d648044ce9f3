import type { ExistingIam } from '../plan/adoption.js';
import { MANAGED_BY_TAG, MANAGED_BY_VALUE } from '../plan/protection.js';
import type { AuthorizationDetails } from './authorization-details.js';

/** The central account as its export shows it, for adoption (lib/plan/adoption.ts). */
export function existingFromExport(details: AuthorizationDetails): ExistingIam {
  return {
    account: details.account,
    users: details.users.map((u) => ({
      name: u.name,
      path: u.path,
      groups: [...u.groups].sort(),
      managedPolicyArns: u.attached.map((a) => a.arn).sort(),
      tags: Object.entries(u.tags).map(([Key, Value]) => ({ Key, Value })).sort((a, b) => (a.Key < b.Key ? -1 : 1)),
      managedByRoster: u.tags[MANAGED_BY_TAG] === MANAGED_BY_VALUE,
    })),
    groups: details.groups.map((g) => ({ name: g.name, path: g.path, managedPolicyArns: g.attached.map((a) => a.arn).sort() })),
    policies: [...details.policies.values()].filter((p) => !/:iam::aws:policy\//.test(p.arn)).map((p) => ({
      name: p.name, arn: p.arn, path: p.path, description: p.description, document: p.document,
    })),
  };
}
