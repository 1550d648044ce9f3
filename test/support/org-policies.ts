// The organization layer of a synthesized assembly: the service control policies and resource
// control policies an `OrganizationStack` creates (AWS::Organizations::Policy), and which of them
// apply to an account. Without an OrganizationStack there is no organization layer, and the
// simulation has no SCPs or RCPs (as in an account outside any organization).
import type { SimulationOrgPolicies } from '@cloud-copilot/iam-simulate';
import { readAssembly, resolveValue } from './assembly.js';

type Doc = Record<string, unknown>;

export interface OrgPolicy {
  name: string;
  type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  document: Doc;
  /** Account IDs, OU IDs (ou-...) or root IDs (r-...) the policy is attached to. */
  targets: string[];
}

export interface OrganizationPolicies {
  policies: OrgPolicy[];
  /** SCPs that apply to principals of `account`, one level per target the account sits under. */
  scpsFor(account: string): SimulationOrgPolicies[];
  /** RCPs that apply to resources of `account`. */
  rcpsFor(account: string): SimulationOrgPolicies[];
}

const FULL_AWS_ACCESS: Doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/**
 * Which targets (roots, OUs, the account itself) an account sits under, root first. The
 * organization's tree is not in the templates: by default every root and OU target applies to
 * every account and account targets to their own account only. Pass a function that knows the
 * tree (from the config's `organization:` section) to be exact.
 */
export type TargetsOf = (account: string, allTargets: readonly string[]) => string[];

const defaultTargetsOf: TargetsOf = (account, all) => [
  ...all.filter((t) => t.startsWith('r-')),
  ...all.filter((t) => t.startsWith('ou-')),
  ...all.filter((t) => t === account),
];

/** The organization policies of every `OrganizationStack` in the assembly (none if there is none). */
export function organizationPolicies(assemblyDir: string, targetsOf: TargetsOf = defaultTargetsOf): OrganizationPolicies {
  const policies: OrgPolicy[] = [];
  for (const stack of readAssembly(assemblyDir)) {
    if (stack.name.split('/')[0] !== 'OrganizationStack') continue;
    for (const [id, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (resource.Type !== 'AWS::Organizations::Policy') continue;
      const p = resolveValue(stack, resource.Properties ?? {}) as Record<string, any>;
      if (p.Type !== 'SERVICE_CONTROL_POLICY' && p.Type !== 'RESOURCE_CONTROL_POLICY') continue;
      const document = typeof p.Content === 'string' ? JSON.parse(p.Content) : p.Content;
      policies.push({ name: p.Name ?? id, type: p.Type, document, targets: (p.TargetIds ?? []).map(String) });
    }
  }
  return fromPolicies(policies, targetsOf);
}

/** The same from explicit documents (tests that try a policy before it is rendered). */
export function fromPolicies(policies: OrgPolicy[], targetsOf: TargetsOf = defaultTargetsOf): OrganizationPolicies {
  const levels = (type: OrgPolicy['type'], account: string): SimulationOrgPolicies[] => {
    const ofType = policies.filter((p) => p.type === type);
    if (ofType.length === 0) return [];
    const all = [...new Set(ofType.flatMap((p) => p.targets))];
    return targetsOf(account, all).map((target) => ({
      orgIdentifier: target,
      policies: [
        // AWS attaches FullAWSAccess to every root, OU and account; iam-simulate adds RCPFullAWSAccess itself.
        ...(type === 'SERVICE_CONTROL_POLICY' ? [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }] : []),
        ...ofType.filter((p) => p.targets.includes(target)).map((p) => ({ name: p.name, policy: p.document })),
      ],
    }));
  };
  return {
    policies,
    scpsFor: (account) => levels('SERVICE_CONTROL_POLICY', account),
    rcpsFor: (account) => levels('RESOURCE_CONTROL_POLICY', account),
  };
}
