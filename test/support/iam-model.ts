// The IAM state a set of deployed stacks creates, and sts:AssumeRole evaluated against it with
// @cloud-copilot/iam-simulate: identity policies of the user (direct and through groups) in the
// central account, and the trust policy of the role in the member account.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../../lib/config/iam-policy.js';
import { readAssembly, resolveValue, type DeployedStack } from './assembly.js';

type Doc = Record<string, unknown>;

export interface IamModel {
  centralAccount: string;
  partition: string;
  users: Map<string, { groups: string[]; managedPolicyArns: string[]; tags: Record<string, string>; inline: { name: string; policy: Doc }[] }>;
  groups: Map<string, { managedPolicyArns: string[] }>;
  policies: Map<string, Doc>;
  /** Role ARN -> trust policy. */
  roles: Map<string, { trust: Doc; account: string }>;
}

export function iamModel(assemblyDir: string, centralAccount: string): IamModel {
  const model: IamModel = { centralAccount, partition: 'aws', users: new Map(), groups: new Map(), policies: new Map(), roles: new Map() };
  for (const stack of readAssembly(assemblyDir)) collect(model, stack);
  return model;
}

function collect(model: IamModel, stack: DeployedStack): void {
  for (const [id, resource] of Object.entries(stack.template.Resources ?? {})) {
    const p = resolveValue(stack, resource.Properties ?? {}) as Record<string, any>;
    const arn = (kind: string, name: string) => `arn:${stack.partition}:iam::${stack.account}:${kind}/${name}`;
    switch (resource.Type) {
      case 'AWS::IAM::User':
        if (stack.account === model.centralAccount) {
          const tags = Object.fromEntries(((p.Tags ?? []) as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]));
          const inline = ((p.Policies ?? []) as { PolicyName: string; PolicyDocument: Doc }[]).map((i) => ({ name: `inline:${i.PolicyName}`, policy: i.PolicyDocument }));
          model.users.set(p.UserName, { groups: p.Groups ?? [], managedPolicyArns: p.ManagedPolicyArns ?? [], tags, inline });
        }
        break;
      case 'AWS::IAM::Group':
        if (stack.account === model.centralAccount) model.groups.set(p.GroupName, { managedPolicyArns: p.ManagedPolicyArns ?? [] });
        break;
      case 'AWS::IAM::ManagedPolicy':
        model.policies.set(arn('policy', p.ManagedPolicyName), p.PolicyDocument);
        break;
      case 'AWS::IAM::Role':
        // Roles without a fixed name are CDK's own (custom-resource handlers), not people's roles.
        if (p.RoleName) model.roles.set(arn('role', p.RoleName), { trust: p.AssumeRolePolicyDocument, account: stack.account });
        break;
      case 'AWS::IAM::Policy':
        if ((p.Users ?? []).length > 0 || (p.Groups ?? []).length > 0) throw new Error(`${stack.name}/${id}: inline user/group policies are not modelled`);
        break;
      case 'AWS::IAM::UserPolicy':
      case 'AWS::IAM::GroupPolicy':
        throw new Error(`${stack.name}/${id}: inline user/group policies are not modelled`);
      default:
        break;
    }
    model.partition = stack.partition;
  }
}

export interface AssumeRequest {
  user: string;
  account: string;
  role: string;
  mfa: boolean;
  /** Defaults to the user name, as the CLI profiles set it. */
  sessionName?: string;
  /** Replace the user's identity policies by one allowing everything: isolates the trust policy. */
  identityAllowsAll?: boolean;
  /** Replace the role's trust by one allowing the caller everything: isolates the identity policies. */
  trustAllowsAll?: boolean;
  /** Principal account, to test callers outside the central account (defaults to central). */
  fromAccount?: string;
  /** The caller's ARN (defaults to the IAM user of that name); e.g. a central role. */
  principalArn?: string;
  /** Seconds since the MFA sign-in (default 300). */
  mfaAgeSeconds?: number;
  /** aws:CurrentTime (default 2026-11-22T12:00:00Z, the tests' "today"). */
  at?: string;
  /** The SourceIdentity parameter of the AssumeRole call (sts:SourceIdentity); none by default, as console switch-role. */
  sourceIdentity?: string;
  /** aws:TokenIssueTime of the caller's credentials: a GetSessionToken or console session (none for a long-term key). */
  tokenIssueTime?: string;
}

