// Proof against the templates, not the TypeScript: synthesize, read the cloud assembly back, and
// evaluate sts:AssumeRole for every (user, account, role) with an IAM policy simulator.
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../lib/app.js';
import { hasExpired } from '../lib/config/dates.js';
import { roleEnabled, type RosterConfig } from '../lib/config/types.js';
import { accessMatrix } from '../lib/plan/access.js';
import { buildPlan } from '../lib/plan/plan.js';
import { loadRoster } from '../lib/roster.js';
import { orgArbitrary, orgFiles } from './arbitraries.js';
import { ACME, configOf, TEST_NOW } from './helpers.js';
import { iamModel, simulateAssumeRole, type IamModel } from './support/iam-model.js';

function synthesize(config: RosterConfig): IamModel {
  const { plan } = buildPlan(config);
  const outdir = mkdtempSync(join(tmpdir(), 'roster-sim-'));
  const app = newApp({ outdir });
  renderApp(plan!, app);
  app.synth();
  // The CLI's access matrix (read from the plan) must agree with the declared access too.
  const matrix = accessMatrix(plan!).map((e) => `${e.user} ${e.account} ${e.role}`);
  const expected = config.users.flatMap((u) => config.accounts.flatMap((a) => config.roles.filter((r) => declared(config, u.name, a.prefix, r.name, '1970-01-01')).map((r) => `${u.name} ${a.prefix} ${r.name}`)));
  expect(matrix.sort()).toEqual(expected.sort());
  return iamModel(outdir, config.central.account);
}

/**
 * What the YAML declares on day `day` (YYYY-MM-DD, checked at noon UTC), computed independently of
 * lib/plan: through live group memberships, or directly on the user.
 */
function declared(config: RosterConfig, user: string, accountPrefix: string, role: string, day = '2026-11-22'): boolean {
  const at = `${day}T12:00:00Z`;
  const account = config.accounts.find((a) => a.prefix === accountPrefix)!;
  const definition = config.roles.find((r) => r.name === role)!;
  if (!roleEnabled(account, definition)) return false;
  const u = config.users.find((x) => x.name === user);
  if (!u || hasExpired(u.expires, at)) return false;
  const groups = u.groups.filter((g) => !hasExpired(u.membershipExpiry[g], at));
  const grants = [...config.groups.filter((g) => groups.includes(g.name)).flatMap((g) => g.grants), ...u.directGrants];
  return grants.some((gr) => gr.role === role && gr.accountTypes.includes(account.type));
}

/** Check every (user, account, role) on day `day`; returns how many were allowed, to show the check is not vacuous. */
async function proveAccess(config: RosterConfig, model: IamModel, day = '2026-11-22'): Promise<number> {
  const at = `${day}T12:00:00Z`;
  let allowed = 0;
  const mismatches: string[] = [];
  const users = [...config.users.map((u) => u.name), 'nobody-in-the-config'];
  for (const user of users) {
    for (const account of config.accounts) {
      for (const { name: role } of config.roles) {
        const expected = declared(config, user, account.prefix, role, day);
        const withMfa = await simulateAssumeRole(model, { user, account: account.id, role, mfa: true, at });
        const ok = withMfa === 'Allowed';
        if (ok !== expected) mismatches.push(`${user} ${account.prefix} ${role}: expected ${expected ? 'allowed' : 'denied'}, simulator says ${withMfa}`);
        if (!ok) continue;
        allowed++;
        const withoutMfa = await simulateAssumeRole(model, { user, account: account.id, role, mfa: false, at });
        if (withoutMfa === 'Allowed') mismatches.push(`${user} ${account.prefix} ${role}: allowed without MFA`);
        const otherSession = await simulateAssumeRole(model, { user, account: account.id, role, mfa: true, at, sessionName: 'someone-else' });
        if (otherSession === 'Allowed') mismatches.push(`${user} ${account.prefix} ${role}: allowed under another session name`);
        if (config.security.mfaMaxAgeSeconds !== undefined) {
          const staleMfa = await simulateAssumeRole(model, { user, account: account.id, role, mfa: true, at, mfaAgeSeconds: config.security.mfaMaxAgeSeconds + 1 });
          if (staleMfa === 'Allowed') mismatches.push(`${user} ${account.prefix} ${role}: allowed with an MFA sign-in older than mfaMaxAgeSeconds`);
        }
      }
    }
  }
  expect(mismatches).toEqual([]);
  return allowed;
}

describe('policy simulation of the synthesized templates', () => {
  it('the shipped example: allowed exactly as declared, never without MFA, never for an unknown user', async () => {
    const { config } = loadRoster(ACME, TEST_NOW);
    const model = synthesize(config!);
    expect(model.users.size).toBe(config!.users.length);
    const allowed = await proveAccess(config!, model);
    expect(allowed).toBeGreaterThan(50);
  });

  it('time-bound access: allowed until the expiry day ends, denied after it (example: peggy and rupert)', async () => {
    const { config } = loadRoster(ACME, TEST_NOW);
    const model = synthesize(config!);
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
    const model = synthesize(config!);
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
        await proveAccess(config, synthesize(config), day);
      }),
      { numRuns: 8 },
    );
  });
});
