// Adopting a live central account: which of the plan's users, groups and customer managed
// policies already exist (from the account's get-account-authorization-details export), what
// state they are in, and whether they can be adopted without deleting or replacing anything.
// The CDK layer renders the adoption steps from this (lib/stacks/central-stack.ts); `roster
// import-mapping` writes it to adoption.json and the runbook around it.
import type { PolicyDocument } from '../config/iam-policy.js';
import { allAssumePolicies } from './groups.js';
import type { RosterPlan } from './types.js';

/** A user as it is in IAM: what the adoption template must say so the import is exact. */
export interface ActualUser {
  name: string;
  path: string;
  groups: string[];
  managedPolicyArns: string[];
  tags: Array<{ Key: string; Value: string }>;
}

export interface ActualGroup { name: string; path: string; managedPolicyArns: string[] }

export interface ActualPolicy {
  name: string;
  arn: string;
  path: string;
  description?: string;
  document: PolicyDocument;
  /** Where the plan puts it: CentralStack itself, or a policies bucket (nested stack). */
  bucket?: number;
}

/** adoption.json: everything the adoption steps render, self-contained. */
export interface Adoption {
  account: string;
  users: ActualUser[];
  groups: ActualGroup[];
  /** Policies the plan defines that exist and are not iam-roster's own: imported by hand (CloudFormation cannot import them automatically). */
  policies: ActualPolicy[];
}

/** What the central account holds now, read from its export. */
export interface ExistingIam {
  account: string;
  users: Array<ActualUser & { managedByRoster: boolean }>;
  groups: ActualGroup[];
  policies: Array<Omit<ActualPolicy, 'bucket' | 'document'> & { document?: PolicyDocument }>;
}

export interface AdoptionResult {
  adoption?: Adoption;
  /** Why it cannot be adopted as it is: nothing may be deleted or replaced. */
  errors: Array<{ message: string; hint: string }>;
  notes: string[];
}

const lower = (s: string) => s.toLowerCase();

/**
 * Match the plan against what exists. IAM names are case-insensitive: a user `Alice` in IAM and
 * `alice` in users.yaml are one user, and the YAML must spell it as IAM does. Paths, and a policy's
 * description, cannot change without replacing the entity, so they must already be what iam-roster
 * writes (paths) or are left as they are (descriptions: never updated afterwards, see below).
 */
