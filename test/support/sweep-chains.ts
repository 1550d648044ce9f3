// Chains: sequences of requests where each step creates what the next one uses. The sweep judges
// single requests; an administrator who may create a principal can go further: create a role,
// give it AdministratorAccess, let itself assume it, and act as that role, which carries none of
// the policies iam-roster attaches to its own roles. Each step is simulated (identity policies,
// boundary, resource policy, SCPs and RCPs); the chain succeeds if every step does. Also: a door
// for an outside account, and MFA enrolled with a leaked access key.
import { awsManagedDocument, type Principal } from './member-model.js';
import type { SweptPrincipal } from './sweep-principals.js';
import { simulate } from './sweep.js';
import type { Target } from './sweep-targets.js';
import { protectedName } from './sweep-targets.js';

export interface ChainStep {
  label: string;
  decision: string;
}

export interface ChainResult {
  /** `<config>/<account>/<Role>:<chain>:<final act>`, e.g. `acme/dev/FullAdministrator:shadow-admin:rds:DeleteDBInstance`. */
  id: string;
  principal: SweptPrincipal;
  steps: ChainStep[];
  /** Every step is allowed. */
  succeeds: boolean;
}

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const OUTSIDER = '999999999999';

/** `implicit`: the call needs no permission, only an explicit deny stops it (sts:GetSessionToken). */
type Step = { label: string; as: SweptPrincipal; action: string; target: Target; implicit?: boolean };

async function run(steps: Step[]): Promise<{ steps: ChainStep[]; succeeds: boolean }> {
  const out: ChainStep[] = [];
  for (const s of steps) {
    const decision = await simulate(s.as, s.action, s.target);
    out.push({ label: s.label, decision });
    if (decision !== 'Allowed' && !(s.implicit && decision === 'ImplicitlyDenied')) return { steps: out, succeeds: false };
  }
  return { steps: out, succeeds: true };
}

