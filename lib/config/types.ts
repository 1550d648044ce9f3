import type { PathSegment, SourceFile } from './source.js';

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** Where a config entry was written, so later stages can report problems at the right line. */
export interface Origin {
  file: string;
  path: readonly PathSegment[];
}

export interface CentralConfig {
  account: string;
  region: string;
  partition: Partition;
  /** Largest trust policy the member accounts accept (IAM default 2,048; 4,096 after a quota raise). */
  trustPolicyLimit: number;
  origin: Origin;
}

export interface GroupRoleGrant {
  role: string;
  accountTypes: readonly string[];
}

export interface GroupConfig {
  name: string;
  description?: string;
  /** Sorted by role name. */
  grants: readonly GroupRoleGrant[];
  origin: Origin;
}

export interface UserConfig {
  name: string;
  /** Sorted. */
  groups: readonly string[];
  email?: string;
  description?: string;
  origin: Origin;
}

export interface AccountConfig {
  /** The file name without `.yaml`: the account's short name on the command line and in stack names. */
  prefix: string;
  id: string;
  alias: string;
  type: string;
  region: string;
  maxSessionDuration?: number;
  /** Explicit per-account role toggles (`roles: {KMSAdministrator: true}`). */
  roleToggles: Readonly<Record<string, boolean>>;
  origin: Origin;
}

/**
 * A validated config. Every list is sorted by name so nothing downstream depends on YAML order.
 */
export interface RosterConfig {
  central: CentralConfig;
  groups: readonly GroupConfig[];
  users: readonly UserConfig[];
  accounts: readonly AccountConfig[];
  /** Derived from the account files: the sorted set of their `type`s. */
  accountTypes: readonly string[];
  /** Parsed files, for locating problems found after loading. */
  sources: ReadonlyMap<string, SourceFile>;
}
