import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packOrThrow as packStatements, packStatements as packOrError, policyChars } from '../../lib/plan/policy-size.js';
import type { PolicyStatement } from '../../lib/config/iam-policy.js';

const actionStatement = (sid: string, actions: string[]): PolicyStatement => ({ Sid: sid, Effect: 'Allow', Action: actions, Resource: '*' });

describe('packStatements', () => {
  it('keeps small statements together in one document', () => {
    const docs = packStatements([actionStatement('A', ['s3:GetObject']), actionStatement('B', ['s3:PutObject'])], 6144);
    expect(docs).toHaveLength(1);
    expect(docs[0].Statement.map((s) => s.Sid)).toEqual(['A', 'B']);
  });

  it('starts a new document when the next statement would cross the limit', () => {
    const big = (sid: string) => actionStatement(sid, Array.from({ length: 150 }, (_, i) => `ec2:Describe${sid}${i}`));
    const docs = packStatements([big('A'), big('B'), big('C')], 6144);
    expect(docs.length).toBeGreaterThan(1);
    expect(docs.flatMap((d) => d.Statement.map((s) => s.Sid))).toEqual(['A', 'B', 'C']);
    for (const doc of docs) expect(policyChars(doc)).toBeLessThanOrEqual(6144);
  });

  it('splits one oversized statement along its longest list', () => {
    const resources = Array.from({ length: 300 }, (_, i) => `arn:aws:iam::${String(i).padStart(12, '0')}:role/FullAdministrator`);
    const docs = packStatements([{ Sid: 'Assume', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: resources }], 6144);
    expect(docs.length).toBeGreaterThanOrEqual(3);
    const all = docs.flatMap((d) => d.Statement);
    expect(all.every((s) => (s.Action as string[]).length === 2)).toBe(true);
    expect(all.flatMap((s) => s.Resource as string[])).toEqual(resources);
  });

  it('reports a statement that cannot be split small enough instead of producing an oversized policy', () => {
    const huge: PolicyStatement = { Sid: 'Huge', Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'x'.repeat(7000) } } };
    expect(packOrError([huge], 6144)).toEqual({ error: 'statement Huge cannot fit in 6144 characters even split' });
  });

  it('never exceeds the limit, keeps every action in order, and is deterministic (property)', () => {
    const statement = fc.record({
      sid: fc.stringMatching(/^[A-Za-z0-9]{1,12}$/),
      actions: fc.array(fc.stringMatching(/^[a-z0-9]{2,8}:[A-Za-z]{3,40}$/), { minLength: 1, maxLength: 200 }),
    });
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1200, max: 6144 }), (raw, limit) => {
        const statements = raw.map((s) => actionStatement(s.sid, s.actions));
        const docs = packStatements(statements, limit);
        for (const doc of docs) expect(policyChars(doc)).toBeLessThanOrEqual(limit);
        expect(docs.flatMap((d) => d.Statement.flatMap((s) => s.Action as string[]))).toEqual(statements.flatMap((s) => s.Action as string[]));
        expect(packStatements(statements, limit)).toEqual(docs);
      }),
      { numRuns: 200 },
    );
  });
});