/** The final acts of a shadow principal: what iam-roster's protection is meant to prevent. */
function finalActs(p: SweptPrincipal): { name: string; action: string; target: Target }[] {
  const f = p.facts;
  const iam = (r: string) => `arn:aws:iam::${f.account}:${r}`;
  const rosterRole = iam(`role/${p.role}`);
  const tag = { 'aws:ResourceTag/managed-by': 'iam-roster' };
  const prot = protectedName(f);
  return [
    { name: `iam:UpdateAssumeRolePolicy@${p.role}`, action: 'iam:UpdateAssumeRolePolicy', target: { label: 'protected:roster-role', arn: rosterRole, context: { ...tag } } },
    { name: `iam:DetachRolePolicy IamRosterSessions@${p.role}`, action: 'iam:DetachRolePolicy', target: { label: 'protected:roster-role', arn: rosterRole, context: { ...tag, 'iam:PolicyARN': iam('policy/IamRosterSessions'), ...(f.boundaryArn ? { 'iam:PermissionsBoundary': f.boundaryArn } : {}) } } },
    { name: 'iam:CreatePolicyVersion@IamRosterProtection', action: 'iam:CreatePolicyVersion', target: { label: 'protected:roster-policy', arn: iam('policy/IamRosterProtection'), context: {} } },
    { name: 'sts:AssumeRole@cdk-deploy-role', action: 'sts:AssumeRole', target: { label: 'protected:cdk-role', arn: iam(`role/cdk-hnb659fds-deploy-role-${f.account}-${f.region}`), context: {}, resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${f.account}:root` }, Action: 'sts:AssumeRole' }] } } },
    { name: 'lambda:UpdateFunctionCode@iam-roster-password-policy', action: 'lambda:UpdateFunctionCode', target: { label: 'protected:handler', arn: `arn:aws:lambda:${f.region}:${f.account}:function:iam-roster-password-policy`, context: { ...tag } } },
    { name: `cloudformation:DeleteStack@Account-${f.prefix}`, action: 'cloudformation:DeleteStack', target: { label: 'protected:roster-stack', arn: `arn:aws:cloudformation:${f.region}:${f.account}:stack/Account-${f.prefix}/abc`, context: { ...tag } } },
    { name: 'guardduty:DeleteDetector', action: 'guardduty:DeleteDetector', target: { label: 'protected:detection', arn: `arn:aws:guardduty:${f.region}:${f.account}:detector/abc`, context: {} } },
    ...(prot ? [{ name: `rds:DeleteDBInstance@${prot}`, action: 'rds:DeleteDBInstance', target: { label: 'protected:protected-name', arn: `arn:aws:rds:${f.region}:${f.account}:db:${prot}`, context: {} } }] : []),
  ];
}

/** A session of a role the principal created: AdministratorAccess, and the boundary if it had to set one. */
function shadowSession(p: SweptPrincipal, name: string, bounded: boolean): SweptPrincipal {
  const f = p.facts;
  const boundary = bounded && p.principal.boundary ? p.principal.boundary : undefined;
  const principal: Principal = {
    arn: `arn:aws:sts::${f.account}:assumed-role/${name}/${p.session}`, account: f.account, principalArn: `arn:aws:iam::${f.account}:role/${name}`,
    identity: [{ name: ADMIN, policy: awsManagedDocument(ADMIN) }], boundary,
  };
  return { ...p, id: `${p.id}>${name}`, role: name, boundary: boundary !== undefined, guardrails: false, principal, principalTags: {} };
}

/**
 * Shadow administrator: create a role (without a boundary; with the account's boundary when the
 * principal must set it), attach AdministratorAccess, assume it (its trust names the creator), act.
 */
async function shadowAdmin(p: SweptPrincipal): Promise<ChainResult[]> {
  const f = p.facts;
  const name = 'shadow-admin';
  const roleArn = `arn:aws:iam::${f.account}:role/${name}`;
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: p.principal.principalArn }, Action: 'sts:AssumeRole' }] };
  const boundaryOptions: (string | undefined)[] = [undefined, ...(f.boundaryArn ? [f.boundaryArn] : [])];
  for (const boundary of boundaryOptions) {
    const b: Record<string, string> = boundary ? { 'iam:PermissionsBoundary': boundary } : {};
    const setup: Step[] = [
      { label: `iam:CreateRole ${name}${boundary ? ' with the boundary' : ''}`, as: p, action: 'iam:CreateRole', target: { label: 'ordinary:role', arn: roleArn, context: { ...b } } },
      { label: 'iam:AttachRolePolicy AdministratorAccess', as: p, action: 'iam:AttachRolePolicy', target: { label: 'ordinary:role', arn: roleArn, context: { ...b, 'iam:PolicyARN': ADMIN } } },
      { label: `sts:AssumeRole ${name}`, as: p, action: 'sts:AssumeRole', target: { label: 'ordinary:role', arn: roleArn, context: { 'sts:RoleSessionName': p.session }, resourcePolicy: trust } },
    ];
    const prefix = await run(setup);
    if (!prefix.succeeds) continue;
    const shadow = shadowSession(p, name, boundary !== undefined);
    const chain = boundary ? 'shadow-admin-bounded' : 'shadow-admin';
    const out: ChainResult[] = [];
    for (const act of finalActs(p)) {
      const last = await run([{ label: act.name, as: shadow, action: act.action, target: act.target }]);
      out.push({ id: `${p.id}:${chain}:${act.name}`, principal: p, steps: [...prefix.steps, ...last.steps], succeeds: last.succeeds });
    }
    return out;
  }
  return [];
}

/** Outside door: create a role trusting another account (with the boundary where required); that account assumes it. */
async function outsideDoor(p: SweptPrincipal): Promise<ChainResult[]> {
  const f = p.facts;
  const name = 'vendor-access';
  const roleArn = `arn:aws:iam::${f.account}:role/${name}`;
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OUTSIDER}:root` }, Action: 'sts:AssumeRole' }] };
  const outsider: SweptPrincipal = {
    ...p, id: `${OUTSIDER}/outsider`, account: OUTSIDER, role: 'Outsider', boundary: false, guardrails: false, principalTags: {}, scps: [],
    principal: { arn: `arn:aws:sts::${OUTSIDER}:assumed-role/outsider/x`, account: OUTSIDER, principalArn: `arn:aws:iam::${OUTSIDER}:role/outsider`, identity: [{ name: ADMIN, policy: awsManagedDocument(ADMIN) }] },
  };
  for (const boundary of [undefined, ...(f.boundaryArn ? [f.boundaryArn] : [])]) {
    const b: Record<string, string> = boundary ? { 'iam:PermissionsBoundary': boundary } : {};
    const result = await run([
      { label: `iam:CreateRole ${name} trusting ${OUTSIDER}${boundary ? ' with the boundary' : ''}`, as: p, action: 'iam:CreateRole', target: { label: 'ordinary:role', arn: roleArn, context: { ...b } } },
      { label: 'iam:AttachRolePolicy AdministratorAccess', as: p, action: 'iam:AttachRolePolicy', target: { label: 'ordinary:role', arn: roleArn, context: { ...b, 'iam:PolicyARN': ADMIN } } },
      { label: `sts:AssumeRole from ${OUTSIDER}`, as: outsider, action: 'sts:AssumeRole', target: { label: 'ordinary:role', arn: roleArn, context: { 'aws:PrincipalAccount': OUTSIDER, 'aws:PrincipalArn': outsider.principal.principalArn, 'aws:PrincipalOrgID': 'o-outsider' }, resourcePolicy: trust, resourceAccount: f.account } },
    ]);
    if (result.steps.length < 2 && boundary === undefined && f.boundaryArn) continue; // CreateRole needs the boundary: try with it
    return [{ id: `${p.id}:outside-door${boundary ? '-bounded' : ''}`, principal: p, ...result }];
  }
  return [];
}

