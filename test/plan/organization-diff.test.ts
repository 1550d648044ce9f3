import { describe, expect, it } from 'vitest';
import { baseFiles, diffOf } from '../helpers.js';

type Files = Record<string, string>;
const ORG = 'organization:\n  id: o-a1b2c3d4e5\n  policyAccount: "999999999999"\n';

function changes(before: Files, after: Files): string[] {
  return diffOf(before, after).filter((c) => c.kind === 'organization').map((c) => `${c.direction} ${c.risk} ${c.cause.replace(/`/g, '')}`);
}

const withOrg = (extra = '', files = baseFiles()): Files => ({ ...files, 'users.yaml': `${files['users.yaml']}${ORG}${extra}` });

describe('roster diff on the organization layer', () => {
  it('removing the organization guardrails is critical growth; adding them a tightening', () => {
    expect(changes(withOrg(), baseFiles())).toEqual(['grew critical organization guardrails removed']);
    expect(changes(baseFiles(), withOrg())).toEqual(['shrank low organization guardrails added']);
  });

  it('turning the resource perimeter off is critical growth, on every target', () => {
    expect(changes(withOrg(), withOrg('  resourcePerimeter: false\n'))).toEqual(['grew critical resource perimeter (RCP) on 3 targets (111111111111, 222222222222, 333333333333)']);
  });

  it('an outside account let in loosens the perimeter', () => {
    expect(changes(withOrg(), withOrg('  trustedAccounts: ["777777777777"]\n'))).toEqual(['grew critical resource perimeter (RCP) on 3 targets (111111111111, 222222222222, 333333333333)']);
  });

  it('an account opting out of the guardrails loosens its SCPs, and only its', () => {
    const files = withOrg();
    const after = { ...files, 'accounts/dev.yaml': `${files['accounts/dev.yaml']}guardrails: false\n` };
    expect(changes(files, after)).toEqual(['grew critical service control policies on 333333333333']);
  });

  it('a new deployment principal is a loosening of the protection SCPs everywhere (the central account\'s differ from the members\')', () => {
    expect(changes(withOrg(), withOrg('  deploymentPrincipals: [arn:aws:iam::*:role/Deployer]\n'))).toEqual([
      'grew critical service control policies on 2 targets (222222222222, 333333333333)',
      'grew critical service control policies on 111111111111',
    ]);
  });

  it('a revocation, or a user removed with an expiry, is not reported here (revocations and users are, as tightenings)', () => {
    const revoked = withOrg('revokeSessions:\n  bob: 2026-11-21T12:00:00Z\n');
    expect(changes(withOrg(), revoked)).toEqual([]);
    const expiring = withOrg();
    expiring['users.yaml'] = expiring['users.yaml'].replace('  bob:\n', '  bob:\n    expires: 2027-01-31\n');
    const removed = { ...expiring, 'users.yaml': expiring['users.yaml'].replace(/  bob:\n(    .*\n)+/, '') };
    expect(changes(expiring, removed)).toEqual([]);
  });
});
