// fast-check generators for whole configurations, and a seeded shuffle to reorder their YAML.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { catalogFiles } from './helpers.js';

/** A role defined by a generated config in roles/, beside the acme catalog. */
export interface CustomRole {
  name: string;
  enabled: boolean;
  awsManagedPolicies: string[];
  actions: string[];
  /** false: the role file lacks the justifications cdk-nag asks for (then validate refuses it). */
  justified?: boolean;
}

export interface OrgSpec {
  accounts: { prefix: string; id: string; type: string; toggles: Record<string, boolean> }[];
  customRoles?: CustomRole[];
  groups: Record<string, Record<string, string[]>>;
  users: Record<string, string[]>;
  /** Optional expiry of a user, and of some memberships (group -> date); console access. */
  expiries?: Record<string, { user?: string; memberships: Record<string, string>; console?: boolean }>;
}

const EXPIRY_DATES = ['2026-12-31', '2027-03-31', '2027-12-31'];

const TYPES = ['prod', 'staging', 'dev', 'security', 'DataWarehouseProd', 'prod-us'];
export const CATALOG_ROLES = Object.keys(catalogFiles()).map((f) => f.replace(/^roles\/|\.yaml$/g, ''));
const MANAGED = ['ReadOnlyAccess', 'job-function/ViewOnlyAccess', 'AmazonS3ReadOnlyAccess', 'CloudWatchReadOnlyAccess'];
const customRole: fc.Arbitrary<CustomRole> = fc.record({
  name: fc.stringMatching(/^[A-Z][A-Za-z0-9+=,.@_-]{2,30}$/),
  enabled: fc.boolean(),
  awsManagedPolicies: fc.uniqueArray(fc.constantFrom(...MANAGED), { maxLength: 2 }),
  actions: fc.uniqueArray(fc.constantFrom('s3:GetObject', 'logs:FilterLogEvents', 'ssm:StartSession', 'ec2:Describe*', 'dynamodb:Query'), { minLength: 1, maxLength: 4 }),
});
const userName = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9._-]{1,20}$/), // role session names need 2+ characters
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,12}$/), fc.constantFrom('example.com', 'corp.example.org')).map(([u, d]) => `${u}@${d}`),
  fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{2,30}$/), // anything IAM accepts
);

/** A random valid organisation: every grant names an existing type, every user existing groups. */
export const orgArbitrary: fc.Arbitrary<OrgSpec> = fc
  .record({
    accountTypes: fc.array(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 10 }),
    groupNames: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), { minLength: 1, maxLength: 5 }),
    userNames: fc.uniqueArray(userName, { minLength: 1, maxLength: 25, selector: (n) => n.toLowerCase() }),
    seed: fc.integer(),
    customRoles: fc.uniqueArray(customRole, { maxLength: 3, selector: (r) => r.name.toLowerCase() })
      .map((roles) => roles.filter((r) => !CATALOG_ROLES.some((c) => c.toLowerCase() === r.name.toLowerCase()))),
  })
  .chain(({ accountTypes, groupNames, userNames, customRoles }) => {
    const types = [...new Set(accountTypes)];
    const ROLES = [...CATALOG_ROLES, ...customRoles.map((r) => r.name)];
    const grant = fc.dictionary(fc.constantFrom(...ROLES), fc.uniqueArray(fc.constantFrom(...types), { minLength: 1 }), { maxKeys: 4 });
    return fc.record({
      customRoles: fc.constant(customRoles),
      accounts: fc.constant(accountTypes.map((type, i) => ({ prefix: `acct-${i}`, id: String(200000000000 + i * 1009), type, toggles: {} as Record<string, boolean> }))),
      toggles: fc.array(fc.dictionary(fc.constantFrom(...ROLES), fc.boolean(), { maxKeys: 3 }), { minLength: accountTypes.length, maxLength: accountTypes.length }),
      groups: fc.tuple(...groupNames.map(() => grant)).map((grants) => Object.fromEntries(groupNames.map((g, i) => [g, grants[i]]))),
      users: fc.tuple(...userNames.map(() => fc.uniqueArray(fc.constantFrom(...groupNames), { maxLength: 3 }))).map((gs) => Object.fromEntries(userNames.map((u, i) => [u, gs[i]]))),
    });
  })
  .chain(({ accounts, toggles, groups, users, customRoles }) => {
    const names = Object.keys(users);
    const expiry = (user: string) => fc.record({
      console: fc.boolean(),
      user: fc.option(fc.constantFrom(...EXPIRY_DATES), { nil: undefined }),
      memberships: fc.tuple(...users[user].map(() => fc.option(fc.constantFrom(...EXPIRY_DATES), { nil: undefined }))).map((dates) =>
        Object.fromEntries(users[user].flatMap((g, i) => (dates[i] ? [[g, dates[i]!]] : [])))),
    });
    return fc.tuple(...names.map(expiry)).map((list) => ({
      customRoles,
      accounts: accounts.map((a, i) => ({ ...a, toggles: toggles[i] })),
      groups,
      users,
      expiries: Object.fromEntries(names.map((n, i) => [n, list[i]])),
    }));
  });