/** MFA from a leaked key: with no MFA, enrol a virtual device on oneself, then use it to assume a role. */
async function mfaFromLeakedKey(p: SweptPrincipal): Promise<ChainResult[]> {
  if (p.role !== 'CentralUser' || p.mfa) return [];
  const iam = (r: string) => `arn:aws:iam::${p.account}:${r}`;
  const withMfa: SweptPrincipal = { ...p, mfa: true };
  // A role the user holds: named by an Allow of sts:AssumeRole in their policies, with its trust policy.
  const assume = p.principal.identity.flatMap((i) => ([] as Record<string, unknown>[]).concat((i.policy as { Statement: Record<string, unknown>[] }).Statement))
    .filter((s) => s.Effect === 'Allow' && ([] as string[]).concat(s.Action as string[]).includes('sts:AssumeRole'))
    .flatMap((s) => ([] as string[]).concat(s.Resource as string[]))
    .find((arn) => p.facts.trust.has(arn));
  const steps: Step[] = [
    { label: 'iam:CreateVirtualMFADevice on itself, without MFA', as: p, action: 'iam:CreateVirtualMFADevice', target: { label: 'self:mfa', arn: iam(`mfa/${p.session}`), context: {} } },
    { label: 'iam:EnableMFADevice on itself, without MFA', as: p, action: 'iam:EnableMFADevice', target: { label: 'self:user', arn: iam(`user/${p.session}`), context: {} } },
    { label: 'sts:GetSessionToken with the new device', as: p, action: 'sts:GetSessionToken', target: { label: 'account-wide', arn: '*', context: {} }, implicit: true },
  ];
  if (!assume) return [];
  steps.push({ label: `sts:AssumeRole ${assume} with that session`, as: withMfa, action: 'sts:AssumeRole', target: { label: 'roster-role', arn: assume, context: { 'sts:RoleSessionName': p.session }, resourcePolicy: p.facts.trust.get(assume), resourceAccount: assume.split(':')[4] } });
  return [{ id: `${p.id}:mfa-from-leaked-key`, principal: p, ...(await run(steps)) }];
}

/** Every chain for a principal (those that cannot start, e.g. no iam:CreateRole, give no results). */
export async function chainsOf(p: SweptPrincipal): Promise<ChainResult[]> {
  return [...await shadowAdmin(p), ...await outsideDoor(p), ...await mfaFromLeakedKey(p)];
}