/**
 * The AssumeRole call as STS authorizes it: sts:AssumeRole, and sts:SetSourceIdentity too when the
 * call sets a source identity (AWS checks both in the caller's policies and the trust). 'Allowed'
 * only if each is; else the first other outcome.
 */
export async function simulateAssumeCall(model: IamModel, req: AssumeRequest): Promise<string> {
  const actions = ['sts:AssumeRole', ...(req.sourceIdentity !== undefined ? ['sts:SetSourceIdentity'] : [])];
  for (const action of actions) {
    const result = await simulateAssumeRole(model, { ...req, action });
    if (result !== 'Allowed') return result;
  }
  return 'Allowed';
}

/** 'Allowed', 'ImplicitlyDenied' or 'ExplicitlyDenied' for sts:AssumeRole (or sts:TagSession with `tags`). */
export async function simulateAssumeRole(model: IamModel, req: AssumeRequest & { action?: string; tags?: Record<string, string> }): Promise<string> {
  const roleArn = `arn:${model.partition}:iam::${req.account}:role/${req.role}`;
  const role = model.roles.get(roleArn);
  if (!role) return 'RoleDoesNotExist';
  const user = model.users.get(req.user);
  const principalArn = req.principalArn ?? `arn:${model.partition}:iam::${req.fromAccount ?? model.centralAccount}:user/${req.user}`;
  const policyArns = user ? [...user.managedPolicyArns, ...user.groups.flatMap((g) => model.groups.get(g)?.managedPolicyArns ?? [])] : [];
  const identityPolicies = req.identityAllowsAll
    ? [{ name: 'allow-all', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }]
    : [...policyArns.map((arn) => {
        const policy = model.policies.get(arn);
        if (!policy) throw new Error(`user ${req.user} references policy ${arn}, which no template creates`);
        return { name: arn, policy };
      }), ...(user?.inline ?? [])];
  const result = await runSimulation(
    {
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: req.trustAllowsAll ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principalArn }, Action: '*' }] } : role.trust,
      request: {
        action: req.action ?? 'sts:AssumeRole',
        principal: principalArn,
        resource: { accountId: req.account, resource: roleArn },
        contextVariables: {
          'aws:PrincipalArn': principalArn,
          'aws:PrincipalAccount': req.fromAccount ?? model.centralAccount,
          'aws:CurrentTime': req.at ?? '2026-11-22T12:00:00Z',
          ...(req.mfa ? { 'aws:MultiFactorAuthAge': String(req.mfaAgeSeconds ?? 300) } : {}),
          'aws:MultiFactorAuthPresent': String(req.mfa),
          'aws:username': req.user,
          'sts:RoleSessionName': req.sessionName ?? req.user,
          ...(req.sourceIdentity !== undefined ? { 'sts:SourceIdentity': req.sourceIdentity } : {}),
          ...(req.tokenIssueTime !== undefined ? { 'aws:TokenIssueTime': req.tokenIssueTime } : {}),
          ...Object.fromEntries(Object.entries(user?.tags ?? {}).map(([k, v]) => [`aws:PrincipalTag/${k}`, v])),
          ...(req.tags ? { 'aws:TagKeys': Object.keys(req.tags), ...Object.fromEntries(Object.entries(req.tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])) } : {}),
        },
      },
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

/**
 * Evaluate one request of a role session whose identity policies are "allow everything" plus
 * `policy` (a guardrail or revocation policy), to see what that policy alone denies.
 */
export async function simulateUnder(policy: PolicyDocument, request: { accountId: string; session: string; action: string; resource: string; context: Record<string, string> }): Promise<string> {
  const result = await runSimulation({
    identityPolicies: [
      { name: 'allow-all', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
      { name: 'under-test', policy },
    ],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action: request.action,
      principal: `arn:aws:sts::${request.accountId}:assumed-role/FullAdministrator/${request.session}`,
      resource: { accountId: request.accountId, resource: request.resource },
      contextVariables: request.context,
    },
  }, {});
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}