/** Deterministic pseudo-random permutation (mulberry32). */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The org as config files; with a seed, every map and list is written in a shuffled order. */
export function orgFiles(org: OrgSpec, seed?: number): Record<string, string> {
  const order = <T>(items: readonly T[], salt: number): T[] => (seed === undefined ? [...items] : shuffle(items, seed + salt));
  const entries = <V>(obj: Record<string, V>, salt: number) => Object.fromEntries(order(Object.entries(obj), salt));
  const groups = entries(Object.fromEntries(Object.entries(org.groups).map(([g, roles], i) => [
    g, { roles: entries(Object.fromEntries(Object.entries(roles).map(([r, ts], j) => [r, order(ts, 100 * i + j)])), 7 * i) },
  ])), 1);
  const users = entries(Object.fromEntries(Object.entries(org.users).map(([u, gs], i) => {
    const expiry = org.expiries?.[u];
    const groups = order(gs, 1000 + i).map((g) => (expiry?.memberships[g] ? { group: g, expires: expiry.memberships[g] } : g));
    const details = { ...(expiry?.user ? { expires: expiry.user } : {}), ...(expiry?.console ? { console: true } : {}) };
    return [u, Object.keys(details).length > 0 ? { groups, ...details } : groups];
  })), 2);
  const files: [string, string][] = org.accounts.map((a, i) => [
    `accounts/${a.prefix}.yaml`,
    stringify(entries({ id: a.id, alias: `org-${a.prefix}`, type: a.type, ...(Object.keys(a.toggles).length ? { roles: entries(a.toggles, 50 + i) } : {}) }, 30 + i)),
  ]);
  const anyConsole = Object.values(org.expiries ?? {}).some((e) => e.console);
  const top: Record<string, unknown> = { central: { account: '111111111111', region: 'us-east-1' }, groups, users };
  if (anyConsole) top.security = { onboardingPrincipal: 'arn:aws:iam::111111111111:role/PeopleOps' };
  files.push(['users.yaml', stringify(entries(top, 3))]);
  for (const role of org.customRoles ?? []) {
    files.push([`roles/${role.name}.yaml`, stringify({
      name: role.name,
      description: `Generated role ${role.name}`,
      enabled: role.enabled,
      ...(role.awsManagedPolicies.length ? { awsManagedPolicies: role.awsManagedPolicies } : {}),
      ...(role.justified !== false ? { justification: { ...(role.awsManagedPolicies.length ? { awsManagedPolicies: 'Generated by the property tests.' } : {}), wildcards: 'Objects of the data bucket, generated by the property tests.' } } : {}),
      statements: [{ Sid: 'Generated', Effect: 'Allow', Action: role.actions, Resource: 'arn:{partition}:s3:::{account}-{region}-data/*' }],
    })]);
  }
  files.push(...Object.entries(catalogFiles()));
  return Object.fromEntries(order(files, 4));
}
