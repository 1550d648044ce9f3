// Synthetic organisations for the benchmark and the property tests: deterministic for a given size.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

/** The tool's own catalog fixture (test/fixtures/acme/roles), never the user's roles/. */
const CATALOG_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'acme', 'roles');

interface SyntheticRole {
  name: string;
  enabled: boolean;
  [key: string]: unknown;
}

function baseCatalog(): SyntheticRole[] {
  return readdirSync(CATALOG_DIR).sort().map((f) => parse(readFileSync(join(CATALOG_DIR, f), 'utf8')) as SyntheticRole);
}

export interface OrgSize {
  users: number;
  accounts: number;
  roles: number;
  groups: number;
  types?: number;
}

export const SMALL: OrgSize = { users: 150, accounts: 50, roles: 15, groups: 20 };
export const LARGE: OrgSize = { users: 5000, accounts: 300, roles: 25, groups: 100 };

const TYPE_NAMES = ['prod', 'staging', 'dev', 'sandbox', 'security', 'shared-services', 'data', 'ml'];

/** The fixture catalog plus generated roles up to `count`, each with its own statements. */
export function syntheticCatalog(count: number): SyntheticRole[] {
  const base = baseCatalog();
  const extra = Array.from({ length: Math.max(0, count - base.length) }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return {
      name: `TeamRole${n}`,
      description: `Synthetic team role ${n}`,
      enabled: i % 4 !== 3,
      awsManagedPolicies: ['ReadOnlyAccess'],
      justification: { awsManagedPolicies: 'Synthetic benchmark role.', wildcards: 'Synthetic benchmark role.' },
      statements: [
        { Sid: `Team${n}Data`, Effect: 'Allow' as const, Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: `arn:{partition}:s3:::team${n}-{account}*` },
        { Sid: `Team${n}Compute`, Effect: 'Allow' as const, Action: ['lambda:*', 'ecs:*', 'logs:*'], Resource: '*' },
      ],
    };
  });
  return [...base, ...extra];
}

/** users.yaml, accounts/*.yaml and roles/*.yaml for an organisation of the given size, as path -> YAML text. */
export function syntheticFiles(size: OrgSize): Record<string, string> {
  const types = TYPE_NAMES.slice(0, size.types ?? Math.min(TYPE_NAMES.length, Math.max(4, Math.ceil(size.accounts / 40))));
  const catalog = syntheticCatalog(size.roles);
  const roles = catalog.map((r) => r.name);
  // The first account of each type turns on every role that is off by default, so every grant reaches an account.
  const offByDefault = Object.fromEntries(catalog.filter((r) => !r.enabled).map((r) => [r.name, true]));
  const files: Record<string, string> = {};
  for (let i = 0; i < size.accounts; i++) {
    const n = String(i).padStart(3, '0');
    files[`accounts/acct-${n}.yaml`] = stringify({
      id: String(100000000000 + i * 7919),
      alias: `org-acct-${n}`,
      type: types[i % types.length],
      ...(i < types.length ? { roles: offByDefault } : {}),
    });
  }
  const groups: Record<string, { description: string; roles: Record<string, string[]> }> = {};
  const groupNames: string[] = [];
  for (let g = 0; g < size.groups; g++) {
    const name = `team-${String(g).padStart(3, '0')}`;
    groupNames.push(name);
    const grants: Record<string, string[]> = {};
    for (let k = 0; k < 2 + (g % 4); k++) {
      const role = roles[(g * 3 + k * 5) % roles.length];
      grants[role] = types.filter((_, t) => (t + g + k) % 3 !== 0);
    }
    groups[name] = { description: `Synthetic group ${g}`, roles: grants };
  }
  const users: Record<string, string[]> = {};
  for (let u = 0; u < size.users; u++) {
    const memberOf = [groupNames[u % groupNames.length]];
    if (u % 3 === 0) memberOf.push(groupNames[(u * 7 + 1) % groupNames.length]);
    if (u % 7 === 0) memberOf.push(groupNames[(u * 13 + 2) % groupNames.length]);
    users[`user${String(u).padStart(5, '0')}@example.com`] = [...new Set(memberOf)];
  }
  files['users.yaml'] = stringify({ central: { account: '999999999999', region: 'us-east-1' }, groups, users });
  for (const role of catalog) files[`roles/${role.name}.yaml`] = stringify(role);
  return files;
}
