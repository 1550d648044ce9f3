import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, logicalIdFor, pascalCase } from '../../lib/plan/names.js';

describe('names', () => {
  it('PascalCases account types for policy names', () => {
    expect(pascalCase('prod')).toBe('Prod');
    expect(pascalCase('shared-services')).toBe('SharedServices');
  });

  it('keeps alphanumeric names readable and hashes lossy ones', () => {
    expect(logicalIdFor('User', 'trent')).toBe('UserTrent');
    expect(logicalIdFor('User', 'alice@example.com')).toMatch(/^UserAliceexamplecom[0-9A-F]{8}$/);
    expect(logicalIdFor('User', 'a.b')).not.toBe(logicalIdFor('User', 'ab'));
  });

  // Distinct to IAM: names differing only in case are one IAM name, refused by validation
  // (lib/config/read-users.ts, test/config/validation.test.ts "differ only in case"); the logical ID upper-cases the first letter, so `O` and `o` meet.
  it('logical IDs are valid CloudFormation IDs, and names IAM counts as distinct never collide (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,64}$/);
    fc.assert(
      fc.property(name, name, (a, b) => {
        const idA = logicalIdFor('User', a);
        expect(idA).toMatch(/^[A-Za-z][A-Za-z0-9]{0,254}$/);
        if (a.toLowerCase() !== b.toLowerCase()) expect(idA).not.toBe(logicalIdFor('User', b));
      }),
      { numRuns: 2000 },
    );
  });

  it('hash suffixes and buckets are pinned: deployed logical IDs and user stacks must never move', () => {
    // Values of SHA-256's first four bytes, as every earlier version computed them.
    expect(logicalIdFor('User', 'alice@example.com')).toBe('UserAliceexamplecomFF8D9819');
    expect(logicalIdFor('User', 'bob.smith')).toBe('UserBobsmith365B77FB');
    expect(logicalIdFor('User', 'ünïcödé@example.com')).toBe('UserNcdexamplecom1E56F6E2');
    expect([bucketOf('alice@example.com', 64), bucketOf('bob.smith', 64), bucketOf('ünïcödé@example.com', 64)]).toEqual([25, 59, 34]);
  });

  it('buckets depend on the name only', () => {
    expect(bucketOf('alice@example.com', 64)).toBe(bucketOf('alice@example.com', 64));
    const buckets = new Set(Array.from({ length: 2000 }, (_, i) => bucketOf(`user${i}`, 64)));
    expect(buckets.size).toBe(64);
  });
});
