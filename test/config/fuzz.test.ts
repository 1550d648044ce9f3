import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../lib/plan/plan.js';
import { baseFiles, validate } from '../helpers.js';

// Bad input never crashes: whatever the files hold, the loader answers with issues, never a throw.
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('prod', 'dev', 'admins', 'ReadOnly', '111111111111'));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.constantFrom('central', 'groups', 'users', 'roles', 'id', 'alias', 'type', 'account', 'region', 'groups', 'expires', 'security', 'guardrails', 'pipeline', 'serviceRoles', 'x'), tie('node'), { maxKeys: 5 })),
})).node;

function check(files: Record<string, string>) {
  const { config, issues } = validate(files);
  for (const issue of issues) {
    expect(issue.line).toBeGreaterThanOrEqual(1);
    expect(issue.col).toBeGreaterThanOrEqual(1);
    expect(issue.message.length).toBeGreaterThan(0);
  }
  if (config) buildPlan(config); // a config that validates must also plan without throwing
  else expect(issues.some((i) => i.severity === 'error')).toBe(true);
}

describe('fuzzing the loader (property)', () => {
  it('never throws on arbitrary structures in users.yaml and account files', () => {
    fc.assert(
      fc.property(value, value, (users, account) => {
        check({ ...baseFiles(), 'users.yaml': stringify(users), 'accounts/prod.yaml': stringify(account) });
      }),
      { numRuns: 400 },
    );
  });

  it('never throws when one key of a valid file is replaced by anything', () => {
    const base = baseFiles();
    const lines = base['users.yaml'].split('\n');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: lines.length - 1 }), value, (at, replacement) => {
        const indent = lines[at].match(/^ */)![0];
        const key = lines[at].trim().split(':')[0];
        const replaced = [...lines];
        replaced[at] = `${indent}${key}: ${JSON.stringify(replacement)}`;
        check({ ...base, 'users.yaml': replaced.join('\n') });
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (users, account) => {
        check({ ...baseFiles(), 'users.yaml': users, 'accounts/prod.yaml': account });
      }),
      { numRuns: 1500 },
    );
  });
});