export function planAdoption(plan: RosterPlan, existing: ExistingIam, onlyUsers?: readonly string[]): AdoptionResult {
  const errors: AdoptionResult['errors'] = [];
  const notes: string[] = [];
  if (existing.account !== plan.central.account) {
    errors.push({ message: `the export is of account ${existing.account}, not of the central account ${plan.central.account}`, hint: 'export the central account: aws iam get-account-authorization-details > central.json' });
    return { errors, notes };
  }
  const byName = <T extends { name: string }>(list: T[]) => new Map(list.map((x) => [lower(x.name), x]));
  const [users, groups, policies] = [byName(existing.users), byName(existing.groups), byName(existing.policies)];
  const sameSpelling = (kind: string, planned: string, actual: string) => {
    if (planned === actual) return true;
    errors.push({ message: `${kind} '${planned}' exists in IAM as '${actual}' (IAM names ignore case)`, hint: `spell it '${actual}' in the config, as IAM does` });
    return false;
  };
  const adoption: Adoption = { account: plan.central.account, users: [], groups: [], policies: [] };

  for (const user of plan.users) {
    const actual = users.get(lower(user.name));
    if (!actual || (onlyUsers && !onlyUsers.includes(user.name))) continue;
    if (!sameSpelling('user', user.name, actual.name)) continue;
    if (actual.managedByRoster) continue; // already iam-roster's (tagged managed-by)
    if (actual.path !== '/') {
      errors.push({ message: `user ${user.name} has path ${actual.path}; iam-roster's users have path /`, hint: `move it first (aws iam update-user --user-name ${user.name} --new-path /), then export again` });
      continue;
    }
    if (user.console === 'initial-password') notes.push(`user ${user.name} has console: true: adopting sets a new initial password; use console: onboarded to keep the one the user has`);
    const { managedByRoster: _, ...state } = actual;
    adoption.users.push(state);
  }
  for (const group of plan.groups) {
    const actual = groups.get(lower(group.name));
    if (!actual || !sameSpelling('group', group.name, actual.name)) continue;
    if (actual.path !== '/') {
      errors.push({ message: `group ${group.name} has path ${actual.path}; iam-roster's groups have path /`, hint: `move it first (aws iam update-group --group-name ${group.name} --new-path /), then export again` });
      continue;
    }
    adoption.groups.push(actual);
  }
  const planned = [
    { policy: plan.manageYourAccount, bucket: undefined as number | undefined },
    ...allAssumePolicies(plan.assumePolicies, plan.groups, plan.users).map((p) => ({ policy: p, bucket: p.bucket })),
  ];
  const userPolicies = plan.users.flatMap((u) => u.expiryPolicies);
  for (const { policy, bucket } of planned) {
    const actual = policies.get(lower(policy.name));
    if (!actual || !sameSpelling('policy', policy.name, actual.name)) continue;
    // iam-roster's own policy (its description is a function of its name): nothing to adopt.
    if (actual.description === policy.description) continue;
    if (actual.path !== '/') {
      errors.push({ message: `policy ${policy.name} has path ${actual.path}: a policy's path never changes, and iam-roster's are /`, hint: `detach and delete it by hand once nothing uses it, or rename the account type or role so iam-roster's policy gets another name` });
      continue;
    }
    if (!actual.document) {
      errors.push({ message: `policy ${policy.name} exists, but its document is not in the export`, hint: 'export again with the default filters (every policy version is included)' });
      continue;
    }
    notes.push(`policy ${policy.name} keeps its description "${actual.description ?? ''}" (IAM never changes a description); its document becomes iam-roster's`);
    adoption.policies.push({ name: actual.name, arn: actual.arn, path: actual.path, description: actual.description, document: actual.document, ...(bucket === undefined ? {} : { bucket }) });
  }
  for (const policy of userPolicies) {
    const actual = policies.get(lower(policy.name));
    if (actual && actual.description !== policy.description) {
      errors.push({ message: `policy ${actual.name} exists and is not iam-roster's, but iam-roster names a user's expiry policy so`, hint: 'rename or delete that policy by hand first' });
    }
  }
  return { adoption: errors.length > 0 ? undefined : adoption, errors, notes };
}

/**
 * An adoption.json read back (ROSTER_ADOPT): it must be for this central account, of the shape
 * import-mapping writes, and name only users and groups the config still has.
 */
export function checkAdoption(data: unknown, plan: RosterPlan): { adoption?: Adoption; errors: Array<{ message: string; hint: string }> } {
  const again = 'run roster import-mapping again; it writes adoption.json';
  const d = data as Partial<Adoption> | null;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return { errors: [{ message: 'not an adoption.json (expected an object)', hint: again }] };
  if (d.account !== plan.central.account) return { errors: [{ message: `it is for account ${d.account}, not the central account ${plan.central.account}`, hint: `${again}, with the central account's export` }] };
  // Every field the rendering reads, of the type import-mapping writes.
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const shapes: Record<'users' | 'groups' | 'policies', (x: Record<string, unknown>) => boolean> = {
    users: (x) => strings(x.groups) && strings(x.managedPolicyArns) && Array.isArray(x.tags) && x.tags.every((t) => typeof t?.Key === 'string' && typeof t?.Value === 'string'),
    groups: (x) => strings(x.managedPolicyArns),
    policies: (x) => typeof x.arn === 'string' && typeof x.document === 'object' && x.document !== null && (x.bucket === undefined || Number.isInteger(x.bucket)),
  };
  const bad = (['users', 'groups', 'policies'] as const).filter((k) => !(Array.isArray(d[k]) && (d[k] as unknown[]).every((x) => typeof x === 'object' && x !== null && typeof (x as { name?: unknown }).name === 'string' && shapes[k](x as Record<string, unknown>))));
  if (bad.length > 0) return { errors: [{ message: `${bad.join(', ')}: missing, or entries not as roster import-mapping writes them`, hint: again }] };
  const gone = [
    ...d.users!.filter((u) => !plan.users.some((p) => p.name === u.name)).map((u) => `user '${u.name}'`),
    ...d.groups!.filter((g) => !plan.groups.some((p) => p.name === g.name)).map((g) => `group '${g.name}'`),
  ];
  if (gone.length > 0) return { errors: gone.map((what) => ({ message: `${what} is not in the config any more`, hint: 'run roster import-mapping again after changing users.yaml' })) };
  return { adoption: d as Adoption, errors: [] };
}
