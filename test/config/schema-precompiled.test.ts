import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileValidators, precompiledValidators, validatorsModuleSource, type SchemaKind } from '../../lib/config/schema.js';
import { baseFiles } from '../helpers.js';

const GENERATED = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'lib', 'config', 'schema', 'validators.generated.mjs');

describe('precompiled JSON Schema validators', () => {
  it('are current: run `npm run build-validators` after editing a schema', () => {
    expect(readFileSync(GENERATED, 'utf8') === validatorsModuleSource()).toBe(true);
    expect(precompiledValidators()).toBeDefined();
  });

  it('give the same verdicts and errors as compiling the schemas now', () => {
    const precompiled = precompiledValidators()!;
    const compiled = compileValidators();
    const files = baseFiles();
    const samples: Array<[SchemaKind, unknown]> = [
      ['users', parse(files['users.yaml'])],
      ['users', { central: { account: 12 }, groups: { 'a b': { roles: { X: 'prod' } } }, users: { alice: [1] }, extra: true }],
      ['account', parse(files['accounts/prod.yaml'])],
      ['account', { id: '1', alias: 'UPPER', type: 'prod', roles: { ReadOnly: 'yes' }, guardrails: { allowedRegions: 'eu' } }],
      ['role', parse(files['roles/PowerUser.yaml'])],
      ['role', { name: 'x', statements: [{ Effect: 'Maybe', Action: 3 }] }],
      ['policy', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }],
      ['policy', { Statement: 'nope' }],
    ];
    expect(samples.map(([kind, data]) => precompiled[kind](data))).toEqual([true, false, true, false, true, false, true, false]);
    for (const [kind, data] of samples) {
      const [a, b] = [precompiled[kind], compiled[kind]];
      expect(a(data)).toBe(b(data));
      const strip = (errors: typeof a.errors) => (errors ?? []).map(({ instancePath, keyword, params, message }) => ({ instancePath, keyword, params, message }));
      expect(strip(a.errors)).toEqual(strip(b.errors));
    }
  });
});
