// The access proof shared by every config the tests check (fixtures, examples, the user's own):
// synthesize, read the cloud assembly back, and evaluate sts:AssumeRole for every (user, account,
// role) with an IAM policy simulator, against what the YAML declares (computed without lib/plan).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { hasExpired } from '../../lib/config/dates.js';
import { roleEnabled, type RosterConfig } from '../../lib/config/types.js';
import { accessMatrix } from '../../lib/plan/access.js';
import { buildPlan } from '../../lib/plan/plan.js';
import type { RosterPlan } from '../../lib/plan/types.js';
import { templateLimitProblems } from '../../lib/stacks/template-limits.js';
import { iamModel, simulateAssumeRole, type IamModel } from './iam-model.js';

/** Synthesize a config into a fresh assembly; returns the IAM state its templates create. */
export function synthesize(config: RosterConfig): { model: IamModel; plan: RosterPlan; outdir: string } {
  const { plan, issues } = buildPlan(config);
  if (!plan) throw new Error(`plan failed: ${issues.map((i) => `${i.file}:${i.line}: ${i.message}`).join('; ')}`);
  const outdir = mkdtempSync(join(tmpdir(), 'roster-sim-'));
  const app = newApp({ outdir });
  renderApp(plan, app);
  app.synth();
  expect(templateLimitProblems(outdir)).toEqual([]);
  // The CLI's access matrix (read from the plan) must agree with the declared access too.
  const matrix = accessMatrix(plan).map((e) => `${e.user} ${e.account} ${e.role}`);
  const expected = config.users.flatMap((u) => config.accounts.flatMap((a) => config.roles.filter((r) => declared(config, u.name, a.prefix, r.name, '1970-01-01')).map((r) => `${u.name} ${a.prefix} ${r.name}`)));
  expect(matrix.sort()).toEqual(expected.sort());
  return { model: iamModel(outdir, config.central.account), plan, outdir };
}

/**
 * What the YAML declares on day `day` (YYYY-MM-DD, checked at noon UTC), computed independently of
 * lib/plan: through live group memberships, or directly on the user.
 */
export function declared(config: RosterConfig, user: string, accountPrefix: string, role: string, day = '2026-11-22'): boolean {
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

/**
 * Check every (user, account, role) on day `day`: allowed exactly as declared, and never without
 * MFA, under another session name, with a stale MFA, or (for roles taking session tags) with a tag
 * value other than the user's own. Returns how many were allowed, to show the check is not vacuous.
 */
export async function proveAccess(config: RosterConfig, model: IamModel, day = '2026-11-22'): Promise<number> {
  const at = `${day}T12:00:00Z`;
  let allowed = 0;
  const mismatches: string[] = [];
  const users = [...config.users.map((u) => u.name), 'nobody-in-the-config'];
  for (const user of users) {
    for (const account of config.accounts) {
      for (const role of config.roles) {
        const expected = declared(config, user, account.prefix, role.name, day);
        const base = { user, account: account.id, role: role.name, at };
        const withMfa = await simulateAssumeRole(model, { ...base, mfa: true });
        const ok = withMfa === 'Allowed';
        if (ok !== expected) mismatches.push(`${user} ${account.prefix} ${role.name}: expected ${expected ? 'allowed' : 'denied'}, simulator says ${withMfa}`);
        if (!ok) continue;
        allowed++;
        if ((await simulateAssumeRole(model, { ...base, mfa: false })) === 'Allowed') mismatches.push(`${user} ${account.prefix} ${role.name}: allowed without MFA`);
        if ((await simulateAssumeRole(model, { ...base, mfa: true, sessionName: 'someone-else' })) === 'Allowed') mismatches.push(`${user} ${account.prefix} ${role.name}: allowed under another session name`);
        if (config.security.mfaMaxAgeSeconds !== undefined) {
          const stale = await simulateAssumeRole(model, { ...base, mfa: true, mfaAgeSeconds: config.security.mfaMaxAgeSeconds + 1 });
          if (stale === 'Allowed') mismatches.push(`${user} ${account.prefix} ${role.name}: allowed with an MFA sign-in older than mfaMaxAgeSeconds`);
        }
        const tagged = Object.entries(role.sessionTags);
        const own = config.users.find((u) => u.name === user)!.tags;
        if (tagged.length > 0 && tagged.every(([, source]) => own[source] !== undefined)) {
          const tags = Object.fromEntries(tagged.map(([key, source]) => [key, own[source]]));
          const tag = (t: Record<string, string>) => simulateAssumeRole(model, { ...base, mfa: true, action: 'sts:TagSession', tags: t });
          if ((await tag(tags)) !== 'Allowed') mismatches.push(`${user} ${account.prefix} ${role.name}: refuses the user's own session tags`);
          if ((await tag(Object.fromEntries(tagged.map(([key]) => [key, 'root'])))) === 'Allowed') mismatches.push(`${user} ${account.prefix} ${role.name}: allows a session tag value other than the user's own`);
          if ((await tag({ ...tags, Team: 'admins' })) === 'Allowed') mismatches.push(`${user} ${account.prefix} ${role.name}: allows a session tag key the role does not take`);
        }
      }
    }
  }
  expect(mismatches).toEqual([]);
  return allowed;
}
