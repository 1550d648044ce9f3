// Proof against the templates, not the TypeScript: synthesize, read the cloud assembly back, and
// evaluate sts:AssumeRole for every (user, account, role) with an IAM policy simulator.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRoster } from '../lib/roster.js';
import { orgArbitrary, orgFiles } from './arbitraries.js';
import { ACME, configOf, TEST_NOW } from './helpers.js';
import { simulateAssumeRole } from './support/iam-model.js';
import { proveAccess, synthesize } from './support/prove.js';

describe('policy simulation of the synthesized templates', () => {
  it('the acme fixture: allowed exactly as declared, never without MFA, never for an unknown user', async () => {
    const { config } = loadRoster(ACME, TEST_NOW);
    const { model } = synthesize(config!);
    expect(model.users.size).toBe(config!.users.length);
    const allowed = await proveAccess(config!, model);
    expect(allowed).toBeGreaterThan(50);
  });

  it('time-bound access: allowed until the expiry day ends, denied after it (example: peggy and rupert)', async () => {
    const { config } = loadRoster(ACME, TEST_NOW);
    const { model } = synthesize(config!);
    const assume = (user: string, account: string, role: string, at: string) =>
      simulateAssumeRole(model, { user, account: config!.accounts.find((a) => a.prefix === account)!.id, role, mfa: true, at });
    // peggy's readonly membership ends 2027-03-31; her support membership does not.
    expect(await assume('peggy@example.com', 'dev', 'ReadOnly', '2027-03-31T23:59:00Z')).toBe('Allowed');
    expect(await assume('peggy@example.com', 'dev', 'ReadOnly', '2027-04-01T00:00:01Z')).toBe('ExplicitlyDenied');
    expect(await assume('peggy@example.com', 'prod-us', 'SupportEngineer', '2027-04-01T00:00:01Z')).toBe('Allowed');
    // rupert (a contractor) expires 2027-06-30: every role.
    expect(await assume('rupert@example.com', 'dev', 'PowerUser', '2027-06-30T10:00:00Z')).toBe('Allowed');
    expect(await assume('rupert@example.com', 'dev', 'PowerUser', '2027-07-01T10:00:00Z')).toBe('ExplicitlyDenied');
    // and the whole matrix agrees with the declared access on a day after both expiries
    await proveAccess(config!, model, '2027-07-02');
  });

  it('every trust policy on its own refuses sessions without MFA and callers outside the central account', async () => {
    const { config } = loadRoster(ACME, TEST_NOW);
    const { model } = synthesize(config!);
    const failures: string[] = [];
    for (const [arn, role] of model.roles) {
      const req = { user: 'anyone', account: role.account, role: arn.split('/').at(-1)!, identityAllowsAll: true };
      if (!(role.trust.Statement as { Principal?: { AWS?: string } }[]).some((s) => s.Principal?.AWS)) continue; // service roles
      if ((await simulateAssumeRole(model, { ...req, mfa: true })) !== 'Allowed') failures.push(`${arn}: refuses the central account with MFA`);
      if ((await simulateAssumeRole(model, { ...req, mfa: false })) === 'Allowed') failures.push(`${arn}: allows without MFA`);
      if ((await simulateAssumeRole(model, { ...req, mfa: true, fromAccount: '999999999999' })) === 'Allowed') failures.push(`${arn}: allows another account`);
      if ((await simulateAssumeRole(model, { ...req, mfa: true, mfaAgeSeconds: 43201 })) === 'Allowed') failures.push(`${arn}: allows an MFA sign-in older than 12 hours`);
    }
    expect(model.roles.size).toBeGreaterThan(40);
    expect(failures).toEqual([]);
  });

  it('random configurations, with random expiries, on a random day (property)', async () => {
    await fc.assert(
      fc.asyncProperty(orgArbitrary, fc.constantFrom('2026-11-22', '2027-01-15', '2027-06-01', '2028-01-01'), async (org, day) => {
        const config = configOf(orgFiles(org));
        await proveAccess(config, synthesize(config).model, day);
      }),
      { numRuns: 8 },
    );
  });
});
