import { hash } from 'node:crypto';

export { pascalCase } from '../config/names.js';

/** Stable 32-bit number derived from a name; the same on every machine and Node version. */
export function nameHash(name: string): number {
  // The first 4 bytes of SHA-256, big-endian (one-shot hash: called for every user, group and policy).
  return Number.parseInt(hash('sha256', name, 'hex').slice(0, 8), 16);
}

/**
 * CloudFormation logical ID derived from the entity's name alone, never from its position:
 * `alice@example.com` -> `UserAliceexamplecomD1F0C2A9`. Names that are already alphanumeric
 * keep their exact spelling; any other name gets a hash suffix so `a.b` and `ab` never collide.
 */
export function logicalIdFor(kind: string, name: string): string {
  const alnum = name.replace(/[^A-Za-z0-9]/g, '');
  const lossy = alnum !== name || alnum.length === 0;
  const suffix = lossy ? nameHash(name).toString(16).toUpperCase().padStart(8, '0') : '';
  return `${kind}${alnum.charAt(0).toUpperCase()}${alnum.slice(1)}${suffix}`;
}

/** Which of `count` buckets a name lives in: a pure function of the name, so others never move. */
export function bucketOf(name: string, count: number): number {
  return nameHash(name) % count;
}

export function bucketId(kind: string, bucket: number): string {
  return `${kind}${String(bucket).padStart(2, '0')}`;
}

/**
 * Logical ID of something that belongs to another resource (its output, clean-up, instance
 * profile): the kind goes first, so it can never equal a name-derived ID (those start with
 * User, Group, Policy or Role), e.g. `ArnUserAlice`, not `UserAliceArn`, which a user named
 * `AliceArn` would also produce.
 */
export function ownedId(kind: 'Arn' | 'Cleanup' | 'Console' | 'InstanceProfile', ownerLogicalId: string): string {
  return `${kind}${ownerLogicalId}`;
}
