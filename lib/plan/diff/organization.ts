import type { PolicyStatement } from '../../config/iam-policy.js';
import type { RosterConfig } from '../../config/types.js';
import { planOrganization, type OrganizationPlan } from '../organization/plan.js';
import { compareStatements } from './statements.js';

export interface OrganizationChange {
  cause: string;
  direction: 'grew' | 'shrank';
  risk: 'critical' | 'low';
  why?: string;
  detail: string[];
}

/**
 * Statements that follow from revokeSessions and expires: the diff classifies those where they are
 * written (revocations, users), so a user removed with their expiry is not "a deny removed".
 */
const fromSessions = (s: PolicyStatement) => /^(Revoke|End)/.test(s.Sid ?? '');

/** What binds one account (or OU), by policy type: SCP and RCP statements without Sids and session cut-offs. */
function boundBy(org: OrganizationPlan | undefined): Map<string, { scp: PolicyStatement[]; rcp: PolicyStatement[] }> {
  const byTarget = new Map<string, { scp: PolicyStatement[]; rcp: PolicyStatement[] }>();
  for (const p of org?.policies ?? []) {
    for (const target of p.targets) {
      const entry = byTarget.get(target) ?? { scp: [], rcp: [] };
      const statements = p.document.Statement.filter((s) => !fromSessions(s)).map(({ Sid: _, ...s }) => s as PolicyStatement);
      (p.type === 'SERVICE_CONTROL_POLICY' ? entry.scp : entry.rcp).push(...statements);
      byTarget.set(target, entry);
    }
  }
  return byTarget;
}

/**
 * Changes to the organization layer, by effect on what every principal of a target can do: a deny
 * removed or narrowed (a protection, a guardrail, the perimeter) is growth and critical, since
 * the SCPs and RCPs are what binds administrators and principals iam-roster did not create; a
 * deny added is a tightening. Targets with the same change are reported together.
 */
export function organizationChanges(old: RosterConfig, now: RosterConfig): OrganizationChange[] {
  const [a, b] = [planOrganization(old, []), planOrganization(now, [])];
  if (a && !b) return [{ cause: 'organization guardrails removed', direction: 'grew', risk: 'critical', why: 'no SCP or RCP binds principals iam-roster did not create any more', detail: a.policies.map((p) => `- ${p.name} (${p.targets.length} targets)`) }];
  if (!a && b) return [{ cause: 'organization guardrails added', direction: 'shrank', risk: 'low', detail: b.policies.map((p) => `+ ${p.name} on ${p.targets.join(', ')}`) }];
  const [x, y] = [boundBy(a), boundBy(b)];
  const grouped = new Map<string, OrganizationChange & { targets: string[] }>();
  for (const target of [...new Set([...x.keys(), ...y.keys()])].sort()) {
    const [before, after] = [x.get(target) ?? { scp: [], rcp: [] }, y.get(target) ?? { scp: [], rcp: [] }];
    for (const kind of ['scp', 'rcp'] as const) {
      const delta = compareStatements(before[kind], after[kind]);
      if (!delta.grew.length && !delta.shrank.length) continue;
      const generic = (l: string) => l.replaceAll(target, '<target>');
      // Denies only (FullAWSAccess is Organizations'): a deny removed or loosened is growth.
      const direction = delta.grew.length ? 'grew' : 'shrank';
      const detail = [...delta.grew.map((l) => `+ ${generic(l)}`), ...delta.shrank.map((l) => `- ${generic(l)}`)];
      const key = `${kind}\u0000${JSON.stringify(detail)}`;
      const entry = grouped.get(key) ?? {
        cause: kind === 'scp' ? 'service control policies' : 'resource perimeter (RCP)', direction, risk: direction === 'grew' ? 'critical' : 'low',
        why: direction === 'grew' ? 'an organization guardrail loosened: it binds every principal of the target, administrators included' : undefined, detail, targets: [],
      };
      entry.targets.push(target);
      grouped.set(key, entry);
    }
  }
  return [...grouped.values()].map(({ targets, ...c }) => ({ ...c, cause: `${c.cause} on ${targets.length === 1 ? `\`${targets[0]}\`` : `${targets.length} targets (${targets.slice(0, 6).join(', ')}${targets.length > 6 ? ', …' : ''})`}` }));
}
